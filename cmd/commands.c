/* The command table: name, handler, one-line summary and help text. */
#include <config.h>
#include "cli.h"

#include <string.h>

const vc_command vc_commands[] = {
	{"check", vc_cmd_check, "check whether this host can run vcrun VMs (like kata-check)",
	 "Usage: vcrun check [--json] [--qemu PATH] [--host-root DIR]\n"
	 "\n"
	 "Checks the CPU (vendor, vmx/svm, lm, sse4_1, nesting), the kernel modules kvm,\n"
	 "kvm_intel/kvm_amd (with their nested parameter), vhost, vhost_net, vhost_vsock,\n"
	 "whether /dev/kvm can create a VM, /dev/vhost-vsock, hugepages and the QEMU binary.\n"
	 "Prints one line per check (ok, warning or missing, and why) and a verdict. Exits 0\n"
	 "when VMs can run (with TCG too, which is slow), 1 otherwise.\n"
	 "\n"
	 "  --json           print the report as JSON\n"
	 "  --qemu PATH      the QEMU binary to check (default: the configuration's `path`,\n"
	 "                   else the built-in path)\n"
	 "  --host-root DIR  read /proc, /sys and /dev under DIR instead of /\n"},
	{"config", vc_cmd_config, "validate or show the effective configuration",
	 "Usage: vcrun config validate [OPTIONS]\n"
	 "       vcrun config show [--format json|toml|yaml] [OPTIONS]\n"
	 "\n"
	 "validate: load the configuration (--config, VCRUN_CONFIG, /etc/vcrun/configuration.toml\n"
	 "or the shipped default, then config.d/ drop-ins) and check it against this host;\n"
	 "prints nothing and exits 0 when valid, else every error as FILE:LINE:COL: error: ...\n"
	 "show: print the effective configuration after drop-ins, defaults and clamps, without\n"
	 "checking the host (default format json).\n"
	 "\n"
	 "Options:\n"
	 "  --format FORMAT         json, toml or yaml (show only)\n"
	 "  --kernel PATH           custom kernel, overrides the file\n"
	 "  --initrd PATH           custom initrd\n"
	 "  --image PATH            custom image\n"
	 "  --firmware PATH         custom firmware\n"
	 "  --hypervisor-path PATH  custom hypervisor binary\n"
	 "  --bundle DIR            apply the io.katacontainers.config.hypervisor.* annotations\n"
	 "                          of DIR/config.json\n"},
	{"env", vc_cmd_env, "print the environment vcrun runs in, for bug reports (like kata-env)",
	 "Usage: vcrun env [--json] [--qemu PATH] [--host-root DIR]\n"
	 "\n"
	 "Prints, as TOML (or JSON with --json): vcrun's version and build features, the\n"
	 "resolved configuration, the QEMU binary and its version, the default kernel\n"
	 "parameters, host facts (CPU, KVM, nesting, the warnings of 'vcrun check') and the\n"
	 "system calls vcrun's seccomp filter denies to the hypervisor.\n"
	 "\n"
	 "  --json           print JSON\n"
	 "  --qemu PATH      the QEMU binary to report on (default: the configuration's\n"
	 "                   `path`, else the built-in path)\n"
	 "  --host-root DIR  read /proc, /sys and /dev under DIR instead of /\n"},
	{"features", vc_cmd_features, "print the features of this build as JSON",
	 "Usage: vcrun features\n"
	 "\n"
	 "Prints a JSON object: subcommands, hypervisors, config formats and supported\n"
	 "annotations, in the spirit of runc's features command.\n"},
	{"help", vc_cmd_help, "show help for vcrun or one command",
	 "Usage: vcrun help [COMMAND]\n"},
	{"qemu-args", vc_cmd_qemu_args, "print the QEMU command line create would run",
	 "Usage: vcrun qemu-args [--json] [--arch ARCH] [--drive SPEC]... [OPTIONS] ID\n"
	 "\n"
	 "Prints the argv `vcrun create` would execute for sandbox ID under --root (sandbox\n"
	 "directory <root>/<ID>: QMP and console sockets, console.log, qemu.pid): one shell-quoted\n"
	 "line, or a JSON array of strings with --json. Nothing is started or written.\n"
	 "\n"
	 "Options:\n"
	 "  --json                  print a JSON array\n"
	 "  --arch ARCH             guest architecture: x86_64 (amd64) or aarch64 (arm64);\n"
	 "                          default: the host's\n"
	 "  --drive SPEC            PATH[,format=raw|qcow2][,readonly][,cache=MODE], repeatable;\n"
	 "                          a ',' in PATH is written ',,'\n"
	 "  --kernel PATH           custom kernel, overrides the file\n"
	 "  --initrd PATH           custom initrd\n"
	 "  --image PATH            custom image\n"
	 "  --firmware PATH         custom firmware\n"
	 "  --hypervisor-path PATH  custom hypervisor binary\n"
	 "  --bundle DIR            apply the io.katacontainers.config.hypervisor.* annotations\n"
	 "                          of DIR/config.json\n"},
	{"version", vc_cmd_version, "print version, commit and compiled-in features",
	 "Usage: vcrun version\n"},
};

const size_t vc_commands_count = sizeof(vc_commands) / sizeof(vc_commands[0]);

const vc_command *vc_command_find(const char *name)
{
	for (size_t i = 0; i < vc_commands_count; i++)
		if (strcmp(vc_commands[i].name, name) == 0)
			return &vc_commands[i];
	return NULL;
}

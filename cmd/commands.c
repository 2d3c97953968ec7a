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
    {"console", vc_cmd_console, "attach the terminal to a sandbox's guest console",
     "Usage: vcrun console ID\n"
     "\n"
     "Connects the terminal to the guest console of a created, running or paused sandbox.\n"
     "Press Ctrl-] to detach; the VM keeps running. A sandbox created with\n"
     "--console-socket has its console on the terminal handed to that socket instead.\n"},
    {"create", vc_cmd_create, "create a sandbox: start its VM paused",
     "Usage: vcrun create [OPTIONS] ID\n"
     "\n"
     "Loads the configuration, starts the VM paused and records the sandbox under the state\n"
     "root. The VM process is a child of vcrun (re-parented when vcrun exits).\n"
     "\n"
     "Options:\n"
     "  -b, --bundle DIR        OCI bundle (default: the current directory); its config.json\n"
     "                         annotations are recorded (and applied where allowed)\n"
     "  --pid-file FILE         write the VM process id there (no trailing newline)\n"
     "  --console-socket PATH   terminal mode: the guest console is a new pseudo-terminal\n"
     "                         whose master is sent (SCM_RIGHTS) to the AF_UNIX socket\n"
     "                         PATH, as runc does; 'vcrun console' is then refused\n"
     "  --drive SPEC            attach a drive: PATH[,format=raw|qcow2][,readonly]\n"
     "                         [,cache=MODE]; repeatable\n"
     "  --kernel PATH, --initrd PATH, --image PATH, --firmware PATH,\n"
     "  --hypervisor-path PATH  override the configured assets\n"
     "  --preserve-fds N        pass fds 3 .. 3+N-1 of vcrun on to the hypervisor process\n"
     "                         at the same numbers (each must be open)\n"
     "  --no-pivot, --no-new-keyring\n"
     "                         accepted for runc compatibility (no effect on a VM)\n"},
    {"delete", vc_cmd_delete, "delete a stopped sandbox",
     "Usage: vcrun delete [--force] ID\n"
     "\n"
     "Removes a stopped sandbox. --force kills its VM first; deleting an id that does not\n"
     "exist with --force succeeds (as runc).\n"},
    {"device", vc_cmd_device, "hotplug drives: device add|remove|list",
     "Usage: vcrun device add ID --drive SPEC\n"
     "       vcrun device remove ID DEVICE\n"
     "       vcrun device list [--json] ID\n"
     "\n"
     "add hotplugs a drive (PATH[,format=raw|qcow2][,readonly][,cache=MODE]) and prints its\n"
     "device id; remove unplugs it (the guest must be running to release it); list shows the\n"
     "drives of the sandbox.\n"},
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
    {"help", vc_cmd_help, "show help for vcrun or one command", "Usage: vcrun help [COMMAND]\n"},
    {"kill", vc_cmd_kill, "send a signal to a sandbox's VM",
     "Usage: vcrun kill [--all] ID [SIGNAL]\n"
     "\n"
     "SIGNAL is a name (KILL, SIGKILL) or a number; default TERM. KILL kills the VM process;\n"
     "TERM asks the guest to power off (a VM that never ran is ended); others go to the VM\n"
     "process. With --all, a stopped sandbox is not an error.\n"},
    {"list", vc_cmd_list, "list sandboxes",
     "Usage: vcrun list [--format table|json] [--quiet] [--live]\n"
     "\n"
     "Lists the sandboxes of the state root. Without --live no VM is woken (as runc list):\n"
     "a sandbox whose VM process is gone is stopped, the others have the status vcrun set\n"
     "last (create, start, pause, resume). --live asks every VM over QMP, as state does, and\n"
     "so also sees what a VM did by itself (a guest paused on an I/O error).\n"
     "\n"
     "  --format table|json  the table (default) or a JSON array of state objects\n"
     "  -q, --quiet           print only the ids\n"
     "  --live                ask every VM for its status\n"},
    {"pause", vc_cmd_pause, "pause a running sandbox's vCPUs", "Usage: vcrun pause ID\n"},
    {"ps", vc_cmd_ps, "list the processes of a sandbox (its VM process)",
     "Usage: vcrun ps [--format table|json] ID\n"
     "\n"
     "As runc ps, which containerd's shim calls: the hypervisor process of the sandbox\n"
     "(none when it is stopped). --format json prints an array of pids.\n"},
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
    {"resume", vc_cmd_resume, "resume a paused sandbox", "Usage: vcrun resume ID\n"},
    {"run", vc_cmd_run, "create and start a sandbox, show its console until it exits",
     "Usage: vcrun run [OPTIONS] [--keep] ID\n"
     "\n"
     "create + start, then copies the guest console to stdout until the VM exits; exits 0\n"
     "after a clean guest poweroff. The sandbox is deleted afterwards unless --keep.\n"
     "\n"
     "Options: those of create, and\n"
     "  --keep                  keep the stopped sandbox\n"},
    {"start", vc_cmd_start, "start a created sandbox", "Usage: vcrun start ID\n"},
    {"state", vc_cmd_state, "print the OCI state of a sandbox as JSON",
     "Usage: vcrun state ID\n"
     "\n"
     "Prints ociVersion, id, status (creating, created, running, paused, stopped), pid (0\n"
     "when stopped), bundle, annotations, created, hypervisor, qmp_socket, console_socket\n"
     "(in terminal mode: the --console-socket path), console_tty (the guest console's\n"
     "pseudo-terminal in terminal mode, else \"\") and console_log. The status is derived\n"
     "live from the VM.\n"},
    {"stop", vc_cmd_stop, "power a sandbox's VM off",
     "Usage: vcrun stop [--timeout S] ID\n"
     "\n"
     "Asks the guest to power off and waits up to S seconds (default 10), then quits the\n"
     "hypervisor, then kills it.\n"},
    {"update", vc_cmd_update, "change a sandbox's resources (vCPU hotplug)",
     "Usage: vcrun update --vcpus N ID\n"
     "\n"
     "Hotplugs vCPUs up to N (at most default_maxvcpus).\n"},
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

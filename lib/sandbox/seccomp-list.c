/* The system calls vcrun denies to the hypervisor, and why. Kept separate from the libseccomp
 * code so that `vcrun env` and the tests can list them in builds without libseccomp.
 *
 * Each entry was checked against QEMU 7.2 (TCG, `-S` + QMP `cont`, with and without QEMU's own
 * `-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny`): QEMU
 * made none of these calls. Deliberately NOT denied, although sometimes listed elsewhere:
 *   - userfaultfd: QEMU's postcopy live migration (migration/postcopy-ram.c) needs it;
 *   - name_to_handle_at: harmless on its own (it only names a file), the dangerous half is
 *     open_by_handle_at, which is denied;
 *   - seccomp, prctl: QEMU's `-sandbox` installs its own filter with them;
 *   - io_uring_setup, memfd_create, clone3: QEMU 7.2 uses them at start-up (aio probe, RAM,
 *     threads). */
#include <config.h>
#include "sandbox/seccomp.h"

static const vc_seccomp_rule deny_list[] = {
    /* Loading kernel code: a hypervisor escape would become kernel code execution. */
    {"init_module", "loads a kernel module from memory", false},
    {"finit_module", "loads a kernel module from a file", false},
    {"delete_module", "unloads kernel modules (e.g. kvm) from under other VMs", false},
    /* Replacing the running kernel. */
    {"kexec_load", "loads a new kernel to boot into", false},
    {"kexec_file_load", "loads a new kernel to boot into", false},
    /* Host power state: a guest must only ever stop its own VM (QEMU exits, it never reboots
     * the host; --no-reboot is handled inside QEMU). */
    {"reboot", "reboots or halts the host", false},
    /* Host memory management that affects every process. */
    {"swapon", "adds host swap, defeating mlock and leaking guest memory to disk", false},
    {"swapoff", "removes host swap", false},
    /* Mounts: QEMU opens files, it never changes the mount table. */
    {"mount", "changes the host mount table", false},
    {"umount2", "unmounts host file systems", false},
    {"pivot_root", "changes the root file system", false},
    /* The new mount API (Linux 5.2+) reaches the same as mount(2) through file descriptors. */
    {"fsopen", "new mount API: creates a file system context", false},
    {"fsconfig", "new mount API: configures a file system context", false},
    {"fsmount", "new mount API: creates a mount", false},
    {"fspick", "new mount API: reconfigures an existing mount", false},
    {"move_mount", "new mount API: attaches a mount", false},
    {"open_tree", "new mount API: clones a mount tree", false},
    {"mount_setattr", "new mount API: changes mount flags (e.g. drops nosuid/ro)", false},
    /* Other processes: QEMU never debugs or patches another process. */
    {"ptrace", "reads and writes other processes (other VMs, vcrun itself)", false},
    {"process_vm_writev", "writes another process's memory", false},
    {"process_vm_readv", "reads another process's memory (another VM's guest RAM)", false},
    /* Kernel attack surface a VMM has no use for. */
    {"bpf", "loads eBPF programs into the kernel; a frequent exploit vector", false},
    {"perf_event_open", "kernel profiling; leaks kernel addresses, frequent exploit vector", false},
    /* Kernel keyrings: credentials of other users and services live there. */
    {"add_key", "adds keys to kernel keyrings", false},
    {"request_key", "requests keys from kernel keyrings (may run an upcall helper)", false},
    {"keyctl", "reads and manipulates kernel keyrings", false},
    /* Opening files by handle bypasses path-based confinement ("shocker" container escape). */
    {"open_by_handle_at", "opens any file by handle, escaping the mount namespace", false},
    /* Host time: the guest's clock is virtual; setting the host clock breaks the host. */
    {"clock_settime", "sets a host clock", false},
    {"clock_adjtime", "adjusts a host clock", false},
    {"settimeofday", "sets the host wall clock", false},
    {"adjtimex", "adjusts the host clock (NTP discipline)", false},
    {"stime", "sets the host wall clock (32-bit ABIs only)", false},
    /* Process accounting writes a record of every exiting process to a chosen file. */
    {"acct", "switches host process accounting on or off, to any file", false},
    /* Execution domain: ADDR_NO_RANDOMIZE and READ_IMPLIES_EXEC weaken ASLR and NX for what
     * QEMU execs. personality(0xffffffff) only queries and stays allowed. */
    {"personality", "changes the execution domain (disables ASLR/NX); queries allowed", true},
    /* Beyond the list; QEMU 7.2 made none of these calls either: */
    {"syslog", "reads or clears the kernel log (leaks kernel addresses)", false},
    {"iopl", "raw host I/O port access; QEMU emulates ports, never touches the host's", false},
    {"ioperm", "raw host I/O port access; QEMU emulates ports, never touches the host's", false},
    {"unshare", "new namespaces: user namespaces open kernel attack surface; QEMU never uses it",
     false},
    {"setns", "joins other namespaces (other containers'); QEMU never uses it", false},
    {"sethostname", "changes the host name", false},
    {"setdomainname", "changes the host NIS domain name", false},
};

const vc_seccomp_rule *vc_seccomp_deny_list(size_t *n)
{
	if (n)
		*n = sizeof(deny_list) / sizeof(deny_list[0]);
	return deny_list;
}

#!/bin/sh
# vcrun's hypervisor seccomp filter: each denied system call fails with EPERM under it, allowed
# ones still work, and a process exec'd under it shows the filter in /proc/PID/status.
. "$top_srcdir/tests/cli/lib.sh"
PROBE="$top_builddir/tests/helpers/seccomp-probe"

case " $("$VCRUN" version) " in
*" -seccomp"*) echo "built without libseccomp"; exit 77 ;;
esac

# 1. denied calls give EPERM (the probe compares each call before and after the filter)
run "$PROBE" syscalls
printf '%s\n' "$out"
[ "$rc" -eq 77 ] && { echo "too many calls need privileges to be probed: run as root"; exit 77; }
expect_rc 0 "seccomp-probe syscalls"
expect_contains "$out" "ok allowed:"
if [ "$(id -u)" -eq 0 ]; then
	# As root every call reaches the kernel unfiltered: nothing may be inconclusive for the
	# calls whose unfiltered result does not depend on capabilities we could lack in a container.
	for c in reboot mount ptrace bpf keyctl process_vm_writev personality unshare; do
		expect_contains "$out" "ok $c:"
	done
fi

# the probe list must be the library's list: every entry of the list is probed or n/a
run "$PROBE" list
expect_rc 0 "seccomp-probe list"
for c in init_module finit_module delete_module kexec_load kexec_file_load reboot swapon \
	swapoff mount umount2 pivot_root fsopen fsmount move_mount open_tree fsconfig fspick \
	mount_setattr ptrace process_vm_writev bpf perf_event_open add_key request_key keyctl \
	open_by_handle_at clock_settime clock_adjtime settimeofday adjtimex acct personality; do
	printf '%s\n' "$out" | grep -qx "$c" || fail "'$c' is missing from the deny list"
done
for c in seccomp prctl userfaultfd io_uring_setup memfd_create clone3 execve; do
	printf '%s\n' "$out" | grep -qx "$c" && fail "'$c' must stay allowed (QEMU uses it)"
done

# 2. a process exec'd under the filter: Seccomp: 2 (filter mode) and NoNewPrivs: 1
run "$PROBE" exec /bin/cat /proc/self/status
expect_rc 0 "cat /proc/self/status under the filter"
expect_contains "$out" "$(printf 'Seccomp:\t2')"
expect_contains "$out" "$(printf 'NoNewPrivs:\t1')"
# ...and without it the same process shows neither (the test can tell them apart)
run /bin/cat /proc/self/status
case "$out" in *"$(printf 'Seccomp:\t2')"*) echo "note: this test itself runs under a seccomp filter" ;; esac

finish

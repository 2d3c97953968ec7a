#!/bin/sh
# Terminal mode on the mock backend: create --console-socket hands a pty master to the socket
# (received here by tests/helpers/console-recv, as containerd's shim receives it), the mock guest
# talks on it both ways, bad socket paths fail cleanly; and --preserve-fds.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib-lifecycle.sh"

[ -c /dev/ptmx ] && [ -d /dev/pts ] || { echo "no pseudo-terminals here: skipped"; exit 77; }

# fd_of PID N: where fd N of PID points ("" when not open)
fd_of() {
	readlink "/proc/$1/fd/$2" 2>/dev/null
}
# holds PID FILE: some fd of PID points at FILE
holds() {
	local f
	for f in /proc/"$1"/fd/*; do
		[ "$(readlink "$f" 2>/dev/null)" = "$2" ] && return 0
	done
	return 1
}
# no_process_with TEXT: no process has TEXT in its command line
no_process_with() {
	! grep -qsF -- "$1" /proc/[0-9]*/cmdline
}

S="$TMP/pty.sock"

# 1. the master reaches the receiver; output of the mock guest and input to it, both ways
console_receiver "$S" 20 expect:VCRUN-GUEST-READY send:ping-from-host expect:ping-from-host
run V create --console-socket "$S" --pid-file "$TMP/pid" box
expect_rc 0 "create --console-socket"
[ -z "$errout" ] || fail "create printed: $errout"
expect_status box created "after create in terminal mode"
pid=$(cat "$TMP/pid")
run V state box
expect_rc 0 state
[ "$(field "$out" console_socket)" = "$S" ] || fail "state console_socket: $out"
tty=$(field "$out" console_tty)
case "$tty" in
/dev/pts/[0-9]*) ;;
*) fail "state console_tty '$tty'" ;;
esac
# the VM holds the pty slave; nothing of the caller's stdio
holds "$pid" "$tty" || fail "the VM does not hold $tty: $(ls -l /proc/"$pid"/fd/)"
[ "$(fd_of "$pid" 0)" = /dev/null ] || fail "VM stdin is $(fd_of "$pid" 0)"
for n in 1 2; do
	[ "$(fd_of "$pid" $n)" = "$R/box/hypervisor.log" ] || fail "VM fd $n is $(fd_of "$pid" $n)"
done
[ ! -e "$R/box/console.sock" ] || fail "a console socket exists in terminal mode"
# the VM has no master of a pty (vcrun's copies are close-on-exec)
holds "$pid" /dev/ptmx && fail "the VM holds a pty master"

run V start box
expect_rc 0 start
receiver_done
expect_contains "$recv" "name: $tty"
expect_contains "$recv" "tty: $tty"
expect_contains "$recv" "got: VCRUN-GUEST-READY"
expect_contains "$recv" "got: ping-from-host"
# console.log records the terminal's output too
grep -q VCRUN-GUEST-READY "$R/box/console.log" || fail "console.log lacks the guest's output"
grep -q ping-from-host "$R/box/console.log" || fail "console.log lacks the echo"

# vcrun console is refused: the console is the terminal
run V console box
expect_rc 1 "console in terminal mode"
expect_contains "$errout" "its console belongs to the terminal handed to the console socket '$S'"
expect_lines "$errout" 1

# The receiver closed the master: as under runc, the hangup ends the VM (its session's terminal).
wait_for sh -c "! grep -qs . /proc/$pid/cmdline" || fail "the VM survived the terminal's hangup"
expect_status box stopped "after the hangup"
run V delete box
expect_rc 0 "delete"

# 2. bad console sockets: a one-line error, nothing created, no process left
echo plain >"$TMP/plain"
"$top_builddir/tests/helpers/console-recv" --stale "$TMP/stale.sock" || fail "could not make a stale socket"
for case in "$TMP/missing.sock|No such file or directory" "$TMP/plain|is not a socket" \
	"$TMP/stale.sock|Connection refused"; do
	p=${case%%|*}
	why=${case#*|}
	run V create --console-socket "$p" bad
	expect_rc 1 "create --console-socket $p"
	expect_contains "$errout" "console socket '$p'"
	expect_contains "$errout" "$why"
	expect_lines "$errout" 1
	[ ! -e "$R/bad" ] || fail "a sandbox directory is left after a bad console socket $p"
	run V state bad
	expect_rc 1 "state after a bad console socket"
	no_process_with "$R/bad" || fail "a process of 'bad' is left after a bad console socket $p"
done
[ -z "$(ls -A "$R")" ] || fail "the state root is not empty: $(ls -A "$R")"

# 3. --preserve-fds: fds 3 .. 3+N-1 reach the VM process at the same numbers
run V create --preserve-fds 2 fds 3>"$TMP/fd3" 4<"$TMP/plain"
expect_rc 0 "create --preserve-fds 2"
fpid=$(field "$(V state fds)" pid)
[ "$(fd_of "$fpid" 3)" = "$TMP/fd3" ] || fail "VM fd 3 is '$(fd_of "$fpid" 3)', not $TMP/fd3"
[ "$(fd_of "$fpid" 4)" = "$TMP/plain" ] || fail "VM fd 4 is '$(fd_of "$fpid" 4)', not $TMP/plain"
V delete --force fds
# without the flag: not inherited
run V create nofds 3>"$TMP/fd3"
expect_rc 0 "create without --preserve-fds"
npid=$(field "$(V state nofds)" pid)
holds "$npid" "$TMP/fd3" && fail "fd 3 inherited without --preserve-fds"
V delete --force nofds
# bad counts and descriptors: refused before anything exists
for bad in abc -1 "" 1x " 1"; do
	run V create --preserve-fds "$bad" pf
	expect_rc 2 "--preserve-fds '$bad'"
	expect_contains "$errout" "is not a non-negative integer"
	expect_lines "$errout" 1
done
run V create --preserve-fds 1 pf 3>&-
expect_rc 1 "--preserve-fds 1 with fd 3 closed"
expect_contains "$errout" "fd 3 is not open"
expect_lines "$errout" 1
# fd 4 is vcrun's own log file here (close-on-exec), not an inherited one
run V --log "$TMP/vcrun.log" create --preserve-fds 2 pf 3>"$TMP/fd3" 4>&-
expect_rc 1 "--preserve-fds 2 reaching vcrun's own fd"
grep -q "fd 4 is not inherited by vcrun" "$TMP/vcrun.log" || fail "log: $(cat "$TMP/vcrun.log")"
[ ! -e "$R/pf" ] || fail "a sandbox is left after a refused --preserve-fds"
no_process_with "$R/pf" || fail "a process of 'pf' is left"

finish

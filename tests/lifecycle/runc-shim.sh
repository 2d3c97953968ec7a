#!/bin/sh
# Driven exactly as containerd's runc shim drives a runtime: global flags first, JSON log in the
# bundle, the bundle as cwd, a pid file without newline; a failure leaves a "level":"error" line.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib-lifecycle.sh"

B="$TMP/bundle"
mkdir -p "$B"
printf '{"ociVersion":"1.0.2"}\n' >"$B/config.json"
shim() {
	(cd "$B" && "$VCRUN" --root "$R" --log "$B/log.json" --log-format json --hypervisor mock \
		--config "$CFG" "$@")
}

run shim create --bundle "$B" --pid-file "$B/init.pid" --no-pivot --no-new-keyring ctr1
expect_rc 0 "shim create"
[ -z "$out" ] || fail "create printed on stdout: $out"
pid=$(cat "$B/init.pid")
case "$pid" in *[!0-9]*|"") fail "pid file holds '$pid'" ;; esac
[ "$(wc -c <"$B/init.pid")" -eq "${#pid}" ] || fail "pid file has extra bytes"
proc_alive "$pid" || fail "pid $pid is not alive"
run shim start ctr1
expect_rc 0 "shim start"
run shim ps --format json ctr1
expect_rc 0 "shim ps"
[ "$out" = "[$pid]" ] || fail "ps --format json: '$out', expected [$pid]"
run shim kill ctr1 9
expect_rc 0 "shim kill 9"
wait_for sh -c "! grep -q '^[0-9]* ([^)]*) [^ZX]' /proc/$pid/stat 2>/dev/null" || fail "VM alive after kill 9"
run shim kill --all ctr1 9
expect_rc 0 "shim kill --all of a stopped sandbox"
run shim delete ctr1
expect_rc 0 "shim delete"
run shim delete --force ctr1
expect_rc 0 "shim delete --force of a missing sandbox"

# the shim reads create's stdout and stderr pipes until EOF: the VM must keep none of vcrun's
# descriptors (its stdio is /dev/null and the hypervisor log)
run shim create --bundle "$B" ctr3
expect_rc 0 "create ctr3"
p3=$(field "$(shim state ctr3)" pid)
for fd in /proc/"$p3"/fd/*; do
	t=$(readlink "$fd")
	case "$t" in
	"$TMP"/out | "$TMP"/err | pipe:*) fail "VM holds vcrun's descriptor $fd -> $t" ;;
	esac
done
[ "$(readlink /proc/"$p3"/fd/0)" = /dev/null ] || fail "VM stdin is $(readlink /proc/"$p3"/fd/0)"
[ "$(readlink /proc/"$p3"/fd/1)" = "$R/ctr3/hypervisor.log" ] || fail "VM stdout is $(readlink /proc/"$p3"/fd/1)"
shim delete --force ctr3 || fail "delete ctr3"

# every log line is a JSON object
[ -f "$B/log.json" ] || touch "$B/log.json"
if [ -s "$B/log.json" ]; then
	"$top_builddir/tests/helpers/json-check" --lines "$B/log.json" || fail "log.json has non-JSON lines"
fi

# a failure: the last "level":"error" line says what went wrong, nothing on stderr
run shim start ctr1
expect_rc 1 "shim start of a deleted sandbox"
[ -z "$errout" ] || fail "errors went to stderr with --log: $errout"
last=$(grep '"level":"error"' "$B/log.json" | tail -n 1)
expect_contains "$last" "sandbox 'ctr1' does not exist"
"$top_builddir/tests/helpers/json-check" --lines "$B/log.json" || fail "log.json has non-JSON lines"

# create failing inside the hypervisor is reported the same way
run env VCRUN_MOCK_FAIL=create sh -c "cd '$B' && '$VCRUN' --root '$R' --log '$B/log.json' --log-format json --hypervisor mock --config '$CFG' create --bundle '$B' --pid-file '$B/init2.pid' ctr2"
expect_rc 1 "shim create with a failing hypervisor"
last=$(grep '"level":"error"' "$B/log.json" | tail -n 1)
expect_contains "$last" "injected failure of 'create'"
[ -e "$B/init2.pid" ] && fail "a failed create wrote a pid file"

finish

#!/bin/sh
# The logger as containerd's runc shim uses it: --log FILE --log-format json.
. "$(dirname "$0")/lib.sh"

log="$TMP/log.json"
run "$VCRUN" --log "$log" --log-format json frobnicate
expect_rc 2 "unknown command with json log"
[ -s "$log" ] || fail "no log line written to $log"
"$top_builddir/tests/helpers/json-check" --lines "$log" || fail "log is not JSON lines: $(cat "$log")"
last=$(grep '"level":"error"' "$log" | tail -n 1)
expect_contains "$last" '"msg":"unknown command'
expect_contains "$last" '"time":"'
# exactly the three keys, in order
case "$last" in
'{"level":"error","msg":'*',"time":"'*'"}') ;;
*) fail "unexpected JSON log line shape: $last" ;;
esac

run "$VCRUN" --log-format yaml features
expect_rc 2 "bad log format"
expect_contains "$errout" "invalid log format 'yaml'"

run "$VCRUN" --log-level loud features
expect_rc 2 "bad log level"

run "$VCRUN" --log /nonexistent-dir/log.json features
expect_rc 2 "unwritable log"
expect_contains "$errout" "/nonexistent-dir/log.json"

# --debug logs the dispatch at debug level in text form
run "$VCRUN" --debug features
expect_rc 0 "--debug features"
expect_contains "$errout" "vcrun: debug: running command 'features'"

finish

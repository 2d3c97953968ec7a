#!/bin/sh
# `list --live` asks every VM at once (lib/qemu/qmp_many.c): each sandbox still gets its own live
# status, the same one `state` derives, for a mix of created, running, paused, stopped and killed
# VMs, in batches when the descriptor limit is low. (`list` without --live, which wakes no VM:
# mock-list-recorded.sh.)
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib-lifecycle.sh"

B="$TMP/bundle"
mkdir -p "$B"
printf '{"ociVersion":"1.0.2"}\n' >"$B/config.json"

for id in c1 r1 p1 s1 k1; do
	V create --bundle "$B" "$id" >/dev/null || fail "create $id"
done
V start r1 && V start p1 && V pause p1 && V start s1 && V stop s1 || fail "transitions"
kpid=$(field "$(V state k1)" pid)
kill -9 "$kpid"
wait_for sh -c "! kill -0 $kpid 2>/dev/null || grep -q '^State:.Z' /proc/$kpid/status" ||
	fail "killed VM $kpid still there"
# a damaged state file: listed, as stopped
V create --bundle "$B" d1 >/dev/null || fail "create d1"
dpid=$(field "$(V state d1)" pid)
kill -9 "$dpid"
printf '{ not json' >"$R/d1/state.json"

# listed_status ID: the STATUS column of the table
listed_status() {
	printf '%s\n' "$1" | awk -v id="$2" '$1 == id { print $3 }'
}

run V list --live
expect_rc 0 "list --live"
out_list=$out
for pair in c1:created r1:running p1:paused s1:stopped k1:stopped d1:stopped; do
	id=${pair%%:*}
	want=${pair#*:}
	got=$(listed_status "$out_list" "$id")
	[ "$got" = "$want" ] || fail "list: $id is '$got', expected '$want'"
	[ "$id" = d1 ] || expect_status "$id" "$want" "state agrees with list"
done

# JSON: one object per sandbox, pid 0 only when stopped
run V list --live --format json
expect_rc 0 "list --live --format json"
expect_contains "$out" '"id": "p1"'
[ "$(printf '%s\n' "$out" | grep -c '"status": "stopped"')" -eq 3 ] || fail "stopped count: $out"

# Many sandboxes with a low descriptor limit: several batches, each within the limit.
i=0
while [ $i -lt 24 ]; do
	V create --bundle "$B" "m$i" >/dev/null || fail "create m$i"
	i=$((i + 1))
done
V start m3 || fail "start m3"
out=$(ulimit -n 40 && V list --live) || fail "list --live with ulimit -n 40: $out"
[ "$(printf '%s\n' "$out" | awk '$1 ~ /^m[0-9]+$/ && $3 == "created"' | wc -l)" -eq 23 ] ||
	fail "list in batches: $out"
[ "$(listed_status "$out" m3)" = running ] || fail "m3 in batches: $out"
[ "$(listed_status "$out" p1)" = paused ] || fail "p1 in batches: $out"

finish

#!/bin/sh
# vcrun's benchmarks, P1..P5 of the robustness issue, each side by side with its baseline in this
# one invocation (alternating runs, medians), printed as one table. A part whose commands or
# prerequisites are missing prints "not measured: <reason>" instead of a figure.
#   environment: VCRUN, top_srcdir, top_builddir (set by `make bench`), BENCH_RUNS (default 9),
#   BENCH_BOOT_RUNS (default 21: a boot under TCG takes seconds and swings by 10%), BENCH_P2_RUNS
#   (default 61: a P2 pair takes ~1.6 s; single pairs swing by 20%, the median of 20 pairs by
#   several percent, of 80 by about one), BENCH_SETTLE (default
#   0.5: seconds of quiet before each timed P2/P3 run, see p2_p3), BENCH_LIST_N (default 1000),
#   BENCH_PARALLEL (default 64), GUEST_DIR (default $top_builddir/guest), BENCH_PARTS (default
#   "p1 p2_p3 p4 p5": the parts to run).
# Root is needed for runc (P1); the other parts run unprivileged.
set -u
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${VCRUN:=$top_builddir/vcrun}"
runs=${BENCH_RUNS:-9}
boot_runs=${BENCH_BOOT_RUNS:-21}
p2_runs=${BENCH_P2_RUNS:-61}
settle=${BENCH_SETTLE:-0.5}
list_n=${BENCH_LIST_N:-1000}
par_n=${BENCH_PARALLEL:-64}
guest_dir=${GUEST_DIR:-$top_builddir/guest}
btime=$top_builddir/tests/helpers/bench-time
bboot=$top_builddir/tests/helpers/bench-boot
qemu=${QEMU:-qemu-system-x86_64}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vcrun-bench.XXXXXX")
runc_root=$tmp/runc-root
cleanup() {
	if [ -d "$runc_root" ]; then
		runc --root "$runc_root" delete --force vcbench >/dev/null 2>&1
	fi
	for r in "$tmp"/root*; do
		[ -d "$r" ] || continue
		for id in $(list_ids "$r"); do
			"$VCRUN" --root "$r" delete --force "$id" >/dev/null 2>&1
		done
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rows=$tmp/rows
: >"$rows"
# row PART WHAT VALUE BASELINE RATIO TARGET VERDICT
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$rows"; }
not_measured() { row "$1" "$2" "-" "-" "-" "$4" "not measured: $3"; }

median() { # median FILE COLUMN
	awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}
# verdict VALUE OP LIMIT -> met / MISSED
verdict() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
	ok = (op == "<=") ? v <= l : (op == ">=") ? v >= l : (op == "<") ? v < l : 0
	print ok ? "met" : "MISSED" }'; }
ms() { awk -v n="$1" 'BEGIN { printf "%.2f ms", n / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }
# pair_ratio FILE: the median of the per-pair ratios, column 1 / column 2 (pairs run back to
# back share the machine's state of the moment, which a ratio of the two medians does not)
pair_ratio() {
	awk '$1 > 0 && $2 > 0 { printf "%.6f\n", $1 / $2 }' "$1" | sort -n |
		awk '{ v[NR] = $1 } END { if (NR) printf "%.3f", v[int((NR + 1) / 2)] }'
}

# list_ids ROOT: the ids `list` shows (runc's `list -q`, else the table's first column)
list_ids() {
	"$VCRUN" --root "$1" list --quiet 2>/dev/null ||
		"$VCRUN" --root "$1" list 2>/dev/null | awk 'NR > 1 && NF { print $1 }'
}

# procs_under DIR: the number of processes whose command line mentions DIR
procs_under() {
	n=0
	for f in /proc/[0-9]*/cmdline; do
		tr '\0' ' ' 2>/dev/null <"$f" | grep -qF "$1" && n=$((n + 1))
	done
	echo "$n"
}

has_command() { "$VCRUN" help "$1" >/dev/null 2>&1; }

for p in "$btime" "$bboot"; do
	[ -x "$p" ] || { echo "bench: $p not built (make check_PROGRAMS)" >&2; exit 1; }
done

# ---- a mock sandbox, the bundle both runtimes use --------------------------------------------
bundle=$tmp/bundle
mkdir -p "$bundle/rootfs/bin"
busybox=$(command -v busybox || true)
if [ -n "$busybox" ] && [ -x "$busybox" ]; then
	cp "$busybox" "$bundle/rootfs/bin/busybox"
	ln -s busybox "$bundle/rootfs/bin/sh"
	ln -s busybox "$bundle/rootfs/bin/sleep"
fi
have_runc_bundle=no
if command -v runc >/dev/null 2>&1 && [ -n "$busybox" ] && (cd "$bundle" && runc spec) 2>/dev/null; then
	# no terminal (no console socket needed), a process that stays up
	sed -i -e 's/"terminal": true/"terminal": false/' \
		-e 's/^\(\s*\)"sh"$/\1"sleep", "3600"/' "$bundle/config.json"
	have_runc_bundle=yes
else
	printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"args":["sleep","3600"],"cwd":"/"}}\n' \
		>"$bundle/config.json"
fi

mock_root=$tmp/root-mock
# The lifecycle tests' mock configuration (names no file it opens).
mock_cfg=$top_srcdir/tests/lifecycle/mock.yaml
export VCRUN_HOST_CPUS=${VCRUN_HOST_CPUS:-8}
vc_mock() { "$VCRUN" --root "$mock_root" --hypervisor mock --config "$mock_cfg" "$@"; }

# ---- P1: per-invocation cost, vcrun state vs runc state; peak RSS of state and create --------
p1() {
	if ! has_command state || ! has_command create; then
		not_measured P1 "vcrun state vs runc state" "no 'state'/'create' command in this vcrun" "<= 0.25x"
		not_measured P1 "peak RSS of state / create" "no 'state'/'create' command in this vcrun" "<= 4 MiB"
		return
	fi
	if ! vc_mock create --bundle "$bundle" vcbench >"$tmp/p1.err" 2>&1; then
		not_measured P1 "vcrun state vs runc state" "mock create failed: $(head -n 1 "$tmp/p1.err")" "<= 0.25x"
		return
	fi
	local have_runc=no
	if [ "$have_runc_bundle" = yes ] && [ "$(id -u)" -eq 0 ] &&
		runc --root "$runc_root" create --bundle "$bundle" vcbench >"$tmp/runc.err" 2>&1; then
		have_runc=yes
	fi
	: >"$tmp/vs.t"
	: >"$tmp/rs.t"
	: >"$tmp/true.t"
	local i=0
	while [ "$i" -lt "$runs" ]; do
		"$btime" -o "$tmp/vs.t" "$VCRUN" --root "$mock_root" state vcbench ||
			{ echo "bench: vcrun state failed" >&2; break; }
		[ "$have_runc" = yes ] && "$btime" -o "$tmp/rs.t" runc --root "$runc_root" state vcbench
		# the floor: what starting any dynamically linked process costs here
		"$btime" -o "$tmp/true.t" /bin/true
		i=$((i + 1))
	done
	local vw vc rw rc_ vrss
	vw=$(median "$tmp/vs.t" 1)
	vc=$(median "$tmp/vs.t" 2)
	vrss=$(awk '$3 > m { m = $3 } END { print m + 0 }' "$tmp/vs.t")
	if [ "$have_runc" = yes ]; then
		rw=$(median "$tmp/rs.t" 1)
		rc_=$(median "$tmp/rs.t" 2)
		local r
		r=$(ratio "$vw" "$rw")
		row P1 "state: vcrun (mock) vs runc, wall" "$(ms "$vw")" "$(ms "$rw")" "${r}x" "<= 0.25x" "$(verdict "$r" "<=" 0.25)"
		r=$(ratio "$vc" "$rc_")
		row P1 "state: vcrun (mock) vs runc, CPU" "$(ms "$vc")" "$(ms "$rc_")" "${r}x" "<= 0.25x" "$(verdict "$r" "<=" 0.25)"
	else
		not_measured P1 "state: vcrun vs runc" "runc container not created ($(head -n 1 "$tmp/runc.err" 2>/dev/null || echo "needs root and busybox-static"))" "<= 0.25x"
	fi
	local tw tc
	tw=$(median "$tmp/true.t" 1)
	tc=$(median "$tmp/true.t" 2)
	row P1 "state: vcrun (mock) vs /bin/true (process floor), wall" "$(ms "$vw")" "$(ms "$tw")" "$(ratio "$vw" "$tw")x" "(context)" "-"
	row P1 "state: vcrun (mock) vs /bin/true (process floor), CPU" "$(ms "$vc")" "$(ms "$tc")" "$(ratio "$vc" "$tc")x" "(context)" "-"
	row P1 "peak RSS: vcrun state" "$vrss KiB" "" "" "<= 4096 KiB" "$(verdict "$vrss" "<=" 4096)"

	# create: a new id each run, deleted between runs (the deletes are not timed)
	: >"$tmp/vcr.t"
	i=0
	while [ "$i" -lt "$runs" ]; do
		"$btime" -o "$tmp/vcr.t" "$VCRUN" --root "$mock_root" --hypervisor mock --config "$mock_cfg" create \
			--bundle "$bundle" "vcrss$i" || { echo "bench: vcrun create failed" >&2; break; }
		vc_mock delete --force "vcrss$i" >/dev/null 2>&1
		i=$((i + 1))
	done
	local crss cw
	crss=$(awk '$3 > m { m = $3 } END { print m + 0 }' "$tmp/vcr.t")
	cw=$(median "$tmp/vcr.t" 1)
	row P1 "peak RSS: vcrun create (mock)" "$crss KiB" "" "" "<= 4096 KiB" "$(verdict "$crss" "<=" 4096)"
	row P1 "create (mock), wall (for reference)" "$(ms "$cw")" "" "" "" "-"
	vc_mock delete --force vcbench >/dev/null 2>&1
	[ "$have_runc" = yes ] && runc --root "$runc_root" delete --force vcbench >/dev/null 2>&1
}

# ---- P2 / P3: the real QEMU with the test guest ---------------------------------------------
qemu_config=$tmp/qemu.toml
write_qemu_config() {
	cat >"$qemu_config" <<EOF
[hypervisor.qemu]
path = "$(command -v "$qemu")"
kernel = "$guest_dir/vmlinuz"
initrd = "$guest_dir/initramfs.img"
machine_type = "q35"
default_vcpus = 1
default_memory = 256
EOF
}

# hand_argv ROOT ID: sets "$@"-ready words of the QEMU argv vcrun would run into $tmp/argv.sh
hand_argv() {
	mkdir -p "$1/$2" && chmod 700 "$1" "$1/$2"
	local line
	line=$("$VCRUN" --root "$1" --config "$qemu_config" --hypervisor qemu qemu-args "$2" 2>"$tmp/qa.err") ||
		return 1
	printf '%s\n' "$line" >"$tmp/argv.line"
}

p2_p3() {
	local why=
	has_command create || why="no 'create' command in this vcrun"
	[ -z "$why" ] && ! has_command qemu-args && why="no 'qemu-args' command in this vcrun"
	[ -z "$why" ] && [ ! -f "$guest_dir/vmlinuz" ] && why="no test guest in $guest_dir (make guest)"
	[ -z "$why" ] && ! command -v "$qemu" >/dev/null 2>&1 && why="no $qemu"
	if [ -n "$why" ]; then
		not_measured P2 "create+start to running vs QEMU by hand + cont" "$why" "<= 1.05x"
		not_measured P3 "run to guest marker vs QEMU by hand" "$why" "<= 1.02x"
		return
	fi
	write_qemu_config
	local vroot=$tmp/root-qemu hroot=$tmp/root-hand
	if ! hand_argv "$hroot" vchand; then
		not_measured P2 "create+start to running vs QEMU by hand + cont" "qemu-args failed: $(head -n 1 "$tmp/qa.err")" "<= 1.05x"
		not_measured P3 "run to guest marker vs QEMU by hand" "qemu-args failed" "<= 1.02x"
		return
	fi
	# The argv line is shell-quoted by vcrun qemu-args; eval only turns it back into words.
	eval "set -- $(cat "$tmp/argv.line")"
	# P2's clock runs from the first spawn until QMP has confirmed the resume: for vcrun, until
	# `start` exits (it returns once QMP answered its `cont`), checked afterwards (untimed) by
	# a query-status on a new session; by hand, until QMP answered `cont`, then checked the
	# same way on that session. Every command is started with posix_spawn (bench-boot).
	# Each timed run (P2 and P3) comes after $settle s of quiet: on these VMs a QEMU started
	# right after another VM was torn down sometimes takes 30-40 ms longer to start up (likely
	# the freed memory on its way back to the host), whichever side it is; without the pause a
	# third of the runs of either side did. The ratio is the median of the per-pair ratios.
	: >"$tmp/p2.t"
	local i=0 t v h
	while [ "$i" -lt "$p2_runs" ]; do
		v=
		sleep "$settle"
		if t=$("$bboot" --timeout 60000 --verify-running "$vroot/vcp2/qmp.sock" \
			"$VCRUN" --root "$vroot" --config "$qemu_config" --hypervisor qemu create --bundle "$bundle" vcp2 \
			--then "$VCRUN" --root "$vroot" start vcp2 2>"$tmp/p2.err"); then
			v=$t
		else
			echo "bench: P2 vcrun: $(cat "$tmp/p2.err")" >&2
		fi
		"$VCRUN" --root "$vroot" delete --force vcp2 >/dev/null 2>&1
		rm -f "$hroot/vchand/"*.sock
		sleep "$settle"
		if t=$("$bboot" --timeout 60000 --bg --cont "$hroot/vchand/qmp.sock" --quit --reap 5000 \
			"$@" 2>"$tmp/p2.err"); then
			[ -n "$v" ] && echo "$v $t" >>"$tmp/p2.t"
		else
			echo "bench: P2 by hand: $(cat "$tmp/p2.err")" >&2
		fi
		i=$((i + 1))
	done
	local r
	v=$(median "$tmp/p2.t" 1)
	h=$(median "$tmp/p2.t" 2)
	if [ -n "$v" ] && [ -n "$h" ]; then
		r=$(pair_ratio "$tmp/p2.t")
		row P2 "create+start to running vs QEMU -S by hand + cont" "$v ms" "$h ms" "${r}x" "<= 1.05x" "$(verdict "$r" "<=" 1.05)"
	else
		not_measured P2 "create+start to running vs QEMU by hand + cont" "runs failed (see above)" "<= 1.05x"
	fi

	: >"$tmp/p3.t"
	i=0
	while [ "$i" -lt "$boot_runs" ]; do
		v=
		sleep "$settle"
		if t=$("$bboot" --timeout 120000 --bg --reap 60000 --marker VCRUN-GUEST-READY \
			--file "$vroot/vcp3/console.log" \
			"$VCRUN" --root "$vroot" --config "$qemu_config" --hypervisor qemu run --bundle "$bundle" vcp3 \
			2>"$tmp/p3.err"); then
			v=$t
		else
			echo "bench: P3 vcrun: $(cat "$tmp/p3.err")" >&2
		fi
		"$VCRUN" --root "$vroot" delete --force vcp3 >/dev/null 2>&1
		rm -f "$hroot/vchand/"*.sock "$hroot/vchand/console.log"
		sleep "$settle"
		if t=$("$bboot" --timeout 120000 --bg --cont "$hroot/vchand/qmp.sock" --reap 60000 \
			--marker VCRUN-GUEST-READY --file "$hroot/vchand/console.log" "$@" 2>"$tmp/p3.err"); then
			[ -n "$v" ] && echo "$v $t" >>"$tmp/p3.t"
		else
			echo "bench: P3 by hand: $(cat "$tmp/p3.err")" >&2
		fi
		i=$((i + 1))
	done
	v=$(median "$tmp/p3.t" 1)
	h=$(median "$tmp/p3.t" 2)
	if [ -n "$v" ] && [ -n "$h" ]; then
		r=$(pair_ratio "$tmp/p3.t")
		row P3 "run to VCRUN-GUEST-READY vs QEMU by hand" "$v ms" "$h ms" "${r}x" "<= 1.02x" "$(verdict "$r" "<=" 1.02)"
	else
		not_measured P3 "run to guest marker vs QEMU by hand" "runs failed (see above)" "<= 1.02x"
	fi
}

# ---- P4: TOML decode vs tomllib; config load + validate + argv build ------------------------
p4() {
	if [ -x "$top_builddir/tests/toml-decoder" ]; then
		top_builddir=$top_builddir $SHELL "$top_srcdir/tests/bench/toml-bench.sh" "$runs" >"$tmp/toml.out" 2>&1
		local rc=$?
		local r
		# (toml-bench.sh's first "speed:", "decoding" and "memory:" lines are the decoder's.)
		r=$(sed -n 's/^  speed: *\([0-9.]*\)x tomllib in CPU time.*/\1/p' "$tmp/toml.out" | head -n 1)
		if [ "$rc" -eq 0 ] && [ -n "$r" ]; then
			local c p m
			c=$(awk '/^  decoding the document/ { print $5; exit }' "$tmp/toml.out")
			p=$(sed -n 's/^python tomllib: .* ms wall, \([0-9.]*\) ms cpu.*/\1/p' "$tmp/toml.out")
			row P4 "TOML decode 1 MiB to tagged JSON vs tomllib, CPU" "$c ms" "$p ms" "${r}x faster" ">= 50x" "$(verdict "$r" ">=" 50)"
			m=$(sed -n 's/^  memory: peak RSS .* = \([0-9.]*\)x the document.*/\1/p' "$tmp/toml.out" | head -n 1)
			[ -z "$m" ] || row P4 "TOML decode 1 MiB: peak RSS above the empty-document baseline" "${m}x the document" "" "" "<= 4x" "$(verdict "$m" "<=" 4)"
		else
			not_measured P4 "TOML decode vs tomllib" "toml-bench.sh: $(tail -n 1 "$tmp/toml.out")" ">= 50x"
		fi
	else
		not_measured P4 "TOML decode vs tomllib" "tests/toml-decoder not built" ">= 50x"
	fi
	local cb=$top_builddir/tests/bench/config-bench
	if [ -x "$cb" ]; then
		if "$cb" "$runs" >"$tmp/cb.out" 2>"$tmp/cb.err"; then
			local per base
			per=$(awk '/^per-load-ns/ { print $2 }' "$tmp/cb.out")
			base=$(awk '/^per-parse-ns/ { print $2 }' "$tmp/cb.out")
			row P4 "config load+validate+argv build (shipped config), per call" "$(ms "$per")" "$(ms "$base") (TOML parse alone)" "" "< 1 ms" "$(verdict "$per" "<" 1000000)"
		else
			not_measured P4 "config load+validate+argv build" "config-bench: $(head -n 1 "$tmp/cb.err")" "< 1 ms"
		fi
	else
		not_measured P4 "config load+validate+argv build" "tests/bench/config-bench not built (needs the config loader and argv builder)" "< 1 ms"
	fi
}

# ---- P5: list with many sandboxes; parallel create/delete -----------------------------------
p5() {
	if ! has_command list || ! has_command create || ! has_command delete; then
		not_measured P5 "list with $list_n mock sandboxes" "no 'list'/'create'/'delete' command in this vcrun" "< 50 ms"
		not_measured P5 "$par_n parallel create/delete" "no 'create'/'delete' command in this vcrun" "all accounted for"
		return
	fi
	local root=$tmp/root-list i=0 failed=0
	while [ "$i" -lt "$list_n" ]; do
		"$VCRUN" --root "$root" --hypervisor mock --config "$mock_cfg" create --bundle "$bundle" "l$i" >/dev/null 2>&1 ||
			failed=$((failed + 1))
		i=$((i + 1))
	done
	if [ "$failed" -ne 0 ]; then
		not_measured P5 "list with $list_n mock sandboxes" "$failed of $list_n creates failed" "< 50 ms"
	else
		local empty=$tmp/root-empty n
		mkdir -p "$empty" && chmod 700 "$empty"
		n=$(list_ids "$root" | wc -l)
		# list --live (where this vcrun has it) asks every VM over QMP, as list did before
		# statuses were recorded: measured alongside, for reference.
		local live=no
		"$VCRUN" help list 2>/dev/null | grep -q -- --live && live=yes
		: >"$tmp/l.t"
		: >"$tmp/l0.t"
		: >"$tmp/ll.t"
		i=0
		while [ "$i" -lt "$runs" ]; do
			"$btime" -o "$tmp/l.t" "$VCRUN" --root "$root" list
			"$btime" -o "$tmp/l0.t" "$VCRUN" --root "$empty" list
			[ "$live" = yes ] && "$btime" -o "$tmp/ll.t" "$VCRUN" --root "$root" list --live
			i=$((i + 1))
		done
		local lw l0 ll
		lw=$(median "$tmp/l.t" 1)
		l0=$(median "$tmp/l0.t" 1)
		row P5 "list, $n mock sandboxes (VMs up) vs empty root" "$(ms "$lw")" "$(ms "$l0")" "$(ratio "$lw" "$l0")x" "< 50 ms" "$(verdict "$lw" "<" 50000000)"
		if [ "$live" = yes ]; then
			ll=$(median "$tmp/ll.t" 1)
			row P5 "list --live (asks every VM), same sandboxes vs empty root" "$(ms "$ll")" "$(ms "$l0")" "$(ratio "$ll" "$l0")x" "" "-"
		fi
	fi
	i=0
	while [ "$i" -lt "$list_n" ]; do
		"$VCRUN" --root "$root" delete --force "l$i" >/dev/null 2>&1
		i=$((i + 1))
	done

	# N parallel create+delete cycles, then count: every create either succeeded and its delete
	# removed it, and no sandbox directory and no mock VM process is left behind.
	root=$tmp/root-par
	local t0 t1 pids=
	t0=$(date +%s%N)
	i=0
	while [ "$i" -lt "$par_n" ]; do
		(
			"$VCRUN" --root "$root" --hypervisor mock --config "$mock_cfg" create --bundle "$bundle" "p$i" >/dev/null 2>"$tmp/par.$i.err" &&
				echo ok >"$tmp/par.$i.created"
			"$VCRUN" --root "$root" delete --force "p$i" >/dev/null 2>>"$tmp/par.$i.err" &&
				echo ok >"$tmp/par.$i.deleted"
		) &
		pids="$pids $!"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	wait $pids
	t1=$(date +%s%N)
	local created deleted left procs
	created=$(ls "$tmp"/par.*.created 2>/dev/null | wc -l)
	deleted=$(ls "$tmp"/par.*.deleted 2>/dev/null | wc -l)
	left=$(list_ids "$root" | wc -l)
	procs=$(procs_under "$root/")
	local ok=MISSED
	[ "$created" -eq "$par_n" ] && [ "$deleted" -eq "$par_n" ] && [ "$left" -eq 0 ] && [ "$procs" -eq 0 ] && ok=met
	row P5 "$par_n parallel create+delete: created/deleted/left/procs" "$created/$deleted/$left/$procs" "" "$(ms $((t1 - t0))) total" "all accounted for" "$ok"
}

for part in ${BENCH_PARTS:-p1 p2_p3 p4 p5}; do
	case $part in
	p1 | p2_p3 | p4 | p5) "$part" ;;
	*) echo "bench: unknown part '$part' in BENCH_PARTS (p1 p2_p3 p4 p5)" >&2 && exit 2 ;;
	esac
done

load=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
echo "vcrun benchmarks — $(date -u +%Y-%m-%dT%H:%MZ); nproc $(nproc); load average $load; $cpu"
echo "medians of $runs alternating runs (P2: $p2_runs, boots: $boot_runs); ratio = vcrun / baseline"
echo "(P2, P3: vcrun and baseline columns are medians, the ratio the median of the per-pair ratios)"
awk -F'\t' 'BEGIN { printf "%-4s %-58s %-22s %-26s %-14s %-18s %s\n", "part", "measure", "vcrun", "baseline", "ratio", "target", "verdict" }
	{ printf "%-4s %-58s %-22s %-26s %-14s %-18s %s\n", $1, $2, $3, $4, $5, $6, $7 }' "$rows"

#!/bin/sh
# TOML decoder benchmark: generates a ~1 MiB realistic document (tables, arrays of tables,
# strings of every kind, numbers, inline tables, dates), then decodes it to toml-test's tagged
# JSON with tests/toml-decoder and with Python's tomllib doing the same work (decode + print the
# same tagged JSON), alternating runs, and prints the median CPU and wall times, throughputs,
# their ratio, the decoder's instruction count (callgrind), the size of its tree and its peak RSS
# against the document. BASELINE_DECODER names a second build of tests/toml-decoder (e.g. one of
# an older commit) to measure in the same alternating runs, for a before/after comparison.
#   usage: toml-bench.sh [RUNS] [SIZE_KIB]
#   environment: DECODER, BASELINE_DECODER, PYTHON, BENCH_CALLGRIND
set -eu
runs=${1:-7}
size_kib=${2:-1024}
: "${top_builddir:=$(pwd)}"
decoder=${DECODER:-$top_builddir/tests/toml-decoder}
python=${PYTHON:-python3}
# Time the interpreter itself, not a version-manager shim (pyenv's costs more than the decoder).
python=$("$python" -c 'import sys; print(sys.executable)' 2>/dev/null || echo "$python")
base=${BASELINE_DECODER:-}
if [ ! -x "$decoder" ]; then
	echo "toml-bench: $decoder not built (make tests/toml-decoder)" >&2
	exit 77
fi
if [ -n "$base" ] && [ ! -x "$base" ]; then
	echo "toml-bench: BASELINE_DECODER=$base is not an executable" >&2
	exit 1
fi
if ! "$python" -c 'import tomllib' 2>/dev/null; then
	echo "toml-bench: $python has no tomllib (Python >= 3.11 needed)" >&2
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/toml-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
doc=$tmp/doc.toml

# The generator: deterministic, so every run measures the same bytes.
"$python" - "$doc" "$size_kib" <<'PY'
import random, sys
path, kib = sys.argv[1], int(sys.argv[2])
rnd = random.Random(42)
words = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike "
         "november oscar papa quebec romeo sierra tango uniform victor whiskey xray").split()
def w(n=3): return " ".join(rnd.choice(words) for _ in range(n))
out = ['# generated benchmark document', 'title = "vcrun benchmark"', 'version = 3',
       'created = 2026-11-30T03:25:20Z', '',
       '[owner]', 'name = "Benchmark Operator"', "home = 'C:\\Users\\bench'",
       'dob = 1979-05-27T07:32:00-08:00', '']
size = 0
i = 0
while size < kib * 1024:
    i += 1
    blk = [f'[[servers]]',
           f'name = "srv-{i:05d}"',
           f'description = "{w(6)} \\u00e9\\t{i}"',
           f"path = '/var/lib/vcrun/{rnd.choice(words)}/{i}'",
           f'ip = "10.{i % 256}.{rnd.randrange(256)}.{rnd.randrange(256)}"',
           f'ports = [ {rnd.randrange(1, 65535)}, {rnd.randrange(1, 65535)}, {rnd.randrange(1, 65535)} ]',
           f'weight = {rnd.random() * 100:.6f}',
           f'ratio = {rnd.uniform(-1, 1):.3e}',
           f'limit = {rnd.randrange(1 << 40):_}',
           f'mask = 0x{rnd.randrange(1 << 32):08x}',
           f'enabled = {"true" if i % 3 else "false"}',
           f'started = 2026-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}.{i % 1000:03d}+02:00',
           f'backup_day = 2026-{1 + i % 12:02d}-{1 + i % 28:02d}',
           f'backup_at = {i % 24:02d}:30:00',
           f'owner = {{ name = "{rnd.choice(words)}", uid = {1000 + i}, groups = ["wheel", "kvm"] }}',
           f'tags = [ "{rnd.choice(words)}", "{rnd.choice(words)}", # trailing comment',
           f'         "{rnd.choice(words)}" ]',
           '',
           f'[servers.limits]',
           f'cpu = {rnd.randrange(1, 64)}',
           f'memory = "{rnd.randrange(1, 512)}G"',
           f'io.read_bps = {rnd.randrange(1 << 30)}',
           f'io.write_bps = {rnd.randrange(1 << 30)}',
           '']
    if i % 5 == 0:
        blk += ['[[servers.disks]]', f'id = "disk{i}"', f'size = {rnd.randrange(1, 1 << 20)}',
                'notes = """', f'{w(8)}', f'{w(5)} \\', f'    {w(3)}"""', '']
    text = "\n".join(blk) + "\n"
    out.append(text)
    size += len(text)
open(path, "w").write("\n".join(out))
PY

# tomllib doing the decoder's job: decode, convert to tagged JSON, print it.
py_decode='
import json, math, sys, tomllib, datetime as dt
def tag(v):
    if isinstance(v, dict): return {k: tag(x) for k, x in v.items()}
    if isinstance(v, list): return [tag(x) for x in v]
    if isinstance(v, bool): return {"type": "bool", "value": "true" if v else "false"}
    if isinstance(v, int): return {"type": "integer", "value": str(v)}
    if isinstance(v, float):
        s = "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
        return {"type": "float", "value": s}
    if isinstance(v, str): return {"type": "string", "value": v}
    if isinstance(v, dt.datetime):
        return {"type": "datetime" if v.tzinfo else "datetime-local", "value": v.isoformat()}
    if isinstance(v, dt.date): return {"type": "date-local", "value": v.isoformat()}
    if isinstance(v, dt.time): return {"type": "time-local", "value": v.isoformat()}
    raise TypeError(type(v))
sys.stdout.write(json.dumps(tag(tomllib.loads(sys.stdin.buffer.read().decode())), separators=(",", ":")))
sys.stdout.write("\n")
'

bytes=$(wc -c <"$doc")

# Both must agree on the values before their speed means anything.
"$python" -c "$py_decode" <"$doc" >"$tmp/py.json"
for d in "$decoder" $base; do
	"$d" <"$doc" >"$tmp/c.json"
	if [ -x "$top_builddir/tests/toml/toml-compare" ]; then
		"$top_builddir/tests/toml/toml-compare" "$tmp/py.json" "$tmp/c.json" ||
			{ echo "toml-bench: $d and tomllib disagree" >&2; exit 1; }
	fi
done

# The runs are timed by a small Python harness that starts each process itself and reads its
# resource usage with wait4(): CPU time (user + system, in microseconds; GNU time's centiseconds
# are too coarse for a run of a few of them), wall time and minor page faults. The programs
# alternate (decoder, baseline decoder if any, tomllib), so that load from other processes hits
# them alike. On a loaded machine the wall clock mostly measures the neighbours: the ratio is
# judged on CPU time. Results: one line per program, "name wall cpu faults" (medians).
"$python" - "$doc" "$runs" "$tmp/results" "$python" "$py_decode" "$decoder" $base <<'PY'
import os, statistics, sys, time
doc, runs, out, python, py_decode = sys.argv[1:6]
decoders = sys.argv[6:]
def run(argv, path):
    fd_in = os.open(path, os.O_RDONLY)
    fd_out = os.open(os.devnull, os.O_WRONLY)
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=[
        (os.POSIX_SPAWN_DUP2, fd_in, 0), (os.POSIX_SPAWN_DUP2, fd_out, 1)])
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter_ns() - t0
    os.close(fd_in)
    os.close(fd_out)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"toml-bench: {argv[0]} failed")
    # (ru_maxrss is not used: a spawned child's peak includes the RSS of the Python process it
    # was spawned from, before exec; peak RSS is measured below with GNU time instead.)
    return wall / 1e6, (ru.ru_utime + ru.ru_stime) * 1e3, ru.ru_minflt
progs = [("c", [decoders[0]]), ("py", [python, "-c", py_decode])]
if len(decoders) > 1:
    progs.insert(1, ("base", [decoders[1]]))
rows = {name: [] for name, _ in progs}
for _ in range(int(runs)):
    for name, argv in progs:
        rows[name].append(run(argv, doc))
for i, d in enumerate(decoders):
    name = "empty" if i == 0 else "base_empty"
    rows[name] = [run([d], os.devnull) for _ in range(5)]
with open(out, "w") as f:
    for name, r in rows.items():
        print(name, *(statistics.median(x[k] for x in r) for k in range(3)), file=f)
PY
field() { # field NAME COLUMN(2=wall 3=cpu 4=faults)
	awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$tmp/results"
}

# Peak RSS with GNU time (whose own RSS, which a child inherits until exec, is a few hundred
# KiB, below the decoder's): median of three runs on the document and on an empty document.
peak() { # peak DECODER INPUT
	[ -x /usr/bin/time ] || return 0
	for _ in 1 2 3; do
		/usr/bin/time -f '%M' -o "$tmp/rss" "$1" <"$2" >/dev/null
		tail -n 1 "$tmp/rss"
	done | sort -n | sed -n 2p
}

# Instructions executed (callgrind): the repeatable measure on a shared machine.
# BENCH_CALLGRIND=0 skips it.
instructions() { # instructions DECODER
	if [ "${BENCH_CALLGRIND:-1}" != 0 ] && command -v valgrind >/dev/null 2>&1 &&
		valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$1" <"$doc" \
			>/dev/null 2>"$tmp/cg.err"; then
		sed -n 's/.*I *refs: *//p' "$tmp/cg.err" | tr -d ,
	fi
}

# The size of the decoded tree (the arena bytes the decoder allocated), where the decoder can
# tell (--stats).
tree_bytes() { # tree_bytes DECODER
	"$1" --stats <"$doc" 2>&1 >/dev/null | sed -n 's/.*tree \([0-9]*\) bytes.*/\1/p'
}

bytes=$(wc -c <"$doc")
echo "document:        $bytes bytes; median of $runs alternating runs each"
echo "python:          $python"
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)
[ -z "$load" ] || echo "machine load:    $load (1/5/15 min) on $(nproc 2>/dev/null || echo '?') CPUs"
# The decoder asks for transparent huge pages for the tree of a large document (doc.c).
thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || true)
[ -z "$thp" ] || echo "huge pages:      $thp"

# report LABEL NAME EMPTY-NAME DECODER: the figures of one decoder.
report() {
	awk -v label="$1" -v b="$bytes" -v cw="$(field "$2" 2)" -v cc="$(field "$2" 3)" \
		-v cf="$(field "$2" 4)" -v ec="$(field "$3" 3)" -v ef="$(field "$3" 4)" \
		-v pw="$(field py 2)" -v pc="$(field py 3)" -v ir="$(instructions "$4")" \
		-v tree="$(tree_bytes "$4")" -v r="$(peak "$4" "$doc")" \
		-v base="$(peak "$4" /dev/null)" 'BEGIN {
	mib = b / 1048576
	printf "\n%s\n", label
	printf "  %-28s %10s %10s %12s %12s\n", "", "wall ms", "cpu ms", "MiB/s (cpu)", "page faults"
	printf "  %-28s %10.1f %10.2f %12.1f %12d\n", "decoding the document", cw, cc, mib / (cc / 1e3), cf
	printf "  %-28s %10s %10.2f %12s %12d\n", "empty document (start-up)", "-", ec, "-", ef
	printf "  speed:  %.1fx tomllib in CPU time (target >= 50x), %.1fx in wall time\n", pc / cc, pw / cw
	if (ir != "")
		printf "          %.1f M instructions (callgrind; %.0f per byte)\n", ir / 1e6, ir / b
	if (r == "") {
		printf "  memory: peak RSS not measured (no GNU time at /usr/bin/time)\n"
	} else {
		printf "  memory: peak RSS %d KiB above the empty-document baseline of %d KiB = %.2fx the document (target <= 4x)\n", r - base, base, (r - base) * 1024 / b
		printf "          peak RSS %d KiB in total = %.2fx the document\n", r, r * 1024 / b
	}
	if (tree != "")
		printf "          tree: %d KiB in the arena = %.2fx the document\n", tree / 1024, tree / b
}'
}

awk -v pw="$(field py 2)" -v pc="$(field py 3)" -v b="$bytes" 'BEGIN {
	printf "\npython tomllib:  %.1f ms wall, %.2f ms cpu, %.2f MiB/s (cpu)\n", pw, pc, b / 1048576 / (pc / 1e3)
}'
report "toml-decoder ($decoder):" c empty "$decoder"
[ -z "$base" ] || report "baseline decoder ($base):" base base_empty "$base"

# "Peak memory" is the peak resident set size (ru_maxrss) of the decoder process while it
# decodes the document and prints it: the input, the tree, the output buffer. It is
# reported two ways: the total, and the total minus the same binary's peak on an empty document
# (the process's fixed cost: libc, stdio, the binary; none of it grows with the document). The
# target (<= 4x the document) is judged on the second, the memory the document itself costs.
# The tree of a large document is built in one arena reservation (doc.c) whose first 2 MiB are a
# transparent huge page (one page fault instead of 512; a 4 KiB fault costs ~10 us on this
# nested VM) and whose next 2 MiB are 4 KiB pages faulted in 64 KiB ahead of use, so that a tree
# ending a little past 2 MiB is resident to about its own size, not to 4 MiB. The decoder
# reads the input into the same arena and the parser hands each part of it back to the tree
# once parsed (vc_toml_parse_input), so input and tree together take about the tree's size:
# 16-byte nodes, 24-byte entries, string bytes behind their nodes, lengths in vector headers
# (doc.h), about 2.41x the document for the generated one. What is left above the tree is the
# 64 KiB output buffer and the decoder code that an empty document never runs.

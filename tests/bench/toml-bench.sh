#!/bin/sh
# TOML decoder benchmark: generates a ~1 MiB realistic document (tables, arrays of tables,
# strings of every kind, numbers, inline tables, dates), then decodes it to toml-test's tagged
# JSON with tests/toml-decoder and with Python's tomllib doing the same work (decode + print the
# same tagged JSON), alternating runs, and prints the median CPU and wall times, throughputs,
# their ratio, the decoder's instruction count (callgrind) and its peak RSS against the document.
#   usage: toml-bench.sh [RUNS] [SIZE_KIB]    (environment: DECODER, PYTHON, BENCH_CALLGRIND)
set -eu
runs=${1:-7}
size_kib=${2:-1024}
: "${top_builddir:=$(pwd)}"
decoder=${DECODER:-$top_builddir/tests/toml-decoder}
python=${PYTHON:-python3}
# Time the interpreter itself, not a version-manager shim (pyenv's costs more than the decoder).
python=$("$python" -c 'import sys; print(sys.executable)' 2>/dev/null || echo "$python")
if [ ! -x "$decoder" ]; then
	echo "toml-bench: $decoder not built (make tests/toml-decoder)" >&2
	exit 77
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
"$decoder" <"$doc" >"$tmp/c.json"
"$python" -c "$py_decode" <"$doc" >"$tmp/py.json"
if [ -x "$top_builddir/tests/toml/toml-compare" ]; then
	"$top_builddir/tests/toml/toml-compare" "$tmp/py.json" "$tmp/c.json" ||
		{ echo "toml-bench: the decoder and tomllib disagree" >&2; exit 1; }
fi

# The runs are timed by a small Python harness that starts each process itself and reads its
# resource usage with wait4(): CPU time (user + system, in microseconds; GNU time's centiseconds
# are too coarse for a run of a few of them), wall time, minor page faults and peak RSS. The two
# programs alternate, so that load from other processes hits both alike. On a loaded machine
# the wall clock mostly measures the neighbours: the ratio is judged on CPU time.
"$python" - "$doc" "$runs" "$tmp/results" "$decoder" "$python" "$py_decode" <<'PY'
import os, statistics, sys, time
doc, runs, out, decoder, python, py_decode = sys.argv[1:7]
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
    return wall / 1e6, (ru.ru_utime + ru.ru_stime) * 1e3, ru.ru_minflt, ru.ru_maxrss
c, py = [], []
for _ in range(int(runs)):
    c.append(run([decoder], doc))
    py.append(run([python, "-c", py_decode], doc))
empty = [run([decoder], os.devnull) for _ in range(3)]
def med(rows, k):
    return statistics.median(r[k] for r in rows)
with open(out, "w") as f:
    for name, rows in (("c", c), ("py", py), ("empty", empty)):
        print(name, *(med(rows, k) for k in range(4)), file=f)
PY
{
	read -r _ c_wall c_cpu c_flt _
	read -r _ py_wall py_cpu _ _
	read -r _ _ e_cpu e_flt _
} <"$tmp/results"

# Peak RSS with GNU time (whose own RSS, which a child inherits until exec, is a few hundred
# KiB, below the decoder's): median of three runs on the document and on an empty document.
c_rss= e_rss=
if [ -x /usr/bin/time ]; then
	peak() { # peak INPUT
		for _ in 1 2 3; do
			/usr/bin/time -f '%M' -o "$tmp/rss" "$decoder" <"$1" >/dev/null
			tail -n 1 "$tmp/rss"
		done | sort -n | sed -n 2p
	}
	c_rss=$(peak "$doc")
	e_rss=$(peak /dev/null)
fi

# Instructions executed by the decoder (callgrind): the repeatable measure on a shared machine.
# BENCH_CALLGRIND=0 skips it.
ir=
if [ "${BENCH_CALLGRIND:-1}" != 0 ] && command -v valgrind >/dev/null 2>&1; then
	if valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$decoder" <"$doc" \
		>/dev/null 2>"$tmp/cg.err"; then
		ir=$(sed -n 's/.*I *refs: *//p' "$tmp/cg.err" | tr -d ,)
	fi
fi

# "Peak memory" is the peak resident set size (ru_maxrss) of the decoder process while it
# decodes the document and prints it. It is reported two ways: the total, and the total minus
# the same binary's peak on an empty document (the process's fixed cost: the loader, libc,
# jansson, stdio, the output buffer; none of it grows with the document). The target (<= 4x
# the document) is judged on the second, the memory the document itself costs; the total is
# shown next to it.
awk -v b="$bytes" -v cw="$c_wall" -v pw="$py_wall" -v cc="$c_cpu" -v pc="$py_cpu" \
	-v cf="$c_flt" -v ef="$e_flt" -v ec="$e_cpu" -v r="$c_rss" -v base="$e_rss" \
	-v n="$runs" -v py="$python" -v ir="$ir" -v ncpu="$(nproc 2>/dev/null || echo '?')" \
	-v load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" \
	-v thp="$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)" 'BEGIN {
	mib = b / 1048576
	printf "document:        %d bytes (%.2f MiB); median of %d alternating runs each\n", b, mib, n
	printf "python:          %s\n", py
	if (load != "")
		printf "machine load:    %s (1/5/15 min) on %s CPUs\n", load, ncpu
	# The decoder asks for transparent huge pages for the tree of a large document (doc.c).
	if (thp != "")
		printf "huge pages:      %s\n", thp
	printf "                 %10s %10s %12s %12s\n", "wall ms", "cpu ms", "MiB/s (cpu)", "page faults"
	printf "toml-decoder:    %10.1f %10.2f %12.1f %12d\n", cw, cc, mib / (cc / 1e3), cf
	printf "python tomllib:  %10.1f %10.2f %12.2f\n", pw, pc, mib / (pc / 1e3)
	printf "empty document:  %10s %10.2f %12s %12d\n", "-", ec, "-", ef
	printf "speed ratio:     %.1fx tomllib in CPU time, %.1fx in wall time (target >= 50x, on CPU time)\n", pc / cc, pw / cw
	if (ir != "")
		printf "instructions:    %.1f M executed by toml-decoder (callgrind; %.0f per byte)\n", ir / 1e6, ir / b
	if (r == "") {
		printf "peak RSS:        not measured (no GNU time at /usr/bin/time)\n"
	} else {
		printf "peak RSS:        %d KiB total = %.2fx the document\n", r, r * 1024 / b
		printf "                 %d KiB above the empty-document baseline of %d KiB = %.2fx the document (target <= 4x)\n", r - base, base, (r - base) * 1024 / b
	}
}'

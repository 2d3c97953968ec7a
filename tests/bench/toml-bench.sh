#!/bin/sh
# TOML decoder benchmark: generates a ~1 MiB realistic document (tables, arrays of tables,
# strings of every kind, numbers, inline tables, dates), then decodes it to toml-test's tagged
# JSON with tests/toml-decoder and with Python's tomllib doing the same work (decode + print the
# same tagged JSON), alternating runs, and prints the median times, throughputs, their ratio and
# the decoder's peak RSS against the document size.
#   usage: toml-bench.sh [RUNS] [SIZE_KIB]    (environment: DECODER, PYTHON)
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

# Each run is measured in CPU time (user + sys, GNU time) and in wall time: on a loaded machine
# the wall clock mostly measures the neighbours, so the ratio uses CPU time when it can.
gtime=
[ -x /usr/bin/time ] && gtime=/usr/bin/time
now_ns() { date +%s%N; }
measure() { # measure OUTFILE CMD...: appends "wall_ns cpu_ns" to OUTFILE
	out=$1
	shift
	t0=$(now_ns)
	if [ -n "$gtime" ]; then
		"$gtime" -f '%U %S' -o "$tmp/cpu" "$@" <"$doc" >/dev/null
	else
		"$@" <"$doc" >/dev/null
	fi
	t1=$(now_ns)
	cpu=0
	[ -n "$gtime" ] && cpu=$(awk '{ printf "%d", ($1 + $2) * 1e9 }' "$tmp/cpu")
	echo "$((t1 - t0)) $cpu" >>"$out"
}
: >"$tmp/c.times"
: >"$tmp/py.times"
i=0
while [ "$i" -lt "$runs" ]; do
	measure "$tmp/c.times" "$decoder"
	measure "$tmp/py.times" "$python" -c "$py_decode"
	i=$((i + 1))
done
median() { # median FILE COLUMN
	awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
c_wall=$(median "$tmp/c.times" 1)
py_wall=$(median "$tmp/py.times" 1)
c_cpu=$(median "$tmp/c.times" 2)
py_cpu=$(median "$tmp/py.times" 2)

# Peak memory of the decoder: GNU time's maximum resident set size (KiB), and the same for a
# run on an empty document (the process's own baseline: libc, jansson, stdio).
rss_kib= base_kib=
if [ -n "$gtime" ]; then
	"$gtime" -f '%M' -o "$tmp/rss" "$decoder" <"$doc" >/dev/null
	rss_kib=$(tail -n 1 "$tmp/rss")
	"$gtime" -f '%M' -o "$tmp/rss" "$decoder" </dev/null >/dev/null
	base_kib=$(tail -n 1 "$tmp/rss")
fi

awk -v b="$bytes" -v cw="$c_wall" -v pw="$py_wall" -v cc="$c_cpu" -v pc="$py_cpu" \
	-v r="$rss_kib" -v base="$base_kib" -v n="$runs" -v py="$python" 'BEGIN {
	mib = b / 1048576
	printf "document:        %d bytes (%.2f MiB); median of %d alternating runs each\n", b, mib, n
	printf "python:          %s\n", py
	printf "                 %10s %10s %12s\n", "wall ms", "cpu ms", "MiB/s (cpu)"
	if (cc > 0) {
		printf "toml-decoder:    %10.1f %10.1f %12.1f\n", cw / 1e6, cc / 1e6, mib / (cc / 1e9)
		printf "python tomllib:  %10.1f %10.1f %12.1f\n", pw / 1e6, pc / 1e6, mib / (pc / 1e9)
		printf "speed ratio:     %.1fx tomllib in CPU time, %.1fx in wall time (target >= 50x)\n", pc / cc, pw / cw
	} else {
		printf "toml-decoder:    %10.1f %10s %12.1f\n", cw / 1e6, "-", mib / (cw / 1e9)
		printf "python tomllib:  %10.1f %10s %12.1f\n", pw / 1e6, "-", mib / (pw / 1e9)
		printf "speed ratio:     %.1fx tomllib in wall time (target >= 50x)\n", pw / cw
	}
	if (r != "")
		printf "peak RSS:        %d KiB = %.2fx the document (target <= 4x); empty-document baseline %d KiB\n", r, r * 1024 / b, base
}'

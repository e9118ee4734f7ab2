#!/usr/bin/env bash
# One command: taskd (release, fresh data dir, --fsync always), the FastAPI + PostgreSQL service
# it replaces, and the floor (a bare Hummingbird server), measured with taskload in one run.
# Prints the side-by-side table with ratios and writes results.json and latency.svg beside it.
# Usage: Benchmarks/compare.sh [seconds per scenario, default 10] [connections, default 64] [runs, default 1]
# With several runs, each is a whole run of its own (fresh taskd data dir) and summary.py prints
# the spread between them, the median ratios and how many runs met each aim.
# Talks to 127.0.0.1 only. Stops all three when done, also on failure or Ctrl-C (the reference with
# its own stop.sh, which keeps its database; it is (re)started with BCRYPT_COST=4 LOGIN_RATE_LIMIT=0).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-10}"
connections="${2:-64}"
runs="${3:-1}"
case "$runs" in ''|*[!0-9]*|0) echo "runs must be a whole number of at least 1, not '$runs'" >&2; exit 2 ;; esac
if [ "$runs" -gt 1 ]; then
  folders=()
  for run in $(seq 1 "$runs"); do
    echo "run $run of $runs" >&2
    printed=$("./$(basename "$0")" "$seconds" "$connections" 1)
    echo "$printed"
    folders+=("$(echo "$printed" | sed -n 's|^results: \(.*\)/results.json.*|\1|p')")
  done
  python3 summary.py "${folders[@]}"
  exit
fi
shared="$(cd ../.. && pwd)/shared"
[ -d "$shared/reference/fastapi-postgres" ] || shared="$(cd .. && pwd)/../shared"
out="results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

swift build -c release --product taskload >/dev/null
(cd .. && swift build -c release --product taskd >/dev/null)
# The floor is built from a copy: shared/ is read-only.
mkdir -p .build-floor
mkdir -p .build-floor/src && cp -R "$shared/floor/Package.swift" "$shared/floor/Sources" .build-floor/src/ && chmod -R u+w .build-floor/src
(cd .build-floor/src && swift build -c release >/dev/null)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 300); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "$1 did not come up" >&2; return 1; }
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  [ -z "${data:-}" ] || rm -rf "$data"
  (cd "$shared/reference/fastapi-postgres" && ./stop.sh >/dev/null 2>&1) || echo "could not stop the reference: run its stop.sh" >&2
}
trap cleanup EXIT

data="$(mktemp -d)"
taskd_port=$(free_port)
../.build/release/taskd serve --port "$taskd_port" --data-dir "$data" --fsync always --bcrypt-cost 4 --login-rate-limit 0 --log-level warning &
pids+=($!)
floor_port=$(free_port)
.build-floor/src/.build/release/HBServer "$floor_port" >/dev/null 2>&1 &
pids+=($!)
# run.sh is idempotent: it (re)starts the reference with these settings, keeping its database.
(cd "$shared/reference/fastapi-postgres" && BCRYPT_COST=4 LOGIN_RATE_LIMIT=0 ./run.sh 8000 >/dev/null)
wait_for "http://127.0.0.1:$taskd_port/health"
wait_for "http://127.0.0.1:$floor_port/hello"

load() { .build/release/taskload --json --duration "$seconds" --connections "$connections" "$@" || true; }
# Adds fields to taskload's JSON line; a run that printed nothing is reported, not dropped silently.
tag() {
  local extra="${3:-}"; [ -n "$extra" ] || extra='{}'
  python3 -c "import json,sys; t=sys.stdin.read().strip(); d=json.loads(t) if t else None; print(json.dumps(dict(d, server='$1', scenario='$2', **json.loads('$extra')))) if d else print('no result for $2 on $1', file=sys.stderr)"
}
# taskd's WAL counters: "fsyncs records".
wal_counters() { curl -sf "http://127.0.0.1:$taskd_port/metrics" | awk '/^taskd_wal_fsyncs /{f=$2} /^taskd_wal_records_written /{r=$2} END{printf "%d %d", f, r}'; }

# The disk's own rate: one writer, 4 KiB append + fdatasync, for 2 s, on the data dir's file system.
# Also over zeros already written and synced (what taskd's WAL writes into), which is faster:
# the fdatasync has no file length to write.
disk=$(python3 - "$data" <<'PY'
import json, os, sys, time
def probe(overwrite):
    path = os.path.join(sys.argv[1], "fsync-probe")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | (0 if overwrite else os.O_APPEND), 0o600)
    if overwrite:
        os.write(fd, bytes(64 << 20)); os.fsync(fd); os.lseek(fd, 0, os.SEEK_SET)
    block, times, end = b"x" * 4096, [], time.monotonic() + 2
    while time.monotonic() < end and len(times) < 16000:
        start = time.perf_counter(); os.write(fd, block); os.fdatasync(fd); times.append(time.perf_counter() - start)
    os.close(fd); os.remove(path)
    times.sort()
    return len(times) / sum(times), times[len(times) // 2] * 1e6
rate, median = probe(False)
overwrite_rate, overwrite_median = probe(True)
print(json.dumps({"fsyncs_per_second": rate, "median_us": median, "overwrite_fsyncs_per_second": overwrite_rate, "overwrite_median_us": overwrite_median}))
PY
)
echo "  disk: $disk" >&2

: > "$out/results.jsonl"
for scenario in list get create update mixed login; do
  for server in taskd reference; do
    base=http://127.0.0.1:$([ $server = taskd ] && echo "$taskd_port" || echo 8000)
    echo "  $scenario on $server..." >&2
    extra='{}'
    if [ $server = taskd ]; then before=$(wal_counters); started=$(date +%s.%N); fi
    result=$(load --base "$base" --scenario "$scenario")
    if [ $server = taskd ] && [ "$scenario" = create -o "$scenario" = update ]; then
      # Over the whole taskload run (set-up and warm-up included): how group commit did.
      extra=$(python3 -c "import json; b='$before'.split(); a='$(wal_counters)'.split(); f=int(a[0])-int(b[0]); r=int(a[1])-int(b[1]); s=$(date +%s.%N)-$started; d=json.loads('$disk'); print(json.dumps({'fsyncs_per_second': f/s, 'records_per_fsync': r/max(f,1), 'disk_fsyncs_per_second': d['fsyncs_per_second'], 'disk_overwrite_fsyncs_per_second': d['overwrite_fsyncs_per_second']}))")
    fi
    echo "$result" | tag "$server" "$scenario" "$extra" >> "$out/results.jsonl"
  done
done
for path in /list /one; do
  echo "  $path on the floor..." >&2
  load --base "http://127.0.0.1:$floor_port" --scenario path --path "$path" | tag floor "$([ $path = /list ] && echo list || echo get)" >> "$out/results.jsonl"
done
# Reads under writes at the same offered load: open loop at half of taskd's closed-loop mixed
# rate, so queueing is alike and the difference is what the writes cost the reads.
rate=$(python3 -c "import json; rows=[json.loads(l) for l in open('$out/results.jsonl')]; print(int(0.5*next(r['throughput'] for r in rows if r['server']=='taskd' and r['scenario']=='mixed')))")
for scenario in get mixed; do
  echo "  $scenario on taskd, open loop at $rate req/s..." >&2
  load --base "http://127.0.0.1:$taskd_port" --scenario "$scenario" --rate "$rate" | tag taskd "$scenario-open" >> "$out/results.jsonl"
done
python3 report.py "$out/results.jsonl" "$out"
echo "results: $out/results.json, $out/latency.svg"

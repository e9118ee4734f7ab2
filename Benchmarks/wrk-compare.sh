#!/usr/bin/env bash
# GET /tasks?limit=20 and POST /tasks at 64 connections, taskd (release, --fsync always) beside
# the FastAPI + PostgreSQL service it replaces, in one run, with wrk from Debian's packages.
# Usage: Benchmarks/wrk-compare.sh [seconds per load, default 10]
# Talks to 127.0.0.1 only; stops only the taskd it started (the reference is left as it was found).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
reference="$(cd ../shared/reference/fastapi-postgres 2>/dev/null && pwd || true)"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

swift build -c release --product taskd >/dev/null
data="$(mktemp -d)"
.build/release/taskd serve --port 18080 --data-dir "$data" --fsync always --bcrypt-cost 4 --login-rate-limit 0 --log-level warning &
taskd_pid=$!
trap 'kill $taskd_pid 2>/dev/null; wait $taskd_pid 2>/dev/null; rm -rf "$data"' EXIT
if ! curl -sf http://127.0.0.1:8000/health >/dev/null; then
  [ -n "$reference" ] || { echo "the reference service is not running and ../shared/reference is missing" >&2; exit 1; }
  (cd "$reference" && BCRYPT_COST=4 LOGIN_RATE_LIMIT=0 ./run.sh 8000 >/dev/null)
fi
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18080/health >/dev/null && break; sleep 0.1; done

# One user with 100 tasks on each server; prints its access token.
setup() {
  local base=$1 email="bench-$RANDOM-$RANDOM@example.com"
  curl -sf -XPOST "$base/auth/register" -H 'content-type: application/json' -d "{\"email\":\"$email\",\"password\":\"benchmark-password\"}" >/dev/null
  local token
  token=$(curl -sf -XPOST "$base/auth/login" -H 'content-type: application/json' -d "{\"email\":\"$email\",\"password\":\"benchmark-password\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  for i in $(seq 1 100); do
    curl -sf -XPOST "$base/tasks" -H "authorization: Bearer $token" -H 'content-type: application/json' \
      -d "{\"title\":\"Task $i\",\"description\":\"Collect numbers from finance and summarise the main trends.\",\"category_name\":\"C$((i % 5))\"}" >/dev/null
  done
  echo "$token"
}

# Runs one wrk load; prints "requests/s p50 p99 non-2xx".
load() {
  local base=$1 token=$2 script=$3 path=$4
  TOKEN=$token wrk -t2 -c64 -d"${seconds}s" --latency -s "Benchmarks/wrk/$script" "$base$path" |
    python3 Benchmarks/wrk/summary.py
}

taskd_token=$(setup http://127.0.0.1:18080)
reference_token=$(setup http://127.0.0.1:8000)
echo "machine: $(nproc) cores; wrk -t2 -c64 -d${seconds}s; taskd --fsync always; reference: 2 uvicorn workers, PostgreSQL durable defaults"
printf "%-22s %-10s %10s %10s %10s %8s\n" scenario server "req/s" "p50 ms" "p99 ms" non-2xx
for scenario in "GET /tasks?limit=20|get-auth.lua|/tasks?limit=20" "POST /tasks|post-task.lua|/tasks"; do
  IFS='|' read -r name script path <<<"$scenario"
  for server in taskd reference; do
    if [ $server = taskd ]; then base=http://127.0.0.1:18080 token=$taskd_token; else base=http://127.0.0.1:8000 token=$reference_token; fi
    read -r rps p50 p99 bad <<<"$(load $base "$token" "$script" "$path")"
    printf "%-22s %-10s %10s %10s %10s %8s\n" "$name" "$server" "$rps" "$p50" "$p99" "$bad"
  done
done

#!/usr/bin/env bash
# How long `taskd backup` of 1,000,000 tasks takes while taskd is under write load, and what it
# does to the writers' latency: wrk POST /tasks at 64 connections, once without and once with a
# backup running. Usage: Benchmarks/backup-under-load.sh [scratch dir]   (release builds; ~1 GB disk)
set -euo pipefail
cd "$(dirname "$0")"
# A scratch dir of your own is kept (its data is reused next time); a temporary one is removed.
scratch="${1:-}"
own_scratch=""
if [ -z "$scratch" ]; then scratch="$(mktemp -d)"; own_scratch="$scratch"; fi
pid=""
cleanup() { [ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }; [ -z "$own_scratch" ] || rm -rf "$own_scratch"; }
trap cleanup EXIT
swift build -c release --product taskstore-bench >/dev/null
(cd .. && swift build -c release --product taskd --static-swift-stdlib >/dev/null)
taskd=../.build/release/taskd
[ -d "$scratch/data" ] || .build/release/taskstore-bench populate --dir "$scratch/data" --users 10000 --tasks 1000000
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$taskd" serve --port "$port" --data-dir "$scratch/data" --bcrypt-cost 4 --login-rate-limit 0 --log-level warning &
pid=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
curl -sf -X POST "$base/auth/register" -H 'Content-Type: application/json' -d '{"email":"load@example.com","password":"load test password"}' >/dev/null
export TOKEN=$(curl -sf -X POST "$base/auth/login" -H 'Content-Type: application/json' -d '{"email":"load@example.com","password":"load test password"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
echo "without a backup:"
wrk -t2 -c64 -d10s --latency -s wrk/post-task.lua "$base/tasks" | python3 wrk/summary.py
echo "with a backup running (started 2 s in):"
wrk -t2 -c64 -d10s --latency -s wrk/post-task.lua "$base/tasks" > "$scratch/wrk.txt" &
wrk_pid=$!
sleep 2
start=$(date +%s.%N)
"$taskd" backup --data-dir "$scratch/data" --out "$scratch/taskd.backup"
echo "backup took $(python3 -c "print(round($(date +%s.%N) - $start, 2))") s; archive $(du -h "$scratch/taskd.backup" | cut -f1)"
wait $wrk_pid
python3 wrk/summary.py < "$scratch/wrk.txt"

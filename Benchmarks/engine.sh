#!/usr/bin/env bash
# The engine figures in the README, in one run: group commit, replay of 1,000,000 events,
# snapshot write and load of 1,000,000 tasks across 10,000 users, and memory per task.
# Usage: Benchmarks/engine.sh [scratch dir]   (release build; a few GB of disk in the scratch dir)
set -euo pipefail
cd "$(dirname "$0")"
scratch="${1:-}"
own_scratch=""
if [ -z "$scratch" ]; then scratch="$(mktemp -d)"; own_scratch="$scratch"; fi
# Also on failure or Ctrl-C: the runs leave about a gigabyte behind.
trap 'rm -rf "$scratch/wal" "$scratch/snap" "$scratch/gc"; [ -z "$own_scratch" ] || rm -rf "$own_scratch"' EXIT
swift build -c release >/dev/null
bench=.build/release/taskstore-bench
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"
for run in 1 2 3; do
  echo "== group commit, run $run (--fsync always, 3 s per writer count)"
  "$bench" group-commit --dir "$scratch/gc" --seconds 3
done
echo "== populate"
"$bench" populate --dir "$scratch/wal" --users 10000 --tasks 1000000
for run in 1 2 3; do
  echo "== restart from the WAL alone, run $run"
  "$bench" recover --dir "$scratch/wal"
done
cp -r "$scratch/wal" "$scratch/snap"
echo "== snapshot"
"$bench" snapshot --dir "$scratch/snap"
for run in 1 2 3; do
  echo "== restart from the snapshot, run $run"
  "$bench" recover --dir "$scratch/snap"
done

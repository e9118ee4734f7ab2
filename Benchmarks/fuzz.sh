#!/usr/bin/env bash
# Longer fuzzing than `swift test` does: libFuzzer over the WAL reader (any bytes as a segment).
# Usage: Benchmarks/fuzz.sh [seconds, default 60]. Crashes are written to Benchmarks/.fuzz/.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
# --export-dynamic: fuzz-wal looks libFuzzer's driver up with dlsym, so that it links without it too.
swift build -c release --product fuzz-wal --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer -Xlinker --export-dynamic >/dev/null
mkdir -p .fuzz/corpus
# Seed the corpus with a real segment so mutations start from valid frames.
if [ -z "$(ls -A .fuzz/corpus)" ]; then
  seed="$(mktemp -d)"
  ../.build/debug/taskd wal dump --data-dir "$seed" >/dev/null 2>&1 || true
  printf 'TDWF' > .fuzz/corpus/magic
  rm -rf "$seed"
fi
.build-fuzz/release/fuzz-wal .fuzz/corpus -max_total_time="$seconds" -artifact_prefix=.fuzz/ -print_final_stats=1 2>&1 | tail -15

#!/usr/bin/env bash
# Builds a taskd that runs on a machine without the Swift toolchain (the Swift runtime linked
# in statically), and checks that ldd lists no Swift library. Output: .build/release/taskd
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product taskd --static-swift-stdlib
binary=.build/release/taskd
if ldd "$binary" | grep -i swift; then
  echo "error: $binary still links a Swift runtime library" >&2
  exit 1
fi
echo "$binary: $(du -h "$binary" | cut -f1), no Swift runtime libraries:"
ldd "$binary"

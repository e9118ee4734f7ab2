#!/usr/bin/env bash
# Builds a taskd that runs on a machine without the Swift toolchain (the Swift runtime linked
# in statically), checks that ldd lists no Swift library, and strips a copy to install:
# .build/release/taskd-static
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product taskd --static-swift-stdlib
binary=.build/release/taskd
if ldd "$binary" | grep -i swift; then
  echo "error: $binary still links a Swift runtime library" >&2
  exit 1
fi
strip -o .build/release/taskd-static "$binary"
echo ".build/release/taskd-static: $(du -h .build/release/taskd-static | cut -f1) (stripped), no Swift runtime libraries:"
ldd .build/release/taskd-static

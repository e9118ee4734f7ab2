#!/usr/bin/env bash
# schemathesis (from PyPI) against taskd's own /openapi.json: generated requests for every
# operation, checked for server errors and conformance to the document.
# Usage: Tests/schemathesis/run.sh [examples per operation, default 50]
# Every check is on (schemathesis.toml lists the few, explained, exceptions). Installs schemathesis into Tests/schemathesis/.venv on first use; talks to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
examples="${1:-50}"
venv=Tests/schemathesis/.venv
[ -x "$venv/bin/schemathesis" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q schemathesis; }
swift build --product taskd >/dev/null
data="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
.build/debug/taskd serve --port "$port" --data-dir "$data" --bcrypt-cost 4 --login-rate-limit 0 --log-level error &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
curl -sf -X POST "$base/auth/register" -H 'Content-Type: application/json' -d '{"email":"st@example.com","password":"schemathesis"}' >/dev/null
token=$(curl -sf -X POST "$base/auth/login" -H 'Content-Type: application/json' -d '{"email":"st@example.com","password":"schemathesis"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
# From its own folder, so that the caches schemathesis and hypothesis keep in the working
# directory (.schemathesis/, .hypothesis/) stay there, out of the repository's top level.
cd Tests/schemathesis
.venv/bin/schemathesis --config-file schemathesis.toml run "$base/openapi.json" --url "$base" -H "Authorization: Bearer $token" \
  --max-examples "$examples" --no-color "${@:2}"

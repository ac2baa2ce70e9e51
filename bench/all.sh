#!/usr/bin/env bash
# The figures of docs/benchmarks.md's first table, side by side in one run (with the load, which matters
# on a shared machine): bash bench/all.sh
set -uo pipefail
cd "$(dirname "$0")/.."
echo "commit $(git rev-parse --short HEAD)"; uptime
for cmd in "bench/extraction_speed.py --documents 300" "bench/ingest.py --costs 200" \
           "bench/post_document.py --requests 120" "bench/ingest.py --counts 1000 3000" \
           "bench/validation_scaling.py --large 1000000 --repeat 101"; do
  echo "=== python $cmd"; date +%T
  # shellcheck disable=SC2086  # the command's words are meant to split
  timeout 1200 .venv/bin/python $cmd 2>&1 | tail -40
  uptime
done

#!/usr/bin/env bash
# One benchmark, two versions of the code, side by side: alternating runs, so the machine's drift
# (two shared cores) hits both alike.
#   bash bench/compare.sh BEFORE_SRC ROUNDS bench/SCRIPT.py [ARGS...]
# BEFORE_SRC is the src/ folder of another checkout (e.g. `git worktree add --detach /tmp/before main`,
# then /tmp/before/src); the "after" runs use this checkout's code. Both use this checkout's
# benchmark scripts and virtual environment, and the same cached articles.
set -euo pipefail
before="$1"; rounds="$2"; shift 2
here="$(cd "$(dirname "$0")/.." && pwd)"
python="$here/.venv/bin/python"
for round in $(seq 1 "$rounds"); do
  for side in before after; do
    echo "== round $round, $side: $* (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    if [ "$side" = before ]; then
      (cd "$here/bench" && PYTHONPATH="$before" "$python" "$here/$1" "${@:2}")
    else
      (cd "$here/bench" && "$python" "$here/$1" "${@:2}")
    fi
  done
done

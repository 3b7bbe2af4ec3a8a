#!/usr/bin/env bash
# The benchmark in one command: set up the virtualenv, then time full and
# one-day incremental `dbt build` against the hand-written lead_scores
# statement at 1 k (dbt's fixed cost), 1 M and 10 M activities (3 runs each)
# and write bench/RESULTS.md. Arguments go to `engagement-scoring bench`, e.g.
#   bash bench/run.sh --sizes 100000 --runs 1        # smoke run
#   bash bench/run.sh --memory-limit 2GB --threads 2
# Set VENV to use another virtualenv (as scripts/setup_venv.sh does).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/setup_venv.sh
venv="${VENV:-$repo/.venv}"
exec "$venv/bin/engagement-scoring" bench "$@"

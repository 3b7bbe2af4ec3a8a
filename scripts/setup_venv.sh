#!/usr/bin/env bash
# Create (or refresh) the project's virtualenv from requirements.txt, then
# install the project's own package (src/engagement_scoring, the
# `engagement-scoring` command) into it, editable.
# Usage: bash scripts/setup_venv.sh [--spark]   (VENV overrides .venv)
# --spark also installs requirements-spark.txt on top (dbt-spark, pyspark).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${VENV:-$repo/.venv}"
stamp="$venv/.requirements.sha"
files=("$repo/requirements.txt")
if [ "${1:-}" = "--spark" ] && [ -f "$repo/requirements-spark.txt" ]; then
    files+=("$repo/requirements-spark.txt")
fi
# pyproject.toml declares the package (entry points, where its code lives):
# a change to it needs a reinstall as much as a new pin does.
wanted="$(cat "${files[@]}" "$repo/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    for file in "${files[@]}"; do
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$file"
    done
    # --no-deps: requirements.txt has pinned everything the package imports.
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$repo"
    echo "$wanted" > "$stamp"
fi

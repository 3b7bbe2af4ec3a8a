#!/usr/bin/env bash
# Create (or refresh) the project's virtualenv from requirements.txt.
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
wanted="$(cat "${files[@]}" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    for file in "${files[@]}"; do
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$file"
    done
    echo "$wanted" > "$stamp"
fi

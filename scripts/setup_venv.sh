#!/usr/bin/env bash
# Create (or refresh) the project's virtualenv from requirements.txt.
# Usage: source-free; prints nothing but pip's errors. VENV overrides .venv.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${VENV:-$repo/.venv}"
stamp="$venv/.requirements.sha"
wanted="$(cat "$repo"/requirements*.txt | sha256sum | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$repo/requirements.txt"
    echo "$wanted" > "$stamp"
fi

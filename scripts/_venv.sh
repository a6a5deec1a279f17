# Sourced by the other scripts: a virtual environment in .venv (or $AURICLE_VENV) with Auricle installed.
# Usage: auricle_venv [pip extras, e.g. "[test]"]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${AURICLE_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

auricle_venv() {
    local extras="${1:-}"
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -c "$ROOT/constraints.txt" -e "$ROOT$extras"
}

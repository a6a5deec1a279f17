"""bench.fallback's comparison: decodes, tokens and time summed, words scored, changed texts listed."""

from __future__ import annotations

import json
from pathlib import Path

from bench.fallback_table import table


def recording(path: Path, hypothesis: str, tokens: int, seconds: float) -> Path:
    clip = {
        "key": "nl/videt1", "lang": "nl", "ref": "dit zouden die lui", "hyp": hypothesis, "s": seconds + 0.1,
        "decodes": [{"t": 0.0, "n": 224, "s": 3.0}, {"t": 0.2, "n": tokens, "s": seconds - 3.0}],
    }  # fmt: skip
    path.write_text(json.dumps(clip) + "\n", encoding="utf-8")
    return path


def test_two_recordings_side_by_side(tmp_path: Path) -> None:
    before = recording(tmp_path / "before.jsonl", "", 224, 8.0)
    after = recording(tmp_path / "after.jsonl", "dit zouden", 108, 5.0)
    lines = table(before, after).splitlines()
    assert lines[2].split(" | ")[1:6] == ["1", "2", "448", "8.0", "5.0"]
    assert lines[3].split(" | ")[1:6] == ["1", "2", "332", "5.0", "2.0"]
    assert "100.00%" in lines[2]
    assert "50.00%" in lines[3]
    assert lines[5] == "- nl/videt1: '' -> 'dit zouden' (reference 'dit zouden die lui')"

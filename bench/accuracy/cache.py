"""Bare faster-whisper's answers, kept between runs.

Bare's transcript of an item depends only on the item's bytes, the language mode and the versions of
faster-whisper and CTranslate2, while Auricle is re-run after every engine change; so bare runs once and
its answers are reused. Its timings are kept too, but they were measured in another run, on whatever the
machine was doing then: the report says where each side's timings come from.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.accuracy.items import Item
from bench.accuracy.sides import Answer
from bench.machine import versions

FOLDER = ".bench-cache"


def path_for(corpus: Path, language_given: bool) -> Path:
    """In the corpus's folder, not the repository: like the corpus, it never belongs in a commit."""
    found = versions()
    mode = "language-given" if language_given else "language-detected"
    name = f"bare-faster-whisper-{found['faster-whisper']}-ctranslate2-{found['ctranslate2']}-{mode}.json"
    return corpus / FOLDER / name


@dataclass
class BareCache:
    path: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Item key -> {"fingerprint", "measured", "cpu", "answer"}."""

    @classmethod
    def load(cls, path: Path) -> BareCache:
        if not path.is_file():
            return cls(path)
        return cls(path, json.loads(path.read_text(encoding="utf-8"))["entries"])

    def get(self, item: Item) -> tuple[Answer, str] | None:
        """The cached answer and when it was measured, if it was for these very bytes."""
        entry = self.entries.get(item.key)
        if entry is None or entry["fingerprint"] != item.fingerprint:
            return None
        return Answer.from_record(entry["answer"]), str(entry["measured"])

    def put(self, item: Item, answer: Answer, cpu: str) -> None:
        self.entries[item.key] = {
            "fingerprint": item.fingerprint,
            "measured": datetime.now(UTC).isoformat(timespec="seconds"),
            "cpu": cpu,
            "answer": answer.record(),
        }

    def save(self) -> None:
        """Whole or absent: written beside, then renamed over, so an interrupted run cannot corrupt it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".tmp")
        partial.write_text(json.dumps({"entries": self.entries}, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, self.path)

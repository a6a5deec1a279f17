"""The corpus's manifests: one row per recording, and the filters a run applies to them."""

from __future__ import annotations

import csv
import itertools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

EVAL_MANIFEST = "manifest-eval.tsv"
FULL_MANIFEST = "manifest.tsv"


def default_corpus() -> Path:
    """Where ../shared/corpus/build.sh puts the corpus unless told otherwise."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "auricle-corpus"


@dataclass(frozen=True)
class Row:
    source: str
    id: str
    path: str
    """Relative to the corpus folder."""
    language: str
    """ISO 639-1; empty for non-speech."""
    duration: float
    """From the file's header, as the manifest has it."""
    reference: str
    """Empty for non-speech: the right transcript is ""."""

    @property
    def key(self) -> str:
        return f"{self.source}:{self.id}"

    @property
    def is_speech(self) -> bool:
        return self.language != ""


def read(path: Path) -> list[Row]:
    """A manifest in file order. No quoting: some references hold a `"`, and none holds a tab."""
    with path.open(encoding="utf-8", newline="") as file:
        return [
            Row(
                source=line["source"],
                id=line["id"],
                path=line["path"],
                language=line["language"],
                duration=float(line["duration_seconds"]),
                reference=line["reference"],
            )
            for line in csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


def select(
    rows: Sequence[Row], sources: Iterable[str] = (), ids: Iterable[str] = (), limit: int | None = None
) -> list[Row]:
    """The rows of the named sources and ids (all when none are named), at most `limit` of them.

    `ids` match a row's id or its `source:id` key. A limit takes rows from each (source, language) in
    turn, so a small development run still touches every source and language rather than the first one.
    """
    wanted_sources, wanted_ids = set(sources), set(ids)
    chosen = [
        row
        for row in rows
        if (not wanted_sources or row.source in wanted_sources)
        and (not wanted_ids or row.id in wanted_ids or row.key in wanted_ids)
    ]
    return chosen if limit is None else spread(chosen, limit)


def spread(rows: Sequence[Row], limit: int) -> list[Row]:
    """`limit` rows, round-robin over the (source, language) groups in the order they first appear."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.source, row.language), []).append(row)
    interleaved = itertools.chain.from_iterable(itertools.zip_longest(*groups.values()))
    taken = {id(row) for row in itertools.islice((r for r in interleaved if r is not None), limit)}
    # Back in manifest order, so a limited run reads like the start of a full one.
    return [row for row in rows if id(row) in taken]

"""`python -m bench.keywords ANSWERS.json`: what `keywords[]` does for names the model misses.

The items are chosen by a fixed rule from a recorded accuracy run (`python -m bench.accuracy`) of
Auricle's defaults: eval clips whose reference holds a name (a capitalised word of three letters or more
that does not start a sentence) that the default transcript lacks. Each is transcribed by Auricle's
engine in this process twice, without keywords and with its own names as `keywords[]`, and scored: how
many of the names come back, and the WER. What keywords do to audio that holds none of them is measured
by the harness itself: `python -m bench.accuracy --keywords ComfyUI`.
"""

from __future__ import annotations

import argparse
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from auricle.audio.decode import decode
from auricle.config import Settings
from auricle.engine.options import DecodeOptions
from auricle.engine.sources import resolve
from auricle.engine.whisper import FasterWhisperModel, WhisperConfig
from bench.accuracy import manifest
from bench.accuracy.scoring import edits, normalize
from bench.machine import Machine, short_name
from bench.phases import progress
from bench.results import write_document

SENTENCE_ENDS = (".", "!", "?")
PUNCTUATION = '.,!?;:"()«»'


@dataclass(frozen=True)
class Case:
    key: str
    language: str
    reference: str
    path: Path
    names: tuple[str, ...]


def names_missed(reference: str, transcript: str) -> tuple[str, ...]:
    """The reference's names (capitalised, not starting a sentence, 3+ letters) the transcript lacks."""
    heard = {word.strip(PUNCTUATION).lower() for word in transcript.split()}
    words = reference.split()
    found = []
    for before, word in zip([".", *words], words, strict=False):
        name = word.strip(PUNCTUATION)
        if before.endswith(SENTENCE_ENDS) or len(name) < 3 or not name[:1].isupper() or name.isupper():
            continue
        if name.lower() not in heard and name not in found:
            found.append(name)
    return tuple(found)


def cases(answers: Path, corpus: Path) -> list[Case]:
    rows = {row.key: row for row in manifest.read(corpus / manifest.FULL_MANIFEST)}
    chosen = []
    for item in json.loads(answers.read_text(encoding="utf-8"))["items"]:
        row = rows.get(item["key"])
        if row is None or item["kind"] != "clip" or not item["reference"]:
            continue
        names = names_missed(item["reference"], item["sides"]["auricle"]["text"])
        if names:
            chosen.append(Case(item["key"], item["language"], item["reference"], corpus / row.path, names))
    return chosen


def recalled(names: tuple[str, ...], text: str, language: str) -> int:
    heard = f" {normalize(text, language)} "
    return sum(f" {normalize(name, language)} " in heard for name in names)


@dataclass
class Tally:
    names: int = 0
    heard: int = 0
    errors: int = 0
    words: int = 0

    def add(self, names: int, heard: int, errors: int, words: int) -> None:
        self.names, self.heard = self.names + names, self.heard + heard
        self.errors, self.words = self.errors + errors, self.words + words

    def row(self, label: str) -> str:
        return f"| {label} | {self.heard} of {self.names} | {self.errors / max(self.words, 1):.1%} |"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.keywords", description=__doc__)
    parser.add_argument("answers", type=Path, help="a bench.accuracy run's .json (Auricle's defaults)")
    parser.add_argument("--corpus", type=Path, default=manifest.default_corpus())
    args = parser.parse_args(argv)
    started, machine = datetime.now(UTC), Machine.here()
    chosen = cases(args.answers, args.corpus)
    model = FasterWhisperModel(resolve("bundled:base", Settings().cache_dir), WhisperConfig(workers=2))
    rows, tallies = [], {False: Tally(), True: Tally()}
    try:
        for case in chosen:
            samples = decode(io.BytesIO(case.path.read_bytes()), 3600)
            cells = []
            for steered, tally in tallies.items():
                options = DecodeOptions(keywords=case.names if steered else ())
                text = model.transcribe(samples, options, lambda: False).text
                score, hits = (
                    edits(case.reference, text, case.language),
                    recalled(case.names, text, case.language),
                )
                tally.names, tally.heard = tally.names + len(case.names), tally.heard + hits
                tally.errors, tally.words = tally.errors + score.errors, tally.words + score.reference
                cells.append(f"{hits}/{len(case.names)}, {score.errors} errors: {text[:70]!r}")
            rows.append(f"| {case.key} | {', '.join(case.names)} | {cells[0]} | {cells[1]} |")
            progress(rows[-1])
    finally:
        model.close()
    document = _document(started, machine, args.answers, rows, tallies)
    print(document)
    print(write_document(document, f"{started:%Y-%m-%d}-keywords-{short_name(machine.model_name)}"))


def _document(
    started: datetime, machine: Machine, answers: Path, rows: list[str], tallies: dict[bool, Tally]
) -> str:
    return "\n".join(
        [
            f"# keywords[] on names the model misses, {started:%Y-%m-%d %H:%M} UTC",
            "",
            machine.describe().replace("\n", "  \n") + "  ",
            "",
            f"{len(rows)} eval clips whose reference holds a name that Auricle's default transcript in "
            f"`{answers.name}` lacks (bench/keywords.py says the rule); model `base`, int8, no `language`.",
            "",
            "| | names heard | WER |",
            "| --- | ---: | ---: |",
            tallies[False].row("without keywords"),
            tallies[True].row("with their names as `keywords[]`"),
            "",
            "| item | names | without keywords | with keywords |",
            "| --- | --- | --- | --- |",
            *rows,
            "",
        ]
    )


if __name__ == "__main__":
    main()

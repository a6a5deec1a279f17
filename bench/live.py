"""`python -m bench.live`: live transcription over `/v1/realtime`, replayed at the pace it was spoken.

Recordings of real speech with pauses between turns, as in a dialogue or a phone menu: the lines of
the accuracy harness's long recordings (one Fish Fillets level, one language's Asterisk prompts), the
first minute of each, joined with pauses of 0.8-1.6 s so that server VAD (OpenAI's defaults) ends a
turn between lines. Each goes to a real `auricle serve` with its defaults twice: as a file (`json`, no
language), and as a live session (GA dialect, server VAD), in 100 ms chunks at real-time pace from a raw
WebSocket client. Reported:

- WER of the live transcript (every turn's `completed` joined) against the file's, on the same audio;
- latency from `speech_stopped` to `completed`, per turn (p50, p95);
- deltas: how soon the first one comes after a turn starts, and how often they come while it is spoken;
- then N sessions at once, each replaying its own recording, for growing N: whether every session's
  turns still finish soon after they end (p50 within 1 s, p95 within 5 s), i.e. how many keep up with
  real time.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
from collections.abc import Sequence
from datetime import UTC, datetime

import httpx2
import numpy as np
from tests.support.realtime import URL_PATH, Heard, replay
from tests.support.speech import samples_of, wav

from auricle.engine.protocol import SAMPLE_RATE, Samples
from bench.accuracy import longform, manifest, scoring
from bench.machine import Machine, short_name
from bench.phases import progress
from bench.results import write_document
from bench.servers import running, scrub_environment

TURN_PAUSES = (1.0, 1.4, 0.8, 1.2, 1.6, 0.9)
SECONDS = 60.0
KEEPS_UP_P50_SECONDS = 1.0
KEEPS_UP_P95_SECONDS = 5.0
"""Sessions keep up when their turns' final text comes this soon after each turn ends: a server that
falls behind real time piles turns up, and their latency grows through the recording (4 sessions on 2
cores: p95 13 s, worst 21 s). A p95 of a few seconds is one slow turn (a temperature fallback)."""


class Dialogue:
    def __init__(self, name: str, language: str, samples: Samples, reference: str) -> None:
        self.name, self.language, self.samples, self.reference = name, language, samples, reference


def dialogues(seconds: float) -> list[Dialogue]:
    """Each long recording's lines, from the first, until `seconds`, with pauses between turns."""
    corpus = manifest.default_corpus()
    rows = manifest.read(corpus / manifest.FULL_MANIFEST)
    built = []
    for recording in longform.recordings(rows, corpus):
        pieces: list[Samples] = []
        said: list[str] = []
        by_key = {row.key: row for row in rows}
        for index, key in enumerate(recording.parts):
            if sum(len(piece) for piece in pieces) >= seconds * SAMPLE_RATE:
                break
            pause = TURN_PAUSES[index % len(TURN_PAUSES)]
            pieces += [samples_of(corpus / by_key[key].path), np.zeros(int(pause * SAMPLE_RATE), np.float32)]
            said.append(by_key[key].reference)
        built.append(Dialogue(recording.name, recording.language, np.concatenate(pieces), " ".join(said)))
    return built


def _file_text(http: httpx2.Client, samples: Samples) -> str:
    files = {"file": ("turns.wav", wav(samples), "audio/wav")}
    response = http.post("/v1/audio/transcriptions", data={"model": "whisper-1"}, files=files)
    response.raise_for_status()
    return str(response.json()["text"])


def _turns_as_files(http: httpx2.Client, dialogue: Dialogue, heard: Heard) -> str:
    """Each turn's own audio sent as a file, the answers joined."""
    texts = [_file_text(http, audio) for audio in heard.turn_audio(dialogue.samples)]
    return " ".join(text for text in texts if text)


async def _sessions(url: str, chosen: Sequence[Dialogue]) -> list[Heard]:
    return list(
        await asyncio.gather(*(replay(url, dialogue.samples, wait_seconds=600) for dialogue in chosen))
    )


def _latencies(heard: Sequence[Heard]) -> list[float]:
    return [
        turn.completed - turn.stopped
        for one in heard
        for turn in one.turns
        if turn.completed is not None and turn.stopped is not None
    ]


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _deltas(heard: Sequence[Heard]) -> tuple[list[float], list[float], int, int]:
    """Seconds from each turn's start to its first delta while spoken, the gaps between such deltas,
    and how many turns had any delta while spoken, of how many."""
    firsts, gaps, with_any, turns = [], [], 0, 0
    for one in heard:
        for turn in one.turns:
            turns += 1
            spoken = turn.spoken_deltas
            if turn.started is None or not spoken:
                continue
            with_any += 1
            firsts.append(spoken[0][0] - turn.started)
            gaps += [later[0] - earlier[0] for earlier, later in itertools.pairwise(spoken)]
    return firsts, gaps, with_any, turns


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.live", description=__doc__)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--sessions", default="1,2,3,4,6", help="concurrent sessions to try")
    args = parser.parse_args(argv)
    scrub_environment()
    started, machine = datetime.now(UTC), Machine.here()
    chosen = dialogues(args.seconds)
    rows, heard_alone = [], []
    counts = [int(count) for count in args.sessions.split(",")]
    # Seats for the most sessions tried, so that a count past the default's seats is measured, not refused.
    with running("defaults", {"live_max_sessions": str(max(counts))}) as server:
        base = server.server.base_url
        url = base.replace("http://", "ws://") + URL_PATH
        http = httpx2.Client(base_url=base, timeout=3600, trust_env=False)
        for dialogue in chosen:
            file_text = _file_text(http, dialogue.samples)
            heard = asyncio.run(_sessions(url, [dialogue]))[0]
            heard_alone.append(heard)
            rows.append(
                (dialogue, file_text, _turns_as_files(http, dialogue, heard), heard.text, len(heard.turns))
            )
            progress(f"{dialogue.name}: {len(heard.turns)} turns")
        http.close()
        load = []
        for count in counts:
            together = [chosen[index % len(chosen)] for index in range(count)]
            latencies = _latencies(asyncio.run(_sessions(url, together)))
            load.append((count, latencies))
            progress(f"{count} sessions: p95 {_percentile(latencies, 0.95):.2f} s")
    document = _document(started, machine, seconds=args.seconds, rows=rows, heard=heard_alone, load=load)
    print(document)
    print(write_document(document, f"{started:%Y-%m-%d}-live-{short_name(machine.model_name)}"))


def _document(
    started: datetime,
    machine: Machine,
    *,
    seconds: float,
    rows: Sequence[tuple[Dialogue, str, str, str, int]],
    heard: Sequence[Heard],
    load: Sequence[tuple[int, list[float]]],
) -> str:
    table = [
        "| recording | seconds | turns | WER, whole file | WER, each turn as a file | WER live |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    scored: list[list[scoring.Edits]] = [[], [], []]
    for dialogue, *texts, turns in rows:
        for edits, text in zip(scored, texts, strict=True):
            edits.append(scoring.edits(dialogue.reference, str(text), dialogue.language))
        rates = " | ".join(_rate([edits[-1]]) for edits in scored)
        table.append(f"| {dialogue.name} | {len(dialogue.samples) / SAMPLE_RATE:.0f} | {turns} | {rates} |")
    table.append("| **all** | | | " + " | ".join(f"**{_rate(edits)}**" for edits in scored) + " |")
    latencies = _latencies(heard)
    firsts, gaps, with_any, turns = _deltas(heard)
    load_rows = [
        f"| {count} | {_percentile(values, 0.5):.2f} | {_percentile(values, 0.95):.2f} | {max(values):.2f} | "
        f"{'yes' if _keeps_up(values) else 'no'} |"
        for count, values in load
    ]
    return "\n".join(
        [
            f"# Live transcription over /v1/realtime, {started:%Y-%m-%d %H:%M} UTC",
            "",
            machine.describe().replace("\n", "  \n") + "  ",
            "",
            f"The first {seconds:.0f} s of each long recording's lines with 0.8-1.6 s pauses between them, "
            "replayed in 100 ms chunks at real-time pace; Auricle's defaults (seats raised to the most "
            "sessions tried), no language set.",
            "",
            *table,
            "",
            f"Latency from `speech_stopped` to `completed`, one session at a time ({len(latencies)} turns): "
            f"p50 {_percentile(latencies, 0.5):.2f} s, p95 {_percentile(latencies, 0.95):.2f} s.",
            "",
            f"Deltas while a turn is spoken: {with_any} of {turns} turns had one; the first came "
            f"{_percentile(firsts, 0.5):.2f} s after the turn started "
            f"(p50; p95 {_percentile(firsts, 0.95):.2f} s), then one every {_percentile(gaps, 0.5):.2f} s "
            f"(p50 gap; p95 {_percentile(gaps, 0.95):.2f} s).",
            "",
            "Sessions at once, each its own recording; they keep up when the latency from "
            f"`speech_stopped` to `completed` is at most {KEEPS_UP_P50_SECONDS:g} s at p50 and "
            f"{KEEPS_UP_P95_SECONDS:g} s at p95:",
            "",
            "| sessions | p50 (s) | p95 (s) | max (s) | keeps up |",
            "| ---: | ---: | ---: | ---: | --- |",
            *load_rows,
            "",
        ]
    )


def _keeps_up(latencies: Sequence[float]) -> bool:
    return (
        _percentile(latencies, 0.5) <= KEEPS_UP_P50_SECONDS
        and _percentile(latencies, 0.95) <= KEEPS_UP_P95_SECONDS
    )


def _rate(edits: Sequence[scoring.Edits]) -> str:
    rate = scoring.pooled_rate(edits)
    return "-" if rate is None else f"{100 * rate:.1f}%"


if __name__ == "__main__":
    main()

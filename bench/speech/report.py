"""The speech bench's figures as Markdown."""

from __future__ import annotations

import statistics
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

from bench.machine import Machine
from bench.speech.texts import SENTENCE

if TYPE_CHECKING:
    from bench.speech.__main__ import Contention, VoiceFigures


class _Timed(Protocol):
    @property
    def total_seconds(self) -> float: ...


R = TypeVar("R", bound=_Timed)

# The targets: first byte within 1.2x the bare first chunk + 30 ms; throughput at least 0.9x bare.
FIRST_BYTE_FACTOR, FIRST_BYTE_SLACK, THROUGHPUT_FACTOR = 1.2, 0.030, 0.9
INTRODUCTION = (
    "`python -m bench.speech`: a real `auricle serve` with its defaults over HTTP on 127.0.0.1 (httpx2), "
    "beside each engine called directly in this process (its own sentence streaming, one ORT thread, "
    "no encoding). First byte: median over rounds of one sentence ({sentence} characters), and of the "
    "median run (by total time) of {paragraph_rounds} of a {characters}-character paragraph. RTF: seconds "
    "of audio per second of wall time for that paragraph run, encoding included on the HTTP side. "
    "Target: first byte <= 1.2x bare + 30 ms and RTF >= 0.9x bare."
)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def median_run(runs: list[R]) -> R:
    """The run of median total time (the lower middle one of an even count)."""
    ordered = sorted(runs, key=lambda run: run.total_seconds)
    return ordered[(len(ordered) - 1) // 2]


def _voice_rows(voice: str, into: VoiceFigures) -> list[str]:
    bare_first = statistics.median(run.first_chunk_seconds for run in into.bare_sentence)
    bare_paragraph = median_run(into.bare_paragraph)
    bare_rtf = bare_paragraph.real_time_factor
    audio = into.paragraph["pcm"][0].audio_seconds if "pcm" in into.paragraph else 0.0
    rows = [
        f"| {voice} | bare engine | {_ms(bare_first)} | {_ms(bare_paragraph.first_chunk_seconds)} | "
        f"{bare_paragraph.total_seconds:.2f} | {bare_rtf:.1f} | - |"
    ]
    for response_format, runs in into.sentence.items():
        first = statistics.median(run.first_byte_seconds for run in runs)
        long = median_run(into.paragraph[response_format])
        rtf = audio / long.total_seconds if audio else 0.0
        target = (
            first <= FIRST_BYTE_FACTOR * bare_first + FIRST_BYTE_SLACK and rtf >= THROUGHPUT_FACTOR * bare_rtf
        )
        rows.append(
            f"| {voice} | HTTP {response_format} | {_ms(first)} | {_ms(long.first_byte_seconds)} | "
            f"{long.total_seconds:.2f} | {rtf:.1f} | {'yes' if target else 'no'} |"
        )
    return rows


def _bounded_rows(figures: dict[str, VoiceFigures]) -> list[str]:
    rows = []
    for voice, into in figures.items():
        bare_run, http_run = into.bare_unpunctuated, into.unpunctuated
        assert bare_run is not None
        assert http_run is not None
        rows.append(
            f"| {voice} | {bare_run.first_chunk_seconds:.2f} | {bare_run.total_seconds:.2f} | "
            f"{into.bare_rss_mib:.0f} | {http_run.first_byte_seconds:.2f} | "
            f"{http_run.total_seconds:.2f} | {into.server_rss_after_unpunctuated_mib:.0f} |"
        )
    return rows


def document(
    *,
    started: datetime,
    machine: Machine,
    figures: dict[str, VoiceFigures],
    contention: Contention,
    server_rss_mib: float,
    characters: int,
) -> str:
    rows = [row for voice, into in figures.items() for row in _voice_rows(voice, into)]
    paragraph_rounds = len(next(iter(figures.values())).bare_paragraph)
    speech = contention.speech
    return "\n".join(
        [
            f"# Speech synthesis, {started:%Y-%m-%d %H:%M} UTC",
            "",
            machine.describe().replace("\n", "  \n") + "  ",
            "",
            INTRODUCTION.format(
                sentence=len(SENTENCE), characters=characters, paragraph_rounds=paragraph_rounds
            ),
            "",
            "| voice | side | first byte, sentence (ms) | first byte, paragraph (ms) "
            "| paragraph total (s) | RTF | target |",
            "| --- | --- | ---: | ---: | ---: | ---: | --- |",
            *rows,
            "",
            f"## {characters} characters with no punctuation (pcm)",
            "",
            "| voice | bare first chunk (s) | bare total (s) | bench process peak RSS (MiB) "
            "| HTTP first byte (s) | HTTP total (s) | server peak RSS so far (MiB) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            *_bounded_rows(figures),
            "",
            f"Server peak RSS over the whole run (Whisper base and the voices): {server_rss_mib:.0f} MiB.",
            "",
            f"## {len(speech)} concurrent speech requests (1,024 characters, mp3) beside a transcription",
            "",
            f"- transcription of 66 s (jfk x6): alone {contention.transcription_alone_seconds:.2f} s, "
            f"beside the speech requests {contention.transcription_beside_speech_seconds:.2f} s",
            "- speech first byte (ms): " + ", ".join(_ms(run.first_byte_seconds) for run in speech),
            "- speech total (s): " + ", ".join(f"{run.total_seconds:.2f}" for run in speech),
            "",
        ]
    )

"""`python -m bench.speech [--quick]`: POST /v1/audio/speech over HTTP beside the bare voice engines.

For each voice (hibari "heart"; Piper "joe" where `auricle[piper]` is installed) and each format, on a real
`auricle serve` with its defaults: time to the first audio byte and to the last for one sentence and for a
4,096-character paragraph (the median of `--paragraph-rounds` runs), and the real-time factor including
encoding. Beside it, in the same run, the bare engine called directly (its own sentence streaming, no HTTP, no
encoding): its first chunk and its real-time factor. Then the 4,096 characters with no punctuation (bounded
time and memory), the server's peak memory, and 4 concurrent speech requests while a transcription runs,
against that transcription alone.
"""

from __future__ import annotations

import argparse
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx2
from tests.conftest import AUDIO_DIR
from tests.support.speech import repeated_wav

from auricle.synthesis.piper_engine import piper_installed
from bench.machine import Machine, short_name
from bench.measure import peak_rss_mib
from bench.phases import progress
from bench.results import write_document
from bench.servers import running, scrub_environment
from bench.speech import bare, texts
from bench.speech.http import HttpRun, speak

FORMATS = ["mp3", "opus", "aac", "flac", "wav", "pcm"]
CONCURRENT = 4


@dataclass
class VoiceFigures:
    bare_sentence: list[bare.BareRun] = field(default_factory=list)
    bare_paragraph: list[bare.BareRun] = field(default_factory=list)
    bare_unpunctuated: bare.BareRun | None = None
    bare_rss_mib: float = 0.0
    sentence: dict[str, list[HttpRun]] = field(default_factory=dict)
    paragraph: dict[str, list[HttpRun]] = field(default_factory=dict)
    unpunctuated: HttpRun | None = None
    server_rss_after_unpunctuated_mib: float = 0.0


def measure_bare(
    voices: list[str], rounds: int, long_text: str, paragraph_rounds: int
) -> dict[str, VoiceFigures]:
    figures = {voice: VoiceFigures() for voice in voices}
    for voice in voices:
        streamer, rate = bare.hibari_streamer() if voice == "heart" else bare.piper_streamer()
        bare.run(streamer, rate, texts.SENTENCE)  # warm-up
        figures[voice].bare_sentence = [bare.run(streamer, rate, texts.SENTENCE) for _ in range(rounds)]
        figures[voice].bare_paragraph = [bare.run(streamer, rate, long_text) for _ in range(paragraph_rounds)]
        figures[voice].bare_unpunctuated = bare.run(streamer, rate, texts.unpunctuated(len(long_text)))
        figures[voice].bare_rss_mib = peak_rss_mib()
        progress(f"bare {voice}: {figures[voice].bare_paragraph}")
    return figures


def measure_http(
    http: httpx2.Client,
    *,
    figures: dict[str, VoiceFigures],
    rounds: int,
    paragraph_rounds: int,
    formats: list[str],
    long_text: str,
    pid: int,
) -> None:
    for voice, into in figures.items():
        speak(http, texts.SENTENCE, voice, "pcm")  # warm-up: loads the voice
        for response_format in formats:
            into.sentence[response_format] = [
                speak(http, texts.SENTENCE, voice, response_format) for _ in range(rounds)
            ]
            into.paragraph[response_format] = [
                speak(http, long_text, voice, response_format) for _ in range(paragraph_rounds)
            ]
            progress(f"http {voice} {response_format}: {into.paragraph[response_format]}")
        into.unpunctuated = speak(http, texts.unpunctuated(len(long_text)), voice, "pcm")
        into.server_rss_after_unpunctuated_mib = peak_rss_mib(pid)


@dataclass
class Contention:
    transcription_alone_seconds: float
    transcription_beside_speech_seconds: float
    speech: list[HttpRun]


def transcribe(http: httpx2.Client, audio: bytes) -> float:
    started = time.perf_counter()
    files = {"file": ("long.wav", audio, "audio/wav")}
    http.post(
        "/v1/audio/transcriptions", data={"model": "base", "language": "en"}, files=files
    ).raise_for_status()
    return time.perf_counter() - started


def measure_contention(http: httpx2.Client, text: str) -> Contention:
    audio = repeated_wav(AUDIO_DIR / "jfk.flac", 6)
    alone = transcribe(http, audio)
    runs: list[HttpRun] = []
    beside: list[float] = []
    transcription = threading.Thread(target=lambda: beside.append(transcribe(http, audio)))
    transcription.start()
    time.sleep(1.0)  # the transcription is under way
    speakers = [
        threading.Thread(target=lambda: runs.append(speak(http, text, "alloy", "mp3")))
        for _ in range(CONCURRENT)
    ]
    for thread in speakers:
        thread.start()
    for thread in [*speakers, transcription]:
        thread.join()
    return Contention(alone, beside[0], runs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.speech", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="mp3 and pcm only, 1,024 characters, 2 rounds")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the one-sentence request")
    parser.add_argument("--voices", help="comma-separated (default: heart, and joe where installed)")
    parser.add_argument(
        "--paragraph-rounds", type=int, default=3, help="rounds of the paragraph, on each side (median)"
    )
    args = parser.parse_args(argv)
    scrub_environment()
    started, machine = datetime.now(UTC), Machine.here()
    voices = args.voices.split(",") if args.voices else ["heart", *(["joe"] if piper_installed() else [])]
    formats = ["mp3", "pcm"] if args.quick else FORMATS
    rounds = 2 if args.quick else args.rounds
    paragraph_rounds = 1 if args.quick else args.paragraph_rounds
    long_text = texts.paragraph(1024 if args.quick else texts.MAX_CHARS)
    figures = measure_bare(voices, rounds, long_text, paragraph_rounds)
    with running("defaults") as server:
        http = httpx2.Client(base_url=server.server.base_url, timeout=600, trust_env=False)
        pid = server.server.process.pid
        measure_http(
            http,
            figures=figures,
            rounds=rounds,
            paragraph_rounds=paragraph_rounds,
            formats=formats,
            long_text=long_text,
            pid=pid,
        )
        contention = measure_contention(http, texts.paragraph(1024))
        server_rss = peak_rss_mib(pid)
        http.close()
    from bench.speech.report import document

    markdown = document(
        started=started,
        machine=machine,
        figures=figures,
        contention=contention,
        server_rss_mib=server_rss,
        characters=len(long_text),
    )
    print(markdown)
    suffix = ".quick" if args.quick else ""
    print(write_document(markdown, f"{started:%Y-%m-%d}-speech-{short_name(machine.model_name)}{suffix}"))


if __name__ == "__main__":
    main()

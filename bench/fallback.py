"""`python -m bench.fallback`: every decode of every window, recorded, to see what the fallback costs.

Transcribes clips one at a time with the engine in-process (Auricle's defaults, no language), with
faster-whisper's `generate_with_fallback` run one temperature at a time so that each decode is timed
and kept: its temperature, encoded length, average log-probability, compression ratio, no-speech
probability and text. Writes one JSON line per clip (its reference, Auricle's transcript, seconds and
decodes) to OUTPUT; `--set eval` is the corpus eval subset's clips of up to 30 s, `--set live` the lines
bench.live replays, each transcribed alone as a live turn is. Run it on two commits, then
`python -m bench.fallback --compare BEFORE AFTER` prints their table (`bench/fallback_table.py`):
bench/results/2026-12-07-fallback-amd-epyc.md was made so.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from faster_whisper import WhisperModel
from tests.support.speech import samples_of

from auricle.audio.errors import AudioTooShort
from auricle.config import Settings
from auricle.engine import sources
from auricle.engine.factory import whisper_config
from auricle.engine.fallback import failed, given_up, loops
from auricle.engine.options import DecodeOptions
from auricle.engine.whisper import FasterWhisperModel
from bench import fallback_table
from bench.accuracy import longform, manifest

LIVE_SECONDS = 60.0
"""As bench.live: each long recording's lines until this much audio."""


def clips(which: str) -> list[manifest.Row]:
    corpus = manifest.default_corpus()
    if which == "eval":
        return [row for row in manifest.read(corpus / manifest.EVAL_MANIFEST) if row.duration <= 30]
    rows = manifest.read(corpus / manifest.FULL_MANIFEST)
    by_key = {row.key: row for row in rows}
    chosen = []
    for recording in longform.recordings(rows, corpus):
        heard = 0.0
        for key in recording.parts:
            if heard >= LIVE_SECONDS:
                break
            chosen.append(by_key[key])
            heard += by_key[key].duration
    return chosen


def recording(decodes: list[dict[str, Any]]) -> Any:
    """faster-whisper's fallback loop, one temperature per call, each decode appended to `decodes`."""
    original = WhisperModel.generate_with_fallback

    def generate_with_fallback(
        self: Any, encoder_output: Any, prompt: Any, tokenizer: Any, options: Any
    ) -> Any:
        tried = []
        for temperature in options.temperatures:
            started = time.perf_counter()
            one = replace(options, temperatures=[temperature])
            decoded = original(self, encoder_output, prompt, tokenizer, one)
            result, avg_logprob, _, ratio = decoded
            text = [token for token in result.sequences_ids[0] if token < tokenizer.timestamp_begin]
            decodes.append({
                "t": temperature, "frames": int(encoder_output.shape[1]), "lp": round(avg_logprob, 3),
                "cr": round(ratio, 2), "nsp": round(result.no_speech_prob, 3),
                "n": len(result.sequences_ids[0]),
                "s": round(time.perf_counter() - started, 3), "fail": failed(decoded, options),
                "fcr": loops(decoded, options), "text": tokenizer.decode(text).strip(),
            })  # fmt: skip
            tried.append(decoded)
            if not decodes[-1]["fail"]:
                return decoded
        return given_up(tried, options)  # faster-whisper's choice when every temperature failed

    return generate_with_fallback


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fallback", description=__doc__)
    parser.add_argument("--set", choices=("eval", "live"), default="eval")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    parser.add_argument("output", type=Path, nargs="?")
    args = parser.parse_args(argv)
    if args.compare:
        print(fallback_table.table(*args.compare))
        return
    if args.output is None:
        parser.error("give OUTPUT, or --compare BEFORE AFTER")
    decodes: list[dict[str, Any]] = []
    WhisperModel.generate_with_fallback = recording(decodes)  # this process only
    settings = Settings()
    model = FasterWhisperModel(
        sources.resolve(settings.models["base"], settings.cache_dir), whisper_config(settings)
    )
    corpus = manifest.default_corpus()
    options = DecodeOptions(speech_heard=args.set == "live")
    with args.output.open("w", encoding="utf-8") as out:
        for row in clips(args.set):
            try:
                samples = samples_of(corpus / row.path)
            except AudioTooShort:  # under 0.1 s: refused, as the server refuses it
                continue
            decodes.clear()
            started = time.perf_counter()
            transcript = model.transcribe(samples, options, lambda: False)
            line = {
                "key": row.key, "lang": row.language, "ref": row.reference, "dur": len(samples) / 16_000,
                "hyp": " ".join(segment.text.strip() for segment in transcript.segments),
                "s": round(time.perf_counter() - started, 3), "decodes": list(decodes),
            }  # fmt: skip
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    model.close()


if __name__ == "__main__":
    main()

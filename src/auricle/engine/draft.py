"""A live turn's partial transcript: the turn so far decoded cheaply, again and again as it grows.

One greedy pass with no timestamps over the audio as it is: no VAD spans (the turn is speech already),
no language settling, no temperature fallback. The window is still encoded at its own length
(`window.py`), and one that runs away is still decoded again the safe way, so a partial never loops.
The final transcript of the turn is a file request's decode (`whisper.py`), never this one.
"""

from __future__ import annotations

from collections.abc import Callable

from auricle.engine.batcher import GenerateBatcher
from auricle.engine.options import DecodeOptions
from auricle.engine.protocol import SAMPLE_RATE, Samples
from auricle.engine.segments import from_faster_whisper, says_something
from auricle.engine.timeline import numbered, tidy
from auricle.engine.transcript import Transcript
from auricle.engine.window import WindowedWhisperModel


def draft(
    model: WindowedWhisperModel,
    batcher: GenerateBatcher,
    samples: Samples,
    options: DecodeOptions,
    should_stop: Callable[[], bool],
) -> Transcript:
    with batcher.session(should_stop):
        language = options.language
        if language is None:
            language, _ = model.detect(samples, 0.0, options.languages)
        raw, _ = model.transcribe(
            samples,
            task=options.task,
            language=language,
            initial_prompt=options.prompt or None,
            temperature=[0.0],
            beam_size=1,
            without_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        segments = [from_faster_whisper(segment, 0.0) for segment in raw if says_something(segment.text)]
    duration = len(samples) / SAMPLE_RATE
    return Transcript(options.task, language, duration, numbered(tidy(segments, 0.0, duration)))

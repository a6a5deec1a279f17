"""Hand-built transcripts for the format tests."""

from __future__ import annotations

from auricle.engine.transcript import Segment, Task, Transcript, Word


def segment(index: int, start: float, end: float, text: str, *words: Word) -> Segment:
    return Segment(
        id=index,
        seek=0,
        start=start,
        end=end,
        text=text,
        tokens=(50364, 400, 50500),
        temperature=0.0,
        avg_logprob=-0.25,
        compression_ratio=1.2,
        no_speech_prob=0.01,
        words=words,
    )


def transcript(
    *segments: Segment, duration: float = 11.0, language: str = "en", task: Task = "transcribe"
) -> Transcript:
    return Transcript(task=task, language=language, duration=duration, segments=segments)

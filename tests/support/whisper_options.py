"""faster-whisper's options for one window as Auricle decodes it: the default thresholds and schedule."""

from __future__ import annotations

from faster_whisper.transcribe import TranscriptionOptions

from auricle.engine.options import temperature_schedule


def options() -> TranscriptionOptions:
    return TranscriptionOptions(
        beam_size=5,
        best_of=5,
        patience=1.0,
        length_penalty=1.0,
        repetition_penalty=1.0,
        no_repeat_ngram_size=0,
        log_prob_threshold=-1.0,
        no_speech_threshold=0.6,
        compression_ratio_threshold=2.4,
        condition_on_previous_text=True,
        prompt_reset_on_temperature=0.5,
        temperatures=list(temperature_schedule(0.0)),
        initial_prompt=None,
        prefix=None,
        suppress_blank=True,
        suppress_tokens=[-1],
        without_timestamps=False,
        max_initial_timestamp=1.0,
        word_timestamps=False,
        prepend_punctuations="",
        append_punctuations="",
        multilingual=False,
        max_new_tokens=None,
        clip_timestamps="0",
        hallucination_silence_threshold=None,
        hotwords=None,
    )

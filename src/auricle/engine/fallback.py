"""How far the temperature fallback goes on a window: it stops where hotter decoding stops helping.

Whisper decodes a window that fails its checks again at 0.2, 0.4, ... 1.0, sampling five candidates each
time: up to six decodes, and when every one fails, `trust.py` drops the window anyway. Sampling hotter
is a way out of a loop (text that compresses too well); it makes a decode that was merely unsure less
sure, not more. So the fallback goes on past a failed decode only while that decode loops; one that
fails on log-probability alone ends it, and the window is given up as failed at every temperature.
On base, every decode recorded (bench/results/2026-12-07-fallback-amd-epyc.md): on the eval subset's
clips of up to 30 s, windows that failed throughout took 175 s of the 342 s spent decoding, and the 7
that passed hotter were all wrong ("Chihuahua" for "Пчела."); this rule took decoding to 196 s, WER
34.8% -> 34.7%.

The decodes hotter than 0, which sample, are also capped at the tokens the window's audio could hold
(`token_limit.py`), and one stopped there counts as a loop: a sample that loops ran to 224 tokens otherwise
(bar-m-videt1, 3.5 s of Dutch: 3.3-5.8 s a decode). Beam search at 0 is never capped: cut short, it
returned a shorter hypothesis that passed Whisper's checks ("घेशारे लिवाण विवाव" for bar-m-videt1, 55 tokens
at -0.62, where the whole loop failed and the window was dropped).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from auricle.engine.runaway import fails_quality, too_repetitive


def checks(decoded: Any, options: Any) -> dict[str, Any]:
    """A `generate_with_fallback` result's figures and the thresholds they are held to."""
    result, avg_logprob, _temperature, compression_ratio = decoded
    return {
        "avg_logprob": avg_logprob,
        "compression_ratio": compression_ratio,
        "no_speech_prob": result.no_speech_prob,
        "compression_ratio_threshold": options.compression_ratio_threshold,
        "log_prob_threshold": options.log_prob_threshold,
        "no_speech_threshold": options.no_speech_threshold,
    }


def failed(decoded: Any, options: Any) -> bool:
    """Whether Whisper's own checks would decode it again hotter."""
    return fails_quality(**checks(decoded, options))


def loops(decoded: Any, options: Any) -> bool:
    """Whether a decode's text compresses too well: Whisper's sign of a loop."""
    return too_repetitive(decoded[3], options.compression_ratio_threshold)


def hopeless(decoded: Any, options: Any) -> bool:
    """Whether a failed decode ends the fallback: it failed without looping, so hotter is no better."""
    return not loops(decoded, options)


def given_up(tried: list[Any], options: Any, cut_off: Callable[[Any], bool] = lambda _: False) -> Any:
    """faster-whisper's choice when every temperature failed (the likeliest of those that did not loop,
    else of all), reported at the schedule's last temperature so `trust.py` knows it failed throughout.
    A decode `cut_off` by its token cap counts as a loop."""
    compact = [decoded for decoded in tried if not loops(decoded, options) and not cut_off(decoded)]
    best = max(compact or tried, key=lambda candidate: candidate[1])
    return best[0], best[1], options.temperatures[-1], best[3]

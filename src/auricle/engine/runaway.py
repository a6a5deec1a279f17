"""Signs that Whisper's decoder has stopped reading the audio and is looping instead.

A short window (`window.py`) is decoded once, at its own length; when its transcript shows any of these
signs it is decoded again the safe way, at Whisper's full 30 s window with the temperature fallback, as
bare faster-whisper does (ended early where hotter will not help: `fallback.py`). The signs are the ones
Whisper's own quality checks use (compression ratio, average log-probability) and three that catch what
those checks let through: a phrase repeated back to back four times, more tokens than the audio could
hold, and, on a short window only, any words written twice in a row (`echoes`).

A loop that survives the safe decode too is cut to one pass of its phrase (`without_loops`): the decoder
had stopped reading the audio, so the repeats are words nobody said.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

TOKENS_PER_SECOND = 20
"""More tokens than any speech carries in a second: fast read English is about 4-5 tokens a second, and
Mandarin or digit strings, the densest, stay under 10."""
SPARE_TOKENS = 16
"""Room for timestamps and punctuation on a very short window."""
MAX_REPEATS = 4
"""The same phrase this many times back to back is a loop ("press press press press ...")."""
LONGEST_PHRASE = 10
"""Tokens in the longest phrase whose repetition is looked for."""


def token_budget(seconds: float) -> int:
    """The most tokens a window of `seconds` of audio may produce before it is taken as a runaway."""
    return SPARE_TOKENS + round(TOKENS_PER_SECOND * seconds)


def decode_cap(seconds: float) -> int:
    """The most tokens a safe decode of `seconds` of audio is let write, timestamps included: the text's
    budget and two timestamps a second. A loop stops there, not at Whisper's 448 tokens."""
    return token_budget(seconds) + 2 * math.ceil(seconds) + 2


def repeats_itself(tokens: Sequence[int], times: int = MAX_REPEATS, longest: int = LONGEST_PHRASE) -> bool:
    """Whether some phrase of 1 to `longest` tokens occurs `times` times in a row anywhere in `tokens`."""
    for size in range(1, longest + 1):
        run_needed = size * (times - 1)
        matching = 0  # positions in a row where a token equals the one `size` before it
        for index in range(size, len(tokens)):
            matching = matching + 1 if tokens[index] == tokens[index - size] else 0
            if matching >= run_needed:
                return True
    return False


def without_loops(
    tokens: Sequence[int], times: int = MAX_REPEATS, longest: int = LONGEST_PHRASE
) -> list[int]:
    """`tokens` with every phrase repeated `times` or more times in a row written once."""
    kept: list[int] = []
    index = 0
    while index < len(tokens):
        size, count = _longest_loop_at(tokens, index, longest)
        if count >= times:
            kept.extend(tokens[index : index + size])
            index += size * count
        else:
            kept.append(tokens[index])
            index += 1
    return kept


def _longest_loop_at(tokens: Sequence[int], start: int, longest: int) -> tuple[int, int]:
    """The phrase size at `start` repeated most often back to back, and how many times it occurs."""
    best = (1, 1)
    for size in range(1, longest + 1):
        phrase = list(tokens[start : start + size])
        if len(phrase) < size:
            break
        count = 1
        while list(tokens[start + count * size : start + (count + 1) * size]) == phrase:
            count += 1
        if count > best[1]:
            best = (size, count)
    return best


_PUNCTUATION = ".,;:!?¿¡\"'()[]«»„“”\u2018\u2019…\u2013\u2014-"
_WORD = re.compile(f"[^\\s{re.escape(_PUNCTUATION)}]+")
"""A word: what lies between spaces and punctuation (`\\w` splits scripts with combining marks)."""


def echoes(text: str, longest: int = 8, shortest: int = 1) -> bool:
    """Whether `text` writes some words twice in a row ("Nail card, Nail card", "3.3.3", "Жиди, жиди").

    Speech does this too ("no, no"), so it only sends a short window to be decoded again at full length,
    which writes what the speaker said however often that was: the cost is time, never words. Of the 628
    corpus clips under 27 s, 12 came back with an echo from their short window ("Nail card, Nail card, Nail
    card." for "Een nijlpaard."); decoded again at full length, 8 had one (bare faster-whisper: 20).
    """
    words = _WORD.findall(text.casefold())
    for size in range(shortest, longest + 1):
        for start in range(len(words) - 2 * size + 1):
            if words[start : start + size] == words[start + size : start + 2 * size]:
                return True
    return False


def fails_quality(
    avg_logprob: float,
    compression_ratio: float,
    no_speech_prob: float,
    *,
    compression_ratio_threshold: float | None,
    log_prob_threshold: float | None,
    no_speech_threshold: float | None,
) -> bool:
    """Whisper's own test for decoding a window again hotter, as faster-whisper applies it."""
    unlikely = _unlikely(avg_logprob, log_prob_threshold)
    silent = no_speech_threshold is not None and no_speech_prob > no_speech_threshold and unlikely
    return (too_repetitive(compression_ratio, compression_ratio_threshold) or unlikely) and not silent


def too_repetitive(compression_ratio: float, threshold: float | None) -> bool:
    """Whisper's sign of a loop: text that compresses more than `threshold` times."""
    return threshold is not None and compression_ratio > threshold


def _unlikely(avg_logprob: float, threshold: float | None) -> bool:
    return threshold is not None and avg_logprob < threshold


def too_compressible_only(
    avg_logprob: float,
    compression_ratio: float,
    no_speech_prob: float,
    *,
    compression_ratio_threshold: float | None,
    log_prob_threshold: float | None,
    no_speech_threshold: float | None,
) -> bool:
    """Whether Whisper's checks fail a decode for its compression ratio alone.

    The ratio stands in for a loop: looping text compresses well. So does a phone menu or a list read
    out ("Press 1 to ..., 2 to ..., 3 to ..."): Russian and French menus of the corpus failed it at
    2.4-2.5 with every word right, and the hotter, sampled decodes that replaced them wrote words of
    other languages into them ("... для выхода из Battlefield 8"), differently on every run.
    """
    del no_speech_prob, no_speech_threshold  # silence excuses only an unlikely decode, never this one
    repetitive = too_repetitive(compression_ratio, compression_ratio_threshold)
    return repetitive and not _unlikely(avg_logprob, log_prob_threshold)


def ran_away(text_tokens: Sequence[int], budget: int) -> bool:
    """Whether a window's text (timestamps left out) loops or outgrows its audio."""
    return len(text_tokens) >= budget or repeats_itself(text_tokens)

"""How many tokens a decode may write, and how to ask CTranslate2's Whisper for that many.

faster-whisper passes `max_length = len(prompt) + max_new_tokens` to CTranslate2, whose Whisper then
writes at most half of it (as OpenAI's `sample_len` is half the decoder's 448 positions), and never past
`max_length` with the prompt: asked for 108 new tokens after a 3-token prompt, it stopped at 55; with
nothing asked, every loop recorded here stopped at 224 (tests/engine/test_token_limit.py pins it).
"""

from __future__ import annotations

from auricle.engine.runaway import decode_cap

MAX_LENGTH = 448
"""Whisper's decoder positions: prompt and output together."""
NATURAL_LIMIT = MAX_LENGTH // 2
"""Tokens a decode stops at when nothing smaller is asked: a cap at or above it saves nothing."""
FRAMES_PER_SECOND = 100


def longest_output(prompt_tokens: int, max_new_tokens: int | None) -> int:
    """The most tokens CTranslate2 writes after `prompt_tokens` when faster-whisper asks for
    `max_new_tokens` (None: as many as the model allows)."""
    max_length = MAX_LENGTH if max_new_tokens is None else prompt_tokens + max_new_tokens
    return min(max_length // 2, max_length - prompt_tokens + 1)


def max_new_tokens_for(tokens: int, prompt_tokens: int) -> int:
    """What to ask faster-whisper for so that CTranslate2 writes at most `tokens` after the prompt."""
    return max(2 * tokens - prompt_tokens, tokens - 1)


def token_cap(content_frames: int, lengths: list[int], prompt_tokens: int) -> int | None:
    """The tokens a window's sampled decodes may write: what its content, rounded up to the next window
    length (so windows of like length still share a batch), could hold; None where that saves nothing."""
    step = next((length for length in lengths if length >= content_frames), lengths[-1])
    cap = decode_cap(step / FRAMES_PER_SECOND)
    fits = prompt_tokens + max_new_tokens_for(cap, prompt_tokens) <= MAX_LENGTH
    return cap if cap < NATURAL_LIMIT and fits else None

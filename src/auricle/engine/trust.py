"""Which decoded segments are kept: those Whisper itself vouches for, judged by its own numbers.

Whisper scores every window it decodes: the average log-probability of its tokens, and the probability
that the window holds no speech. faster-whisper, like OpenAI's reference implementation, drops a window
only when both say so (no-speech above 0.6 and log-probability below -1.0) and otherwise returns what it
decoded, even a window that failed its checks at every temperature of the fallback. Three rules here
go further, each from Whisper's own thresholds, measured on 600 speech clips kept out of the eval subset
(4 sources, 13 languages) and the corpus's 386 non-speech clips (base, 15 s window floor):

- A window that failed Whisper's log-probability check at every temperature is not returned: Whisper
  itself found nothing it believed. Such text is noise in another script or language ("شباح سلد اسمر"
  for Czech, "Kevin." for "seven", "What the hell is this?" for a penguin's call). Dropping it took the
  held-out speech from 64.0% to 62.1% WER, 31 clips better and 6 worse ("7" for "seven" lost twice).
- A segment Whisper calls likely silence (no-speech above its 0.6) is kept only if decoded with the
  confidence asked of an unsure span (`UNSURE_MIN_LOGPROB`). That is where base writes "You" for a
  chime, at -0.96 and -0.98: just inside its -1.0. On the held-out speech it dropped 3 segments, none
  of them right ("You" for "two"); a bar of -0.7 dropped the same 3.
- Of a span Silero was unsure of (`speech.py`), only segments Whisper reads with that confidence are
  kept, whatever its no-speech probability: a word alone in a window gets 0.3-0.6 ("zero" at 0.53, "9"
  at 0.42) where Whisper reads it right.

With all three, none of the 386 non-speech clips got a word in that run; without the first two, three
did. The fallback samples, so a sound can still come back with words now and then: the penguin's call
passed Whisper's checks at 0.2 ("No!", -0.93) in 1 of 10 runs, and was dropped in the other 9.
"""

from __future__ import annotations

from auricle.engine.options import temperature_schedule
from auricle.engine.transcript import Segment

LIKELY_SILENCE = 0.6
"""Whisper's no-speech threshold."""
LOG_PROB_THRESHOLD = -1.0
"""Whisper's log-probability threshold: below it a decode fails and is tried again hotter."""
LAST_TEMPERATURE = temperature_schedule(0.0)[-1]
"""Where every fallback schedule ends."""
UNSURE_MIN_LOGPROB = -0.8
"""The log-probability a segment of an unsure span, or of likely silence, must reach to be kept:
stricter than Whisper's -1.0. Of the 386 non-speech clips, 29 had an unsure span, and what the other
rules left of them was read at -0.91 to -1.0 ("I'm sorry, I'm sorry" for a hippopotamus, "Ha ha ha!"
for a goat; -0.88 to -1.0 in the eval subset). Of 2,500 speech clips kept out of the eval subset, 119
had one, mostly lone spoken digits, whose right words were read at -0.32 to -0.97: a bar of -0.8 took
their WER to 72.5%, from 88.5% with the -0.7 and no-speech 0.3 asked before (62.6% keeping every
segment, 82.4% with -0.7 alone)."""


def trusted(segment: Segment, *, sure: bool | None, fell_back: bool) -> bool:
    """Whether to keep `segment`, decoded in a span Silero was `sure` of speech in (or not, or unknown),
    with a temperature schedule that could fall back (`fell_back`: it held more than one temperature)."""
    if fell_back and failed_throughout(segment):
        return False
    if sure is False:
        return segment.avg_logprob >= UNSURE_MIN_LOGPROB
    return not (segment.no_speech_prob > LIKELY_SILENCE and segment.avg_logprob < UNSURE_MIN_LOGPROB)


def failed_throughout(segment: Segment) -> bool:
    """Whether its window was decoded at the last temperature and still failed the log-probability check.

    Auricle's fallback reports the last temperature when every temperature failed (`window.py`), and a
    window that passes at 1.0 has a log-probability of at least the threshold."""
    return segment.temperature >= LAST_TEMPERATURE and segment.avg_logprob < LOG_PROB_THRESHOLD

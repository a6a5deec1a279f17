from __future__ import annotations

from bench.diarization.real import turns_of

RTTM = """SPEAKER sample 1 8.320 1.700 <NA> <NA> speaker90 <NA> <NA>
SPEAKER sample 1 6.690 0.430 <NA> <NA> speaker90 <NA> <NA>

SPEAKER sample 1 18.150 0.440 <NA> <NA> speaker91 <NA> <NA>
"""


def test_rttm_speaker_lines_become_sorted_turns() -> None:
    assert turns_of(RTTM) == (
        (6.69, 6.69 + 0.43, "speaker90"),
        (8.32, 8.32 + 1.7, "speaker90"),
        (18.15, 18.15 + 0.44, "speaker91"),
    )


def test_lines_that_are_not_speaker_turns_are_left_out() -> None:
    assert turns_of("SPKR-INFO sample 1 <NA> <NA> <NA> unknown speaker90 <NA>\n# comment\n") == ()

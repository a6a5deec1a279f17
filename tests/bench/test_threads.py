"""bench.threads' report: the lead that one- and two-thread window costs allow (no model needed)."""

from __future__ import annotations

from bench.threads import report


def test_the_lead_is_two_single_thread_windows_against_one_two_thread_window() -> None:
    costs = {
        1: {"encode": 0.8, "decode": 1.2, "batch": 1.0},
        2: {"encode": 0.5, "decode": 1.0, "batch": 0.7},
    }
    markdown = report(costs, windows=4, rounds=3, names=["asterisk-en", "fillets-nl-barrel"])
    # (0.5 + 1.0) / ((0.8 + 1.2) / 2) = 1.5
    assert "**1.50x**" in markdown
    assert "encode up 1.60x" in markdown
    assert "a decode 1.20x" in markdown
    assert "1.20x faster than alone" in markdown
    assert "| 1 | 0.80 s | 1.20 s | 1.00 s |" in markdown
    assert "4 windows of asterisk-en, fillets-nl-barrel; medians of 3 rounds" in markdown

"""Parts' segments told in the order spoken, once they and every part before them are final."""

from __future__ import annotations

from collections.abc import Sequence

from auricle.engine.announcer import Announcer
from auricle.engine.transcript import Segment


def segment(text: str) -> Segment:
    return Segment(0, 0, 0.0, 1.0, text, (), 0.0, -0.2, 1.2, 0.01)


class Told:
    def __init__(self) -> None:
        self.runs: list[list[str]] = []

    def __call__(self, segments: Sequence[Segment]) -> None:
        self.runs.append([s.text for s in segments])


def test_parts_finished_out_of_order_are_told_in_order() -> None:
    told = Told()
    announcer = Announcer(told)
    announcer.done(2, [segment(" c")], final=True)
    announcer.done(1, [segment(" b1"), segment(" b2")], final=True)
    assert told.runs == []
    announcer.done(0, [segment(" a")], final=True)
    assert told.runs == [[" a"], [" b1", " b2"], [" c"]]
    assert announcer.told == 3


def test_a_part_that_is_not_final_holds_back_itself_and_what_follows() -> None:
    told = Told()
    announcer = Announcer(told)
    announcer.done(0, [segment(" a")], final=True)
    announcer.done(1, [segment(" b")], final=False)
    announcer.done(2, [segment(" c")], final=True)
    assert (told.runs, announcer.told) == ([[" a"]], 1)
    announcer.rest([segment(" B"), segment(" c")])
    assert told.runs == [[" a"], [" B", " c"]]
    announcer.done(3, [segment(" late")], final=True)  # nothing is told after the rest
    assert told.runs == [[" a"], [" B", " c"]]


def test_empty_parts_are_passed_over_and_nobody_listening_is_fine() -> None:
    told = Told()
    announcer = Announcer(told)
    announcer.done(0, [], final=True)
    announcer.done(1, [segment(" b")], final=True)
    assert told.runs == [[" b"]]
    silent = Announcer(None)
    silent.done(0, [segment(" a")], final=True)
    silent.rest([segment(" b")])
    assert not silent.listened_to

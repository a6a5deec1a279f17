"""The run's figures as one Markdown table (bare, Auricle matched, Auricle defaults, and the ratios)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from tests.support.text import normalize, word_error_rate

from bench.corpus import Clip, Corpus
from bench.load import Load
from bench.measure import Timing, median, percentile
from bench.phases import BARE_BATCHED, LEVELS_DB, SIDES, SOAK_WARM_UP_REQUESTS, Measurements

Figures = Mapping[str, float | None]


@dataclass(frozen=True)
class Row:
    metric: str
    better: str
    """Which way is good: "higher", "lower", or "" for a check or a figure with no bare counterpart."""
    figures: Figures
    style: str = "{:.2f}"
    ratios: bool = True


def _by_side(timings: Sequence[Timing], side: str) -> list[Timing]:
    return [t for t in timings if t.side == side]


def _per_side(compute: Callable[[str], float | None]) -> Figures:
    return {side: compute(side) for side in SIDES}


def _wer(timings: Sequence[Timing], clips: Sequence[Clip], side: str) -> float | None:
    """Over every transcript of the clips that have a reference, pooled."""
    references = {c.name: c.reference for c in clips if c.reference is not None}
    pairs = [(references[t.clip], t.text) for t in _by_side(timings, side) if t.clip in references]
    if not pairs:
        return None
    return word_error_rate([ref for ref, _ in pairs], [hyp for _, hyp in pairs])


def _unlike_bare(timings: Sequence[Timing], side: str) -> float:
    """How many clips' first-round transcripts differ from bare's once normalised: 0 when decoding matches."""
    bare = {t.clip: normalize(t.text) for t in _by_side(timings, "bare") if t.round == 0}
    return float(
        sum(1 for t in _by_side(timings, side) if t.round == 0 and normalize(t.text) != bare[t.clip])
    )


def _long_form_rows(m: Measurements, corpus: Corpus) -> list[Row]:
    rows = _recording_rows(m, corpus.long_form, "long-form")
    if corpus.referenced_long_form is not None:
        rows += _recording_rows(m, corpus.referenced_long_form, "referenced long-form")
    return rows


def _recording_rows(m: Measurements, recording: Clip, label: str) -> list[Row]:
    timings = [t for t in m.long_form if t.clip == recording.name]

    def rtfx(side: str) -> float:
        return recording.seconds / median([t.seconds for t in _by_side(timings, side)])

    def first_text(side: str) -> str:
        return _by_side(timings, side)[0].text

    rows = [
        Row(
            f"{label} RTFx ({recording.seconds:.0f} s of audio ÷ median wall s)",
            "higher",
            _per_side(rtfx),
            "{:.1f}",
        ),
        Row(
            f"{label} transcript vs bare's, WER (0% = the same text)",
            "",
            _per_side(lambda side: word_error_rate([first_text("bare")], [first_text(side)])),
            "{:.1%}",
            ratios=False,
        ),
    ]
    batched = _by_side(timings, BARE_BATCHED)
    if batched:
        rtfx_batched = recording.seconds / median([t.seconds for t in batched])
        rows.append(
            Row(
                f"{label} RTFx, bare's batched pipeline (batch 8), for reference",
                "",
                {"bare": rtfx_batched},
                "{:.1f}",
                ratios=False,
            )
        )
        if recording.reference is not None:
            wer = word_error_rate([recording.reference], [batched[0].text])
            metric = f"WER, {label}, bare's batched pipeline (one pass at 0 dB)"
            rows.append(Row(metric, "", {"bare": wer}, "{:.1%}", ratios=False))
    return rows


def _short_rows(m: Measurements, corpus: Corpus) -> list[Row]:
    def latency(q: float) -> Callable[[str], float]:
        return lambda side: percentile([t.seconds for t in _by_side(m.short, side)], q)

    def rtfx(side: str) -> float:
        timings = _by_side(m.short, side)
        return sum(t.audio_seconds for t in timings) / sum(t.seconds for t in timings)

    return [
        Row("short clips: latency p50 (s)", "lower", _per_side(latency(50)), "{:.3f}"),
        Row("short clips: latency p95 (s)", "lower", _per_side(latency(95)), "{:.3f}"),
        Row("short clips: RTFx (audio s ÷ wall s, all clips)", "higher", _per_side(rtfx), "{:.1f}"),
        Row(
            f"short clips: transcripts unlike bare's (of {len(corpus.clips)})",
            "",
            _per_side(lambda side: _unlike_bare(m.short, side)),
            "{:.0f}",
            ratios=False,
        ),
    ]


def _accuracy_rows(m: Measurements, corpus: Corpus) -> list[Row]:
    """WERs pooled over every level of the accuracy phase (errors over all levels ÷ words over all)."""
    levels = ", ".join(f"-{db:.0f}" for db in LEVELS_DB) + " dB"
    librivox = [c for c in corpus.clips if c.name.startswith("librivox-")]
    referenced = corpus.referenced_clips
    sets: list[tuple[str, list[Clip]]] = [
        (f"LibriVox ({len(librivox)} sentences)", librivox),
        (f"short clips with a reference ({len(referenced)})", referenced),
    ]
    long_form = corpus.referenced_long_form
    if long_form is not None:
        sets.append((f"referenced long-form ({long_form.seconds:.0f} s)", [long_form]))
    return [_wer_row(f"WER, {name}, at {levels}", m.accuracy, clips) for name, clips in sets]


def _wer_row(metric: str, timings: Sequence[Timing], clips: list[Clip]) -> Row:
    return Row(metric, "lower", _per_side(lambda side: _wer(timings, clips, side)), "{:.1%}")


LOAD_FIGURES = (
    ("clips_per_second", "clips/s", "higher"),
    ("audio_per_second", "audio s/s", "higher"),
    ("p95", "p95 latency (s)", "lower"),
)


def _load_rows(loads: Sequence[Load]) -> list[Row]:
    """At N clients, bare's figures are its sequential ones (1 client): what one model does on its own.

    Bare as N threads sharing its model gets rows of its own, with no ratios.
    """
    found = {(load.side, load.clients): load for load in loads}
    rows = []
    for count in sorted({load.clients for load in loads}):
        for attribute, label, better in LOAD_FIGURES:
            figures = {
                side: float(getattr(found[(side, 1 if side == "bare" else count)], attribute))
                for side in SIDES
            }
            rows.append(Row(f"{count} client(s): {label}", better, figures))
        if count > 1:
            threads = found[("bare", count)]
            for value, label in [(threads.clips_per_second, "clips/s"), (threads.p95, "p95 latency (s)")]:
                metric = f"{count} client(s): bare as {count} threads on one model, {label}"
                rows.append(Row(metric, "", {"bare": value}, ratios=False))
    return rows


def rows(m: Measurements, corpus: Corpus) -> list[Row]:
    return [
        Row(
            "ready (s): bare = model load; Auricle = process start to /ready", "lower", dict(m.start_seconds)
        ),
        Row("first request, cold (s)", "lower", dict(m.first_request_seconds), "{:.2f}"),
        *_long_form_rows(m, corpus),
        *_short_rows(m, corpus),
        *_accuracy_rows(m, corpus),
        *_load_rows(m.loads),
        Row("peak RSS, VmHWM (MiB): bare = the whole bench process", "lower", dict(m.peak_rss_mib), "{:.0f}"),
        *_soak_rows(m),
    ]


def _soak_rows(m: Measurements) -> list[Row]:
    if len(m.soak_rss_mib) < 2:
        return []
    first, last = m.soak_rss_mib[0], m.soak_rss_mib[-1]
    return [
        Row(
            f"soak: RSS after {SOAK_WARM_UP_REQUESTS} warm-up requests (MiB)",
            "",
            {"defaults": first},
            "{:.0f}",
            ratios=False,
        ),
        Row("soak: RSS after the sequential requests (MiB)", "", {"defaults": last}, "{:.0f}", ratios=False),
        Row("soak: RSS growth over them", "lower", {"defaults": last / first - 1}, "{:.1%}", ratios=False),
    ]


def _cell(value: float | None, style: str) -> str:
    return "—" if value is None else style.format(value)


def _ratio(row: Row, side: str) -> str:
    bare, other = row.figures.get("bare"), row.figures.get(side)
    if not row.ratios or bare is None or other is None or bare == 0:
        return "—"
    return f"{other / bare:.2f}"


def table(all_rows: Sequence[Row]) -> str:
    lines = [
        "| metric | better | bare | Auricle matched | Auricle defaults | matched ÷ bare | defaults ÷ bare |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in all_rows:
        cells = [_cell(row.figures.get(side), row.style) for side in SIDES]
        ratios = [_ratio(row, "matched"), _ratio(row, "defaults")]
        lines.append("| " + " | ".join([row.metric, row.better, *cells, *ratios]) + " |")
    return "\n".join(lines)

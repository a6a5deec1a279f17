"""`python -m bench.accuracy`: Auricle (defaults, over HTTP) and bare faster-whisper over the corpus's
items, scored per source and language; writes bench/results/<date>-accuracy-<cpu>.md and .json."""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import results
from bench.accuracy import cache, longform, manifest, rescore
from bench.accuracy.document import Run
from bench.accuracy.items import MULTILINGUAL, Item, from_file, from_recording, from_rows
from bench.accuracy.perturb import PERTURBATIONS, variants
from bench.accuracy.run import Plan, measure
from bench.accuracy.sides import SIDES, auricle_settings
from bench.machine import Machine, Usage
from bench.phases import progress
from bench.servers import scrub_environment


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.accuracy", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=manifest.default_corpus(), help="the corpus folder")
    parser.add_argument("--manifest", type=Path, help=f"default: {manifest.EVAL_MANIFEST} in the corpus")
    parser.add_argument("--sides", default=",".join(SIDES), help="auricle,bare (default both)")
    parser.add_argument("--limit", type=int, help="at most N manifest items, taken across groups")
    parser.add_argument("--sources", default="", help="only these sources (comma-separated)")
    parser.add_argument("--ids", default="", help="only these ids or source:id keys (comma-separated)")
    parser.add_argument("--long", action=argparse.BooleanOptionalAction, default=True, help="long recordings")
    parser.add_argument("--long-limit", type=int, help="at most N long recordings")
    parser.add_argument("--give-language", action="store_true", help="send the manifest's language")
    parser.add_argument("--fresh-bare", action="store_true", help="measure bare again, not from its cache")
    parser.add_argument(
        "--auricle-env", action="append", default=[], metavar="KEY=VALUE", help="an extra AURICLE_* setting"
    )
    parser.add_argument(
        "--keywords", default="", help="keywords[] sent with every Auricle request (comma-separated)"
    )
    parser.add_argument(
        "--perturb",
        default="",
        help=f"also every item through these transformations, both sides: {','.join(PERTURBATIONS)}",
    )
    parser.add_argument("--label", help="appended to the report's file name (for variants)")
    parser.add_argument("--no-write", action="store_true", help="print the report only")
    parser.add_argument(
        "--rescore",
        type=Path,
        metavar="JSON",
        help="score a recorded run's answers again; transcribe nothing",
    )
    return parser.parse_args(argv)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _env(pairs: list[str]) -> dict[str, str]:
    """`AURICLE_VAD_FILTER=false` or `vad_filter=false` -> {"vad_filter": "false"}."""
    found = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator:
            raise SystemExit(f"--auricle-env wants KEY=VALUE, not {pair!r}")
        found[key.strip().lower().removeprefix("auricle_")] = value
    return found


def _items(args: argparse.Namespace) -> list[Item]:
    """The manifest's items after the filters, then the long recordings and multilingual.mp3."""
    sources, ids = _split(args.sources), _split(args.ids)
    rows = manifest.read(args.manifest or args.corpus / manifest.EVAL_MANIFEST)
    items = from_rows(manifest.select(rows, sources, ids, args.limit), args.corpus)
    if args.long:
        full = manifest.read(args.corpus / manifest.FULL_MANIFEST)
        extra = [from_recording(r) for r in longform.recordings(full, args.corpus)][: args.long_limit]
        extra += [from_file(MULTILINGUAL)] if MULTILINGUAL.is_file() else []
        items += [
            item
            for item in extra
            if (not sources or item.source in sources)
            and (not ids or item.key in ids or item.key.split(":", 1)[1] in ids)
        ]
    return items


def _publish(run: Run, args: argparse.Namespace) -> None:
    markdown = run.markdown()
    print(markdown)
    if not args.no_write:
        for path in results.write(markdown, run.record(), run.stem(args.label), quick=run.partial):
            progress(f"wrote {path}")


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.rescore:
        _publish(rescore.load(args.rescore), args)
        return 0
    scrub_environment()
    sides = tuple(side for side in SIDES if side in _split(args.sides))
    if not sides or set(_split(args.sides)) - set(SIDES):
        raise SystemExit(f"--sides takes {' and/or '.join(SIDES)}, comma-separated")
    machine, started, clock = Machine.here(), datetime.now(UTC), time.perf_counter()
    progress(machine.describe())
    items = _items(args)
    perturbations = _split(args.perturb)
    if set(perturbations) - set(PERTURBATIONS):
        raise SystemExit(f"--perturb takes {', '.join(PERTURBATIONS)}, comma-separated")
    items += [item for base in items for item in variants(base, perturbations)]
    progress(f"{len(items)} items, {sum(i.duration for i in items) / 60:.1f} min of audio")
    plan = Plan(
        sides=sides,
        language_given=args.give_language,
        fresh_bare=args.fresh_bare,
        auricle_env=_env(args.auricle_env),
        keywords=tuple(_split(args.keywords)),
        cache_path=cache.path_for(args.corpus, args.give_language),
        cpu=machine.model_name,
    )
    before = Usage.now()
    measured = measure(items, plan)
    partial = bool(args.limit or args.sources or args.ids or not args.long or args.long_limit)
    partial |= len(sides) < len(SIDES)
    manifest_path = args.manifest or args.corpus / manifest.EVAL_MANIFEST
    busy, wall = Usage.now().since(before), time.perf_counter() - clock
    settings = auricle_settings(plan.auricle_env)
    _publish(Run(plan, measured, manifest_path, partial, machine, busy, started, wall, settings), args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`python -m bench [--quick]`: Auricle against bare faster-whisper, on this machine, in one run."""

from __future__ import annotations

import argparse
import time
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime

from auricle.config import Settings
from auricle.engine.sources import resolve
from bench import corpus as corpus_module
from bench import phases, report, results
from bench.bare import BareWhisper
from bench.client import AuricleClient
from bench.corpus import Corpus
from bench.machine import Machine, Usage
from bench.measure import Transcriber, peak_rss_mib
from bench.phases import Measurements, Plan, progress
from bench.servers import CONFIGS, running, scrub_environment

# One rule for both sides: every clip is English (only the English half of multilingual.mp3 is used), so
# language detection, an extra encoder pass on the first window, is left out of every measurement.
LANGUAGE = "en"


def _arguments(argv: list[str] | None) -> tuple[Plan, bool]:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small subset in ~3 min, to develop with")
    parser.add_argument("--long-rounds", type=int, help="rounds of the long-form recording per side")
    parser.add_argument("--short-rounds", type=int, help="rounds of the short clips per side")
    parser.add_argument("--requests", type=int, help="requests per concurrency level and side")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    plan = Plan.of(args.quick)
    overrides = {
        "long_rounds": args.long_rounds,
        "short_rounds": args.short_rounds,
        "requests": args.requests,
    }
    return replace(plan, **{k: v for k, v in overrides.items() if v is not None}), not args.no_write


def _measure(corpus: Corpus, plan: Plan) -> Measurements:
    measured = Measurements()
    bare = BareWhisper(resolve("bundled:base", Settings().cache_dir), LANGUAGE)
    measured.start_seconds["bare"] = bare.load_seconds
    progress(f"bare model loaded in {bare.load_seconds:.2f} s")
    with ExitStack() as stack:
        servers = {name: stack.enter_context(running(name)) for name in CONFIGS}
        clients = {}
        for name, server in servers.items():
            measured.start_seconds[name] = server.ready_seconds
            progress(
                f"auricle serve ({name}) ready in {server.ready_seconds:.2f} s on {server.server.base_url}"
            )
            clients[name] = AuricleClient(server.server.base_url, LANGUAGE)
            stack.callback(clients[name].close)
        sides: dict[str, Transcriber] = {
            "bare": bare.transcribe,
            **{name: client.transcribe for name, client in clients.items()},
        }
        phases.warm_up(sides, corpus, measured)
        phases.long_form({**sides, phases.BARE_BATCHED: bare.transcribe_batched}, corpus, plan, measured)
        phases.short_clips(sides, corpus.clips, plan, measured)
        phases.accuracy(sides, corpus, measured)
        phases.concurrency(bare, clients, corpus.clips, plan, measured)
        phases.soak(clients["defaults"], servers["defaults"].server.process.pid, corpus.clips, plan, measured)
        # Read before SIGTERM: VmHWM goes with the process.
        measured.peak_rss_mib.update({name: server.peak_rss_mib for name, server in servers.items()})
    measured.peak_rss_mib["bare"] = peak_rss_mib()
    bare.close()
    return measured


def main(argv: list[str] | None = None) -> int:
    plan, write = _arguments(argv)
    scrub_environment()
    started, clock = datetime.now(UTC), time.perf_counter()
    machine = Machine.here()
    progress(machine.describe())
    corpus = corpus_module.build(plan.quick)
    progress(
        f"corpus: long-form {corpus.long_form.seconds:.0f} s of {len(corpus.long_form_parts)} recordings; "
        f"{len(corpus.clips)} short clips ({sum(c.seconds for c in corpus.clips):.0f} s)"
    )
    for missing in corpus.missing:
        progress(f"warning: not available: {missing}")
    before = Usage.now()
    measured = _measure(corpus, plan)
    busy = Usage.now().since(before)
    run = results.Run(measured, corpus, plan, machine, busy, started, time.perf_counter() - clock)
    markdown = run.document(report.table(report.rows(measured, corpus)))
    print(markdown)
    if write:
        for path in results.write(markdown, run.record(), run.stem, plan.quick):
            progress(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

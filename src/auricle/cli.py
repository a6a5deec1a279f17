"""`auricle serve | transcribe | models`: the service, offline transcription, and the model list."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from auricle.config import Settings
from auricle.errors import AuricleError
from auricle.formats.render import FILE_EXTENSIONS, ResponseFormat
from auricle.logs import configure_logging

if TYPE_CHECKING:
    from auricle.speakers.diarizer import Diarizer

# Like the whisper CLI: `all` writes every format beside each other, verbose JSON as `.json`.
_FORMAT_CHOICES = (*(str(name) for name in FILE_EXTENSIONS), "all")
_ALL_FORMATS = ("text", "vtt", "srt", "verbose_json")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings(**_overrides(args))
    except ValidationError as error:
        print(f"auricle: invalid settings:\n{error}", file=sys.stderr)
        return 2
    configure_logging(settings)
    command: Any = args.command_function
    return int(command(settings, args))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="auricle", description="OpenAI-compatible speech-to-text")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    _engine_options(serve)
    _cluster_options(serve)
    serve.set_defaults(command_function=_serve)

    transcribe = commands.add_parser("transcribe", help="transcribe or translate files without a server")
    transcribe.add_argument(
        "files", nargs="+", metavar="FILE", help="an audio or video file, a folder of them, or - for stdin"
    )
    transcribe.add_argument("--model", default=None, help="model id or alias (default: the default model)")
    transcribe.add_argument("--language", help="ISO-639-1 code of the speech; detected when left out")
    transcribe.add_argument("--task", choices=("transcribe", "translate"), default="transcribe")
    transcribe.add_argument("--format", choices=_FORMAT_CHOICES, default="all", dest="output_format")
    transcribe.add_argument("--output-dir", type=Path, default=Path("."))
    transcribe.add_argument("--temperature", type=float, default=0.0)
    transcribe.add_argument("--prompt")
    transcribe.add_argument("--word-timestamps", action="store_true")
    transcribe.add_argument(
        "--speakers", action="store_true", help="who spoke when: speakers in srt, vtt and verbose_json"
    )
    transcribe.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        help="a progress bar on stderr (default: only when stderr is a terminal)",
    )
    _engine_options(transcribe)
    transcribe.set_defaults(command_function=_transcribe)

    models = commands.add_parser("models", help="list the configured models and aliases")
    _engine_options(models)
    models.set_defaults(command_function=_models)
    _speak_command(commands)

    from auricle.accounts.cli import add_commands as add_account_commands

    add_account_commands(commands)
    return parser


def _engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--add-model",
        action="append",
        default=[],
        metavar="ID=SOURCE",
        help="serve another model: a CTranslate2 directory or a hub id (repeatable)",
    )
    parser.add_argument("--default-model")
    parser.add_argument("--threads", type=int, dest="cpu_threads", help="CPU threads per worker (default 1)")
    parser.add_argument("--compute-type")
    parser.add_argument("--device", choices=("cpu", "cuda", "auto"))
    parser.add_argument(
        "--workers", type=int, help="windows each model works on at once (default 0: one per CPU core)"
    )
    parser.add_argument("--concurrency", type=int, help="requests each model works on at once (default 8)")


def _cluster_options(parser: argparse.ArgumentParser) -> None:
    cluster = parser.add_argument_group("Ray Serve cluster (needs the [ray] extra)")
    cluster.add_argument("--ray", metavar="ADDRESS", help="deploy onto the Ray cluster at ADDRESS, host:port")
    cluster.add_argument("--replicas", type=int, default=1, help="replicas (the minimum with --max-replicas)")
    cluster.add_argument("--max-replicas", type=int, help="autoscale up to this many replicas")
    cluster.add_argument(
        "--replica-cpus", type=float, help="Ray CPUs per replica when --workers is 0 (default: --threads)"
    )


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    """Command-line values win over AURICLE_* variables; options left out keep them."""
    names = (
        "host", "port", "default_model", "cpu_threads", "compute_type", "device", "workers", "concurrency"
    )  # fmt: skip
    overrides = {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}
    if getattr(args, "add_model", None):
        models = dict(Settings().models)
        for entry in args.add_model:
            model_id, _, source = entry.partition("=")
            models[model_id] = source
        overrides["models"] = models
    return overrides


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    if args.ray:
        return _serve_on_ray(settings, args)
    import uvicorn

    from auricle.api.app import create_app
    from auricle.engine.memory import limit_malloc_arenas
    from auricle.engine.sources import ModelSourceError, resolve

    limit_malloc_arenas()  # before any model's threads start

    # Fetch or join every model's weights first, so a missing one is one clear line, not a traceback;
    # the app then loads the local directories and never asks the hub a second time.
    local: dict[str, str] = {}
    for model_id, source in settings.models.items():
        try:
            local[model_id] = str(resolve(source, settings.cache_dir))
        except ModelSourceError as error:
            print(f"auricle: cannot load model {model_id!r}: {error}", file=sys.stderr)
            return 1
    app = create_app(settings.model_copy(update={"models": local}))
    # uvicorn drains in-flight requests on SIGTERM, then re-raises the signal so the process dies of it;
    # a drained shutdown is a clean one, and orchestrators and supervisors expect it to exit 0.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    logging.getLogger("uvicorn.error").addFilter(_not_a_refusal)
    # The sans-I/O protocol of `websockets`: its older one is deprecated.
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        log_config=None,  # `logs.configure_logging` has set up every logger, uvicorn's too, as text or JSON
        access_log=False,  # the app writes its own access line, with the request id and model
        ws="websockets-sansio",
    )
    return 0


def _serve_on_ray(settings: Settings, args: argparse.Namespace) -> int:
    try:
        from auricle.cluster.app import ClusterOptions
        from auricle.cluster.launcher import serve_on_ray
    except ImportError as error:
        print(f"auricle: --ray needs Ray: pip install 'auricle[ray]' ({error})", file=sys.stderr)
        return 2
    try:
        options = ClusterOptions(
            min_replicas=args.replicas, max_replicas=args.max_replicas, replica_cpus=args.replica_cpus
        )
    except ValidationError as error:
        print(f"auricle: invalid cluster options:\n{error}", file=sys.stderr)
        return 2
    return serve_on_ray(settings, args.ray, options)


def _not_a_refusal(record: logging.LogRecord) -> bool:
    """uvicorn's sans-I/O WebSocket protocol logs an error after every handshake the app refused with
    an HTTP answer (a 401, a 429 for a full server): the refusal is the app's intent, not an error."""
    return record.getMessage() != "ASGI callable returned without completing handshake."


def _exit_cleanly(_signal: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def _models(settings: Settings, _: argparse.Namespace) -> int:
    for model_id, source in settings.models.items():
        marker = " (default)" if model_id == settings.default_model else ""
        print(f"{model_id}\t{source}{marker}")
    for alias, target in settings.aliases.items():
        print(f"{alias}\t-> {target}")
    return 0


def _transcribe(settings: Settings, args: argparse.Namespace) -> int:
    from auricle.engine.options import DecodeOptions
    from auricle.offline import STDIN, transcribe_files
    from auricle.progress import shows_progress

    if args.files.count(STDIN) > 1:  # the first would read it all, and the rest nothing
        print("auricle: - (standard input) can be given only once", file=sys.stderr)
        return 2
    names = _ALL_FORMATS if args.output_format == "all" else (args.output_format,)
    options = DecodeOptions(
        task=args.task,
        language=args.language,
        prompt=args.prompt,
        temperature=args.temperature,
        # Speakers split segments between words, so they need the words' times.
        word_timestamps=args.word_timestamps or args.speakers,
    )
    try:
        failures = transcribe_files(
            settings,
            args.files,
            model=args.model,
            options=options,
            formats=[ResponseFormat(name) for name in names],
            output_dir=args.output_dir,
            progress=shows_progress(args.progress, sys.stderr),
            speakers=_speakers(settings) if args.speakers else None,
        )
    except AuricleError as error:
        print(f"auricle: {error.message}", file=sys.stderr)
        return 1
    return 1 if failures else 0


def _speak_command(commands: Any) -> None:
    speak = commands.add_parser("speak", help="read text aloud into an audio file, without a server")
    speak.add_argument("text", help="the text to speak, or - to read it from standard input")
    speak.add_argument("-o", "--output", required=True, help="the audio file to write, or - for stdout")
    speak.add_argument("--voice", default="alloy", help="an OpenAI voice name or heart/joe (default alloy)")
    speak.add_argument("--format", choices=("mp3", "opus", "aac", "flac", "wav", "pcm"), dest="speech_format")
    speak.add_argument("--speed", type=float, default=1.0, help="0.25 to 4.0 (default 1)")
    speak.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        help="a progress line on stderr (default: only when stderr is a terminal)",
    )
    speak.set_defaults(command_function=_speak)


def _speak(settings: Settings, args: argparse.Namespace) -> int:
    from auricle.progress import shows_progress
    from auricle.speaking import format_for, speak

    text = sys.stdin.read() if args.text == "-" else args.text
    if len(text) > 4096 or not 0.25 <= args.speed <= 4.0:
        print("auricle: the text must be at most 4096 characters and --speed 0.25 to 4.0", file=sys.stderr)
        return 2
    progress = sys.stderr if shows_progress(args.progress, sys.stderr) else None
    options = {"voice": args.voice, "speed": args.speed, "progress": progress}
    options["response_format"] = format_for(args.output, args.speech_format)
    try:
        if args.output == "-":
            asked, read_by = speak(settings, text, sys.stdout.buffer, **options)
        else:
            with open(args.output, "wb") as output:
                asked, read_by = speak(settings, text, output, **options)
    except AuricleError as error:
        print(f"auricle: {error.message}", file=sys.stderr)
        return 1
    if asked.voice_id != read_by:
        print(
            f"auricle: voice {asked.requested} needs {asked.voice_id}, not installed; {read_by} read",
            file=sys.stderr,
        )
    return 0


def _speakers(settings: Settings) -> Diarizer:
    from auricle.speakers.factory import build

    return build(settings)

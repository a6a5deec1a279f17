"""Transcribing files on this machine without a server, for `auricle transcribe`.

Inputs are files, folders (the media files inside them, recursively) and `-` (standard input). Each
writes `<name>.<ext>` per format into the output directory: a plain file or stdin as `<stem>` (`stdin`),
a file found in a folder as its path below that folder, so the folder's layout is mirrored and two
`intro.mp3` in different subfolders keep both transcripts. Inputs that would still share a name keep
their whole file name (`talk.mp3.txt` beside `talk.wav.txt`); one that clashes even so is skipped and
reported rather than overwriting another's transcript.
"""

from __future__ import annotations

import io
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from auricle.audio.decode import decode
from auricle.config import Settings
from auricle.engine.factory import whisper_config
from auricle.engine.options import DecodeOptions
from auricle.engine.protocol import SAMPLE_RATE, Samples, SpeechModel
from auricle.engine.registry import check_model_supports
from auricle.engine.sources import resolve
from auricle.engine.transcript import Segment, Transcript
from auricle.engine.whisper import FasterWhisperModel
from auricle.errors import AuricleError, NotFound
from auricle.formats.render import FILE_EXTENSIONS, ResponseFormat, render
from auricle.formats.speakers import render_with_speakers
from auricle.progress import ProgressBar
from auricle.speakers.clustering import Count
from auricle.speakers.diarizer import Diarizer

STDIN = "-"

# What a folder is searched for: audio and video containers FFmpeg reads. Named files are tried whatever
# their extension (the audio is sniffed from the bytes); this only keeps a folder's notes, images and our
# own outputs from being reported as undecodable.
MEDIA_EXTENSIONS = frozenset(
    {
        "3g2", "3gp", "aac", "ac3", "aif", "aifc", "aiff", "amr", "ape", "au", "avi", "caf", "dts", "eac3",
        "flac", "flv", "m2ts", "m4a", "m4b", "m4v", "mka", "mkv", "mov", "mp2", "mp3", "mp4", "mpeg", "mpg",
        "mpga", "mts", "oga", "ogg", "ogv", "opus", "snd", "spx", "ts", "wav", "weba", "webm", "wma", "wmv",
        "wv",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Source:
    """One recording to transcribe."""

    path: Path | None
    """Where it is read from; None for standard input."""
    label: str
    """Its name on stdout, stderr and the progress bar: the path as given or found, or `stdin`."""
    output: Path
    """Its outputs' path below the output directory, without the format's extension."""


@dataclass(frozen=True, slots=True)
class _Found:
    path: Path | None
    base: Path  # the output name before clashes are resolved
    suffix: str


def media_files(folder: Path) -> list[Path]:
    """The media files below `folder`, recursively, sorted; hidden files and folders left out."""
    found: list[Path] = []
    for root, folders, names in os.walk(folder):  # symlinked folders are not followed: no cycles
        folders[:] = [name for name in folders if not name.startswith(".")]
        found.extend(
            Path(root, name)
            for name in names
            if not name.startswith(".") and name.rpartition(".")[2].lower() in MEDIA_EXTENSIONS
        )
    return sorted(found, key=lambda path: path.relative_to(folder).parts)


def sources(arguments: Sequence[str]) -> tuple[list[Source], list[str]]:
    """What `arguments` name, in order and each once, with their output names; and a problem per folder
    without media or input whose outputs would overwrite another's."""
    found: list[_Found] = []
    problems: list[str] = []
    seen: set[Path] = set()
    for argument in arguments:
        if argument == STDIN:
            found.append(_Found(None, Path("stdin"), ""))
            continue
        named = _named_by(Path(argument))
        if not named:
            problems.append(f"{argument}: no audio or video files in this folder")
        for file, base in named:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                found.append(_Found(file, base, file.suffix))
    sourced, clashes = _named(found)
    return sourced, problems + clashes


def _named_by(path: Path) -> list[tuple[Path, Path]]:
    """The files `path` stands for, each with its output name: a folder's mirror its layout below it."""
    if not path.is_dir():  # a file, or a missing one that fails when read, as a file would
        return [(path, Path(path.stem))]
    return [(file, file.relative_to(path).with_suffix("")) for file in media_files(path)]


def _named(found: list[_Found]) -> tuple[list[Source], list[str]]:
    """Each input's output name: its base, or its whole name where bases clash; a clash left over is
    skipped, never written over another input's transcript."""
    clashing = Counter(item.base for item in found)
    owners: dict[Path, str] = {}
    named: list[Source] = []
    problems: list[str] = []
    for item in found:
        label = "stdin" if item.path is None else str(item.path)
        output = item.base if clashing[item.base] == 1 else item.base.with_name(item.base.name + item.suffix)
        if output in owners:
            problems.append(f"{label}: skipped: its outputs would overwrite those of {owners[output]}")
            continue
        owners[output] = label
        named.append(Source(item.path, label, output))
    return named, problems


def transcribe_files(
    settings: Settings,
    inputs: Sequence[str],
    *,
    model: str | None,
    options: DecodeOptions,
    formats: Iterable[ResponseFormat],
    output_dir: Path,
    progress: bool = False,
    speakers: Diarizer | None = None,
) -> int:
    """Transcribes what `inputs` name into `output_dir`; returns the number of inputs that failed.
    With `speakers`, srt, vtt and verbose_json carry who spoke (`auricle transcribe --speakers`)."""
    model_id = settings.aliases.get(model or settings.default_model, model or settings.default_model)
    if model_id not in settings.models:
        raise NotFound(f"The model `{model}` is not configured; `auricle models` lists them.")
    found, problems = sources(inputs)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not found:
        return len(problems)
    speech_model = FasterWhisperModel(
        resolve(settings.models[model_id], settings.cache_dir), whisper_config(settings)
    )
    try:
        check_model_supports(model_id, speech_model.multilingual, options)
        return len(problems) + write_transcripts(
            speech_model,
            found,
            max_seconds=settings.max_audio_seconds,
            options=options,
            formats=tuple(formats),
            output_dir=output_dir,
            progress=progress,
            speakers=speakers,
        )
    finally:
        speech_model.close()


def write_transcripts(
    speech_model: SpeechModel,
    found: Iterable[Source],
    *,
    max_seconds: float,
    options: DecodeOptions,
    formats: tuple[ResponseFormat, ...],
    output_dir: Path,
    progress: bool,
    speakers: Diarizer | None = None,
) -> int:
    """Each source transcribed, printed as `label: text` and written in every format; one that cannot be
    read or decoded is reported on stderr and the rest go on. Returns how many failed."""
    failures = 0
    for source in found:
        try:
            samples = read_samples(source, max_seconds)
        except (OSError, AuricleError) as error:
            print(f"{source.label}: {_reason(error)}", file=sys.stderr)
            failures += 1
            continue
        transcript = _transcribed(speech_model, samples, options, source.label if progress else None)
        print(f"{source.label}: {transcript.text}", flush=True)
        who = speakers.diarize(samples, Count()) if speakers is not None else None
        for response_format in formats:
            if who is not None:
                rendered = render_with_speakers(
                    transcript, who, response_format, words=options.word_timestamps
                )
            else:
                rendered = render(transcript, response_format, words=options.word_timestamps)
            target = (
                output_dir / source.output.parent / f"{source.output.name}.{FILE_EXTENSIONS[response_format]}"
            )
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(rendered.body, encoding="utf-8")
    return failures


def read_samples(source: Source, max_seconds: float) -> Samples:
    """The source's audio; standard input is read whole first, since containers may need to seek."""
    if source.path is not None:
        with source.path.open("rb") as handle:
            return decode(handle, max_seconds)
    if sys.stdin.isatty():  # reading would wait for a person to type audio
        raise OSError("standard input is a terminal; pipe or redirect audio into it")
    return decode(io.BytesIO(sys.stdin.buffer.read()), max_seconds)


def _reason(error: OSError | AuricleError) -> str:
    if isinstance(error, AuricleError):
        return error.message
    return error.strerror or str(error)


def _transcribed(
    speech_model: SpeechModel, samples: Samples, options: DecodeOptions, bar_label: str | None
) -> Transcript:
    """The transcript, with a progress bar on stderr when `bar_label` is given.

    Only then is the engine asked for its segments as they become final: it decodes the first parts in
    the order they were spoken so that progress shows early, where otherwise it starts the longest first.
    """
    if bar_label is None:
        return speech_model.transcribe(samples, options, lambda: False)
    with ProgressBar(sys.stderr, bar_label, len(samples) / SAMPLE_RATE) as bar:

        def on_final(segments: Sequence[Segment]) -> None:
            if segments:  # the last final segment's end is how far into the audio the text is done
                bar.advance(segments[-1].end)

        return speech_model.transcribe(samples, options, lambda: False, on_final)

"""A client's session update, in either dialect, applied to the session's settings.

OpenAI's semantics: only the fields present change, and `null` turns turn detection off. An unknown
field is an error naming its dotted path (`unknown_parameter`, as OpenAI answers), so a typo is never
silently ignored; fields that only mean something to OpenAI's speech-to-speech sessions
(`create_response`, `interrupt_response`, `idle_timeout_ms`, `delay`, `modalities`) are accepted and
have no effect. Rates other than 24 kHz are an Auricle extension: OpenAI takes only 24 kHz.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from auricle.audio.pcm import ENCODINGS, Encoding, PcmFormat
from auricle.engine.languages import REQUEST_LANGUAGES
from auricle.errors import InvalidRequest
from auricle.formats.realtime import BETA_FORMATS, LOGPROBS, Dialect
from auricle.live.config import LiveConfig
from auricle.live.turns import TurnDetection

MIN_RATE, MAX_RATE = 8_000, 48_000
_BETA_ENCODINGS: dict[str, Encoding] = {name: encoding for encoding, name in BETA_FORMATS.items()}
_IGNORED = frozenset({"create_response", "interrupt_response", "idle_timeout_ms", "delay", "modalities"})
_READ_ONLY = frozenset({"id", "object", "expires_at", "client_secret"})


def apply(config: LiveConfig, session: object, dialect: Dialect, max_prompt_chars: int) -> LiveConfig:
    fields = _object(session, "session")
    if dialect == "beta":
        return _apply_beta(config, fields, max_prompt_chars)
    kind = fields.get("type")
    if kind != "transcription":
        raise InvalidRequest(
            f"This is a transcription session: session.type must be 'transcription', not {kind!r}."
            if kind is not None
            else "Missing required parameter: 'session.type'.",
            param="session.type",
            code="invalid_value" if kind is not None else "missing_required_parameter",
        )
    _known(fields, "session", {"type", "audio", "include"})
    config = _include(config, fields)
    audio = _object(fields.get("audio", {}), "session.audio")
    _known(audio, "session.audio", {"input", "output"})
    heard = _object(audio.get("input", {}), "session.audio.input")
    _known(heard, "session.audio.input", {"format", "transcription", "noise_reduction", "turn_detection"})
    if "format" in heard:
        config = replace(config, audio=_ga_format(heard["format"]))
    if "transcription" in heard:
        config = _transcription(
            config, heard["transcription"], "session.audio.input.transcription", max_prompt_chars
        )
    if "noise_reduction" in heard:
        config = replace(
            config, noise_reduction=_noise(heard["noise_reduction"], "session.audio.input.noise_reduction")
        )
    if "turn_detection" in heard:
        config = replace(
            config, turn_detection=_turns(heard["turn_detection"], "session.audio.input.turn_detection")
        )
    return config


def _apply_beta(config: LiveConfig, fields: dict[str, Any], max_prompt_chars: int) -> LiveConfig:
    allowed = {
        "input_audio_format",
        "input_audio_transcription",
        "turn_detection",
        "input_audio_noise_reduction",
    }
    _known(fields, "session", {*allowed, "include"})
    config = _include(config, fields)
    if "input_audio_format" in fields:
        name = fields["input_audio_format"]
        if name not in _BETA_ENCODINGS:
            raise _invalid("session.input_audio_format", name, list(_BETA_ENCODINGS))
        config = replace(config, audio=PcmFormat.of(_BETA_ENCODINGS[name]))
    if "input_audio_transcription" in fields:
        config = _transcription(
            config, fields["input_audio_transcription"], "session.input_audio_transcription", max_prompt_chars
        )
    if "input_audio_noise_reduction" in fields:
        config = replace(
            config,
            noise_reduction=_noise(
                fields["input_audio_noise_reduction"], "session.input_audio_noise_reduction"
            ),
        )
    if "turn_detection" in fields:
        config = replace(config, turn_detection=_turns(fields["turn_detection"], "session.turn_detection"))
    return config


def _include(config: LiveConfig, fields: dict[str, Any]) -> LiveConfig:
    if "include" not in fields:
        return config
    include = fields["include"] or []
    if not isinstance(include, list) or any(entry != LOGPROBS for entry in include):
        raise _invalid("session.include", include, [LOGPROBS])
    return replace(config, logprobs=bool(include))


def _ga_format(value: object) -> PcmFormat:
    if isinstance(value, str):  # the spelling OpenAI's own example uses
        if value not in _BETA_ENCODINGS:
            raise _invalid("session.audio.input.format", value, list(_BETA_ENCODINGS))
        return PcmFormat.of(_BETA_ENCODINGS[value])
    fields = _object(value, "session.audio.input.format")
    _known(fields, "session.audio.input.format", {"type", "rate"})
    encoding = fields.get("type", "audio/pcm")
    if encoding not in ENCODINGS:
        raise _invalid("session.audio.input.format.type", encoding, list(ENCODINGS))
    if encoding != "audio/pcm":
        return PcmFormat.of(encoding)
    rate = fields.get("rate", 24_000)
    if not isinstance(rate, int) or isinstance(rate, bool) or not MIN_RATE <= rate <= MAX_RATE:
        raise InvalidRequest(
            f"Invalid 'session.audio.input.format.rate': {rate!r}. Expected an integer sample rate "
            f"from {MIN_RATE} to {MAX_RATE} (OpenAI's clients send 24000).",
            param="session.audio.input.format.rate",
            code="invalid_value",
        )
    return PcmFormat("audio/pcm", rate)


def _transcription(config: LiveConfig, value: object, path: str, max_prompt_chars: int) -> LiveConfig:
    fields = _object(value, path)
    _known(fields, path, {"model", "language", "prompt", "languages", "keywords", "delay"})
    changes: dict[str, Any] = {}
    if fields.get("model") is not None:
        changes["model"] = _text(fields["model"], f"{path}.model", 64)
    if "language" in fields:
        language = fields["language"]
        if language is not None and language not in REQUEST_LANGUAGES:
            raise InvalidRequest(
                f"Invalid language '{language}'. Language parameter must be specified in ISO-639-1 format.",
                param=f"{path}.language",
                code="invalid_language_format",
            )
        changes["language"] = language
    if "prompt" in fields:
        changes["prompt"] = _text(fields["prompt"] or "", f"{path}.prompt", max_prompt_chars)
    for name in ("languages", "keywords"):
        if name in fields:
            changes[name] = _strings(
                fields[name], f"{path}.{name}", REQUEST_LANGUAGES if name == "languages" else None
            )
    return replace(config, **changes)


def _turns(value: object, path: str) -> TurnDetection | None:
    if value is None:
        return None
    fields = _object(value, path)
    _known(
        fields,
        path,
        {"type", "threshold", "prefix_padding_ms", "silence_duration_ms", *_IGNORED, "eagerness"},
    )
    kind = fields.get("type", "server_vad")
    if kind != "server_vad":
        raise InvalidRequest(
            f"Invalid value: '{kind}'. Auricle detects turns with 'server_vad' only "
            "(or none: set turn_detection to null and commit each turn).",
            param=f"{path}.type",
            code="invalid_value",
        )
    default = TurnDetection()
    threshold = _number(fields.get("threshold", default.threshold), f"{path}.threshold", 0.0, 1.0)
    padding = _number(
        fields.get("prefix_padding_ms", default.prefix_padding_ms), f"{path}.prefix_padding_ms", 0, 10_000
    )
    silence = _number(
        fields.get("silence_duration_ms", default.silence_duration_ms),
        f"{path}.silence_duration_ms",
        0,
        10_000,
    )
    return TurnDetection(float(threshold), int(padding), int(silence))


def _noise(value: object, path: str) -> str | None:
    if value is None:
        return None
    fields = _object(value, path)
    _known(fields, path, {"type", "strength"})
    kind = fields.get("type")
    if kind not in ("near_field", "far_field"):
        raise _invalid(f"{path}.type", kind, ["near_field", "far_field"])
    return str(kind)


def _object(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidRequest(
            f"Invalid type for '{path}': expected an object.", param=path, code="invalid_type"
        )
    return value


def _known(fields: dict[str, Any], path: str, allowed: set[str]) -> None:
    for name in fields:
        if name not in allowed and name not in _IGNORED and name not in _READ_ONLY:
            raise InvalidRequest(
                f"Unknown parameter: '{path}.{name}'.", param=f"{path}.{name}", code="unknown_parameter"
            )


def _text(value: object, path: str, max_chars: int) -> str:
    if not isinstance(value, str) or len(value) > max_chars:
        raise InvalidRequest(
            f"Invalid '{path}': expected a string of at most {max_chars} characters.",
            param=path,
            code="invalid_value",
        )
    return value


def _strings(value: object, path: str, allowed: frozenset[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(entry, str) and entry for entry in value):
        raise InvalidRequest(
            f"Invalid '{path}': expected a list of strings.", param=path, code="invalid_type"
        )
    for entry in value:
        if allowed is not None and entry not in allowed:
            raise _invalid(path, entry, None)
    return tuple(value)


def _number(value: object, path: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise InvalidRequest(
            f"Invalid '{path}': {value!r}. Expected a number from {low:g} to {high:g}.",
            param=path,
            code="invalid_value",
        )
    return float(value)


def _invalid(path: str, value: object, supported: list[str] | None) -> InvalidRequest:
    choices = (
        f" Supported values are: {', '.join(repr(choice) for choice in supported)}." if supported else ""
    )
    return InvalidRequest(
        f"Invalid value: {value!r} for '{path}'.{choices}", param=path, code="invalid_value"
    )

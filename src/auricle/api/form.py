"""The multipart form of both audio endpoints: one Pydantic model each, every rule in one place.

Clients put lists on the wire as repeated `name[]` fields, objects as `name[key]`, booleans as
"true"/"false", and leave out what is unset; unknown fields are ignored, as OpenAI does.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from starlette.datastructures import FormData, UploadFile

from auricle.api.chunking import parse_chunking
from auricle.api.multipart import FileWithoutFilename
from auricle.engine.languages import REQUEST_LANGUAGES
from auricle.engine.options import Chunking
from auricle.errors import InvalidRequest
from auricle.formats.render import ResponseFormat

Granularity = Literal["word", "segment"]
# Lists arrive as repeated `name[]` parts from the SDKs, and as repeated or single `name` from curl users.
_LIST_FIELDS = frozenset({"timestamp_granularities", "include", "keywords", "languages"})
# As OpenAI documents it (`TranscriptionChunkingStrategy`), not as Auricle holds it.
_CHUNKING_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "enum": ["auto"]},
        {
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": ["server_vad"]},
                "threshold": {"type": "number", "default": 0.5, "minimum": 0, "maximum": 1},
                "prefix_padding_ms": {"type": "integer", "default": 300, "minimum": 0},
                "silence_duration_ms": {"type": "integer", "default": 200, "minimum": 0},
            },
            "required": ["type"],
            "additionalProperties": False,
        },
    ],
    "title": "Chunking Strategy",
}
_STREAMED_FORMATS = frozenset({ResponseFormat.JSON, ResponseFormat.TEXT, ResponseFormat.DIARIZED_JSON})
_NESTED_KEY = re.compile(r"^(?P<outer>[A-Za-z_]+)\[(?P<inner>[A-Za-z_]+)\]$")
# Errors whose message and code we write ourselves; any other Pydantic error is reworded generically.
_OUR_CODES = frozenset(
    {
        "invalid_value",
        "invalid_language_format",
        "decimal_above_max_value",
        "decimal_below_min_value",
        "string_above_max_length",
    }
)


def _supported(values: list[str]) -> str:
    quoted = [f"'{value}'" for value in values]
    return ", ".join(quoted[:-1]) + f", and {quoted[-1]}" if len(quoted) > 2 else " and ".join(quoted)


class AudioForm(BaseModel):
    """The fields both endpoints share."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    model: str = Field(min_length=1)
    prompt: str | None = None
    response_format: ResponseFormat = ResponseFormat.JSON
    temperature: float = Field(default=0.0, json_schema_extra={"minimum": 0, "maximum": 1})

    @field_validator("response_format", mode="before")
    @classmethod
    def _known_format(cls, value: object) -> object:
        allowed = [member.value for member in ResponseFormat]
        if value not in allowed:
            raise PydanticCustomError(
                "invalid_value", f"Invalid value: '{value}'. Supported values are: {_supported(allowed)}."
            )
        return value

    @field_validator("prompt")
    @classmethod
    def _prompt_within_cap(cls, value: str | None, info: ValidationInfo) -> str | None:
        limit = (info.context or {}).get("max_prompt_chars")
        if value is not None and limit is not None and len(value) > limit:
            raise PydanticCustomError(
                "string_above_max_length",
                f"Invalid 'prompt': string too long. Expected a string with maximum length {limit}, "
                f"but got a string with length {len(value)} instead.",
            )
        return value

    @field_validator("temperature")
    @classmethod
    def _temperature_in_range(cls, value: float) -> float:
        if math.isnan(value):
            raise PydanticCustomError(
                "invalid_value", "Invalid 'temperature': expected a number from 0 to 1."
            )
        if value > 1:
            raise PydanticCustomError(
                "decimal_above_max_value",
                "Invalid 'temperature': decimal above maximum value. "
                f"Expected a value <= 1, but got {value:g} instead.",
            )
        if value < 0:
            raise PydanticCustomError(
                "decimal_below_min_value",
                "Invalid 'temperature': decimal below minimum value. "
                f"Expected a value >= 0, but got {value:g} instead.",
            )
        return value


class TranslationForm(AudioForm):
    @field_validator("response_format")
    @classmethod
    def _no_speakers(cls, value: ResponseFormat) -> ResponseFormat:
        if value is ResponseFormat.DIARIZED_JSON:
            allowed = [
                member.value for member in ResponseFormat if member is not ResponseFormat.DIARIZED_JSON
            ]
            raise PydanticCustomError(
                "invalid_value",
                f"Invalid value: '{value.value}'. Supported values are: {_supported(allowed)}.",
            )
        return value


class TranscriptionForm(AudioForm):
    language: str | None = None
    timestamp_granularities: tuple[Granularity, ...] = Field(
        default=("segment",),
        validation_alias=AliasChoices("timestamp_granularities[]", "timestamp_granularities"),
    )
    stream: bool = False
    """Server-Sent Events for every model, whisper-1 included (where OpenAI ignores it and the SDKs
    then yield nothing): the events carry text, so only `json` and `text` go with it."""
    include: tuple[str, ...] = Field(default=(), validation_alias=AliasChoices("include[]", "include"))
    chunking_strategy: Annotated[Chunking | None, WithJsonSchema(_CHUNKING_SCHEMA)] = None
    """None for `auto` and when unset: Auricle's own spans of speech."""
    keywords: tuple[str, ...] = Field(default=(), validation_alias=AliasChoices("keywords[]", "keywords"))
    languages: tuple[str, ...] = Field(default=(), validation_alias=AliasChoices("languages[]", "languages"))
    # Speaker diarization (`api/diarization.py`): OpenAI's known speakers, and count hints of Auricle's own.
    known_speaker_names: tuple[str, ...] = Field(
        default=(), validation_alias=AliasChoices("known_speaker_names[]", "known_speaker_names")
    )
    known_speaker_references: tuple[str, ...] = Field(
        default=(), validation_alias=AliasChoices("known_speaker_references[]", "known_speaker_references")
    )
    num_speakers: int | None = Field(default=None, ge=1, le=32)
    min_speakers: int | None = Field(default=None, ge=1, le=32)
    max_speakers: int | None = Field(default=None, ge=1, le=32)

    @field_validator("known_speaker_names", "known_speaker_references", mode="before")
    @classmethod
    def _listed(cls, values: object) -> object:
        return (values,) if isinstance(values, str) else values

    @model_validator(mode="after")
    def _known_speakers_pair(self) -> TranscriptionForm:
        for name, values in (
            ("known_speaker_names", self.known_speaker_names),
            ("known_speaker_references", self.known_speaker_references),
        ):
            if len(values) > 4:
                raise PydanticCustomError(
                    "invalid_value",
                    f"Invalid '{name}': up to 4 known speakers are supported, got {len(values)}.",
                    {"param": name},
                )
        if len(self.known_speaker_names) != len(self.known_speaker_references):
            raise PydanticCustomError(
                "invalid_value",
                f"known_speaker_names[] has {len(self.known_speaker_names)} entries but "
                f"known_speaker_references[] has {len(self.known_speaker_references)}: "
                "give one name per reference.",
                {"param": "known_speaker_references"},
            )
        if self.min_speakers and self.max_speakers and self.min_speakers > self.max_speakers:
            raise PydanticCustomError(
                "invalid_value",
                f"min_speakers ({self.min_speakers}) is above max_speakers ({self.max_speakers}).",
                {"param": "min_speakers"},
            )
        return self

    @field_validator("chunking_strategy", mode="before")
    @classmethod
    def _chunking(cls, value: object) -> Chunking | None:
        return parse_chunking(value)

    @field_validator("languages", mode="before")
    @classmethod
    def _candidate_languages(cls, values: object) -> object:
        listed = values if isinstance(values, list | tuple) else [values]
        return tuple(cls._iso_639_1(value) for value in listed)

    @field_validator("language", mode="before")
    @classmethod
    def _iso_639_1(cls, value: object) -> object:
        # ASCII first: str.lower() maps look-alikes such as the Kelvin sign onto Latin letters.
        if isinstance(value, str) and value.isascii() and value.lower() in REQUEST_LANGUAGES:
            return value.lower()
        raise PydanticCustomError(
            "invalid_language_format",
            f"Invalid language '{value}'. Language parameter must be specified in ISO-639-1 format.",
        )

    @field_validator("timestamp_granularities", mode="before")
    @classmethod
    def _known_granularities(cls, values: object) -> object:
        for value in values if isinstance(values, list | tuple) else [values]:
            if value not in ("word", "segment"):
                raise PydanticCustomError(
                    "invalid_value", f"Invalid value: '{value}'. Supported values are: 'word' and 'segment'."
                )
        return values

    @model_validator(mode="after")
    def _words_need_verbose_json(self) -> TranscriptionForm:
        if "word" in self.timestamp_granularities and self.response_format is not ResponseFormat.VERBOSE_JSON:
            raise PydanticCustomError(
                "invalid_value",
                "timestamp_granularities[]=word requires response_format 'verbose_json'.",
                {"param": "timestamp_granularities"},
            )
        return self

    @model_validator(mode="after")
    def _streams_carry_text(self) -> TranscriptionForm:
        if self.stream and self.response_format not in _STREAMED_FORMATS:
            raise PydanticCustomError(
                "invalid_value",
                f"response_format '{self.response_format.value}' is not supported with stream=true: "
                "the stream's events carry text. Use 'json' or 'text', or leave stream out.",
                {"param": "response_format"},
            )
        return self

    @property
    def logprobs(self) -> bool:
        """Logprobs are in `json` and in a stream's events only, as OpenAI documents them."""
        return "logprobs" in self.include and (self.stream or self.response_format is ResponseFormat.JSON)

    @property
    def timings(self) -> bool:
        """`include[]=segments` on a stream (Auricle's own): its done event carries the segments and words
        that `verbose_json` would, so a client gets the text as it comes and the timings at the end."""
        return "segments" in self.include and self.stream

    @property
    def words(self) -> bool:
        return "word" in self.timestamp_granularities

    @property
    def segments(self) -> bool:
        return "segment" in self.timestamp_granularities


FormT = TypeVar("FormT", bound=AudioForm)


def collect(form: FormData) -> tuple[list[UploadFile], dict[str, Any]]:
    """Split a parsed multipart body into its `file` parts and the other fields, lists and objects."""
    files: list[UploadFile] = []
    fields: dict[str, Any] = {}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            if key == "file":
                files.append(value)
            continue
        if value == "":  # the SDKs drop empty values; others send them to mean "unset"
            continue
        nested = _NESTED_KEY.match(key)
        name = key.removesuffix("[]")
        if key.endswith("[]") or name in _LIST_FIELDS:
            fields.setdefault(f"{name}[]", []).append(value)
        elif nested:
            outer = fields.setdefault(nested["outer"], {})
            if isinstance(outer, dict):
                outer[nested["inner"]] = value
        else:
            fields[key] = value
    return files, fields


def parse(form_type: type[FormT], form: FormData, *, max_prompt_chars: int) -> tuple[UploadFile, FormT]:
    files, fields = collect(form)
    if not files and "file" in fields:
        # A part without a filename is parsed as text: the audio in it is already mangled.
        raise FileWithoutFilename
    try:
        parsed = form_type.model_validate(fields, context={"max_prompt_chars": max_prompt_chars})
    except ValidationError as error:
        raise _invalid_request(error) from None
    if not files:
        raise InvalidRequest(
            "Missing required parameter: 'file'.", param="file", code="missing_required_parameter"
        )
    if len(files) > 1:
        raise InvalidRequest(
            f"Expected one 'file' part, got {len(files)}.", param="file", code="invalid_value"
        )
    return files[0], parsed


def _invalid_request(error: ValidationError) -> InvalidRequest:
    first = error.errors()[0]
    loc = first["loc"]
    param = str(loc[0]).removesuffix("[]") if loc else (first.get("ctx") or {}).get("param")
    if first["type"] == "missing":
        return InvalidRequest(
            f"Missing required parameter: '{param}'.", param=param, code="missing_required_parameter"
        )
    if first["type"] in _OUR_CODES:
        return InvalidRequest(first["msg"], param=param, code=first["type"])
    return InvalidRequest(f"Invalid value for '{param}': {first['msg']}.", param=param, code="invalid_value")

"""The multipart form of both audio endpoints: how the SDKs' wire encoding is read, and every rejection."""

from __future__ import annotations

import io

import pytest
from starlette.datastructures import FormData, UploadFile

from auricle.api.form import TranscriptionForm, TranslationForm, collect, parse
from auricle.engine.options import Chunking
from auricle.errors import InvalidRequest, Reason
from auricle.formats.render import ResponseFormat

PROMPT_CAP = 100

Items = list[tuple[str, str | UploadFile]]


def upload(name: str = "audio.wav", data: bytes = b"RIFF") -> UploadFile:
    return UploadFile(io.BytesIO(data), filename=name)


def form(*items: tuple[str, str | UploadFile], file: bool = True, model: bool = True) -> FormData:
    head: Items = []
    if file:
        head.append(("file", upload()))
    if model:
        head.append(("model", "whisper-1"))
    return FormData([*head, *items])


def transcription(*items: tuple[str, str | UploadFile]) -> TranscriptionForm:
    return parse(TranscriptionForm, form(*items), max_prompt_chars=PROMPT_CAP)[1]


def rejection(form_type: type[TranscriptionForm] | type[TranslationForm], data: FormData) -> InvalidRequest:
    with pytest.raises(InvalidRequest) as caught:
        parse(form_type, data, max_prompt_chars=PROMPT_CAP)
    assert caught.value.reason is Reason.INVALID
    assert str(caught.value) == caught.value.message
    return caught.value


# --- collect -----------------------------------------------------------------------------------------------


def test_collect_splits_files_from_fields() -> None:
    audio = upload()
    files, fields = collect(FormData([("file", audio), ("model", "whisper-1"), ("language", "en")]))

    assert files == [audio]
    assert fields == {"model": "whisper-1", "language": "en"}


def test_collect_lists_repeated_bracketed_fields_in_order() -> None:
    _, fields = collect(
        FormData(
            [
                ("timestamp_granularities[]", "word"),
                ("include[]", "logprobs"),
                ("timestamp_granularities[]", "segment"),
            ]
        )
    )

    assert fields == {"timestamp_granularities[]": ["word", "segment"], "include[]": ["logprobs"]}


def test_collect_nests_bracketed_object_keys() -> None:
    _, fields = collect(
        FormData(
            [
                ("chunking_strategy[type]", "server_vad"),
                ("chunking_strategy[threshold]", "0.5"),
                ("chunking_strategy[prefix_padding_ms]", "300"),
                ("chunking_strategy[silence_duration_ms]", "200"),
            ]
        )
    )

    assert fields == {
        "chunking_strategy": {
            "type": "server_vad",
            "threshold": "0.5",
            "prefix_padding_ms": "300",
            "silence_duration_ms": "200",
        }
    }


def test_collect_keeps_the_string_form_of_an_object_field() -> None:
    assert collect(FormData([("chunking_strategy", "auto")]))[1] == {"chunking_strategy": "auto"}


def test_collect_drops_empty_strings() -> None:
    _, fields = collect(
        FormData([("model", "m"), ("language", ""), ("prompt", ""), ("timestamp_granularities[]", "")])
    )

    assert fields == {"model": "m"}


def test_collect_ignores_uploads_under_other_names() -> None:
    audio = upload()
    files, fields = collect(FormData([("attachment", upload()), ("file", audio), ("model", "m")]))

    assert files == [audio]
    assert fields == {"model": "m"}


# --- parse: what is accepted -------------------------------------------------------------------------------


def test_minimal_request_gets_openais_defaults() -> None:
    audio = upload("speech.mp3")
    file, parsed = parse(
        TranscriptionForm, FormData([("file", audio), ("model", "whisper-1")]), max_prompt_chars=PROMPT_CAP
    )

    assert file is audio
    assert parsed.model == "whisper-1"
    assert parsed.prompt is None
    assert parsed.response_format is ResponseFormat.JSON
    assert parsed.temperature == 0.0
    assert parsed.language is None
    assert parsed.timestamp_granularities == ("segment",)
    assert parsed.segments is True
    assert parsed.words is False
    assert parsed.stream is False
    assert parsed.include == ()
    assert parsed.chunking_strategy is None


@pytest.mark.parametrize("response_format", ["json", "text", "srt", "verbose_json", "vtt"])
def test_every_response_format(response_format: str) -> None:
    parsed = transcription(("response_format", response_format))

    assert parsed.response_format is ResponseFormat(response_format)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["word"], ("word",)),
        (["segment"], ("segment",)),
        (["word", "segment"], ("word", "segment")),
        (["segment", "word"], ("segment", "word")),
    ],
)
def test_repeated_bracketed_granularities(values: list[str], expected: tuple[str, ...]) -> None:
    parsed = transcription(
        ("response_format", "verbose_json"), *[("timestamp_granularities[]", value) for value in values]
    )

    assert parsed.timestamp_granularities == expected
    assert parsed.words is ("word" in values)
    assert parsed.segments is ("segment" in values)


@pytest.mark.parametrize("value", ["word", "segment"])
def test_unbracketed_granularity(value: str) -> None:
    # What a client builds by hand, e.g. `requests` with `data={"timestamp_granularities": "word"}`.
    parsed = transcription(("response_format", "verbose_json"), ("timestamp_granularities", value))

    assert parsed.timestamp_granularities == (value,)


def test_repeated_unbracketed_granularities() -> None:
    # `requests` with `data={"timestamp_granularities": ["word", "segment"]}` repeats the bare name.
    parsed = transcription(
        ("response_format", "verbose_json"),
        ("timestamp_granularities", "word"),
        ("timestamp_granularities", "segment"),
    )

    assert parsed.timestamp_granularities == ("word", "segment")


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([("include[]", "logprobs")], ("logprobs",)),
        ([("include[]", "logprobs"), ("include[]", "other")], ("logprobs", "other")),
        ([("include", "logprobs")], ("logprobs",)),
    ],
)
def test_include(items: Items, expected: tuple[str, ...]) -> None:
    assert transcription(*items).include == expected


def test_chunking_strategy_object_from_bracketed_keys() -> None:
    parsed = transcription(("chunking_strategy[type]", "server_vad"), ("chunking_strategy[threshold]", "0.3"))

    assert parsed.chunking_strategy == Chunking(threshold=0.3, prefix_padding_ms=300, silence_duration_ms=200)


def test_chunking_strategy_as_a_json_string() -> None:
    text = '{"type": "server_vad", "prefix_padding_ms": 100, "silence_duration_ms": 500}'
    parsed = transcription(("chunking_strategy", text))

    assert parsed.chunking_strategy == Chunking(threshold=0.5, prefix_padding_ms=100, silence_duration_ms=500)


def test_chunking_strategy_auto_is_auricles_own_spans() -> None:
    assert transcription(("chunking_strategy", "auto")).chunking_strategy is None


@pytest.mark.parametrize(
    "items",
    [
        [("chunking_strategy", "manual")],
        [("chunking_strategy", '{"type": "server_vad"')],
        [("chunking_strategy", "[1, 2]")],
        [("chunking_strategy[threshold]", "0.5")],
        [("chunking_strategy[type]", "client_vad")],
        [("chunking_strategy[type]", "server_vad"), ("chunking_strategy[threshold]", "1.5")],
        [("chunking_strategy[type]", "server_vad"), ("chunking_strategy[threshold]", "nan")],
        [("chunking_strategy[type]", "server_vad"), ("chunking_strategy[silence_duration_ms]", "-1")],
        [("chunking_strategy[type]", "server_vad"), ("chunking_strategy[prefix_padding_ms]", "2.5")],
        [("chunking_strategy[type]", "server_vad"), ("chunking_strategy[prefix_padding_ms]", "a lot")],
        [("chunking_strategy[type]", "server_vad"), ("chunking_strategy[padding]", "300")],
    ],
)
def test_invalid_chunking_strategy_is_400(items: Items) -> None:
    with pytest.raises(InvalidRequest) as raised:
        transcription(*items)
    assert (raised.value.param, raised.value.code) == ("chunking_strategy", "invalid_value")
    assert raised.value.message.startswith("Invalid 'chunking_strategy': ")


def test_keywords_and_languages_are_lists() -> None:
    parsed = transcription(
        ("keywords[]", "ComfyUI"), ("keywords[]", "Auricle"), ("languages[]", "NL"), ("languages[]", "de")
    )

    assert (parsed.keywords, parsed.languages) == (("ComfyUI", "Auricle"), ("nl", "de"))
    assert transcription(("languages", "fr")).languages == ("fr",)


def test_a_language_that_is_not_iso_639_1_is_400() -> None:
    with pytest.raises(InvalidRequest) as raised:
        transcription(("languages[]", "en"), ("languages[]", "english"))
    assert (raised.value.param, raised.value.code) == ("languages", "invalid_language_format")


@pytest.mark.parametrize(
    "field", ["language", "prompt", "response_format", "temperature", "stream", "chunking_strategy"]
)
def test_empty_string_means_unset(field: str) -> None:
    assert transcription((field, "")) == transcription()


def test_empty_bracketed_values_mean_unset() -> None:
    parsed = transcription(("timestamp_granularities[]", ""), ("include[]", ""))

    assert parsed.timestamp_granularities == ("segment",)
    assert parsed.include == ()


def test_unknown_fields_are_ignored() -> None:
    parsed = transcription(
        ("speaker_labels[]", "agent"),  # known_speaker_names[] is a field since diarization
        ("user", "someone"),
        ("metadata[foo]", "bar"),
        ("extra_file", upload("other.wav")),
    )

    assert parsed == transcription()


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False)])
def test_stream_booleans(value: str, expected: bool) -> None:
    assert transcription(("stream", value)).stream is expected


@pytest.mark.parametrize(("value", "expected"), [("en", "en"), ("EN", "en"), ("De", "de"), ("ja", "ja")])
def test_language_is_lowered(value: str, expected: str) -> None:
    assert transcription(("language", value)).language == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("0", 0.0), ("0.2", 0.2), ("1", 1.0), ("1.0", 1.0), ("0.5", 0.5)]
)
def test_temperature(value: str, expected: float) -> None:
    assert transcription(("temperature", value)).temperature == expected


def test_prompt_is_kept_verbatim() -> None:
    assert transcription(("prompt", " Grüße, Auricle. ")).prompt == " Grüße, Auricle. "


def test_prompt_at_the_cap_is_kept() -> None:
    assert transcription(("prompt", "x" * PROMPT_CAP)).prompt == "x" * PROMPT_CAP


@pytest.mark.parametrize("form_type", [TranscriptionForm, TranslationForm])
def test_prompt_over_the_cap_is_rejected(form_type: type[TranscriptionForm] | type[TranslationForm]) -> None:
    error = rejection(form_type, form(("prompt", "x" * (PROMPT_CAP + 1))))

    assert (error.param, error.code) == ("prompt", "string_above_max_length")
    assert f"maximum length {PROMPT_CAP}, but got a string with length {PROMPT_CAP + 1}" in error.message


def test_translation_form() -> None:
    file, parsed = parse(
        TranslationForm,
        form(("prompt", "Hello."), ("response_format", "srt"), ("temperature", "0.4"), ("language", "de")),
        max_prompt_chars=PROMPT_CAP,
    )

    assert file.filename == "audio.wav"
    assert isinstance(parsed, TranslationForm)
    assert parsed.prompt == "Hello."
    assert parsed.response_format is ResponseFormat.SRT
    assert parsed.temperature == 0.4
    # Transcription-only fields are unknown here, so ignored like any other.
    assert not hasattr(parsed, "language")


# --- parse: what is rejected -------------------------------------------------------------------------------


@pytest.mark.parametrize("form_type", [TranscriptionForm, TranslationForm])
@pytest.mark.parametrize("items", [[], [("model", "")]])
def test_missing_model(form_type: type[TranscriptionForm] | type[TranslationForm], items: Items) -> None:
    error = rejection(form_type, form(*items, model=False))

    assert error.message == "Missing required parameter: 'model'."
    assert error.param == "model"
    assert error.code == "missing_required_parameter"


@pytest.mark.parametrize("form_type", [TranscriptionForm, TranslationForm])
@pytest.mark.parametrize("items", [[], [("file", "")]])
def test_missing_file(form_type: type[TranscriptionForm] | type[TranslationForm], items: Items) -> None:
    error = rejection(form_type, form(*items, file=False))

    assert error.message == "Missing required parameter: 'file'."
    assert error.param == "file"
    assert error.code == "missing_required_parameter"


@pytest.mark.parametrize("form_type", [TranscriptionForm, TranslationForm])
def test_file_sent_as_text_is_explained(form_type: type[TranscriptionForm] | type[TranslationForm]) -> None:
    error = rejection(form_type, form(("file", "not an upload"), file=False))

    assert "no filename" in error.message
    assert error.param == "file"
    assert error.code == "invalid_value"


def test_two_file_parts() -> None:
    error = rejection(TranscriptionForm, form(("file", upload("second.wav"))))

    assert error.param == "file"
    assert error.code == "invalid_value"
    assert "2" in error.message


@pytest.mark.parametrize("form_type", [TranscriptionForm, TranslationForm])
@pytest.mark.parametrize("value", ["xml", "JSON", "txt"])
def test_unknown_response_format(
    form_type: type[TranscriptionForm] | type[TranslationForm], value: str
) -> None:
    error = rejection(form_type, form(("response_format", value)))

    assert error.param == "response_format"
    assert error.code == "invalid_value"
    assert error.message == (
        f"Invalid value: '{value}'. Supported values are: "
        "'json', 'text', 'srt', 'verbose_json', 'vtt', and 'diarized_json'."
    )


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        (
            "1.5",
            "decimal_above_max_value",
            "Invalid 'temperature': decimal above maximum value. Expected a value <= 1, but got 1.5 instead.",
        ),
        (
            "-0.1",
            "decimal_below_min_value",
            "Invalid 'temperature': decimal below minimum value. "
            "Expected a value >= 0, but got -0.1 instead.",
        ),
        ("2", "decimal_above_max_value", None),
        ("inf", "decimal_above_max_value", None),
        ("-inf", "decimal_below_min_value", None),
        ("abc", "invalid_value", None),
        ("0,5", "invalid_value", None),
        ("nan", "invalid_value", None),
        ("NaN", "invalid_value", None),
    ],
)
@pytest.mark.parametrize("form_type", [TranscriptionForm, TranslationForm])
def test_bad_temperature(
    form_type: type[TranscriptionForm] | type[TranslationForm], value: str, code: str, message: str | None
) -> None:
    error = rejection(form_type, form(("temperature", value)))

    assert error.param == "temperature"
    assert error.code == code
    if message is not None:
        assert error.message == message
    assert "temperature" in error.message


@pytest.mark.parametrize(
    "value", ["auto", "english", "English", "zh-tw", "zh-TW", "en-US", "eng", "haw", "yue", "xx"]
)
def test_bad_language(value: str) -> None:
    error = rejection(TranscriptionForm, form(("language", value)))

    assert error.message == (
        f"Invalid language '{value}'. Language parameter must be specified in ISO-639-1 format."
    )
    assert error.param == "language"
    assert error.code == "invalid_language_format"


@pytest.mark.parametrize(
    "items",
    [
        [("timestamp_granularities[]", "sentence")],
        [("timestamp_granularities[]", "segment"), ("timestamp_granularities[]", "sentence")],
        [("timestamp_granularities[]", "WORD")],
        [("timestamp_granularities", "sentence")],
    ],
)
def test_unknown_granularity(items: Items) -> None:
    error = rejection(TranscriptionForm, form(("response_format", "verbose_json"), *items))

    assert error.param == "timestamp_granularities"
    assert error.code == "invalid_value"
    assert "'word' and 'segment'" in error.message


@pytest.mark.parametrize("response_format", [None, "json", "text", "srt", "vtt"])
def test_word_granularity_needs_verbose_json(response_format: str | None) -> None:
    items: Items = [("timestamp_granularities[]", "word")]
    if response_format is not None:
        items.append(("response_format", response_format))
    error = rejection(TranscriptionForm, form(*items))

    assert error.param == "timestamp_granularities"
    assert error.code == "invalid_value"
    assert "verbose_json" in error.message


@pytest.mark.parametrize("response_format", ["json", "text", "srt", "vtt"])
def test_segment_granularity_is_harmless_with_any_format(response_format: str) -> None:
    parsed = transcription(("timestamp_granularities[]", "segment"), ("response_format", response_format))

    assert parsed.timestamp_granularities == ("segment",)


def test_stream_that_is_not_a_boolean() -> None:
    error = rejection(TranscriptionForm, form(("stream", "maybe")))

    assert error.param == "stream"
    assert error.code == "invalid_value"


def test_translations_have_no_diarized_json() -> None:
    error = rejection(TranslationForm, form(("response_format", "diarized_json")))
    assert error.param == "response_format"
    assert error.code == "invalid_value"

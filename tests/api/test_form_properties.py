"""Properties of the multipart form parser over arbitrary fields: a valid form, or an error that says why.

The example-based cases live in test_form.py; these throw field names and values no one thought of at it.
"""

from __future__ import annotations

import io
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.datastructures import FormData, UploadFile

from auricle.api.form import AudioForm, TranscriptionForm, TranslationForm, collect, parse
from auricle.engine.languages import REQUEST_LANGUAGES
from auricle.errors import InvalidRequest, Reason
from auricle.formats.render import ResponseFormat

PROMPT_CAP = 8
FORM_TYPES = st.sampled_from([TranscriptionForm, TranslationForm])
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None)

Value = str | UploadFile
Items = list[tuple[str, Value]]

FIELD_NAMES = [
    "file",
    "model",
    "language",
    "prompt",
    "response_format",
    "temperature",
    "stream",
    "timestamp_granularities",
    "timestamp_granularities[]",
    "include",
    "include[]",
    "chunking_strategy",
]
# Values that mean something to some field, so that random pairings often get past the first check.
MEANINGFUL_VALUES = [
    *(member.value for member in ResponseFormat),
    *["", "whisper-1", "base", "en", "EN", "word", "segment", "true", "false", "auto"],
    *["0", "1", "0.5", "-1", "1e400", "nan", "inf"],
]
NAMES = st.one_of(
    st.sampled_from(FIELD_NAMES),
    st.text(max_size=10),
    st.builds("{}[{}]".format, st.sampled_from(["", *FIELD_NAMES]), st.text(max_size=6)),
)
# Names no field of either form has, whatever brackets follow them.
UNKNOWN_NAMES = st.builds("x-{}{}".format, st.text(max_size=8), st.sampled_from(["", "[]", "[key]"]))


def upload(filename: str = "audio.wav") -> UploadFile:
    return UploadFile(io.BytesIO(b"RIFF"), filename=filename)


UPLOADS = st.builds(upload, st.text(max_size=10))
VALUES: st.SearchStrategy[Value] = st.one_of(
    st.sampled_from(MEANINGFUL_VALUES), st.text(max_size=20), UPLOADS
)
ITEMS = st.lists(st.tuples(NAMES, VALUES), max_size=10)


def file_uploads(items: Items) -> list[Value]:
    """What the service reads as the audio: uploads named `file`, never a text part of that name."""
    return [value for name, value in items if name == "file" and isinstance(value, UploadFile)]


def minimal(*items: tuple[str, Value]) -> FormData:
    """A valid request's two required parts, then `items`."""
    return FormData([("file", upload()), ("model", "whisper-1"), *items])


def parsed(form_type: type[AudioForm], data: FormData) -> AudioForm:
    return parse(form_type, data, max_prompt_chars=PROMPT_CAP)[1]


def rejection(form_type: type[AudioForm], data: FormData) -> InvalidRequest:
    with pytest.raises(InvalidRequest) as caught:
        parse(form_type, data, max_prompt_chars=PROMPT_CAP)
    return caught.value


def assert_is_a_usable_form(form: AudioForm) -> None:
    assert form.model
    assert 0 <= form.temperature <= 1
    assert form.prompt is None or len(form.prompt) <= PROMPT_CAP
    if isinstance(form, TranscriptionForm):
        assert form.language is None or form.language in REQUEST_LANGUAGES
        assert set(form.timestamp_granularities) <= {"word", "segment"}
        assert not form.words or form.response_format is ResponseFormat.VERBOSE_JSON


def assert_explains_itself(error: InvalidRequest) -> None:
    assert error.reason is Reason.INVALID
    assert error.message.strip()
    assert error.param
    assert error.code


# --- any fields at all -------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(form_type=FORM_TYPES, head=st.sets(st.sampled_from(["file", "model"])), items=ITEMS)
def test_parse_returns_a_usable_form_or_an_invalid_request(
    form_type: type[AudioForm], head: set[str], items: Items
) -> None:
    # The required parts up front in some drawings, so that valid forms come up as often as broken ones.
    required: Items = [("file", upload())] if "file" in head else []
    required += [("model", "whisper-1")] if "model" in head else []
    data = FormData([*required, *items])
    try:
        file, form = parse(form_type, data, max_prompt_chars=PROMPT_CAP)
    except InvalidRequest as error:
        assert_explains_itself(error)
        return
    assert isinstance(form, form_type)
    assert [file] == file_uploads([*required, *items])
    assert_is_a_usable_form(form)


@PROPERTY_SETTINGS
@given(items=ITEMS)
def test_collect_keeps_the_file_parts_and_drops_empty_values(items: Items) -> None:
    files, fields = collect(FormData(items))

    assert files == file_uploads(items)
    for value in fields.values():
        parts = value if isinstance(value, list) else value.values() if isinstance(value, dict) else [value]
        assert "" not in parts
        assert not any(isinstance(part, UploadFile) for part in parts)


# --- one field at a time -----------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(value=st.sampled_from(["true", "false"]), noise=st.lists(st.tuples(UNKNOWN_NAMES, st.text())))
def test_stream_reads_true_and_false(value: str, noise: Items) -> None:
    form = parsed(TranscriptionForm, minimal(*noise, ("stream", value)))

    assert isinstance(form, TranscriptionForm)
    assert form.stream is (value == "true")


GRANULARITY_PARTS = st.lists(
    st.tuples(
        st.sampled_from(["timestamp_granularities[]", "timestamp_granularities"]),
        st.sampled_from(["word", "segment"]),
    ),
    min_size=1,
)


@PROPERTY_SETTINGS
@given(parts=GRANULARITY_PARTS)
def test_repeated_granularity_parts_are_all_kept_in_order(parts: Items) -> None:
    form = parsed(TranscriptionForm, minimal(("response_format", "verbose_json"), *parts))

    assert isinstance(form, TranscriptionForm)
    assert list(form.timestamp_granularities) == [value for _, value in parts]


@PROPERTY_SETTINGS
@given(
    parts=GRANULARITY_PARTS,
    position=st.integers(min_value=0),
    wrong=st.text(min_size=1).filter(lambda value: value not in ("word", "segment")),
)
def test_one_unknown_granularity_rejects_the_request(parts: Items, position: int, wrong: str) -> None:
    parts.insert(position % (len(parts) + 1), ("timestamp_granularities[]", wrong))
    error = rejection(TranscriptionForm, minimal(("response_format", "verbose_json"), *parts))

    assert_explains_itself(error)
    assert error.param == "timestamp_granularities"


OPTIONAL_FIELDS = [name for name in FIELD_NAMES if name not in ("file", "model")]


@PROPERTY_SETTINGS
@given(form_type=FORM_TYPES, names=st.lists(st.sampled_from(OPTIONAL_FIELDS)))
def test_empty_values_mean_unset(form_type: type[AudioForm], names: list[str]) -> None:
    blanks = [(name, "") for name in names]

    assert parsed(form_type, minimal(*blanks)) == parsed(form_type, minimal())


def spellings(number: float) -> st.SearchStrategy[str]:
    """Ways a client writes a number in a form field."""
    return st.sampled_from([repr(number), f"{number:e}", f"{number:.3f}", f"{number:g}"])


@PROPERTY_SETTINGS
@given(form_type=FORM_TYPES, text=st.floats(min_value=0, max_value=1).flatmap(spellings))
def test_temperature_from_0_to_1_is_accepted(form_type: type[AudioForm], text: str) -> None:
    assert parsed(form_type, minimal(("temperature", text))).temperature == float(text)


@PROPERTY_SETTINGS
@given(
    form_type=FORM_TYPES,
    text=st.floats(allow_nan=False).filter(lambda number: not 0 <= number <= 1).map(repr),
)
def test_temperature_outside_0_to_1_is_rejected(form_type: type[AudioForm], text: str) -> None:
    error = rejection(form_type, minimal(("temperature", text)))

    assert_explains_itself(error)
    assert error.param == "temperature"
    expected = "decimal_above_max_value" if float(text) > 1 else "decimal_below_min_value"
    assert error.code == expected


def test_temperature_nan_is_rejected() -> None:
    error = rejection(TranscriptionForm, minimal(("temperature", repr(math.nan))))

    assert (error.param, error.code) == ("temperature", "invalid_value")


@st.composite
def case_variants(draw: st.DrawFn) -> tuple[str, str]:
    """A valid ISO-639-1 code and the same code with each letter in either case."""
    code = draw(st.sampled_from(sorted(REQUEST_LANGUAGES)))
    upper = draw(st.lists(st.booleans(), min_size=len(code), max_size=len(code)))
    return code, "".join(c.upper() if up else c for c, up in zip(code, upper, strict=True))


@PROPERTY_SETTINGS
@given(variant=case_variants())
def test_language_codes_are_read_in_any_case(variant: tuple[str, str]) -> None:
    code, spelled = variant
    form = parsed(TranscriptionForm, minimal(("language", spelled)))

    assert isinstance(form, TranscriptionForm)
    assert form.language == code


def spells_a_code(value: str) -> bool:
    return value.isascii() and value.lower() in REQUEST_LANGUAGES


# U+212A KELVIN SIGN is the one character outside ASCII that str.lower() turns into an ASCII letter ("k"):
# "\u212ao" is not an ISO-639-1 code, whatever Unicode thinks "ko" looks like.
KELVIN_LOOKALIKES = sorted(code.replace("k", "\u212a") for code in REQUEST_LANGUAGES if "k" in code)
NOT_CODES = st.one_of(st.text(min_size=1, max_size=4), st.sampled_from(KELVIN_LOOKALIKES)).filter(
    lambda value: not spells_a_code(value)
)


@PROPERTY_SETTINGS
@given(value=NOT_CODES)
def test_anything_but_a_code_is_rejected_as_a_language(value: str) -> None:
    error = rejection(TranscriptionForm, minimal(("language", value)))

    assert_explains_itself(error)
    assert (error.param, error.code) == ("language", "invalid_language_format")

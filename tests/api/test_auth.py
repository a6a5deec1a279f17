"""Bearer-key authentication: OpenAI's 401 wordings, and the key never echoed in full."""

from __future__ import annotations

import pytest

from auricle.api.auth import MISSING_KEY_MESSAGE, ApiKeys, Unauthorized, mask
from auricle.errors import AuricleError, Reason

KEY = "sk-auricle-0123456789abcdef"
OTHER = "sk-auricle-fedcba9876543210"


def refused(keys: ApiKeys, authorization: str | None) -> Unauthorized:
    with pytest.raises(Unauthorized) as caught:
        keys.check(authorization)
    assert isinstance(caught.value, AuricleError)
    assert caught.value.reason is Reason.UNAUTHORIZED
    assert caught.value.param is None
    assert str(caught.value) == caught.value.message
    return caught.value


# --- disabled ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer anything", "Basic dXNlcjpwYXNz"])
def test_no_keys_means_no_authentication(authorization: str | None) -> None:
    keys = ApiKeys([])

    assert keys.enabled is False
    keys.check(authorization)


def test_keys_from_any_iterable() -> None:
    assert ApiKeys(iter([KEY])).enabled is True
    none: list[str] = []
    assert ApiKeys(key for key in none).enabled is False


# --- missing key -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        " ",
        "Bearer",
        "Bearer ",
        "Bearer    ",
        f"Basic {KEY}",
        f"Token {KEY}",
        KEY,
        f"Bearer-{KEY}",
    ],
)
def test_missing_key_or_wrong_scheme(authorization: str | None) -> None:
    error = refused(ApiKeys([KEY]), authorization)

    assert error.message == MISSING_KEY_MESSAGE
    assert error.code is None
    assert KEY not in error.message


def test_missing_key_message_is_openais() -> None:
    assert MISSING_KEY_MESSAGE.startswith(
        "You didn't provide an API key. You need to provide your API key in an Authorization header using "
        "Bearer auth (i.e. Authorization: Bearer YOUR_KEY)"
    )


# --- wrong key ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong",
    [
        OTHER,
        KEY[:-1],
        KEY + "x",
        KEY.upper(),
        "sk-proj-abcdefghijklmnopqrstuvwxyz9900",
    ],
)
def test_wrong_key(wrong: str) -> None:
    error = refused(ApiKeys([KEY]), f"Bearer {wrong}")

    assert error.code == "invalid_api_key"
    assert error.message.startswith(f"Incorrect API key provided: {mask(wrong)}.")
    assert wrong not in error.message
    assert KEY not in error.message


def test_wrong_short_key_is_not_echoed() -> None:
    error = refused(ApiKeys([KEY]), "Bearer abc123")

    assert error.code == "invalid_api_key"
    assert "Incorrect API key provided: ******." in error.message
    assert "abc123" not in error.message


def test_configured_keys_never_appear_in_messages() -> None:
    keys = ApiKeys([KEY, OTHER])
    for authorization in (None, "Bearer nope-nope-nope-nope", f"Basic {KEY}"):
        error = refused(keys, authorization)
        assert KEY not in error.message
        assert OTHER not in error.message


# --- right key ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [f"Bearer {KEY}", f"bearer {KEY}", f"BEARER {KEY}", f"Bearer {KEY} ", f"Bearer  {KEY}"],
)
def test_right_key_passes(authorization: str) -> None:
    keys = ApiKeys([KEY])

    assert keys.enabled is True
    keys.check(authorization)


def test_any_of_several_keys_passes() -> None:
    keys = ApiKeys([KEY, OTHER, "short"])

    keys.check(f"Bearer {KEY}")
    keys.check(f"Bearer {OTHER}")
    keys.check("Bearer short")
    assert refused(keys, "Bearer shorter").code == "invalid_api_key"


def test_non_ascii_key() -> None:
    keys = ApiKeys(["schlüssel-für-auricle"])

    keys.check("Bearer schlüssel-für-auricle")
    assert refused(keys, "Bearer schlussel-fur-auricle").code == "invalid_api_key"


# --- mask --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "masked"),
    [
        ("sk-proj-abcdefghijklmnopqrstuvwxyz9900", "sk-" + "*" * 31 + "9900"),
        ("sk-auricle-0123456789abcdef", "sk-" + "*" * 20 + "cdef"),
        ("abcdefghijkl", "abc*****ijkl"),
    ],
)
def test_mask_long_keys(key: str, masked: str) -> None:
    assert mask(key) == masked
    assert len(mask(key)) == len(key)
    assert key not in mask(key)


@pytest.mark.parametrize("key", ["", "a", "short", "abc123", "abcdefghijk"])
def test_mask_short_keys_entirely(key: str) -> None:
    assert mask(key) == "*" * len(key)

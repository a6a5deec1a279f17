"""Every container OpenAI accepts (and more), made from real speech, transcribes to the same words.

The SDK sends raw bytes as a part named `upload` typed application/octet-stream, so these also show
that the format is sniffed from the content, never taken from the name or the part's type.
"""

from __future__ import annotations

from pathlib import Path

import openai
import pytest

from tests.conftest import JFK_TEXT
from tests.support.containers import CONTAINERS, encode
from tests.support.text import normalize

pytestmark = [pytest.mark.anyio, pytest.mark.model]


@pytest.mark.parametrize("container", CONTAINERS)
async def test_container_transcribes_to_the_jfk_words(
    sdk: openai.AsyncOpenAI, jfk: Path, container: str
) -> None:
    audio = encode(jfk, container)
    result = await sdk.audio.transcriptions.create(model="whisper-1", file=audio, language="en")
    assert normalize(result.text) == normalize(JFK_TEXT)


async def test_misleading_name_and_type_do_not_matter(sdk: openai.AsyncOpenAI, jfk: Path) -> None:
    audio = encode(jfk, "webm")
    result = await sdk.audio.transcriptions.create(
        model="whisper-1", file=("recording.mp3", audio, "audio/wav"), language="en"
    )
    assert normalize(result.text) == normalize(JFK_TEXT)

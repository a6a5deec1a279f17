"""`python -m tests.support.fake_server serve`: the real app, in its own process, on the fake engine.

For tests of several processes sharing one accounts database, where recognition is beside the point
(never evidence that recognition works). `FAKE_ENGINE_SECONDS` makes each transcription take that long.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import uvicorn

from auricle.api.app import create_app
from auricle.config import Settings
from auricle.engine.options import DecodeOptions
from auricle.engine.protocol import FinalSegments, Samples
from auricle.engine.transcript import Transcript
from tests.fakes import FakeModel, fake_registry_factory


class SlowModel(FakeModel):
    def __init__(self, seconds: float, *, multilingual: bool) -> None:
        super().__init__(multilingual=multilingual)
        self.seconds = seconds

    def transcribe(
        self,
        samples: Samples,
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        on_final: FinalSegments | None = None,
    ) -> Transcript:
        time.sleep(self.seconds)
        return super().transcribe(samples, options, should_stop, on_final)


def main() -> None:
    settings = Settings()
    seconds = float(os.environ.get("FAKE_ENGINE_SECONDS", "0"))
    factory = fake_registry_factory(
        english_model=SlowModel(seconds, multilingual=False),
        multilingual_model=SlowModel(seconds, multilingual=True),
    )
    app = create_app(settings, factory)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", ws="websockets-sansio")


if __name__ == "__main__":
    main()

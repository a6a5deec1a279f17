"""Run as a script: load, serve and unload the app's model N times; print the RSS after each cycle (MB).

A process of its own, so that what the rest of the suite allocated does not blur the figures.
Usage: python -m tests.support.memory_cycles CACHE_DIR AUDIO_FILE CYCLES
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import httpx2

from auricle.api.app import create_app
from auricle.config import Settings
from auricle.engine.memory import limit_malloc_arenas
from tests.support.rss import rss_mb


async def one_cycle(settings: Settings, audio: bytes) -> None:
    app = create_app(settings)
    async with app.router.lifespan_context(app):  # loads the model; unloads it on the way out
        transport = httpx2.ASGITransport(app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://auricle.test") as http:
            response = await http.post(
                "/v1/audio/transcriptions", data={"model": "base"}, files={"file": ("a.flac", audio)}
            )
            response.raise_for_status()


async def main(cache_dir: Path, audio: bytes, cycles: int) -> list[float]:
    limit_malloc_arenas()  # as `auricle serve` does before any model loads
    settings = Settings(cache_dir=cache_dir, models={"base": "bundled:base"}, default_model="base")
    readings = [rss_mb()]
    for _ in range(cycles):
        await one_cycle(settings, audio)
        readings.append(rss_mb())
    return readings


if __name__ == "__main__":
    cache, audio_path, count = sys.argv[1:]
    print(json.dumps(asyncio.run(main(Path(cache), Path(audio_path).read_bytes(), int(count)))))

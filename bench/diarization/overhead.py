"""What the speaker stage adds to a transcription: the same file over HTTP (the openai SDK against the
app in-process), `json` with the default model, then `diarized_json`, CPU and wall time of each."""

from __future__ import annotations

import asyncio
import io
import time

import av
import httpx2
import numpy as np
import openai

from auricle.api.app import create_app
from auricle.config import Settings
from bench.diarization.conversations import RATE, Conversation


def _wav(audio: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="wav") as container:
        stream = container.add_stream("pcm_s16le", rate=RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(
            (audio[None] * 32767).astype(np.int16), format="s16", layout="mono"
        )
        frame.rate = RATE
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return buffer.getvalue()


async def _run(items: list[Conversation]) -> dict[str, float]:
    app = create_app(Settings())
    totals = {"plain_cpu": 0.0, "plain_wall": 0.0, "diarized_cpu": 0.0, "diarized_wall": 0.0, "audio_s": 0.0}
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app), base_url="http://bench", timeout=600) as http,
    ):
        client = openai.AsyncOpenAI(base_url="http://bench/v1", api_key="-", http_client=http, max_retries=0)
        await client.audio.transcriptions.create(
            model="whisper-1", file=("w.wav", _wav(items[0].audio[: RATE * 3]))
        )
        for item in items:
            body = _wav(item.audio)
            for kind, model, fmt in (
                ("plain", "whisper-1", "json"),
                ("diarized", "gpt-4o-transcribe-diarize", "diarized_json"),
            ):
                cpu, wall = time.process_time(), time.perf_counter()
                await client.audio.transcriptions.create(
                    model=model,
                    file=("c.wav", body),
                    response_format=fmt,
                    language="en",
                    chunking_strategy="auto",  # type: ignore[call-overload]
                )
                totals[f"{kind}_cpu"] += time.process_time() - cpu
                totals[f"{kind}_wall"] += time.perf_counter() - wall
            totals["audio_s"] += item.audio.size / RATE
    return {key: round(value, 1) for key, value in totals.items()} | {
        "added_cpu_percent": round(100 * (totals["diarized_cpu"] / totals["plain_cpu"] - 1), 1),
        "added_wall_percent": round(100 * (totals["diarized_wall"] / totals["plain_wall"] - 1), 1),
    }


def overhead(items: list[Conversation]) -> dict[str, float]:
    chosen = [i for i in items if i.name in ("c2_allison_carlo", "c4_mixed", "s1_allison")]
    return asyncio.run(_run(chosen))

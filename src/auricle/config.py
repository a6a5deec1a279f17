"""Every knob of the service, read from `AURICLE_*` environment variables (or passed in by tests)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ComputeType = Literal[
    "default",
    "auto",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "float32",
    "float16",
    "bfloat16",
]

# Ids clients use in URLs and form fields; a path can never be one, so a request cannot point at files.
_MODEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")

BUNDLED_MODELS: dict[str, str] = {"base": "bundled:base", "tiny.en": "bundled:tiny.en"}


def _default_cache_dir() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "auricle"


def _default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "auricle"


def _has_cuda() -> bool:
    import ctranslate2

    return bool(ctranslate2.get_cuda_device_count())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AURICLE_", extra="forbid", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)

    models: dict[str, str] = Field(default_factory=lambda: dict(BUNDLED_MODELS))
    """Model id -> source: `bundled:base`, `bundled:tiny.en`, a CTranslate2 directory, or a hub id."""
    default_model: str = "base"
    aliases: dict[str, str] = Field(default_factory=dict)
    """Extra names for models; `whisper-1` names the default model unless set here."""
    cache_dir: Path = Field(default_factory=_default_cache_dir)

    device: Literal["cpu", "cuda", "auto"] = "cpu"
    compute_type: ComputeType = "int8"
    cpu_threads: int = Field(default=1, ge=1, le=512)
    """Threads each worker computes with. One, and a worker per core, measured fastest on 2 cores:
    CTranslate2's threads synchronise on every one of the decoder's many small steps."""
    workers: int = Field(default=0, ge=0, le=64)
    """Windows each model works on at once, each on its own CTranslate2 replica: an encode, or a batch of
    decodes. 0: one per CPU core (one on a GPU)."""
    beam_size: int = Field(default=5, ge=1, le=20)
    vad_filter: bool = True
    """Skip what Silero VAD hears as non-speech: silence and noise come back empty, never invented."""
    window_margin_seconds: float = Field(default=3.0, ge=0, le=30)
    """Encode a window shorter than 30 s at its own length plus this margin; 0 keeps the full 30 s."""
    shortest_window_seconds: float = Field(default=15.0, ge=0, le=30)
    """But never shorter than this (0: no floor): at 15 s base reads 1-3 s clips better (window.py)."""
    longest_short_window_seconds: float = Field(default=16.0, ge=0, le=30)
    """A window whose speech and margin need more than this is encoded at the full 30 s (window.py)."""
    max_batch: int = Field(default=8, ge=1, le=64)
    """Windows decoded in one batch, across requests; also the spans of one request decoded at once."""
    batch_wait_ms: float = Field(default=10.0, ge=0, le=1000)
    """How long a window may wait for others to batch with, only while other requests are mid-way."""

    concurrency: int = Field(default=8, ge=1, le=256)
    """Requests each model works on at once, their windows sharing batches; each holds its decoded audio."""
    max_queue: int = Field(default=16, ge=0, le=10_000)
    """Requests allowed to wait for a place among the `concurrency`; one more is answered 429."""
    retry_after_seconds: int = Field(default=5, ge=1, le=120)

    max_body_bytes: int = Field(default=26_214_400, ge=1024)
    """OpenAI's own limit applies to the whole request body; so does ours."""
    max_audio_seconds: float = Field(default=4 * 3600.0, gt=0)
    max_prompt_chars: int = Field(default=4096, ge=1, le=1_000_000)
    """Whisper reads only the last 223 tokens of a prompt; a longer one is a mistake or an attack."""
    request_timeout_seconds: float = Field(default=3600.0, gt=0)
    """Time one request may take, queueing, decoding and inference included; then it is stopped."""

    live_max_sessions: int | None = Field(default=None, ge=0, le=10_000)
    """Live transcription sessions (`/v1/realtime`) served at once; one more is refused (429); 0 turns
    live transcription off. None: three for every two workers (bench/live.py, 2 cores: 3 sessions of
    dialogue kept their turns' p95 latency under 3 s, 4 fell 13 s behind)."""
    live_max_session_seconds: float = Field(default=1800.0, gt=0)
    """How long one live session may last, as OpenAI's do (30 minutes); then it is closed."""
    live_max_buffer_seconds: float = Field(default=900.0, gt=0)
    """Uncommitted audio a live session may hold before an append is refused."""
    live_partial_every_ms: int = Field(default=500, ge=100, le=10_000)
    """A live turn's partial transcript is decoded again each time this much more speech has come."""

    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    api_keys_file: Path | None = None
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Browser origins allowed to call the API (`*` for any); none by default, so CORS stays off."""

    log_level: Literal["critical", "error", "warning", "info", "debug"] = "info"
    log_format: Literal["text", "json"] = "text"
    """`json`: one JSON object per line, for a log pipeline (`logs.py`); never audio, text or keys."""
    metrics: bool = True
    """Serve Prometheus metrics at `/metrics`, outside `/v1` and its keys, like `/health`."""
    web_page: bool = True
    """Serve the web page at `/`: upload, record, listen back with the words highlighted."""
    adopt_request_id: bool = False
    """Take a request's id from its `x-request-id` header (when it is 1-128 letters, digits, `-`, `_`,
    `.` or `:`) and send none back: behind a proxy that sets the header on every request and adds it to
    every response, as Ray Serve's does, clients would otherwise see two ids. `auricle.cluster` turns it
    on; off, every request gets a fresh `req_` id and the header says it."""

    # Speaker diarization (src/auricle/speakers/, `diarized_json`).
    diarize_models: dict[str, str] = Field(default_factory=lambda: {"gpt-4o-transcribe-diarize": ""})
    """Model ids that transcribe with the speaker stage -> the recogniser they use ("" = default_model)."""
    speaker_threshold: float = Field(default=0.40, gt=0, lt=2)
    """Cosine distance where the automatic speaker count stops merging voices (bench/diarization)."""
    speaker_match_distance: float = Field(default=0.4, gt=0, lt=2)
    """How near a voice must be to a known speaker's reference to take its name."""
    max_speakers: int = Field(default=8, ge=1, le=32)
    """The most speakers the automatic count finds; `max_speakers`/`num_speakers` may ask for up to this."""
    speaker_segmentation: bool = True
    """Also run pyannote's segmentation-3.0: speaker changes inside speech, and overlapped speech."""
    # Accounts, keys, limits and usage (src/auricle/accounts/, README "Accounts, keys and usage").
    data_dir: Path = Field(default_factory=_default_data_dir)
    """Where the embedded database lives (`auricle.db`), created and migrated on first start."""
    database_url: str | None = None
    """None: the SQLite file in `data_dir`; `postgresql+psycopg://user@host/db` for replicas on several
    machines; `none`: no database, only the static keys and nothing counted (Auricle before accounts)."""
    admin_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Keys for the admin API (`/v1/organization/...`); none: the admin API is off."""
    metering_fail_open: bool = False
    """When the database cannot be reached: False answers keyed requests 503; True serves them uncounted."""
    prices: dict[str, dict[str, float]] = Field(default_factory=dict)
    """Per model id (or `*`): `{"audio_second": 0.0001, "character": 0.000015}` in `currency`; none: free,
    every request still counted."""
    currency: str = "usd"
    lease_seconds: float = Field(default=60.0, ge=1, le=3600)
    """How long a request's hold outlives its replica: renewed every third of it while the request runs."""

    @model_validator(mode="before")
    @classmethod
    def _whisper_1_means_the_default(cls, data: object) -> object:
        # Clients hard-code whisper-1 (n8n, Open WebUI), so it follows whichever model is the default.
        if isinstance(data, dict) and "aliases" not in data:
            return {**data, "aliases": {"whisper-1": data.get("default_model", "base")}}
        return data

    @field_validator("models")
    @classmethod
    def _model_ids_are_plain(cls, models: dict[str, str]) -> dict[str, str]:
        if not models:
            raise ValueError("at least one model must be configured")
        for model_id, source in models.items():
            if not _MODEL_ID.match(model_id):
                raise ValueError(f"model id {model_id!r} must be 1-64 letters, digits, '.', '_', ':' or '-'")
            if not source.strip():
                raise ValueError(f"model {model_id!r} has an empty source")
        return models

    @field_validator("api_keys", "cors_origins", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        # Operators write `AURICLE_API_KEYS=key1,key2`; JSON lists are accepted too.
        if isinstance(value, str) and value.lstrip().startswith("["):
            return json.loads(value)
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value

    @field_validator("admin_keys", mode="before")
    @classmethod
    def _split_admin_keys(cls, value: object) -> object:
        return cls._split_list(value)

    @field_validator("window_margin_seconds")
    @classmethod
    def _margin_long_enough(cls, margin: float) -> float:
        if 0 < margin < 1:
            raise ValueError("window_margin_seconds must be 0 (off) or at least 1: with less, Whisper loops")
        return margin

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_origins(cls, origins: list[str]) -> list[str]:
        for origin in origins:
            if origin != "*" and not re.match(r"^https?://[^/\s]+$", origin):
                raise ValueError(f"CORS origin {origin!r} must be '*' or scheme://host[:port] with no path")
        return origins

    @model_validator(mode="after")
    def _references_resolve(self) -> Settings:
        if self.default_model not in self.models:
            raise ValueError(
                f"default_model {self.default_model!r} is not one of the models {sorted(self.models)}"
            )
        for alias, target in self.aliases.items():
            if target not in self.models:
                raise ValueError(f"alias {alias!r} points at unknown model {target!r}")
            if alias in self.models:
                raise ValueError(f"alias {alias!r} hides a model of the same id")
        if self.api_keys_file is not None and not self.api_keys_file.is_file():
            raise ValueError(f"api_keys_file {self.api_keys_file} does not exist")
        return self

    def resolved_workers(self) -> int:
        """`workers`, with 0 made one per usable CPU core, or 1 on a GPU."""
        if self.workers:
            return self.workers
        if self.device == "cuda" or (self.device == "auto" and _has_cuda()):
            return 1
        return len(os.sched_getaffinity(0))

    def resolved_live_sessions(self) -> int:
        if self.live_max_sessions is not None:
            return self.live_max_sessions
        return max(1, 3 * self.resolved_workers() // 2)

    def resolved_api_keys(self) -> list[str]:
        """Keys from the environment plus one per non-empty, non-comment line of the keys file."""
        keys = list(self.api_keys)
        if self.api_keys_file is not None:
            for line in self.api_keys_file.read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    keys.append(line.strip())
        return keys

    # Speech synthesis (`POST /v1/audio/speech`, src/auricle/synthesis/).
    speech_voices: dict[str, str] = Field(default_factory=lambda: dict(SPEECH_VOICES))
    """OpenAI voice name -> bundled voice (`heart` or `joe`); a name left out gets the default voice."""
    speech_default_voice: Literal["heart", "joe"] = "heart"
    """The voice used when the one asked for is not installed (joe without `auricle[piper]`)."""
    speech_concurrency: int = Field(default=0, ge=0, le=64)
    """Pieces of text synthesised at once across requests; 0: one per CPU core (one ORT thread each)."""
    speech_max_queue: int = Field(default=16, ge=0, le=10_000)
    """Speech requests allowed beyond `speech_concurrency`, waiting their turn; one more is answered 429."""
    speech_max_piece_chars: int = Field(default=250, ge=20, le=2000)
    """The most text a voice synthesises in one go (about hibari's 400 phonemes): time and memory grow
    with the piece; 4,000 unpunctuated characters in one go cost Piper 65 s and 4.9 GB."""

    @field_validator("speech_voices")
    @classmethod
    def _speech_voices_are_bundled(cls, voices: dict[str, str]) -> dict[str, str]:
        for name, voice in voices.items():
            if voice not in SPEECH_NATIVE_VOICES:
                raise ValueError(
                    f"speech voice {name!r} maps to {voice!r}, not one of {SPEECH_NATIVE_VOICES}"
                )
        return voices

    def resolved_speech_concurrency(self) -> int:
        return self.speech_concurrency or len(os.sched_getaffinity(0))

    def resolved_database_url(self) -> str | None:
        """The database to meter on, or None when metering is off (`database_url=none`)."""
        if self.database_url is None:
            return f"sqlite:///{self.data_dir / 'auricle.db'}"
        if self.database_url.strip().lower() in {"", "none", "off"}:
            return None
        return self.database_url


# OpenAI's 13 voice names by perceived gender onto the two bundled voices (notes/speech-synthesis.md 6.2).
SPEECH_VOICES: dict[str, str] = {
    **dict.fromkeys(("alloy", "coral", "nova", "sage", "shimmer", "marin"), "heart"),
    **dict.fromkeys(("ash", "ballad", "echo", "fable", "onyx", "verse", "cedar"), "joe"),
}
SPEECH_NATIVE_VOICES = ("heart", "joe")

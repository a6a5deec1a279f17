"""Where a configured model's weights come from: bundled, a local directory, or a hub id."""

from __future__ import annotations

from pathlib import Path

from auricle.engine import bundled

REQUIRED_FILES = ("model.bin", "config.json")


class ModelSourceError(RuntimeError):
    """A configured model cannot be found or fetched; raised at start-up with what to do about it."""


def resolve(source: str, cache_dir: Path) -> Path:
    """The local CTranslate2 directory for `source`, fetching or joining it first if needed."""
    if source.startswith("bundled:"):
        return _bundled(source.removeprefix("bundled:"), cache_dir)
    path = Path(source).expanduser()
    if path.is_dir():
        return _checked_directory(path)
    if source.startswith(("/", ".", "~")) or path.suffix == ".bin":
        raise ModelSourceError(f"model directory {source} does not exist")
    return _from_hub(source)


def _bundled(name: str, cache_dir: Path) -> Path:
    try:
        if name == "base":
            return bundled.base_dir(cache_dir)
        if name == "tiny.en":
            return _checked_directory(bundled.tiny_en_dir())
    except (bundled.BundledModelError, ModuleNotFoundError) as error:
        raise ModelSourceError(str(error)) from error
    raise ModelSourceError(f"no bundled model named {name!r}; bundled models are 'base' and 'tiny.en'")


def _checked_directory(path: Path) -> Path:
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise ModelSourceError(f"{path} is not a CTranslate2 Whisper model: missing {', '.join(missing)}")
    return path


def _from_hub(model_id: str) -> Path:
    # Imported here so that an offline deployment never touches the hub client at all.
    from faster_whisper.utils import download_model

    try:
        # The standard Hugging Face cache (HF_HOME / HF_HUB_CACHE), so models fetched by other tools count.
        return Path(download_model(model_id))
    except Exception as error:
        raise ModelSourceError(
            f"could not fetch model {model_id!r} from the Hugging Face Hub and it is not in the cache "
            f"({type(error).__name__}: {error}). Without a network, point the model at a local "
            "CTranslate2 directory instead"
        ) from error

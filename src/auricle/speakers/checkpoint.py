"""The tensors of a legacy (pre-zip) torch checkpoint, read as numpy arrays without torch.

The file is a pickle, so it is read with an unpickler that builds only an `OrderedDict` of tensors:
any other class named inside it is refused, so a tampered file cannot run code.
"""

from __future__ import annotations

import collections
import io
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

Tensors = dict[str, npt.NDArray[np.float32]]
_MAGIC = 0x1950A86A20F9469CFC6C
_STORAGE_TYPES: dict[str, type[np.generic]] = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "LongStorage": np.int64,
}


@dataclass(frozen=True, slots=True)
class _StorageRef:
    key: str
    dtype: type[np.generic]


@dataclass(frozen=True, slots=True)
class _TensorRef:
    storage: _StorageRef
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]


def _rebuild_tensor_v2(storage: _StorageRef, offset: int, shape: Any, stride: Any, *_: Any) -> _TensorRef:
    return _TensorRef(storage, int(offset), tuple(shape), tuple(stride))


class _Storage:
    def __init__(self, name: str) -> None:
        self.name = name


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor_v2
        if module == "torch" and name in _STORAGE_TYPES:
            return _Storage(name)
        raise pickle.UnpicklingError(f"refused to load {module}.{name} from a checkpoint")

    def persistent_load(self, pid: Any) -> _StorageRef:
        kind, storage_type, key, *_ = pid
        if kind != "storage" or not isinstance(storage_type, _Storage):
            raise pickle.UnpicklingError("unexpected persistent id in a checkpoint")
        return _StorageRef(str(key), _STORAGE_TYPES[storage_type.name])


def read(path: Path) -> Tensors:
    with path.open("rb") as source:
        return load(source)


def load(source: BinaryIO) -> Tensors:
    if _Unpickler(source).load() != _MAGIC:
        raise pickle.UnpicklingError("not a legacy torch checkpoint")
    _Unpickler(source).load()  # protocol version
    _Unpickler(source).load()  # sys info
    state = _Unpickler(source).load()
    keys = _Unpickler(source).load()
    storages: dict[str, npt.NDArray[Any]] = {}
    dtypes = {ref.storage.key: ref.storage.dtype for ref in _tensors(state).values()}
    for key in keys:
        count = int(np.frombuffer(source.read(8), dtype="<i8")[0])
        dtype = np.dtype(dtypes.get(key, np.float32)).newbyteorder("<")
        storages[key] = np.frombuffer(source.read(count * dtype.itemsize), dtype=dtype)
    return {name: _materialise(ref, storages[ref.storage.key]) for name, ref in _tensors(state).items()}


def _tensors(state: object) -> dict[str, _TensorRef]:
    if not isinstance(state, dict):
        raise pickle.UnpicklingError("a checkpoint must hold a dict of tensors")
    inner = state.get("model_state", state)
    return {str(name): ref for name, ref in inner.items() if isinstance(ref, _TensorRef)}


def _materialise(ref: _TensorRef, storage: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
    item = storage.itemsize
    view = np.lib.stride_tricks.as_strided(
        storage[ref.offset :], shape=ref.shape, strides=tuple(s * item for s in ref.stride)
    )
    return np.array(view, dtype=np.float32)


def from_bytes(data: bytes) -> Tensors:
    return load(io.BytesIO(data))

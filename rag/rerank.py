"""Rerank the fused candidates with what the fusion cannot see: how much of the question the best
sentence of each passage covers (IDF-weighted, stemmed) and the passage's own cosine similarity.

No cross-encoder with bundled weights is available offline, so this is a linear mix of cheap
features; its weights were fitted on tests/qa/corpus.jsonl and checked on tests/qa/ofsted.jsonl
(`python -m bench.tune_rerank`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingest.text import sentence_spans
from rag.query import Query, content_terms, stem
from rag.retrieve import Candidate

RERANK_DEPTH = 30  # candidates considered; the rest keep their fused order below them
WEIGHT_FUSED = 1.0
WEIGHT_DENSE = 0.5
WEIGHT_COVERAGE = 0.6


@dataclass(frozen=True)
class Features:
    """What the reranker looks at for one candidate."""

    fused: float  # RRF score divided by the best RRF score
    dense: float  # cosine similarity (0 when only lexical search found it)
    coverage: float  # best sentence's weighted share of the question's terms


def coverage(query: Query, text: str, weights: dict[str, float]) -> float:
    """The best sentence's IDF-weighted share of the question's terms."""
    terms = [t for t in query.terms if t]
    total = sum(weights.get(t, 1.0) for t in terms)
    if not total:
        return 0.0
    best = 0.0
    for start, end in sentence_spans(text):
        stems = {stem(w) for w in content_terms(text[start:end])}
        best = max(best, sum(weights.get(t, 1.0) for t in terms if t in stems) / total)
    return best


def features(
    query: Query, candidates: Sequence[Candidate], weights: dict[str, float]
) -> list[Features]:
    """Features of each candidate, in the given order."""
    top = max((c.score for c in candidates), default=1.0) or 1.0
    return [
        Features(c.score / top, c.dense or 0.0, coverage(query, c.passage.text, weights))
        for c in candidates
    ]


def rerank(
    query: Query,
    candidates: list[Candidate],
    weights: dict[str, float],
    mix: tuple[float, float, float] = (WEIGHT_FUSED, WEIGHT_DENSE, WEIGHT_COVERAGE),
    depth: int = RERANK_DEPTH,
) -> list[Candidate]:
    """The first `depth` candidates reordered by the weighted features; the rest after them."""
    head, tail = candidates[:depth], candidates[depth:]
    feats = features(query, head, weights)
    scored = [
        (mix[0] * f.fused + mix[1] * f.dense + mix[2] * f.coverage, i) for i, f in enumerate(feats)
    ]
    order = [i for _, i in sorted(scored, key=lambda x: (-x[0], x[1]))]
    return [head[i] for i in order] + tail

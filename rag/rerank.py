"""Re-rank the top candidates of a question about particular passages (not a theme, not a
comparison) by a linear model over what retrieval measured and how much of the question each
passage and its best sentence hold.

Reciprocal rank fusion keeps only the two lists' ranks. The model adds back their scores (cosine,
BM25, each against the best in the list) and the IDF-weighted share of the question's terms in the
passage and in its best sentence. It is fitted by `python -m bench.rerank` on the answerable items
of tests/qa/corpus.jsonl and tests/qa/ofsted.jsonl (a passage is relevant when it holds a gold
quote) and checked on tests/qa/corpus-heldout.jsonl, which the fit never saw.
"""

from __future__ import annotations

from collections.abc import Sequence

from rag.answer import RANK_BONUS, sentence_scores
from rag.query import Query
from rag.retrieve import Candidate, terms_held

FEATURES = ("fused_rank", "dense", "lexical", "best_sentence", "coverage")
# standardised features: (x - mean) / scale, then weights; fitted by bench.rerank
RERANK_MEAN = (0.180, 0.769, 0.570, 0.238, 0.252)
RERANK_SCALE = (0.218, 0.196, 0.220, 0.213, 0.237)
RERANK_WEIGHTS = (0.21, 0.06, 0.18, 0.13, 0.14)
RERANK_TOP = 20  # candidates re-ranked; the rest keep their places after them


def features(
    query: Query, candidates: Sequence[Candidate], weights: dict[str, float]
) -> list[tuple[float, ...]]:
    """One row of FEATURES per candidate, in the candidates' order."""
    best: dict[int, float] = {}
    for s in sentence_scores(query, candidates, weights):
        # sentence_scores favours earlier candidates; the rank is a feature of its own here
        best[s.cand_index] = max(
            best.get(s.cand_index, 0.0), s.score - RANK_BONUS / (s.cand_index + 1)
        )
    top_dense = max((c.dense or 0.0 for c in candidates), default=0.0) or 1.0
    top_lexical = max((c.lexical or 0.0 for c in candidates), default=0.0) or 1.0
    return [
        (
            1.0 / (i + 1),
            (cand.dense or 0.0) / top_dense,
            (cand.lexical or 0.0) / top_lexical,
            best.get(i, 0.0),
            terms_held(query, cand.passage.text, weights),
        )
        for i, cand in enumerate(candidates)
    ]


def rerank(
    query: Query, ranked: list[Candidate], weights: dict[str, float], top: int = RERANK_TOP
) -> list[Candidate]:
    """The first `top` candidates in the model's order, then the rest; each keeps its fused score.

    Theme and comparison questions keep their order: it is arranged per review.
    """
    if query.theme or query.compares or len(ranked) < 2:
        return ranked
    head = ranked[:top]
    scores = {
        cand.passage_id: rerank_score(row)
        for cand, row in zip(head, features(query, head, weights), strict=True)
    }
    head = sorted(head, key=lambda c: (-scores[c.passage_id], c.passage_id))
    return head + ranked[top:]


def rerank_score(row: Sequence[float]) -> float:
    """The model's score of one feature row."""
    return sum(
        w * (x - m) / s
        for w, x, m, s in zip(RERANK_WEIGHTS, row, RERANK_MEAN, RERANK_SCALE, strict=True)
    )

"""The re-ranker: its features of each candidate and the order it gives."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ingest.index import StoredPassage
from rag.query import Query
from rag.rerank import features, rerank
from rag.retrieve import Candidate

QUERY = Query(
    "How many core group meetings were cancelled?",
    "How many core group meetings were cancelled?",
    doc_ids=("siblings",),
    terms=("core", "group", "meet", "cancell"),  # as build_query stems them
)
WEIGHTS = {"core": 2.0, "group": 1.0, "meet": 1.0, "cancell": 2.0}


def candidate(pid: str, text: str, dense: float, lexical: float | None) -> Candidate:
    return Candidate(StoredPassage(pid, "siblings", text, {}), 0.0, dense=dense, lexical=lexical)


# in fused order: a summary that names the review first, the passage that answers second
CANDIDATES = [
    candidate("s#1.1", "1.1 This review concerns two siblings in Thornvale.", 0.62, 4.0),
    candidate("s#8.9", "8.9 Four of the seven core group meetings were cancelled.", 0.60, 8.0),
    candidate("s#10.1", "10.1 The core group met rarely, and the plan drifted.", 0.55, None),
]


def test_each_candidate_gets_rank_scores_and_term_coverage() -> None:
    rows = features(QUERY, CANDIDATES, WEIGHTS)

    assert [round(r[0], 3) for r in rows] == [1.0, 0.5, 0.333]  # 1 / fused rank
    assert [round(r[1], 3) for r in rows] == [1.0, 0.968, 0.887]  # cosine / best cosine
    assert [r[2] for r in rows] == [0.5, 1.0, 0.0]  # BM25 / best BM25; not found lexically: 0
    assert [round(r[4], 3) for r in rows] == [0.0, 1.0, 0.5]  # weighted share of the terms
    assert rows[1][3] > rows[2][3] > rows[0][3]  # the best sentence's share (and its number)


def test_the_passage_that_holds_the_question_comes_first() -> None:
    ranked = rerank(QUERY, list(CANDIDATES), WEIGHTS)

    # the summary still outranks the passage that BM25 did not find
    assert [c.passage_id for c in ranked] == ["s#8.9", "s#1.1", "s#10.1"]
    assert [c.score for c in ranked] == [0.0, 0.0, 0.0]  # each keeps its fused score


def test_only_the_top_is_reranked_and_the_rest_keep_their_places() -> None:
    answer_last = [CANDIDATES[0], CANDIDATES[2], CANDIDATES[1]]

    ranked = rerank(QUERY, answer_last, WEIGHTS, top=2)

    assert [c.passage_id for c in ranked] == ["s#1.1", "s#10.1", "s#8.9"]


@pytest.mark.parametrize("kind", ["theme", "compares"])
def test_theme_and_comparison_orders_are_kept(kind: str) -> None:
    query = replace(QUERY, **{kind: True})

    assert rerank(query, list(CANDIDATES), WEIGHTS) == CANDIDATES

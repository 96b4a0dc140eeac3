"""Calibrate the refusal threshold: evidence scores of answerable vs unanswerable test items.

    python -m bench.calibrate --index DIR tests/qa/corpus.jsonl

Prints, for each threshold, the share of unanswerable items refused (refusal recall) and of
answerable items answered, and the threshold that refuses the most unanswerable items while
answering at least 95% of answerable ones.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ingest.embed import load_encoder
from ingest.index import PassageIndex, open_client
from ingest.settings import Settings
from rag.answer import evidence, term_weights
from rag.ask import doc_frequencies
from rag.evaluate import load_testset
from rag.query import build_query
from rag.rerank import rerank
from rag.retrieve import retrieve


def evidence_scores(index_dir: Path, testset: Path) -> list[tuple[bool, float, str]]:
    """(answerable, evidence, id) for every item."""
    settings = Settings(index_dir=index_dir)
    index = PassageIndex(open_client(settings), settings.collection, cache_dir=index_dir)
    encoder = load_encoder()
    doc_freq, n = doc_frequencies(index)
    out = []
    for item in load_testset(testset):
        query = build_query(item.user_input, index.documents(), item.history)
        found = retrieve(query, index, encoder, pool=settings.candidate_pool)
        weights = term_weights(query, doc_freq, n)
        ranked = rerank(query, found.candidates, weights)
        out.append((item.answerable, evidence(query, ranked, weights, found.best_dense), item.id))
    return out


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("testset", type=Path, nargs="+")
    parser.add_argument("--index", type=Path, action="append", required=True)
    args = parser.parse_args()
    scores = [s for index, testset in zip(args.index, args.testset, strict=True) for s in evidence_scores(index, testset)]
    good = sorted(s for ok, s, _ in scores if ok)
    bad = sorted(s for ok, s, _ in scores if not ok)
    best = None
    print("threshold  refusal_recall  answered_rate")
    for step in range(20, 80):
        t = step / 100
        recall = sum(s < t for s in bad) / len(bad)
        answered = sum(s >= t for s in good) / len(good)
        print(f"{t:9.2f}  {recall:14.3f}  {answered:13.3f}")
        if answered >= 0.95 and (best is None or recall > best[1]):
            best = (t, recall, answered)
    print("chosen:", best)
    for ok, s, item_id in sorted(scores, key=lambda x: x[1]):
        print(f"{s:.3f} {'answerable  ' if ok else 'UNANSWERABLE'} {item_id}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

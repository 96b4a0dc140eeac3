"""Fit the re-ranking model of rag/rerank.py: a logistic regression over the FEATURES of the top
candidates of answerable questions about particular passages (not themes, not comparisons),
relevant when the passage holds a gold quote or one of its alternatives; checked on other test sets.

    python -m bench.rerank --fit tests/qa/corpus.jsonl --fit-index DIR \
        --fit tests/qa/ofsted.jsonl --fit-index DIR2 \
        --check tests/qa/corpus-heldout.jsonl --check-index DIR

Prints RERANK_MEAN, RERANK_SCALE and RERANK_WEIGHTS to paste into rag/rerank.py, and MRR and
hit@5 on every set before and after re-ranking (over the questions the model re-ranks).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from bench.calibrate import fit_logistic, parse_sets
from ingest.embed import Encoder, load_encoder
from ingest.index import PassageIndex, open_client
from ingest.settings import Settings
from rag.ask import search
from rag.evaluate import Retrieved, accepted, load_testset, supports
from rag.query import build_query
from rag.rerank import FEATURES, RERANK_TOP, features

L2 = 1.0  # strong: five features, a few hundred candidates, and the model must carry to new sets

Question = tuple[np.ndarray, np.ndarray]  # (feature rows in arranged order, relevance labels)


def questions(index_dir: Path, testset: Path, encoder: Encoder) -> list[Question]:
    """Features and labels of the top candidates of each question the model re-ranks."""
    settings = Settings(index_dir=index_dir)
    index = PassageIndex(open_client(settings), settings.collection, cache_dir=index_dir)
    out = []
    for item in load_testset(testset):
        if not item.answerable:
            continue
        query = build_query(item.user_input, index.documents(), item.history)
        if query.theme or query.compares:
            continue
        found, weights = search(
            query, index, encoder, pool=settings.candidate_pool, rerank_top=0, shown=0
        )
        top = found.candidates[:RERANK_TOP]
        spans = [span for group in accepted(item) for span in group]
        labels = [
            any(supports(q, Retrieved(c.passage_id, c.passage.text)) for q in spans) for c in top
        ]
        out.append((np.array(features(query, top, weights)), np.array(labels, dtype=float)))
    return out


def ranking_scores(data: list[Question], score: np.ndarray | None) -> tuple[float, float]:
    """(MRR over the top 10, hit@5) with the candidates in arranged order or by a linear score."""
    mrr = hit = 0.0
    for x, y in data:
        order = (
            np.argsort(-(x @ score[:-1] + score[-1]), kind="stable") if score is not None else None
        )
        ranked = y[order] if order is not None else y
        first = np.nonzero(ranked[:10])[0]
        mrr += 1.0 / (first[0] + 1) if len(first) else 0.0
        hit += float(ranked[:5].max()) if len(ranked) else 0.0
    return round(float(mrr) / len(data), 3), round(float(hit) / len(data), 3)


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    fit_sets, check_sets = parse_sets(__doc__)
    encoder = load_encoder()
    fitted = [questions(index_dir, name, encoder) for name, index_dir in fit_sets]
    x = np.concatenate([q[0] for data in fitted for q in data])
    y = np.concatenate([q[1] for data in fitted for q in data])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    w, b = fit_logistic((x - mean) / scale, y, l2=L2)
    # the same model on raw features, for ranking_scores: w . (x - mean) / scale
    raw = np.append(w / scale, b - float(w @ (mean / scale)))
    print(f"features: {', '.join(FEATURES)}")
    print(f"RERANK_MEAN = ({', '.join(f'{v:.3f}' for v in mean)})")
    print(f"RERANK_SCALE = ({', '.join(f'{v:.3f}' for v in scale)})")
    print(f"RERANK_WEIGHTS = ({', '.join(f'{v:.2f}' for v in w)})")
    sets = [("fit  ", name, data) for (name, _), data in zip(fit_sets, fitted, strict=True)]
    sets += [("check", name, questions(index_dir, name, encoder)) for name, index_dir in check_sets]
    for role, name, data in sets:
        before, after = ranking_scores(data, None), ranking_scores(data, raw)
        print(f"{role} {name} (n={len(data)}): MRR, hit@5 {before} -> {after}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

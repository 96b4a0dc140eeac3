"""Fit the refusal model: a logistic regression over the Evidence features of answerable vs
unanswerable items of some test sets, then a threshold; checked on other test sets.

    python -m bench.calibrate --fit tests/qa/corpus.jsonl --fit-index DIR \
        [--fit tests/qa/ofsted.jsonl --fit-index DIR2] \
        [--check tests/qa/corpus-heldout.jsonl --check-index DIR]

Each --fit (and --check) pairs with the --fit-index (--check-index) in the same place. Prints the
weights, bias and threshold to paste into rag/answer.py, and refusal recall and answered rate on
every set.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import astuple
from pathlib import Path

import numpy as np

from ingest.embed import Encoder, load_encoder
from ingest.index import PassageIndex, open_client
from ingest.settings import Settings
from rag.answer import measure_evidence
from rag.ask import corpus_stats, search, shown_count, unmet_premise
from rag.evaluate import load_testset
from rag.query import build_query

MIN_ANSWERED = 0.95


def features(index_dir: Path, testset: Path, encoder: Encoder) -> tuple[np.ndarray, np.ndarray]:
    """Evidence features (rows) and answerable labels of every item."""
    settings = Settings(index_dir=index_dir)
    index = PassageIndex(open_client(settings), settings.collection, cache_dir=index_dir)
    vocab = corpus_stats(index)[2]
    rows, labels = [], []
    for item in load_testset(testset):
        query = build_query(item.user_input, index.documents(), item.history)
        found, weights = search(
            query, index, encoder, pool=settings.candidate_pool, shown=shown_count(settings)
        )
        ranked = found.candidates
        if unmet_premise(query, ranked, index, shown_count(settings)):
            continue  # refused before the model is asked: not the model's to learn
        evidence = measure_evidence(query, ranked, weights, found.best_dense, vocab)
        rows.append(astuple(evidence))
        labels.append(1.0 if item.answerable else 0.0)
    return np.array(rows), np.array(labels)


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 20000
) -> tuple[np.ndarray, float]:
    """Plain gradient descent on the L2-regularised log loss, classes weighted equally."""
    w = np.zeros(x.shape[1])
    b = 0.0
    balance = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        grad = (p - y) * balance
        w -= 0.5 * (x.T @ grad / len(y) + l2 * w)
        b -= 0.5 * grad.mean()
    return w, b


def rates(scores: np.ndarray, y: np.ndarray, threshold: float) -> tuple[float, float]:
    """(refusal recall on unanswerable, answered rate on answerable) at a threshold."""
    refused = scores < threshold
    return float(refused[y == 0].mean()), float((~refused)[y == 1].mean())


def report(
    role: str, name: Path, x: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, threshold: float
) -> None:
    """One line: refusal recall and answered rate of a set's items left to the model."""
    recall, answered = rates(1 / (1 + np.exp(-(x @ w + b))), y, threshold)
    print(f"{role} {name}: refusal_recall={recall:.3f} answered_rate={answered:.3f} (n={len(y)})")


SetPairs = list[tuple[Path, Path]]  # (test set, index folder)


def parse_sets(description: str | None) -> tuple[SetPairs, SetPairs]:
    """The command line of a fit: `--fit SET --fit-index DIR` (one or more) and `--check SET
    --check-index DIR` (any number), each set paired with the index in the same place."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--fit", type=Path, action="append", required=True)
    parser.add_argument("--fit-index", type=Path, action="append", required=True)
    parser.add_argument("--check", type=Path, action="append", default=[])
    parser.add_argument("--check-index", type=Path, action="append", default=[])
    args = parser.parse_args()
    if len(args.fit) != len(args.fit_index) or len(args.check) != len(args.check_index):
        parser.error("give one --fit-index per --fit and one --check-index per --check")
    fits = list(zip(args.fit, args.fit_index, strict=True))
    return fits, list(zip(args.check, args.check_index, strict=True))


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    fit_sets, check_sets = parse_sets(__doc__)
    encoder = load_encoder()
    fitted = [features(index_dir, name, encoder) for name, index_dir in fit_sets]
    x = np.concatenate([f[0] for f in fitted])
    y = np.concatenate([f[1] for f in fitted])
    w, b = fit_logistic(x, y)
    scores = 1 / (1 + np.exp(-(x @ w + b)))
    best = max(
        (
            t
            for t in np.round(np.arange(0.05, 0.95, 0.01), 2)
            if rates(scores, y, t)[1] >= MIN_ANSWERED
        ),
        key=lambda t: (rates(scores, y, t)[0], -t),
    )
    print("features: coverage, dense, passage_missing, document_missing, rarest_missing")
    print(f"EVIDENCE_WEIGHTS = ({', '.join(f'{v:.3f}' for v in w)})")
    print(f"EVIDENCE_BIAS = {b:.3f}")
    print(f"REFUSE_BELOW = {best:.2f}")
    for (name, _), (fx, fy) in zip(fit_sets, fitted, strict=True):
        report("fit  ", name, fx, fy, w, b, best)
    for name, index_dir in check_sets:
        report("check", name, *features(index_dir, name, encoder), w, b, best)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

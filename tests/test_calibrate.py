"""The refusal calibration's parts: the logistic fit, the rates at a threshold, the set pairing."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from bench.calibrate import fit_logistic, main, rates
from bench.rerank import ranking_scores


def test_the_fit_scores_answerable_items_above_unanswerable_ones() -> None:
    x = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.1], [0.2, 0.9], [0.1, 0.8]])
    y = np.array([1.0, 1.0, 1.0, 0.0, 0.0])

    w, b = fit_logistic(x, y)

    scores = 1 / (1 + np.exp(-(x @ w + b)))
    assert w[0] > 0 > w[1]
    assert scores[:3].min() > 0.5 > scores[3:].max()


def test_rates_count_refusals_of_unanswerable_and_answers_to_answerable_items() -> None:
    scores = np.array([0.9, 0.3, 0.6, 0.2, 0.4])
    y = np.array([1.0, 1.0, 1.0, 0.0, 0.0])

    assert rates(scores, y, 0.35) == (0.5, 2 / 3)


def test_each_set_needs_its_own_index(monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["calibrate", "--fit", "a.jsonl", "--fit", "b.jsonl", "--fit-index", "ix"]
    monkeypatch.setattr(sys, "argv", argv)

    with pytest.raises(SystemExit) as stopped:
        main()

    assert stopped.value.code == 2


def test_ranking_scores_read_mrr_and_hit_at_5_before_and_after_a_linear_score() -> None:
    # two questions, three candidates each, one feature; the relevant one has the largest feature
    data = [
        (np.array([[0.1], [0.9], [0.2]]), np.array([0.0, 1.0, 0.0])),
        (np.array([[0.3], [0.1], [0.8]]), np.array([0.0, 0.0, 1.0])),
    ]

    assert ranking_scores(data, None) == (round((1 / 2 + 1 / 3) / 2, 3), 1.0)
    assert ranking_scores(data, np.array([1.0, 0.0])) == (1.0, 1.0)

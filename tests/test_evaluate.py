"""The evaluation harness: test-set format, gold matching by quote, metrics, floors, the CLI."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from ingest.embed import Encoder
from ingest.index import PassageIndex
from ingest.pipeline import ingest_paths
from rag.cli import main
from rag.evaluate import (
    METRICS,
    Item,
    Retrieved,
    TestSetError,
    check_floors,
    found_quotes,
    item_metrics,
    load_testset,
)
from tests.conftest import CORPUS

GOOD = {
    "id": "a",
    "user_input": "Q?",
    "reference": "R",
    "reference_contexts": ["quote"],
    "category": "fact",
    "history": [],
    "answerable": True,
}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"t\.jsonl:2: not valid JSON"),
        (
            json.dumps({k: v for k, v in GOOD.items() if k != "reference"}),
            r"t\.jsonl:2: missing field 'reference'",
        ),
        (json.dumps({**GOOD, "answerable": "yes"}), r"t\.jsonl:2: field 'answerable' must be bool"),
        (
            json.dumps({**GOOD, "category": "trivia"}),
            r"t\.jsonl:2: field 'category' must be one of",
        ),
        (
            json.dumps({**GOOD, "history": "earlier"}),
            r"t\.jsonl:2: field 'history' must be a list of strings",
        ),
        (
            json.dumps({**GOOD, "reference_contexts": []}),
            r"t\.jsonl:2: field 'reference_contexts' is empty",
        ),
        (
            json.dumps({**GOOD, "reference_alternatives": ["other"]}),
            r"t\.jsonl:2: field 'reference_alternatives' must be a list of lists of strings",
        ),
        (
            json.dumps({**GOOD, "reference_alternatives": [["x"], ["y"]]}),
            r"t\.jsonl:2: field 'reference_alternatives' needs one list per reference context",
        ),
        (json.dumps(GOOD), r"t\.jsonl:2: field 'id' repeats 'a'"),
    ],
)
def test_a_malformed_line_names_its_number_and_field(
    tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + line + "\n" + json.dumps({**GOOD, "id": "c"}) + "\n")

    with pytest.raises(TestSetError, match=message):
        load_testset(path)


def test_gold_quotes_match_across_line_breaks_case_and_adjacent_passages() -> None:
    first = Retrieved("d#¶1", "The social worker\nvisited ON 3 May and", "d", 0, 38)
    second = Retrieved("d#¶2", "saw the baby asleep.", "d", 40, 60)
    elsewhere = Retrieved("e#¶9", "saw the baby asleep.", "e", 40, 60)
    quotes = [
        "the social worker visited on 3 may",
        "visited on 3 May and saw the baby asleep",
        "not there",
    ]

    assert found_quotes(quotes, [first, second]) == {0, 1}
    assert found_quotes(quotes, [first, elsewhere]) == {0}


def test_item_metrics_rank_and_recall() -> None:
    item = Item("a", "Q?", "R", ("gold one", "gold two"), "fact", True)
    retrieved = [
        Retrieved("x", "nothing"),
        Retrieved("y", "has GOLD two"),
        Retrieved("z", "gold one here"),
    ]

    metrics = item_metrics(item, retrieved, cited=[retrieved[1], retrieved[0]], k=2)

    assert metrics["quote_recall_at_k"] == 0.5
    assert metrics["hit_at_k"] == 1.0
    assert metrics["mrr"] == 0.5
    assert metrics["citation_precision"] == 0.5


def test_the_answers_quotes_are_scored_against_the_gold_spans_and_their_alternatives() -> None:
    item = Item(
        "a",
        "Q?",
        "R",
        ("The visit was missed. It was not rearranged.", "gold two"),
        "fact",
        True,
        reference_alternatives=((), ("the same as two",)),
    )
    passages = [Retrieved("x", "anything")]

    def scored(*quotes: str) -> dict[str, float]:
        metrics = item_metrics(item, passages, cited=[], k=5, quotes=quotes)
        return {k: v for k, v in metrics.items() if k in ("answer_recall", "first_quote_gold")}

    # a quote inside a two-sentence gold span quotes it; an alternative quotes its gold span
    assert scored("Something else.", "the visit  was MISSED.") == {
        "answer_recall": 0.5,
        "first_quote_gold": 0.0,
    }
    assert scored("It says the same as two, in short.", "The visit was missed.") == {
        "answer_recall": 1.0,
        "first_quote_gold": 1.0,
    }
    assert scored() == {}  # a refusal quotes nothing: no figure


def test_an_alternative_span_counts_as_its_quote_and_the_strict_metrics_ignore_it() -> None:
    item = Item(
        "a",
        "Q?",
        "R",
        ("gold one", "gold two"),
        "fact",
        True,
        reference_alternatives=(("the same as one",), ()),
    )
    retrieved = [
        Retrieved("x", "says the same as one, in the analysis"),
        Retrieved("y", "nothing"),
        Retrieved("z", "gold one in the chronology"),
    ]

    metrics = item_metrics(item, retrieved, cited=[], k=2)

    assert metrics["quote_recall_at_k"] == 0.5
    assert metrics["mrr"] == 1.0
    assert metrics["hit_at_k"] == 1.0
    assert metrics["strict_recall_at_k"] == 0.0
    assert metrics["strict_mrr"] == pytest.approx(1 / 3)
    assert found_quotes([("not here", "gold one"), ("nor this",)], retrieved) == {0}
    # the quote is credited once, at its alternative; "gold one" at rank 3 earns nothing more
    assert metrics["ndcg_at_10"] == pytest.approx(1 / (1 + 1 / math.log2(3)))


def test_ndcg_credits_each_gold_quote_once() -> None:
    item = Item("a", "Q?", "R", ("gold one",), "fact", True)
    twice = [Retrieved("x", "gold one"), Retrieved("y", "again gold one")]

    assert item_metrics(item, twice, cited=[], k=5)["ndcg_at_10"] == 1.0


def test_alternatives_load_one_list_per_quote(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    line = {**GOOD, "reference_contexts": ["q1", "q2"], "reference_alternatives": [["a1"], []]}
    path.write_text(json.dumps(line) + "\n")

    (item,) = load_testset(path)

    assert item.reference_alternatives == (("a1",), ())
    assert item.extra == {}


def test_floors_fail_below_and_latency_floors_are_ceilings() -> None:
    overall = {"mrr": 0.7, "latency_ms_p95": 300.0}

    assert check_floors(overall, ["mrr=0.6", "latency_ms_p95=400"]) == []
    assert check_floors(overall, ["mrr=0.8", "latency_ms_p95=200"]) == [
        "mrr = 0.7 (floor 0.8)",
        "latency_ms_p95 = 300.0 (floor 200.0)",
    ]
    with pytest.raises(TestSetError, match="bad --min 'speed=1'"):
        check_floors(overall, ["speed=1"])


def test_eval_cli_prints_the_metric_names_and_writes_ragas_rows(
    corpus_index: PassageIndex, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert corpus_index.cache_dir is not None
    items = [
        json.loads(line)
        for line in (Path(__file__).parent / "qa" / "corpus.jsonl").read_text().splitlines()
    ]
    subset = tmp_path / "subset.jsonl"
    subset.write_text("\n".join(json.dumps(i) for i in items[:6] + items[-3:]) + "\n")
    out, report = tmp_path / "results.jsonl", tmp_path / "report.md"

    code = main(
        [
            "eval",
            str(subset),
            "--index",
            str(corpus_index.cache_dir),
            "--json",
            "--out",
            str(out),
            "--report",
            str(report),
            "--min",
            "quote_verified_rate=1.0",
        ]
    )

    printed = json.loads(capsys.readouterr().out)
    assert code == 0
    assert printed["n_items"] == 9
    assert sorted(printed["metrics"]["overall"]) == sorted(METRICS)
    assert printed["metrics"]["overall"]["quote_verified_rate"] == 1.0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 9
    for key in (
        "user_input",
        "response",
        "retrieved_contexts",
        "retrieved_context_ids",
        "reference",
        "reference_contexts",
        "citations",
        "refused",
        "latency_ms",
        "metrics",
    ):
        assert key in rows[0]
    assert "| quote_recall_at_k |" in report.read_text()


def test_eval_fails_when_a_floor_is_not_met(
    corpus_index: PassageIndex, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert corpus_index.cache_dir is not None
    subset = tmp_path / "one.jsonl"
    subset.write_text(
        json.dumps(
            {
                **GOOD,
                "user_input": "What was said about supervision?",
                "reference_contexts": ["no such sentence anywhere"],
            }
        )
        + "\n"
    )

    code = main(
        ["eval", str(subset), "--index", str(corpus_index.cache_dir), "--min", "hit_at_k=0.5"]
    )

    assert code == 1
    assert "below floor: hit_at_k = 0.0 (floor 0.5)" in capsys.readouterr().err


def test_the_naive_baseline_runs_beside_reviewqa_on_the_same_documents(
    index: PassageIndex, tmp_path: Path, capsys: pytest.CaptureFixture[str], encoder: Encoder
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CORPUS / "siblings-j-and-l.txt", docs)
    ingest_paths([docs], index, encoder)
    items = [
        json.loads(line)
        for line in (Path(__file__).parent / "qa" / "corpus.jsonl").read_text().splitlines()
    ]
    subset = tmp_path / "siblings.jsonl"
    chosen = [i for i in items if i["id"].startswith("siblings-j-and-l-fact-")][:3]
    subset.write_text("\n".join(json.dumps(i) for i in chosen) + "\n")

    code = main(["eval", str(subset), "--index", str(tmp_path), "--baseline", "naive", "--json"])

    captured = capsys.readouterr()
    assert code == 0, captured.err  # e.g. a package the baseline needs is not installed
    printed = json.loads(captured.out)
    naive = printed["baseline"]["naive"]["overall"]
    assert naive["refusal_recall"] is None  # no unanswerable item here
    assert naive["answered_rate"] == 1.0  # the tutorial pipeline never refuses
    assert naive["citation_precision"] is None  # and cites nothing
    assert 0.0 <= naive["quote_recall_at_k"] <= 1.0
    assert printed["metrics"]["overall"]["quote_verified_rate"] == 1.0

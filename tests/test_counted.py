"""How many recommendations or findings a review makes, counted from its own numbered labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.embed import Encoder
from ingest.index import PassageIndex
from ingest.pipeline import ingest_paths
from ingest.settings import Settings
from rag.answer import Answer
from rag.ask import ask
from rag.counted import counted_asked
from rag.query import build_query
from rag.render import answer_paragraphs
from rag.retrieve import Filters


def run(index: PassageIndex, encoder: Encoder, question: str, **options: object) -> Answer:
    """ask() over `index`, with default settings unless `settings` is given."""
    options.setdefault("settings", Settings())
    return ask(question, index=index, encoder=encoder, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("How many recommendations did the Ms K review make?", "recommendation"),
        ("how many findings were there in the Mr D review?", "finding"),
        ("How many recommendations did the reviews make?", "recommendation"),
        ("How many findings did the Ms K and Mr D reviews make?", "finding"),
        # of no review, or not how many
        ("How many recommendations were about supervision?", None),
        ("What were the recommendations of the Ms K review?", None),
        ("How many agencies were involved in the Ms K review?", None),
    ],
)
def test_a_count_of_one_reviews_recommendations_or_findings_is_told_from_others(
    corpus_index: PassageIndex, question: str, asked: str | None
) -> None:
    assert counted_asked(build_query(question, corpus_index.documents())) == asked


def test_a_reviews_recommendations_are_counted_by_their_labels_and_the_last_is_quoted(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(corpus_index, encoder, "How many recommendations did the Ms K review make?")

    assert not answer.refused
    assert [(c.n, c.passage_id, c.quote[:17]) for c in answer.citations] == [
        (1, "ms-k#¶13.1-13.2", "Recommendation 1:"),
        (2, "ms-k#¶13.3", "Recommendation 2:"),
        (3, "ms-k#¶13.4", "Recommendation 3:"),
        (4, "ms-k#¶13.5", "Recommendation 4:"),
        (5, "ms-k#¶13.6", "Recommendation 5:"),
        (6, "ms-k#¶13.9", "Recommendation 8:"),
    ]
    assert all(c.quote in c.passage_text for c in answer.citations)
    # each one sentence, the first of its recommendation
    assert answer.citations[0].quote == (
        "Recommendation 1: The Community Safety Partnership should seek assurance from Sedgecombe "
        "Police and Lantern Domestic Abuse Service that the DASH risk assessment is repeated at "
        "every reported incident and whenever there is evidence of escalation, and should receive "
        "an audit of compliance within six months."
    )
    # a paragraph each, as the app shows them
    assert answer.text.split("\n\n")[5] == f"{answer.citations[5].quote} [6]"
    assert answer_paragraphs(answer.text)[0] == (None, f"{answer.citations[0].quote} [1]")
    assert answer.notes == [
        "Domestic Homicide Review: Ms K (2019) numbers 8 recommendations (Recommendation 1 to "
        "Recommendation 8); Recommendations 1 to 5 and 8 are quoted."
    ]
    assert [c.passage_id for c in answer.passages] == [c.passage_id for c in answer.citations]


def test_findings_as_many_as_the_quotes_are_all_quoted_and_a_follow_up_counts_too(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(
        corpus_index,
        encoder,
        "How many findings did it make?",
        history=("What did the Mr D review find about the fire service?",),
    )

    assert [c.quote.split(":")[0] for c in answer.citations] == [
        f"Finding {n}" for n in range(1, 7)
    ]
    assert answer.notes == [
        "Safeguarding Adults Review: Mr D (2020) numbers 6 findings (Finding 1 to Finding 6)."
    ]


def test_of_several_reviews_the_last_of_each_is_quoted_and_each_counted(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    every = run(
        corpus_index,
        encoder,
        "How many recommendations did the reviews make?",
        settings=Settings(max_quotes=3),
    )
    named = run(corpus_index, encoder, "How many findings did the Ms K and Mr D reviews make?")

    assert [(c.passage_id, c.quote[:17]) for c in every.citations] == [
        ("overview-2022#¶12.8-12.9", "Recommendation 8:"),
        ("child-t#¶13.8", "Recommendation 7:"),
        ("mr-d#¶12.8", "Recommendation 7:"),
    ]
    # each review's under its title, as the app shows a theme's answer
    assert [title for title, _ in answer_paragraphs(every.text)] == [
        "Independent overview report: learning from four reviews (2022)",
        "Local Child Safeguarding Practice Review: Child T (2021)",
        "Safeguarding Adults Review: Mr D (2020)",
    ]
    assert every.notes == [
        "52 numbered recommendations in 7 documents (Independent overview report: learning from "
        "four reviews (2022): 8; Local Child Safeguarding Practice Review: Child T (2021): 7; "
        "Safeguarding Adults Review: Mr D (2020): 7; Domestic Homicide Review: Ms K (2019): 8; "
        "Serious Case Review: Siblings J and L (2018): 8; Serious Case Review: Child M (2017): 8; "
        "Serious Case Review: Baby R (2016): 6); the last of each of the 3 newest is quoted."
    ]
    assert [c.quote[:9] for c in named.citations] == ["Finding 6"]
    assert named.notes == [
        "6 numbered findings in 1 document (Safeguarding Adults Review: Mr D (2020): 6); the last "
        "of each is quoted.",
        "Domestic Homicide Review: Ms K (2019) numbers no findings.",
    ]


def test_labels_that_skip_a_number_leave_the_question_to_the_search(
    tmp_path: Path, index: PassageIndex, encoder: Encoder
) -> None:
    (tmp_path / "child-q.md").write_text(
        "# Serious Case Review: Child Q\n\n## 9 Recommendations\n\n"
        "9.1 Recommendation 1: The Board should audit supervision of child in need cases.\n\n"
        "9.2 Recommendation 3: The Board should publish a neglect strategy within a year.\n",
        "utf-8",
    )
    assert not ingest_paths([tmp_path], index, encoder).failed

    answer = run(index, encoder, "How many recommendations did the Child Q review make?")

    assert answer.notes == []  # no count: Recommendation 2 is not among the labels
    assert not answer.refused and "Recommendation 1:" in answer.text


@pytest.mark.parametrize(
    ("filters", "counted"),
    [
        (Filters(kinds=("dhr",)), True),
        (Filters(kinds=("scr",)), False),  # not Ms K's kind
        (Filters(section_kinds=("recommendations",)), False),
        (Filters(date_from="2019-01-01"), False),
    ],
)
def test_filters_on_section_or_date_or_another_kind_leave_the_question_to_the_search(
    corpus_index: PassageIndex, encoder: Encoder, filters: Filters, counted: bool
) -> None:
    answer = run(
        corpus_index, encoder, "How many recommendations did the Ms K review make?", filters=filters
    )

    assert bool(answer.notes) == counted

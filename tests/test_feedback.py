"""The audit trail and feedback store (a real SQLite file)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rag.answer import Answer, Citation
from rag.feedback import FeedbackStore
from rag.retrieve import Filters

CITATION = Citation(
    n=1,
    passage_id="baby-r#¶10.13",
    doc_id="baby-r",
    title="Serious Case Review: Baby R",
    section="10 Analysis > Management oversight and supervision",
    paragraph="10.13",
    page=8,
    quote="The allocated social worker had supervision only every 10 weeks instead of monthly.",
    passage_text="10.13 The allocated social worker had supervision only every 10 weeks instead of monthly.",
)
ANSWER = Answer("How often was she supervised?", f"{CITATION.quote} [1]", [CITATION])


def test_an_answer_is_recorded_with_its_citations(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "index" / "feedback.sqlite3")

    answer_id = store.record_answer(ANSWER, "conv-1", Filters(kinds=("scr",)))

    record = store.get(answer_id)
    assert record is not None
    assert (record.conversation, record.question, record.answer) == (
        "conv-1",
        "How often was she supervised?",
        ANSWER.text,
    )
    assert (record.refused, record.mode, record.rating, record.comment) == (
        False,
        "extractive",
        None,
        None,
    )
    assert record.filters == {
        "doc_ids": [],
        "kinds": ["scr"],
        "section_kinds": [],
        "date_from": None,
        "date_to": None,
    }
    assert record.citations == [
        {
            "n": 1,
            "passage_id": "baby-r#¶10.13",
            "doc_id": "baby-r",
            "title": "Serious Case Review: Baby R",
            "section": "10 Analysis > Management oversight and supervision",
            "paragraph": "10.13",
            "page": 8,
            "quote": CITATION.quote,
            "date": None,  # the document's date, when known: which of two reports of a council
        }
    ]


def test_feedback_is_written_into_the_answers_row_and_can_change(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    first = store.record_answer(ANSWER, "conv-1")
    second = store.record_answer(Answer("Other?", "", [], refused=True), "conv-2")

    store.record_feedback(first, "down", "  Wrong paragraph.  ")
    store.record_feedback(first, "up")

    record = store.get(first)
    assert record is not None
    assert (record.rating, record.comment) == ("up", None)
    assert record.feedback_at is not None
    assert [r.id for r in store.answers()] == [first, second]
    assert [r.refused for r in store.answers("conv-2")] == [True]


def test_feedback_for_an_unknown_answer_is_an_error(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")

    with pytest.raises(KeyError, match="no answer 7 in"):
        store.record_feedback(7, "up")


def test_a_rating_other_than_up_or_down_is_refused_by_the_file(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    answer_id = store.record_answer(ANSWER, "conv-1")

    with pytest.raises(sqlite3.IntegrityError):
        store.record_feedback(answer_id, "sideways")  # type: ignore[arg-type]

"""Which inspections gave a grade, read from each report's statement of its overall grade."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.embed import Encoder
from ingest.index import PassageIndex
from ingest.pipeline import ingest_paths
from ingest.settings import Settings
from rag.answer import Answer
from rag.ask import ask
from rag.graded import OVERALL_ROW, OVERALL_SENTENCE, grade_of, graded_asked, graded_topic
from rag.query import build_query


@pytest.mark.parametrize(
    ("question", "grades"),
    [
        ("Which councils were judged inadequate?", {"inadequate"}),
        ("Which local authorities were rated outstanding in 2023?", {"outstanding"}),
        ("What councils were judged good or outstanding?", {"good", "outstanding"}),
        (
            "Which inspections were graded requires improvement to be good?",
            {"requires improvement"},
        ),
        (
            "Which councils were judged good or outstanding in their most recent inspection?",
            {"good", "outstanding"},
        ),
        # a topic of the grade: the rows that grade it (or, when none does, a search)
        ("Which councils were judged inadequate for care leavers?", {"inadequate"}),
        # reviews are not graded; nor is a question that asks of one report
        ("Which reviews were judged good?", set()),
        ("Which councils were judged good in the Thornvale inspection?", set()),
        ("How was Thornvale judged?", set()),
    ],
)
def test_a_question_for_the_reports_given_a_grade_is_told_from_others(
    corpus_index: PassageIndex, question: str, grades: set[str]
) -> None:
    assert graded_asked(build_query(question, corpus_index.documents())) == grades


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("Overall effectiveness | Requires improvement to be good", "requires improvement"),
        ("Judgement\nOverall effectiveness Inadequate\nOther row Good", "inadequate"),
        (
            "Children’s services in Northbrook require improvement to be good.",
            "requires improvement",
        ),
        ("Children's services in Eastmere are outstanding.", "outstanding"),
        ("Title\nChildren’s services in the Borough of Kelderton are good\n1. Next", "good"),
        (
            "Services for children in Kelderton are no longer inadequate and they now require "
            "improvement to be good.",
            "requires improvement",
        ),
    ],
)
def test_a_report_states_its_overall_grade_in_a_row_or_its_opening_sentence(
    text: str, grade: str
) -> None:
    found = OVERALL_ROW.search(text) or OVERALL_SENTENCE.search(text)

    assert found is not None and grade_of(found.group(1)) == grade


@pytest.mark.parametrize(
    "text",
    [
        "The overall effectiveness of help was judged to be good in 2019.",
        "Management oversight is good, and risk assessment is used well.",
        "Children's services in Eastmere are not yet good.",
        # a part of the services, not the whole
        "Services for children in Eastmere who need help and protection are inadequate.",
    ],
)
def test_a_grade_said_of_something_else_is_no_statement_of_the_overall_grade(text: str) -> None:
    assert OVERALL_ROW.search(text) is None and OVERALL_SENTENCE.search(text) is None


def run(index: PassageIndex, encoder: Encoder, question: str) -> Answer:
    return ask(question, index=index, encoder=encoder, settings=Settings())


def test_the_reports_given_the_grade_asked_are_quoted_where_they_state_it(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(corpus_index, encoder, "Which councils were judged requires improvement?")

    assert not answer.refused
    assert [(c.n, c.passage_id, c.quote) for c in answer.citations] == [
        (
            1,
            "thornvale-inspection#¶p6",
            "Overall effectiveness | Requires improvement to be good",
        )
    ]
    assert answer.citations[0].quote in answer.citations[0].passage_text
    assert answer.text == (
        "**Inspection of Thornvale local authority children's services (2023)** — "
        "Overall effectiveness | Requires improvement to be good [1]"
    )
    assert answer.notes == ["Overall grades were read from 1 of the 1 inspection reports."]


def test_no_report_given_the_grade_asked_is_a_refusal_that_says_so(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(corpus_index, encoder, "Which councils were rated inadequate in 2023?")

    assert answer.refused and answer.citations == []
    assert answer.reason == (
        "no inspection of 2023 whose overall grade was read is graded inadequate"
    )


def inspection(folder: Path, place: str, published: str, statement: str) -> None:
    """A short inspection report of an invented council, its overall grade stated as given."""
    (folder / f"{place.lower()}-{published[-4:]}.md").write_text(
        f"# Inspection of {place} local authority children's services\n\n"
        f"Published: {published}\n\n## 1 Judgements\n\n{statement}\n\n"
        "## 2 Help and protection\n\n2. Thresholds are understood and decisions are made "
        "promptly by the front door team, which is well run.\n",
        "utf-8",
    )


def test_more_reports_so_graded_than_quoted_are_counted_newest_first(
    tmp_path: Path, index: PassageIndex, encoder: Encoder
) -> None:
    table = "| Judgement | Grade |\n|---|---|\n| Overall effectiveness | {} |"
    inspection(tmp_path, "Ashby", "12 May 2019", table.format("Inadequate"))
    inspection(tmp_path, "Brackley", "3 June 2021", table.format("Inadequate"))
    inspection(tmp_path, "Corby", "9 March 2023", table.format("Inadequate"))
    inspection(tmp_path, "Dunmere", "2 July 2022", "1. Children's services in Dunmere are good.")
    assert not ingest_paths([tmp_path], index, encoder).failed
    settings = Settings(max_quotes=2)

    every = ask(
        "Which councils were judged inadequate?", index=index, encoder=encoder, settings=settings
    )
    of_2021 = ask(
        "Which councils were rated inadequate in 2021?",
        index=index,
        encoder=encoder,
        settings=settings,
    )
    good = ask("Which councils were judged good?", index=index, encoder=encoder, settings=settings)

    assert [c.doc_id for c in every.citations] == ["corby-2023", "brackley-2021"]
    assert every.notes == [
        "3 inspections give that grade; the 2 newest are quoted (a year, as in “… in 2023”, "
        "narrows it).",
        "Overall grades were read from 4 of the 4 inspection reports.",
    ]
    assert [c.doc_id for c in of_2021.citations] == ["brackley-2021"]
    assert [c.quote for c in good.citations] == ["Children's services in Dunmere are good."]


def test_a_grade_asked_of_one_report_is_its_heading_and_rows_or_a_refusal(
    tmp_path: Path, index: PassageIndex, encoder: Encoder
) -> None:
    # the 2013-18 framework states the overall grade over its box of grades, not in a row
    box = (
        "Children's services in Dunmere require improvement to be good\n\n"
        "| Judgement | Grade |\n|---|---|\n"
        "| Children who need help and protection | Good |\n"
        "| Leadership, management and governance | Requires improvement |\n\n"
        "## 3 Youth justice\n\n3. The youth offending service works closely with the police "
        "and schools to divert children from crime."
    )
    inspection(tmp_path, "Dunmere", "2 July 2016", box)
    assert not ingest_paths([tmp_path], index, encoder).failed

    rated = run(index, encoder, "What rating did Dunmere get?")
    service = run(index, encoder, "What rating was Dunmere's youth offending service given?")
    works = run(index, encoder, "How does Dunmere's youth offending service divert children?")

    assert [c.quote for c in rated.citations] == [
        "Children's services in Dunmere require improvement to be good",
        "Children who need help and protection | Good",
        "Leadership, management and governance | Requires improvement",
    ]
    # the service's sentence gives no grade
    assert service.refused and service.citations == []
    assert service.reason == "the question asks for a grade and no sentence found gives one"
    assert not works.refused
    assert works.citations[0].quote.startswith("The youth offending service works closely")


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Which councils were judged inadequate for care leavers?", ["care", "leavers"]),
        # "children" counts: children in care are not care leavers
        (
            "Which councils were rated outstanding for children in care in 2023?",
            ["children", "care"],
        ),
        ("Which councils were judged good or outstanding in their most recent inspection?", []),
    ],
)
def test_what_is_asked_to_have_been_graded_is_the_topic(question: str, topic: list[str]) -> None:
    assert graded_topic(question) == topic


def test_the_reports_given_the_grade_asked_for_a_topic_are_quoted_by_their_row(
    tmp_path: Path, index: PassageIndex, encoder: Encoder
) -> None:
    table = (
        "| Judgement | Grade |\n|---|---|\n"
        "| The experiences and progress of children in care | {} |\n"
        "| The experiences and progress of care leavers | {} |\n"
        "| Overall effectiveness | {} |"
    )
    inspection(tmp_path, "Ashby", "12 May 2023", table.format("Good", "Inadequate", "Good"))
    inspection(tmp_path, "Brackley", "3 June 2024", table.format("Inadequate", "Good", "Good"))
    inspection(tmp_path, "Corby", "9 March 2022", table.format("Good", "Inadequate", "Inadequate"))
    assert not ingest_paths([tmp_path], index, encoder).failed

    leavers = run(index, encoder, "Which councils were judged inadequate for care leavers?")
    in_care = run(index, encoder, "Which councils were rated inadequate for children in care?")
    none = run(index, encoder, "Which councils were judged outstanding for care leavers?")
    gangs = run(index, encoder, "Which councils were judged inadequate for work with gangs?")

    assert [(c.doc_id, c.quote) for c in leavers.citations] == [
        ("ashby-2023", "The experiences and progress of care leavers | Inadequate"),
        ("corby-2022", "The experiences and progress of care leavers | Inadequate"),
    ]
    assert leavers.notes == [
        "Grades for care leavers were read from 3 of the 3 inspection reports."
    ]
    assert [(c.doc_id, c.quote) for c in in_care.citations] == [
        ("brackley-2024", "The experiences and progress of children in care | Inadequate")
    ]
    assert none.refused and none.reason == (
        "no inspection whose grade for care leavers was read is graded outstanding"
    )
    # no row grades it: a search, as any question
    assert not any("Grades for" in note for note in gangs.notes)


def test_the_grades_of_a_places_inspections_are_each_reports_statement_oldest_first(
    tmp_path: Path, index: PassageIndex, encoder: Encoder
) -> None:
    table = (
        "| Judgement | Grade |\n|---|---|\n"
        "| The experiences and progress of care leavers | {} |\n"
        "| Overall effectiveness | {} |"
    )
    inspection(tmp_path, "Dunmere", "12 May 2023", table.format("Good", "Outstanding"))
    inspection(
        tmp_path, "Dunmere", "3 June 2019", table.format("Inadequate", "Requires improvement")
    )
    inspection(tmp_path, "Corby", "9 March 2022", table.format("Good", "Good"))
    assert not ingest_paths([tmp_path], index, encoder).failed

    years = run(index, encoder, "How was Dunmere rated in 2019 and 2023?")
    change = run(index, encoder, "How did Dunmere's rating change between its inspections?")
    leavers = run(index, encoder, "How were care leavers in Dunmere rated in 2019 and 2023?")

    assert [(c.doc_id, c.quote) for c in years.citations] == [
        ("dunmere-2019", "Overall effectiveness | Requires improvement"),
        ("dunmere-2023", "Overall effectiveness | Outstanding"),
    ]
    assert years.text.startswith(
        "**Inspection of Dunmere local authority children's services (2019)** — Overall "
        "effectiveness | Requires improvement [1]"
    )
    assert years.notes == ["Each inspection's overall grade, oldest first."]
    assert [c.quote for c in change.citations] == [c.quote for c in years.citations]
    assert [(c.doc_id, c.quote) for c in leavers.citations] == [
        ("dunmere-2019", "The experiences and progress of care leavers | Inadequate"),
        ("dunmere-2023", "The experiences and progress of care leavers | Good"),
    ]
    assert leavers.notes == ["Each inspection's grade for care leavers, oldest first."]

"""A question for one report as a whole, on the bundled corpus with the real encoder and index."""

from __future__ import annotations

import pytest

from ingest.embed import Encoder
from ingest.index import PassageIndex
from ingest.settings import Settings
from rag.answer import Answer
from rag.ask import ask
from rag.query import build_query
from rag.summary import library_asked, summary_asked


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Summarise the Child T review.", True),
        ("Can you summarize the Child T review?", True),
        ("What happened to Child T?", True),
        ("What is the Child T review about?", True),
        ("What were the key findings of the Child T review?", True),
        ("Tell me about the Child T review", True),
        # what it concluded or found, asked of it whole
        ("What did the overview conclude?", True),
        ("What did the Child T review find?", True),
        ("What were the conclusions of the Child T review?", True),
        ("What were the findings of the Child T review?", True),
        ("What findings did the Child T review make?", True),
        # what was learned from it, as boards ask
        ("What lessons were learned from the Child T review?", True),
        ("What are the main lessons of the Child T review?", True),
        ("What can be learnt from the Child T review?", True),
        # as people ask for it
        ("Give me an overview of the Child T review", True),
        ("Give me a brief overview of the Child T review", True),
        ("Tell me more about the Child T review", True),
        ("What do I need to know about the Child T review?", True),
        # what it found at fault, asked of it whole
        ("What went wrong in the Child T case?", True),
        ("What mistakes were made in the Child T case?", True),
        ("What were the main failings in the Child T review?", True),
        ("What shortcomings did the Child T review identify?", True),
        ("What could have been done better in the Child T case?", True),
        ("What was the Child T review critical of?", True),
        # a topic of the report: searched as any question is
        ("What did the police do wrong in the Child T case?", False),
        ("What went wrong with information sharing in the Child T case?", False),
        ("What lessons were learned from the Child T review about exclusion?", False),
        ("What did the Child T review say about learning lessons from exclusions?", False),
        ("What happened after T's exclusion in the Child T review?", False),
        ("What were the main findings about the school in the Child T review?", False),
        ("What did the Child T review say about supervision?", False),
        ("What did the Child T review conclude about the police?", False),
        ("What were the findings of the Child T review on exclusion?", False),
        # no one report named
        ("Summarise the reviews", False),
        ("Summarise the Child T and Child M reviews", False),
    ],
)
def test_a_question_for_a_report_as_a_whole_is_told_from_one_with_a_topic(
    corpus_index: PassageIndex, question: str, asked: bool
) -> None:
    assert summary_asked(build_query(question, corpus_index.documents())) is asked


def test_an_overview_asked_for_is_no_overview_report_named(corpus_index: PassageIndex) -> None:
    records = corpus_index.documents()

    assert build_query("Give me an overview of the Mr D case", records).doc_ids == ("mr-d",)
    assert build_query("What did the overview say about Mr D?", records).doc_ids == (
        "overview-2022",
    )


def run(index: PassageIndex, encoder: Encoder, question: str, *history: str) -> Answer:
    return ask(question, history, index=index, encoder=encoder, settings=Settings())


def test_summarise_a_review_quotes_its_opening_and_findings_in_order(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # "summarise" is in no passage: this was refused (evidence 0.06)
    answer = run(corpus_index, encoder, "Summarise the Child T review.")

    assert not answer.refused
    assert [(c.paragraph, c.quote[:40]) for c in answer.citations] == [
        ("1.1", "This report sets out the findings of a l"),
        # not "The review has made the following findings.", which only leads in
        ("12.1", "The signs that T was being criminally ex"),
        ("12.1", "The permanent exclusion in Year 9 increa"),
        ("12.1", "The response to his 11 missing episodes "),
        ("12.1", "Decisions in the Multi-Agency Safeguardi"),
        ("12.3", "The review does not conclude that the st"),
    ]


def test_what_a_report_concluded_is_told_from_its_summary(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # no word of it is a term ("overview" names the document, "conclude" asks): this was refused
    # ("no question terms")
    answer = run(corpus_index, encoder, "What did the overview conclude?")

    assert not answer.refused
    # its opening, then its conclusions
    assert [c.passage_id for c in answer.citations][:3] == [
        "overview-2022#¶1.1",
        "overview-2022#¶11.1",
        "overview-2022#¶11.1",
    ]
    assert answer.citations[2].quote.startswith("Their differences should not obscure the fact")


def test_what_happened_to_the_subject_of_a_review_is_told_from_its_summary(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # had been answered with three bullets of its terms of reference, which name Mr D most often
    answer = run(corpus_index, encoder, "What happened to Mr D?")

    assert [c.paragraph for c in answer.citations] == [
        "1.1",
        "11.1",
        "11.2",
        "11.4",
        "11.5",
        "11.6",
    ]
    assert answer.citations[0].quote.startswith(
        "This safeguarding adults review concerns Mr D, a 68-year-old man who died in a fire"
    )
    assert answer.citations[1].quote.startswith("Finding 1: ")


def test_what_went_wrong_in_a_review_is_told_from_its_summary(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # "failings" is in no finding: this had quoted the review's examples of good practice, and
    # "What went wrong in the Child T case?" had been refused (evidence 0.06)
    failings = run(
        corpus_index, encoder, "What were the main failings in the Siblings J and L case?"
    )
    wrong = run(corpus_index, encoder, "What went wrong in the Child T case?")

    assert [c.paragraph for c in failings.citations] == [
        "1.1",
        "12.1",
        "12.1",
        "12.2",
        "12.2",
        "12.3",
    ]
    assert failings.citations[3].quote.startswith("• Finding 1: the child in need plan drifted")
    assert not wrong.refused
    assert [c.paragraph for c in wrong.citations] == ["1.1", "12.1", "12.1", "12.1", "12.1", "12.3"]


def test_what_went_wrong_in_an_inspection_is_quoted_from_what_needs_to_improve(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(corpus_index, encoder, "What were the weaknesses of the Thornvale inspection?")

    assert {(c.passage_id, c.section) for c in answer.citations} == {
        ("thornvale-inspection#¶7", "3 What needs to improve?")
    }
    assert len(answer.citations) == Settings().max_quotes


def test_what_one_agency_did_wrong_is_quoted_from_what_the_review_judged(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # had quoted the chronology: "Northbrook Police began a criminal investigation on 9 October"
    answer = run(corpus_index, encoder, "What did the police do wrong in the Baby R case?")

    assert [c.passage_id for c in answer.citations] == [
        "baby-r#¶12.1-12.2",
        "baby-r#¶10.2",
        "baby-r#¶10.2",
    ]
    assert answer.citations[0].quote.startswith(
        "First, information held by Northbrook Police about domestic abuse involving Mr S"
    )


def test_what_two_named_reviews_found_compared_is_each_one_s_findings_in_turn(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # had quoted the methodology ("The author combined these into a single multi-agency
    # chronology …") and a lead-in, "The review makes the following findings:"
    answer = run(
        corpus_index, encoder, "Compare the findings of the Child M and Siblings J and L reviews"
    )
    # had quoted both introductions ("The purpose of a serious case review is not to apportion
    # blame …")
    common = run(corpus_index, encoder, "What do the Baby R and Child T reviews have in common?")

    assert not answer.refused and not common.refused
    assert [c.passage_id for c in answer.citations] == [
        "child-m#¶12.1",
        "child-m#¶12.2",
        "child-m#¶12.3",
        "siblings-j-and-l#¶12.1",
        "siblings-j-and-l#¶12.2",
        "siblings-j-and-l#¶12.3",
    ]
    assert answer.citations[1].quote.startswith("Finding 1: The inter-authority transfer")
    assert "**Serious Case Review: Siblings J and L (2018)** — " in answer.text
    assert [c.doc_id for c in common.citations] == ["baby-r"] * 3 + ["child-t"] * 3
    assert {c.section for c in common.citations} == {"12 Findings and conclusions"}


def test_two_reviews_compared_on_a_matter_are_searched_for_it(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(
        corpus_index, encoder, "How did the Mr D and Ms K reviews differ on information sharing?"
    )

    assert {c.doc_id for c in answer.citations} == {"mr-d", "ms-k"}
    assert all("Findings" not in c.section for c in answer.citations)


def test_an_inspection_is_summed_up_by_its_overall_grade_and_its_judgements(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(corpus_index, encoder, "Tell me about the Thornvale inspection")

    assert [c.passage_id for c in answer.citations] == [
        "thornvale-inspection#¶p6",
        "thornvale-inspection#¶1",
        "thornvale-inspection#¶2",
        "thornvale-inspection#¶8",
        "thornvale-inspection#¶30",
        "thornvale-inspection#¶44",
    ]
    assert answer.citations[0].quote == "Overall effectiveness | Requires improvement to be good"


def test_what_went_wrong_asked_mid_conversation_sums_up_the_report_of_the_turn_before(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # had been refused: "the question asks for a summary and names no document"
    answer = run(corpus_index, encoder, "What went wrong?", "What happened to Child T?")

    assert {c.doc_id for c in answer.citations} == {"child-t"}
    assert answer.citations[1].quote.startswith("The signs that T was being criminally exploited")


def test_a_follow_up_asking_to_summarise_it_sums_up_the_report_of_the_turn_before(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    history = "What was recommended about supervision in the Baby R review?"

    answer = run(corpus_index, encoder, "Summarise it", history)

    assert {c.doc_id for c in answer.citations} == {"baby-r"}
    assert answer.citations[0].paragraph == "1.1"
    assert {c.section for c in answer.citations[1:]} == {"12 Findings and conclusions"}


def test_a_question_on_a_topic_of_a_report_is_not_summed_up(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(corpus_index, encoder, "What happened at the six-week check in the Baby R review?")

    assert answer.citations[0].paragraph != "1.1"
    assert all("six-week" in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    "question",
    ["What are the key findings?", "Summarise", "Give me a summary", "Summarise the reviews"],
)
def test_a_summary_of_no_named_report_asks_which_and_quotes_nothing(
    corpus_index: PassageIndex, encoder: Encoder, question: str
) -> None:
    # these had quoted sentences that say "key" or "summary" ("The key lines of enquiry were:")
    answer = run(corpus_index, encoder, question)

    assert answer.refused and answer.citations == []
    assert answer.reason is not None
    assert answer.reason.startswith("the question asks for a summary and names no document (name")
    assert "e.g. “" in answer.text


def test_a_summary_of_a_topic_named_without_a_report_is_searched_as_any_question(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(corpus_index, encoder, "Tell me about supervision")

    assert not answer.refused
    assert all("supervision" in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    "question",
    [
        "Which reviews are in the library?",
        "What documents do you have?",
        "List all the reports in the library.",
        "Which inspections are there?",
    ],
)
def test_what_the_library_holds_is_refused_with_where_it_is_listed(
    corpus_index: PassageIndex, encoder: Encoder, question: str
) -> None:
    answer = run(corpus_index, encoder, question)

    assert answer.refused and answer.citations == []
    assert answer.reason == (
        "the question asks what the library holds, which no document says: it holds 8 documents, "
        "listed in the app's Library panel and by `reviewqa docs`"
    )


@pytest.mark.parametrize(
    "question", ["Which reviews are about neglect?", "List the recommendations of the Ms K review"]
)
def test_a_question_of_which_reviews_say_something_is_no_question_of_the_library(
    question: str,
) -> None:
    assert not library_asked(question)

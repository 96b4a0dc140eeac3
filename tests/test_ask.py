"""ask() on the bundled corpus with the real encoder and a real index."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from ingest.embed import Encoder
from ingest.index import PassageIndex, StoredPassage
from ingest.settings import Settings
from rag.answer import Answer
from rag.ask import ask, case_docs, without_kind_words
from rag.query import Query
from rag.retrieve import (
    GRADE_ASKED,
    Candidate,
    FilterError,
    Filters,
    arrange,
    checked_filters,
    counted_noun,
    counts,
    day_asked,
    glossary_last,
    grade_rows,
    holds_reference,
    keep_clear_dense_best,
    put_first,
    recommendations_asked,
)

QA = Path(__file__).resolve().parent / "qa" / "corpus.jsonl"


def run(
    index: PassageIndex,
    encoder: Encoder,
    question: str,
    history: tuple[str, ...] = (),
    filters: Filters | None = None,
) -> Answer:
    return ask(question, history, filters, index=index, encoder=encoder, settings=Settings())


@pytest.mark.parametrize(
    ("question", "passage_id", "paragraph"),
    [
        (
            "In the Baby R review, how often did the allocated social worker receive supervision?",
            "baby-r#¶10.13",
            "10.13",
        ),
        (
            "When and why was Child T permanently excluded from Kelderton Park Academy?",
            "child-t#¶8.4",
            "8.4",
        ),
        (
            "In the Mr D review, was Mr D's capacity ever assessed under the Mental Capacity Act 2005?",
            "mr-d#¶9.1",
            "9.1",
        ),
        (
            "How many practitioners attended the learning events held for the overview report?",
            "overview-2022#¶2.2",
            "2.2",
        ),
        (
            "How quickly do Thornvale health visitors hear about domestic incidents that the police have attended?",
            "thornvale-inspection#¶11",
            "11",
        ),
        # yes or no, answered by "predictable and preventable" (the light stemmer keeps
        # "preventable" apart from "prevented"); and a cause given as "the most probable cause was"
        (
            "Could the neglect of J and L have been prevented?",
            "siblings-j-and-l#¶12.3",
            "12.3",
        ),
        ("What caused Mr D's house fire?", "mr-d#¶4.1", "4.1"),
        # "conclude" asks what the report found, as "find" does: it is no word to match (the
        # overview's introduction says "It would be easy to conclude that ...")
        ("What did the overview report conclude about supervision?", "overview-2022#¶6.4", "6.4"),
    ],
)
def test_named_fact_questions_cite_the_expected_paragraph(
    corpus_index: PassageIndex, encoder: Encoder, question: str, passage_id: str, paragraph: str
) -> None:
    answer = run(corpus_index, encoder, question)

    assert not answer.refused
    first = answer.citations[0]
    assert (first.n, first.passage_id, first.paragraph) == (1, passage_id, paragraph)
    assert first.quote in first.passage_text
    assert answer.text.startswith(first.quote)
    assert "[1]" in answer.text


def test_the_citation_names_title_section_and_page(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(
        corpus_index,
        encoder,
        "In the Baby R review, how often did the allocated social worker receive supervision?",
    )

    first = answer.citations[0]
    assert (first.doc_id, first.title, first.section, first.page) == (
        "baby-r",
        "Serious Case Review: Baby R",
        "10 Analysis > Management oversight and supervision",
        8,
    )


def test_a_theme_question_cites_at_least_three_reviews_grouped_by_review(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(corpus_index, encoder, "What was said about supervision?")

    docs = {c.doc_id for c in answer.citations}
    assert len(docs) >= 3
    assert answer.text.startswith("**")
    assert answer.text.count("**") >= 6  # one bold title per review group
    assert len(answer.citations) <= Settings().max_quotes


def test_a_theme_asked_of_gps_is_answered_from_the_gp_passages(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # "GPs" was once a word no document holds, and the question was refused as unanswerable
    question = (
        "What did the reviews find about the role of GPs and general practice in safeguarding?"
    )

    answer = run(corpus_index, encoder, question)

    assert not answer.refused
    # each review's passage that says "GP", not Mr D's review alone (whose passages the encoder
    # finds closest to "the role of GPs")
    assert [c.doc_id for c in answer.citations] == [
        "mr-d",
        "child-m",
        "ms-k",
        "thornvale-inspection",
        "baby-r",
        "siblings-j-and-l",
    ]
    assert sum("GP" in c.quote or "general practi" in c.quote for c in answer.citations) >= 5


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        (
            "How much did the Baby R serious case review cost Northbrook Local Safeguarding "
            "Children Board?",
            "the question asks for a sum of money and no passage found gives one",
        ),
        (
            "What did the serious case review into Baby Q find about co-sleeping?",
            "no document mentions Baby Q",
        ),
        # a line that names Mr N after someone else's age gives no age of his, though his age
        # is looked up wherever he is named
        (
            "How old is Mr N, the father of Ms K's son?",
            "the question asks for a person's age and no passage found gives one",
        ),
        # the hospitals of other reviews do not answer for the case asked about
        (
            "Which hospital did L go to after she was found in the street?",
            "the question asks for the name of a place or firm and no passage found gives one",
        ),
        (
            "How many children in care did Thornvale have compared with the previous year?",
            "the question compares with an earlier year and no passage found gives them",
        ),
        ("Which GCSE subjects was Child T studying at Kelderton Learning Centre?", "weak evidence"),
        # the sentence that would answer says when the meeting is held, not how many cases
        (
            "In the Thornvale inspection, how many cases does the independent domestic violence"
            " adviser who attends the daily domestic abuse triage meeting carry?",
            "the question asks for a number and no sentence found gives one",
        ),
        ("What did the reviews say about radicalisation or the Prevent duty?", "weak evidence"),
        # the report's own date of publication says nothing of the next report
        (
            "When will the Wessex Vale Regional Safeguarding Partnership publish its next overview"
            " report?",
            "the question asks about the next overview and no sentence found speaks of one",
        ),
        # the recommendation is quoted, not whether the other board took it up (had been answered
        # with the recommendation itself)
        (
            "Did the Kelderton board agree to the joint review of the transfer procedure that the"
            " Child M review recommended?",
            "the question asks for an account of what happened after the report and no passage"
            " found gives one",
        ),
        # the youth worker is never named (had been answered with the lead reviewer's name)
        (
            "What was the name of the Compass Youth worker whom T trusted?",
            "the question asks for a person's name and no passage found gives one",
        ),
        # what a person said, where no report gives any words of theirs: the Commissioner is
        # named only in a recommendation, and Mr S is never heard
        (
            "What did the Police and Crime Commissioner say about the Ms K review's"
            " recommendation on the IDVA service?",
            "the question asks for what that person said and no passage found gives one",
        ),
        (
            "What did Mr S tell the social worker about the bruise on Baby R?",
            "the question asks for what that person said and no passage found gives one",
        ),
        # the review says the GP had left the practice, and nothing of why (it had quoted the
        # six-week check)
        (
            "Why did the GP who saw Baby R at her six-week check later leave the practice?",
            "the question asks why and no sentence found gives a reason",
        ),
        # the father did not respond, and the sentence after gives a reason for another person
        # (had been answered with "Sibling 1 was not asked to take part, because …")
        (
            "Why did T's father not answer the Kelderton review's invitation to take part?",
            "the question asks why and no sentence found gives a reason",
        ),
        # the review tells of his violence to two former partners, and nothing of children
        (
            "Did Mr S have any children with his earlier partners?",
            "the question asks yes or no and no sentence found speaks to most of it",
        ),
        # Mr S was charged with causing Baby R's injuries, and his one conviction is for an
        # assault years before (had been answered with it)
        (
            "Was Mr S convicted of injuring Baby R?",
            "the question asks for a verdict and no passage found gives one",
        ),
        # the inspection gives caseloads as "an average of 19 children per social worker", a
        # rate that counts no plans (had been answered with it)
        (
            "How many Thornvale children had a child protection plan during the 2023 inspection?",
            "the question asks for a number and no sentence found gives one",
        ),
        # one review described: its "compare" makes no theme, and that review says nothing of
        # other authorities
        (
            "In the review of the baby with the fractured skull, how did the health visitor's"
            " caseload compare with those of neighbouring authorities?",
            "the question compares with neighbouring authorities and no passage found gives them",
        ),
        # no document speaks of Birmingham: passages on supervision elsewhere do not answer
        (
            "What did the reviews say about supervision in Birmingham?",
            "no document mentions Birmingham",
        ),
        # the sentence that would answer says the chair left, and that the draft was of 2017
        (
            "In which month did the chair of the task and finish group that drafted the "
            "Ravensholme self-neglect protocol leave her post?",
            "the question asks for a month and no sentence found gives one",
        ),
        # the review names its independent author, and no chair of its panel (had been
        # answered with "Independent author: Ms Ruth Adeyemi")
        (
            "Who chaired the Child M review panel?",
            "the question asks for who wrote, chaired or led the report and no passage found "
            "gives one",
        ),
    ],
)
def test_questions_the_documents_do_not_answer_are_refused(
    corpus_index: PassageIndex, encoder: Encoder, question: str, reason: str
) -> None:
    answer = run(corpus_index, encoder, question)

    assert answer.refused and answer.citations == []
    first = answer.text.splitlines()[0]
    if reason == "weak evidence":  # a weak match is no proof of absence: no reason given
        assert first == "The documents do not appear to answer this question."
    else:
        assert first == f"The documents do not appear to answer this question: {reason}."
    assert "Possibly related:" in answer.text
    assert answer.reason is not None and answer.reason.startswith(reason)


def test_a_question_for_the_recommendations_quotes_the_list_in_order(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(corpus_index, encoder, "What were the recommendations of the Child M review?")

    # Recommendation 1 too, which the search alone did not find, and in the report's order; the
    # opening sentence of each paragraph first: five recommendations heard, not three
    assert [(c.paragraph, c.quote[:30]) for c in answer.citations] == [
        ("13.1", "The review makes the following"),
        ("13.2", "Recommendation 1: The Board sh"),
        ("13.3", "Recommendation 2: The Board sh"),
        ("13.4", "Recommendation 3: The Board sh"),
        ("13.5", "Recommendation 4: The Board sh"),
        ("13.6", "Recommendation 5: The Board sh"),
    ]
    assert {c.section for c in answer.citations} == {"13 Recommendations"}


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("What did the Mr D review recommend?", "12 Recommendations"),
        ("What did the Ms K review recommend?", "13 Recommendations"),
        # courtesy is no topic: "please" had been one no recommendation speaks of (refused,
        # evidence 0.14), and "like" and "I'd" had quoted what T said about being questioned
        ("Please list the recommendations of the Child M review", "13 Recommendations"),
        ("I'd like to know what the Child T review recommended", "13 Recommendations"),
    ],
)
def test_a_report_named_by_a_title_is_answered_with_its_recommendations(
    corpus_index: PassageIndex, encoder: Encoder, question: str, section: str
) -> None:
    # "Mr" and "Ms" were the only words left to weigh once "recommend" was, and no
    # recommendation says them: both questions were refused as weak evidence
    answer = run(corpus_index, encoder, question)

    assert not answer.refused
    assert {c.section for c in answer.citations} == {section}
    assert "Recommendation 1:" in answer.text
    # a topic still has to be found: nothing recommends anything about pets
    assert run(corpus_index, encoder, f"{question.rstrip('?')} about pets?").refused


def test_a_part_of_a_report_asked_by_its_name_is_quoted_from_that_section_in_order(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # the terms of reference had been answered from the introduction's "referred to as Child T"
    answer = run(corpus_index, encoder, "What were the terms of reference of the Child T review?")

    assert not answer.refused
    assert [c.paragraph for c in answer.citations] == ["2.1", "2.1", "2.2", "2.2", "2.2", "2.2"]
    assert answer.citations[0].quote.startswith("The review considered the period from 1 September")
    assert answer.citations[2].quote.startswith("The safeguarding partners set the following key")

    # the period a review covered: the span of dates leads, not "during the period under review"
    answer = run(corpus_index, encoder, "What period did the Ms K review cover?")

    assert [c.quote for c in answer.citations] == [
        "The review considered the period from 1 September 2015 to 12 April 2017."
    ]
    # ... found where a report says it, in words the question need not share ("Which years"
    # had quoted a sentence on "several years"; Siblings J and L's period runs round a clause)
    answer = run(corpus_index, encoder, "Which years did the overview look at?")
    assert "published in the region between 2016 and 2021" in answer.citations[0].quote
    answer = run(corpus_index, encoder, "What period did the Siblings J and L review cover?")
    assert [c.quote for c in answer.citations] == [
        "The review considered the period from 1 June 2013, the month in which L was born, to 14"
        " November 2017."
    ]
    # an inspection gives no period it covered: "a long period of help" is no answer
    answer = run(corpus_index, encoder, "What time period did the Thornvale inspection cover?")
    assert answer.refused
    assert answer.reason == "the question asks for a period and no sentence found gives one"

    # how a review was carried out had been refused ("weak evidence")
    answer = run(corpus_index, encoder, "How was the Child M review carried out?")

    assert not answer.refused
    assert {c.section for c in answer.citations} == {"3 Methodology"}
    assert answer.citations[0].quote == (
        "The review used a combination of individual management reviews and a practitioner"
        " learning event."
    )

    # a topic asked of it is searched for: the referral, not the review's method
    answer = run(
        corpus_index, encoder, "How was the MASH referral carried out in the Child M review?"
    )

    assert "Methodology" not in answer.citations[0].section


@pytest.mark.parametrize(
    ("question", "passage_id", "said"),
    [
        # had quoted "There were some limitations." (evidence 0.26, just over the threshold)
        (
            "Who commissioned the Child M review?",
            "child-m#¶1.3",
            "The chair of Eastmere Safeguarding Children Board decided",
        ),
        ("Who commissioned the Ms K review?", "ms-k#¶1.1", "The review was commissioned by"),
        ("Who commissioned the overview?", "overview-2022#¶1.1", "This report was commissioned by"),
    ],
)
def test_who_commissioned_a_report_is_quoted_from_where_it_says_so(
    corpus_index: PassageIndex, encoder: Encoder, question: str, passage_id: str, said: str
) -> None:
    answer = run(corpus_index, encoder, question)

    assert [c.passage_id for c in answer.citations] == [passage_id]
    assert answer.citations[0].quote.startswith(said)


def test_who_commissioned_an_inspection_is_refused(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # Ofsted inspects; the report's "overview report commissioned by the Wessex Vale Regional
    # Safeguarding Partnership" is of another report
    answer = run(corpus_index, encoder, "Who commissioned the Thornvale inspection?")

    assert answer.refused and answer.reason == (
        "the question asks for who commissioned the report and no passage found gives one"
    )


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [
        # had quoted "The review notes that a baby cannot speak for herself."
        ("What were the strengths in the Baby R case?", "baby-r"),
        # had quoted a line of enquiry, a recommendation and "The barriers were practical …"
        ("What went well in the Child T case?", "child-t"),
        ("What worked well in the Siblings J and L case?", "siblings-j-and-l"),
    ],
)
def test_what_went_well_in_a_review_is_quoted_from_its_good_practice(
    corpus_index: PassageIndex, encoder: Encoder, question: str, doc_id: str
) -> None:
    answer = run(corpus_index, encoder, question)

    assert not answer.refused
    assert {c.doc_id for c in answer.citations} == {doc_id}
    assert {c.section.lower() for c in answer.citations} == {"11 good practice"}
    assert answer.citations[0].quote.startswith("The review identified examples of good practice")
    assert len(answer.citations) == Settings().max_quotes


@pytest.mark.parametrize(
    ("question", "day"),
    [
        ("What happened on 12 May 2015?", "12 May"),
        ("What happened on the 12th of May?", "12 May"),
        ("What happened on May 12?", "12 May"),
        ("Who visited on 4 September 2015 and why?", "4 September"),
        ("How many of the 12 cases seen in May were audited?", None),
        ("What happened in May 2015?", None),
    ],
)
def test_the_day_a_question_asks_about_is_found_in_the_way_reports_write_days(
    question: str, day: str | None
) -> None:
    asked = day_asked(question)

    if day is None:
        assert asked is None
        return
    assert asked is not None
    pattern = asked[1]
    assert pattern.search(f"the records show sessions on 3 March, {day} and 9 June 2015")
    assert not pattern.search("the records show sessions on 3 March and 9 June 2015")


def test_a_question_about_a_day_is_answered_from_the_passages_that_give_it(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # "12 May" is given once, in a list of supervision dates: the answer had quoted other days
    answer = run(corpus_index, encoder, "What happened on 12 May 2015 in the Baby R case?")

    assert not answer.refused
    assert answer.citations[0].passage_id == "baby-r#¶10.13"
    assert "12 May" in answer.citations[0].quote

    # ... and a letter of 6 April 2017 had been answered from other passages (corpus-plain's
    # plain-corpus-09, recall 0 -> 1)
    answer = run(
        corpus_index,
        encoder,
        "In the Ms K review, what did the independent domestic violence adviser service tell"
        " Ms K in its letter of 6 April 2017?",
    )

    assert answer.citations[0].quote.startswith("On 6 April 2017 the IDVA service wrote to Ms K")

    # the chronology's sentence that opens with the day leads, not the finding that names it
    # among the missed chances
    answer = run(corpus_index, encoder, "What happened on 4 September 2015?")

    assert answer.citations[0].passage_id == "baby-r#¶8.13"
    assert answer.citations[0].quote.startswith("On 4 September 2015 Baby R, then six weeks old")

    # a day no passage gives is said so, not answered from other days
    answer = run(corpus_index, encoder, "What happened on 5 May 2015 in the Baby R case?")

    assert answer.refused
    assert answer.reason == "no passage found gives 5 May"


def test_a_sentence_that_opens_a_list_is_followed_by_the_lists_items(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(corpus_index, encoder, "What were the key lines of enquiry in the Ms K review?")

    # "The key lines of enquiry were:" had been the whole answer
    assert [c.quote[:40] for c in answer.citations[:3]] == [
        "The key lines of enquiry were:",
        "• how agencies identified and assessed t",
        "• whether the case should have been refe",
    ]
    assert {c.passage_id for c in answer.citations} == {"ms-k#¶2.3"}
    assert len(answer.citations) == Settings().max_quotes


def test_a_theme_asked_of_a_bodys_involvement_quotes_what_each_review_says_of_the_body(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # Mr D's review had been heard with "No agency was told the outcome of another's
    # involvement ...", which says nothing of the GP
    answer = run(corpus_index, encoder, "What did the reviews find about GP involvement?")

    assert not answer.refused
    assert len({c.doc_id for c in answer.citations}) >= 4
    for citation in answer.citations:
        assert re.search(r"\bGP\b|general practi", citation.quote), citation.quote


def test_a_comparison_finds_each_document_s_passages_on_the_topic(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # searched over both together, "Baby R" filled the dense list: the inspection's paragraph on
    # supervision was not among its 40 and ranked eighth, below the inspection's opening
    answer = run(
        corpus_index,
        encoder,
        "How did the supervision findings in the Baby R review compare with those in the"
        " Thornvale inspection?",
    )

    top = [c.passage_id for c in answer.passages[:5]]
    assert "thornvale-inspection#¶56" in top[:2]
    assert {c.doc_id for c in answer.citations} == {"baby-r", "thornvale-inspection"}
    assert any(
        "85% of social workers received supervision" in c.quote
        for c in answer.citations
        if c.doc_id == "thornvale-inspection"
    )


def test_a_theme_asked_of_the_documents_of_a_year_is_answered_from_them_alone(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # the Ms K review is the library's one document of 2019; every review speaks of supervision
    answer = run(corpus_index, encoder, "What did the 2019 reviews say about supervision?")

    assert not answer.refused
    assert {c.doc_id for c in answer.citations} == {"ms-k"}
    # a year of what happened leaves every review in
    answer = run(corpus_index, encoder, "What did the reviews say about supervision in 2015?")
    assert len({c.doc_id for c in answer.citations}) >= 3
    # a year of no document is not answered from the documents of other years
    answer = run(corpus_index, encoder, "What did the 2030 reviews say about supervision?")
    assert answer.refused
    assert answer.reason == "no document in the library is of the year asked"


@pytest.mark.parametrize(
    ("question", "first"),
    [
        (
            "Was Ms K's case ever referred to MARAC?",
            "No referral was made to the Sedgecombe MARAC at any point.",
        ),
        (
            "Did anyone ever speak to Ms K's children about the abuse?",
            "No professional from any agency spoke to either child about their experience of the "
            "abuse at any point during the period under review.",
        ),
    ],
)
def test_a_question_whether_something_was_ever_done_leads_with_the_sentence_saying_never(
    corpus_index: PassageIndex, encoder: Encoder, question: str, first: str
) -> None:
    # the MARAC question had led with the protocol's grounds for referral, from the same
    # paragraph, which hold more of its words and say nothing of whether it was done
    answer = run(corpus_index, encoder, question)

    assert not answer.refused
    assert answer.citations[0].quote == first


def test_a_question_asking_one_report_about_another_is_answered_from_the_first(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # it had been refused ("no question terms": its words are all names) or answered from both
    answer = run(corpus_index, encoder, "What did the overview say about the Child T review?")
    assert not answer.refused
    assert {c.doc_id for c in answer.citations} == {"overview-2022"}
    assert "T's life" in answer.citations[0].passage_text

    answer = run(
        corpus_index,
        encoder,
        "What did the Thornvale inspection say about the Siblings J and L review?",
    )
    assert [c.passage_id for c in answer.citations] == ["thornvale-inspection#¶63"]
    # the user's filters hold: of the passages that name T, those of the section kind asked
    # (the overview's voice of the child section names him once, in ¶8.5)
    answer = run(
        corpus_index,
        encoder,
        "What did the overview say about the Child T review?",
        filters=Filters(section_kinds=("voice",)),
    )
    assert {c.passage_id for c in answer.citations} == {"overview-2022#¶8.5"}
    # the overview is of four children's reviews; it had answered with the overview on Mr S
    answer = run(corpus_index, encoder, "What did the overview report say about Mr D?")
    assert answer.refused
    assert answer.reason == (
        "Independent overview report: learning from four reviews does not mention Mr D"
    )


def test_what_an_inspection_says_needs_to_improve_is_quoted_from_its_list(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # the list shares no word with the question: a sentence elsewhere saying "do not improve"
    # had been quoted instead
    answer = run(corpus_index, encoder, "What did the Thornvale inspection say needs to improve?")

    assert {(c.passage_id, c.section) for c in answer.citations} == {
        ("thornvale-inspection#¶7", "3 What needs to improve?")
    }
    assert answer.citations[0].quote.startswith("The local authority and its partners should")
    assert len(answer.citations) == Settings().max_quotes


def test_a_question_for_recommendations_on_a_topic_quotes_those_on_it(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(
        corpus_index, encoder, "What was recommended about supervision in the Baby R review?"
    )

    assert [c.passage_id for c in answer.citations] == ["baby-r#¶13.4"]
    assert answer.citations[0].quote.startswith("Recommendation 3: ")


RI = "Requires improvement to be good"


def test_a_question_for_an_inspection_s_grades_quotes_its_table(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(corpus_index, encoder, "How was Thornvale rated at its 2023 inspection?")
    asked = run(corpus_index, encoder, "What grade did the Thornvale inspection give care leavers?")

    assert {c.passage_id for c in answer.citations} == {"thornvale-inspection#¶p6"}
    assert [tuple(c.quote.split(" | ")) for c in answer.citations] == [
        ("The impact of leaders on social work practice with children and families", RI),
        ("The experiences and progress of children who need help and protection", RI),
        ("The experiences and progress of children in care", RI),
        ("The experiences and progress of care leavers", "Good"),
        ("Overall effectiveness", RI),
    ]
    assert [c.quote for c in asked.citations] == [
        "The experiences and progress of care leavers | Good"
    ]


def test_which_reviews_mention_a_topic_is_a_theme_with_no_word_for_mentioning(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # "mention" is in no passage: it had counted as a missing term and the question was refused
    answer = run(corpus_index, encoder, "Which reviews mention exploitation?")

    assert not answer.refused
    assert {"child-t", "overview-2022"} <= {c.doc_id for c in answer.citations}
    assert all("exploit" in c.quote.lower() for c in answer.citations)


def test_the_latest_inspection_s_grades_are_its_table_not_rows_that_say_latest(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # "latest" picks the report and is no topic of its rows: it had been asked of each row, none
    # held it, and sentences about leaders were quoted instead
    answer = run(corpus_index, encoder, "How was Thornvale rated at its latest inspection?")

    assert {c.passage_id for c in answer.citations} == {"thornvale-inspection#¶p6"}
    assert answer.citations[-1].quote == f"Overall effectiveness | {RI}"


def test_a_follow_up_for_what_needs_to_improve_is_answered_from_the_list(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # the list says neither "improve" nor "rated", which the turn before asked: no weak evidence
    history = ("How was Thornvale rated at its 2023 inspection?",)

    answer = run(corpus_index, encoder, "What did it say needed to improve?", history)

    assert not answer.refused
    assert {c.passage_id for c in answer.citations} == {"thornvale-inspection#¶7"}
    assert answer.evidence > 0.5  # 0.28 with those words counted


def test_a_follow_up_for_recommendations_after_what_went_wrong_quotes_them(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # "wrong", asked the turn before, is in no recommendation: this was refused (evidence 0.09)
    history = ("What went wrong in the Ms K case?",)

    answer = run(corpus_index, encoder, "What was recommended?", history)

    assert not answer.refused
    assert {c.section for c in answer.citations} == {"13 Recommendations"}
    assert answer.citations[1].quote.startswith("Recommendation 1: ")


def test_a_follow_up_naming_only_another_review_asks_it_the_same_question(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    history = ("What did the reviews say about supervision?",)

    answer = run(corpus_index, encoder, "What about in the Child M review?", history)

    assert answer.follow_up and answer.focus == ("child-m",)
    assert {c.doc_id for c in answer.citations} == {"child-m"}
    assert all("supervision" in c.quote for c in answer.citations)


def test_someone_of_the_case_named_as_known_is_asked_of_the_case_the_turn_before_named(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # had been answered from the Child M review, which says "the school" most
    answer = run(corpus_index, encoder, "What did the school do?", ("What happened to Child T?",))

    assert answer.follow_up and answer.focus == ("child-t",)
    assert {c.doc_id for c in answer.citations} == {"child-t"}


def test_a_follow_up_resolves_against_the_history(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    history = ("In the Baby R review, what does Recommendation 2 ask the Board to do?",)

    answer = run(corpus_index, encoder, "By what date did it have to be published?", history)

    assert answer.follow_up and answer.focus == ("baby-r",)
    assert answer.citations[0].passage_id == "baby-r#¶13.3"


def test_a_follow_up_asking_which_organisations_is_answered_by_naming_them(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # the recommendation says neither "organisations" nor "aimed": those words ask for a kind of
    # answer (rag/expect.py), and the refusal model does not miss them
    history = ("In the Child M review, what does Recommendation 3 ask for?",)

    answer = run(
        corpus_index, encoder, "Which organisations is that recommendation aimed at?", history
    )

    assert not answer.refused
    assert answer.citations[0].passage_id == "child-m#¶13.4"
    assert "Eastmere Community Health NHS Trust" in answer.citations[0].quote


def test_a_follow_up_about_a_numbered_recommendation_is_answered_from_it(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    history = ("In the Mr D review, what does Recommendation 4 say?",)

    answer = run(
        corpus_index, encoder, "Which agency has to report back on it, and by when?", history
    )

    assert answer.passages[0].passage_id == "mr-d#¶12.5"
    # the whole recommendation, in order: who reports back, and by when, is its second sentence
    assert [(c.passage_id, c.quote[:40]) for c in answer.citations] == [
        ("mr-d#¶12.5", "Recommendation 4: The Board should seek "),
        ("mr-d#¶12.5", "The fire service should report to the Bo"),
    ]


def test_a_follow_up_about_the_first_recommendation_is_answered_from_it(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # had been answered from the overview and the Ms K review (nothing pointed back)
    answer = run(
        corpus_index,
        encoder,
        "Which agency is responsible for the first one?",
        ("What did the Mr D review recommend?",),
    )

    assert [(c.passage_id, c.quote[:40]) for c in answer.citations][:1] == [
        ("mr-d#¶12.1-12.2", "Recommendation 1: The Board should final"),
    ]


def test_a_named_part_is_quoted_from_where_it_begins_to_the_end_of_its_paragraph(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(corpus_index, encoder, "In the Mr D review, what does Recommendation 1 say?")

    assert [c.quote[:40] for c in answer.citations] == [
        "Recommendation 1: The Board should final",
        "The protocol should include a multi-agen",
    ]
    assert {c.paragraph for c in answer.citations} == {"12.2"}


def test_of_the_passages_shown_those_giving_the_kind_of_answer_asked_for_come_first(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    question = "How old was Mr S, the mother's partner, at the time Baby R was injured?"

    answer = run(corpus_index, encoder, question)

    assert answer.passages[0].passage_id == "baby-r#¶7.1"
    assert [c.passage_id for c in answer.citations] == ["baby-r#¶7.1"]
    assert "aged 27" in answer.citations[0].quote


def test_of_the_first_passages_those_counting_what_a_question_counts_come_first(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # the clause before "how many" pulls passages about police protection ahead of the answer
    question = (
        "After the two neglected children were taken into police protection in Thornvale, "
        "how many teeth did the older child need taken out?"
    )

    answer = run(corpus_index, encoder, question)

    assert answer.passages[0].passage_id == "siblings-j-and-l#¶8.19"
    assert "needed eight teeth removed" in answer.citations[0].quote


def test_the_encoders_clear_best_passage_is_kept_near_the_top(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # no BM25 top 40 holds it ("woken" is not "wake"), so rank fusion put it 17th
    question = (
        "What did the older sister tell school staff about a morning when her mother "
        "could not be woken?"
    )

    answer = run(corpus_index, encoder, question)

    assert "siblings-j-and-l#¶9.2" in [p.passage_id for p in answer.passages[:3]]


def test_only_a_clear_dense_best_moves_and_only_up_to_its_place() -> None:
    def cand(pid: str, dense: float | None, rank: int | None) -> Candidate:
        return Candidate(StoredPassage(pid, "a", "text", {}), 0.0, dense, None, rank)

    clear = [cand("a#0", 0.50, 2), cand("a#1", 0.52, 1), cand("a#2", None, None)]
    clear += [cand("a#3", 0.60, 0)]
    close = [*clear[:3], cand("a#3", 0.53, 0)]

    moved = keep_clear_dense_best(clear, at=1, margin=0.03)

    assert [c.passage_id for c in moved] == ["a#0", "a#3", "a#1", "a#2"]
    assert keep_clear_dense_best(close, at=1, margin=0.03) == close  # 0.53 - 0.52 < 0.03
    assert keep_clear_dense_best(clear, at=3, margin=0.03) == clear  # already in place


def test_a_glossary_stands_last_unless_the_question_asks_what_something_means() -> None:
    def cand(pid: str, section_kind: str) -> Candidate:
        return Candidate(StoredPassage(pid, "a", "text", {"section_kind": section_kind}), 0.0)

    ranked = [cand("a#p75", "glossary"), cand("a#1.2", "introduction"), cand("a#9.1", "analysis")]

    moved = glossary_last("What did the computed tomography scan show?", ranked)

    assert [c.passage_id for c in moved] == ["a#1.2", "a#9.1", "a#p75"]
    assert glossary_last("What does CT mean in the Baby R review?", ranked) == ranked
    assert glossary_last("What is a DASH assessment?", ranked) == ranked


def test_a_question_in_plain_words_is_not_answered_from_the_glossary(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # the glossary's "CT: Computed tomography (a form of scan)" shares every word with the
    # question, and had been its whole answer
    answer = run(corpus_index, encoder, "What did the computed tomography scan of Baby R show?")

    assert answer.citations[0].passage_id == "baby-r#¶1.2"
    assert answer.citations[0].quote == (
        "A CT scan showed a fracture of the skull with bleeding beneath it."
    )
    meaning = run(corpus_index, encoder, "What does CT mean in the Baby R review?")
    assert meaning.citations[0].passage_id == "baby-r#¶p75"


def test_the_words_asking_for_a_kind_of_answer_need_not_stand_in_the_answer(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # no passage says "job": the sentence that gives one is answered, and it leads
    answer = run(corpus_index, encoder, "In the Ms K review, what was her job?")

    assert not answer.refused
    assert "worked as a pharmacy dispenser" in answer.citations[0].quote
    assert answer.citations[0].passage_id == "ms-k#¶1.4"
    # the question asks for her job and nothing more: nothing else is quoted
    assert len(answer.citations) == 1


@pytest.mark.parametrize(
    ("question", "quotes"),
    [
        # who wrote a report: the title page names the reviewer (had been answered with "The
        # housing officer carried out Mr D's audit"); "carried out" is not in it
        (
            "Who carried out the Mr D review?",
            [("mr-d#¶p1-p4", "Independent reviewer: Ms Alison Reeve")],
        ),
        # no passage says "wrote" (refused at evidence 0.05 before); the overview's own author,
        # not Baby R's, whom it names as well
        (
            "Who wrote the overview report?",
            [("overview-2022#¶p1-p4", "Independent author: Professor Janet Hale")],
        ),
        # the chair asked for: Ms K's review names its chair, who is also its author
        (
            "Who chaired the Ms K review panel?",
            [
                ("ms-k#¶p1-p4", "Independent chair and author: Mr David Lowe"),
                ("ms-k#¶3.1", "Mr David Lowe was appointed as independent chair and author."),
                (
                    "ms-k#¶3.1",
                    "He is a former senior probation manager who has chaired domestic homicide "
                    "reviews in other areas since 2013.",
                ),
            ],
        ),
        # the agencies a review drew on: read from where it says how it was done (had quoted
        # "The review panel ... included senior representatives of each agency involved.")
        (
            "Which organisations were involved in the Siblings J and L review?",
            [
                (
                    "siblings-j-and-l#¶3.2",
                    "Individual management reviews were provided by Thornvale Children's "
                    "Services, Thornvale Community Health (health visiting and school nursing), "
                    "Millbrook Medical Centre, Ashgrove Primary School, Thornvale Recovery Service"
                    " and Thornvale Police.",
                )
            ],
        ),
        # (had quoted the Community Safety Partnership's notice of her death and two lines of
        # the terms of reference)
        (
            "Which agencies were involved in the Ms K review?",
            [
                (
                    "ms-k#¶3.2",
                    "Its members were senior managers from Sedgecombe Police, Sedgecombe "
                    "Children's Services, Sedgecombe Adult Social Care, Sedgecombe Clinical "
                    "Commissioning Group, Lantern Domestic Abuse Service, Sedgecombe Homes, the "
                    "National Probation Service and the Community Safety Partnership.",
                )
            ],
        ),
        # what letters stand for: read from the passages the letters' lexical search finds,
        # though a review uses them in many more than it spells them out in (had quoted MARAC's
        # meeting dates)
        (
            "What does MARAC stand for?",
            [("ms-k#¶p86", "• MARAC: Multi-Agency Risk Assessment Conference")],
        ),
        (
            "What does CAMHS stand for?",
            [("thornvale-inspection#¶p72", "• CAMHS: Child and adolescent mental health services")],
        ),
    ],
)
def test_a_kind_asked_alone_is_answered_by_the_sentence_that_gives_it(
    corpus_index: PassageIndex, encoder: Encoder, question: str, quotes: list[tuple[str, str]]
) -> None:
    answer = run(corpus_index, encoder, question)

    assert not answer.refused
    assert [(c.passage_id, c.quote) for c in answer.citations] == quotes


def test_what_a_person_said_is_quoted_from_where_the_report_hears_her(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    question = (
        "In the Siblings J and L review, what did the mother tell the author about the changing"
        " social workers?"
    )

    answer = run(corpus_index, encoder, question)

    # "The mother spoke candidly. She told the author ...": her words, in the sentence after
    # the one that names her
    assert not answer.refused
    assert ("siblings-j-and-l#¶5.1", "She told the author that she had become") in [
        (c.passage_id, c.quote[:39]) for c in answer.citations
    ]


def test_a_question_about_one_described_report_is_answered_from_it_not_as_a_theme(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    question = (
        "In the report that pulled together the lessons from four children's reviews, who"
        " chaired the steering group?"
    )

    answer = run(corpus_index, encoder, question)

    # "the lessons" and "reviews" had made it a theme, answered under the report's title
    assert not answer.text.startswith("**")
    assert [(c.passage_id, c.quote[:38]) for c in answer.citations] == [
        ("overview-2022#¶2.4", "The steering group, chaired by the reg")
    ]


def test_the_words_describing_the_case_pick_the_report_not_the_sentences(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    question = (
        "In the review about the baby girl admitted with a fractured skull at 11 weeks old, what"
        " did the GP do about the bruise on her cheek?"
    )

    answer = run(corpus_index, encoder, question)

    # the sentence that describes the case ("Baby R was 11 weeks old when admitted to hospital
    # ... with a skull fracture ...") had been the whole answer
    assert [(c.passage_id, c.quote[:40]) for c in answer.citations[:2]] == [
        ("baby-r#¶8.13", "The GP noted a bruise of about one and a"),
        ("baby-r#¶8.13", 'The GP recorded "small bruise L cheek, m'),
    ]


def test_letters_no_document_spells_out_are_refused(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(corpus_index, encoder, "What does XYZQ stand for?")

    assert answer.refused
    assert answer.reason == (
        "the question asks for what the letters stand for and no passage found gives one"
    )


@pytest.mark.parametrize(
    ("question", "passage_ids", "said"),
    [
        # had quoted the police checks on Mr S (Baby R) and Mr D's capacity first
        (
            "Was Mr G ever checked by the police?",
            ["child-m#¶10.15"],
            "No checks were made with the police or with any other agency",
        ),
        # had answered about Mr L, from the Ms K review
        ("Who was Mr B?", ["child-t#¶8.8", "child-t#¶9.1", "child-t#¶7.1"], "Mr B's flat"),
    ],
)
def test_a_question_naming_people_of_a_case_is_answered_from_the_documents_that_name_them(
    corpus_index: PassageIndex, encoder: Encoder, question: str, passage_ids: list[str], said: str
) -> None:
    answer = run(corpus_index, encoder, question)

    assert not answer.refused
    assert [c.passage_id for c in answer.citations] == passage_ids
    assert said in answer.citations[0].quote
    assert answer.focus == tuple(sorted({p.split("#")[0] for p in passage_ids}))


@pytest.mark.parametrize(
    ("question", "passage_id", "given"),
    [
        # the review calls its child by the letter alone: "- T: the subject of the review, aged
        # 15 at the time of the stabbing;" (had been refused: no passage shown said "Child T"
        # beside an age)
        ("How old was Child T when he was stabbed?", "child-t#¶7.1", "aged 15 at the time"),
        # asked of no document, the search finds the overview's summary of Baby R first, which
        # gives no age of Mr S (had been refused); Baby R's list of the family does
        ("How old was Mr S?", "baby-r#¶7.1", "Mr S: Mother's partner from early 2015, aged 27"),
    ],
)
def test_a_persons_age_is_read_wherever_the_reviews_name_them(
    corpus_index: PassageIndex, encoder: Encoder, question: str, passage_id: str, given: str
) -> None:
    answer = run(corpus_index, encoder, question)

    assert not answer.refused
    assert answer.citations[0].passage_id == passage_id
    assert given in answer.citations[0].quote


def test_only_the_words_of_the_kind_asked_for_are_left_out_of_the_evidence() -> None:
    job = Query("In the Ms K review, what was her job?", "q", terms=("ms", "job"))
    plain = Query("What did the review say about jobs?", "q", terms=("job",))

    assert without_kind_words(job).terms == ("ms",)
    assert without_kind_words(plain) == plain


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("How many teeth did the older child need taken out?", "teeth"),
        ("In the Child T review, how many police intelligence reports referred to T?", "reports"),
        ("How many other people died in house fires in Ravensholme in 2019?", "people"),
        ("How many homes was the housing officer looking after?", "homes"),
        ("How many times was Child M kept away from appointments?", None),
        # what was done so many times, counted as the report counts it ("four single
        # assessments"; siblings-j-and-l-fact-06 had no gold passage in its top five)
        ("How many times was the family assessed from scratch?", "assessed"),
        ("And how many of them were completed within 72 hours?", None),
        ("What did the review find about supervision?", None),
    ],
)
def test_the_thing_a_how_many_question_counts(question: str, noun: str | None) -> None:
    assert counted_noun(question) == noun


def test_a_passage_counts_a_thing_with_a_number_before_it_in_lower_case() -> None:
    def passage(text: str) -> Candidate:
        return Candidate(StoredPassage("a#0", "a", text, {}), 0.0)

    holds = counts("reports")
    homes = counts("homes")

    assert holds(passage("Police received 14 intelligence reports that referred to T."))
    assert holds(passage("Eight reports were sent."))
    assert not holds(passage("The reports were not shared."))
    assert homes(passage("She visited two homes that week."))
    assert not homes(passage("On 20 August 2019 Ravensholme Homes wrote to Mr D."))  # a name
    assert not homes(passage("In 2019 homes were inspected."))  # a year counts nothing
    # a plural in "ies" counts as its singular does
    tenancies = counts("tenancies")
    assert tenancies(passage("The housing officer was responsible for about 640 tenancies."))
    assert tenancies(passage("He held one tenancy."))


def test_filters_restrict_the_cited_documents(corpus_index: PassageIndex, encoder: Encoder) -> None:
    question = "What was said about supervision?"

    answer = run(corpus_index, encoder, question, filters=Filters(kinds=("inspection",)))
    recommendations = run(
        corpus_index, encoder, question, filters=Filters(section_kinds=("recommendations",))
    )

    assert {c.doc_id for c in answer.citations} == {"thornvale-inspection"}
    assert recommendations.citations
    for c in recommendations.passages:
        assert c.passage.metadata["section_kind"] == "recommendations"


def test_filters_are_spelt_as_the_index_spells_them(corpus_index: PassageIndex) -> None:
    given = Filters.parse(["kind=SAR,Inspection", "doc=Baby-R", "section=Findings"])

    checked = checked_filters(given, corpus_index.documents(), corpus_index.section_kinds())

    assert (checked.kinds, checked.doc_ids, checked.section_kinds) == (
        ("sar", "inspection"),
        ("baby-r",),
        ("findings",),
    )


@pytest.mark.parametrize(
    ("items", "error"),
    [
        (["doc=baby-q"], "no document 'baby-q' in the index; there are: baby-r, child-m,"),
        (["kind=cpr"], "no kind of document 'cpr' in the index; there are: cspr, dhr, inspection,"),
        (["section=outcomes"], "no section kind 'outcomes' in the index; there are: analysis,"),
        (
            ["from=2022", "to=2019"],
            "the dates end before they begin: from 2022-01-01 to 2019-12-31",
        ),
    ],
)
def test_a_filter_that_would_match_nothing_is_an_error_naming_what_there_is(
    corpus_index: PassageIndex, items: list[str], error: str
) -> None:
    with pytest.raises(FilterError) as raised:
        checked_filters(
            Filters.parse(items), corpus_index.documents(), corpus_index.section_kinds()
        )

    assert str(raised.value).startswith(error)


def test_a_library_of_many_documents_names_its_first_and_where_the_rest_are(
    corpus_index: PassageIndex,
) -> None:
    one = corpus_index.documents()[0]
    library = [replace(one, doc_id=f"report-{n:02d}") for n in range(14)]

    with pytest.raises(FilterError) as raised:
        checked_filters(Filters.parse(["doc=report-99"]), library, ["findings"])

    assert str(raised.value) == (
        "no document 'report-99' in the index; there are: "
        + ", ".join(f"report-{n:02d}" for n in range(12))
        + ", … (14 in all: `reviewqa docs` lists them)"
    )


@pytest.mark.parametrize("date", ["2020-13", "2020-02-30", "2020-ab", "20", "2020-1-2-3"])
def test_a_date_that_is_no_date_is_an_error(date: str) -> None:
    with pytest.raises(FilterError, match=f"bad date '{date}': use YYYY, YYYY-MM or YYYY-MM-DD"):
        Filters.parse([f"from={date}"])


def test_every_quote_of_every_qa_answer_is_verbatim_in_its_passage(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    items = [json.loads(line) for line in QA.read_text("utf-8").splitlines()]
    checked = 0

    for item in items:
        answer = run(corpus_index, encoder, item["user_input"], tuple(item["history"]))
        for c in answer.citations:
            stored = corpus_index.passage(c.passage_id)
            assert stored is not None and c.quote in stored.text, (item["id"], c)
            checked += 1

    assert checked > 150


def test_a_comparison_hears_each_named_review_in_turn(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    question = "How did waiting lists affect the responses in the Mr D and Ms K reviews?"

    answer = run(corpus_index, encoder, question)

    assert [c.passage.doc_id for c in answer.passages[:4]] == ["mr-d", "ms-k", "mr-d", "ms-k"]
    assert {c.doc_id for c in answer.citations} == {"mr-d", "ms-k"}
    assert answer.text.startswith("**Safeguarding Adults Review: Mr D (2020)** — ")
    assert "\n\n**Domestic Homicide Review: Ms K (2019)** — " in answer.text


def ranked(*rows: tuple[str, str, float]) -> list[Candidate]:
    return [
        Candidate(StoredPassage(f"{doc}#{i}", doc, "text", {"section_kind": kind}), score)
        for i, (doc, kind, score) in enumerate(rows)
    ]


def test_a_theme_takes_each_reviews_best_finding_before_its_chronology() -> None:
    found = ranked(("a", "chronology", 0.030), ("a", "analysis", 0.027), ("b", "findings", 0.020))

    order = arrange(Query("q", "q", theme=True), found)

    assert [c.passage_id for c in order] == ["a#1", "b#2", "a#0"]
    # scores as shares of the best (no cosine here); the chronology counts 0.8
    assert [round(c.score, 4) for c in order] == [0.9, 0.6667, 0.8]


def test_a_theme_takes_each_reviews_finding_before_its_terms_of_reference() -> None:
    found = ranked(
        ("a", "terms_of_reference", 0.030), ("a", "analysis", 0.021), ("b", "findings", 0.020)
    )

    order = arrange(Query("q", "q", theme=True), found)

    # the terms of reference count 0.8 as no finding and 0.8 again as what the review asked
    assert [(c.passage_id, round(c.score, 4)) for c in order] == [
        ("a#1", 0.7),
        ("b#2", 0.6667),
        ("a#0", 0.64),
    ]


def test_which_reviews_are_those_whose_best_passage_stands_near_the_top() -> None:
    found = ranked(("a", "analysis", 0.030), ("a", "analysis", 0.028), ("b", "analysis", 0.018))
    which = "Which reviews involved a move between local authorities?"

    theme = arrange(Query("What was said about moves?", "q", theme=True), found)
    chosen = arrange(Query(which, which, theme=True), found)

    # b's best scores 0.6 of a's: heard by a theme, not named by "which reviews" (0.65)
    assert [c.passage_id for c in theme] == ["a#0", "b#2", "a#1"]
    assert [c.passage_id for c in chosen] == ["a#0", "a#1", "b#2"]


def test_a_theme_weighs_how_close_each_passage_is_to_the_question() -> None:
    found = [
        replace(c, dense=dense)
        for c, dense in zip(
            ranked(("a", "analysis", 0.030), ("a", "analysis", 0.028), ("b", "analysis", 0.020)),
            (0.40, 0.80, None),
            strict=True,
        )
    ]

    order = arrange(Query("q", "q", theme=True), found)

    # a#1: 0.028 / 0.030 + 0.3 * 0.80 / 0.80; a#0: 1 + 0.3 * 0.40 / 0.80; b#2 has no cosine
    assert [(c.passage_id, round(c.score, 3)) for c in order] == [
        ("a#1", 1.233),
        ("b#2", 0.667),
        ("a#0", 1.15),
    ]


def test_a_theme_weighs_how_much_of_the_question_each_passage_holds() -> None:
    meta = {"section_kind": "analysis"}
    found = [
        Candidate(StoredPassage("a#0", "a", "Each agency knew part of the story.", meta), 0.030),
        Candidate(StoredPassage("b#1", "b", "The GP did not pass the concern on.", meta), 0.027),
    ]
    query = Query("What did the reviews find about GPs?", "q", theme=True, terms=("gp",))

    by_rank = arrange(query, found)
    by_terms = arrange(query, found, {"gp": 2.0})

    assert [c.passage_id for c in by_rank] == ["a#0", "b#1"]
    # b#1: 0.027 / 0.030 + 0.5 * 1 (it holds all of the question's terms); a#0: 1 + 0
    assert [(c.passage_id, round(c.score, 3)) for c in by_terms] == [("b#1", 1.4), ("a#0", 1.0)]


def inspection(doc: str, place: str, date_num: int, score: float) -> Candidate:
    meta = {"section_kind": "judgement", "kind": "inspection", "place": place, "date_num": date_num}
    return Candidate(StoredPassage(f"{doc}#1", doc, "text", meta), score)


def test_a_theme_hears_each_council_by_its_latest_inspection() -> None:
    found = [
        inspection("hackney-2016", "Hackney", 20160921, 0.030),
        inspection("york-2017", "York", 20170207, 0.028),
        inspection("hackney-2024", "Hackney", 20240820, 0.026),
        # a review of the same place is no inspection: it is heard as well
        Candidate(
            StoredPassage("scr#1", "scr", "text", {"kind": "scr", "place": "Hackney"}), 0.024
        ),
    ]

    order = arrange(Query("q", "q", theme=True), found)
    without_later = arrange(Query("q", "q", theme=True), found[:2])

    assert [c.passage_id for c in order] == [
        "york-2017#1",
        "hackney-2024#1",
        "scr#1",
        "hackney-2016#1",
    ]
    assert [c.passage_id for c in without_later] == ["hackney-2016#1", "york-2017#1"]


def test_a_quantity_question_puts_passages_that_state_a_number_first() -> None:
    texts = {
        "a#0": "10.13 Supervision was not discussed with a manager.",  # the label is no number
        "a#1": "10.14 Supervision took place only four times in 14 months.",
        "a#2": "17. Managers rarely reviewed the plan.",
    }
    found = [
        Candidate(StoredPassage(pid, "a", text, {"section_kind": "analysis"}), score)
        for pid, text, score in zip(texts, texts.values(), (0.030, 0.027, 0.020), strict=True)
    ]

    counted = arrange(Query("How often was supervision held?", "q"), found)
    plain = arrange(Query("Was supervision held?", "q"), found)

    assert [(c.passage_id, round(c.score, 4)) for c in counted] == [
        ("a#1", 0.027),
        ("a#0", 0.024),
        ("a#2", 0.016),
    ]
    assert [c.passage_id for c in plain] == ["a#0", "a#1", "a#2"]


def test_a_question_about_recommendations_puts_the_recommendations_first() -> None:
    found = ranked(
        ("a", "judgement", 0.030), ("a", "recommendations", 0.026), ("b", "findings", 0.02)
    )

    asked = arrange(Query("What did it say needed to improve?", "q"), found)
    theme = arrange(
        Query("What did the reviews recommend about supervision?", "q", theme=True), found
    )
    plain = arrange(Query("What did it say about supervision?", "q"), found)

    assert [(c.passage_id, round(c.score, 4)) for c in asked] == [
        ("a#1", 0.026),
        ("a#0", 0.024),
        ("b#2", 0.016),
    ]
    # a theme takes each review's best recommendation, not its best finding
    assert [c.passage_id for c in theme] == ["a#1", "b#2", "a#0"]
    assert plain == found


def test_the_recommendations_asked_for_are_the_named_documents_in_their_order() -> None:
    found = ranked(
        ("a", "judgement", 0.030),
        ("a", "recommendations", 0.026),
        ("b", "recommendations", 0.024),
        ("a", "recommendations", 0.020),
    )
    found[1].passage.metadata["char_start"] = 900
    found[3].passage.metadata["char_start"] = 300
    found[3] = replace(found[3], passage=replace(found[3].passage, text="Supervision monthly."))

    listed = recommendations_asked(Query("What needs to improve?", "q", doc_ids=("a",)), found)
    on_topic = recommendations_asked(
        Query("What was recommended about supervision?", "q", doc_ids=("a",)), found
    )
    areas = recommendations_asked(
        Query("What areas for improvement did inspectors identify?", "q", doc_ids=("a",)), found
    )
    unnamed = recommendations_asked(Query("What was recommended?", "q"), found)
    other = recommendations_asked(Query("What was said about it?", "q", doc_ids=("a",)), found)

    assert [c.passage_id for c in listed] == ["a#3", "a#1"]  # the report's order
    assert [c.passage_id for c in on_topic] == ["a#3"]  # those holding "supervision"
    assert [c.passage_id for c in areas] == ["a#3", "a#1"]
    assert [c.passage_id for c in unnamed] == ["a#3", "a#1"]  # the first candidate's document
    assert other == []


@pytest.mark.parametrize(
    ("question", "rows"),
    [
        ("How was York rated in 2017?", [0, 1, 2]),  # nothing named: every row
        ("How did Ofsted rate York's care leavers service?", [2]),
        ("What was York's overall judgement?", []),  # no row grades it
        ("How did inspectors rate York's adoption work, and why?", []),  # a row gives no reason
        ("What did York say about supervision?", []),  # no grade asked
    ],
)
def test_the_rows_of_a_table_of_grades_that_grade_what_is_asked(
    question: str, rows: list[int]
) -> None:
    text = (
        "1. Children who need help and protection Requires improvement\n\n"
        "2.1 Adoption work Good\n\n"
        "Experiences and progress of care leavers Outstanding\n\n"
        "Children are safe. Their care is good."
    )
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    query = Query(question, question, terms=(), name_terms=("york", "2017"))

    found = grade_rows(query, text) if GRADE_ASKED.search(question) else []

    assert found == [lines[i] for i in rows]


@pytest.mark.parametrize(
    ("question", "rows"),
    [
        ("What was York's overall judgement?", [0]),  # the heading states it
        ("What was the overall effectiveness of York's services?", [0]),
        ("How was York rated in 2017?", [0, 1]),
        ("How did Ofsted rate York's help and protection?", [1]),
    ],
)
def test_the_heading_over_a_box_of_grades_grades_the_whole(question: str, rows: list[int]) -> None:
    text = (
        "Children’s services in York are good\n\n"
        "1. Children who need help and protection Requires improvement"
    )
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    query = Query(question, question, terms=(), name_terms=("york", "2017"))

    assert grade_rows(query, text) == [lines[i] for i in rows]


def test_a_comparison_counts_the_terms_of_reference_less() -> None:
    found = ranked(
        ("a", "terms_of_reference", 0.030), ("a", "analysis", 0.027), ("b", "analysis", 0.02)
    )
    query = Query("q", "q", doc_ids=("a", "b"), compares=True)

    order = arrange(query, found)

    assert [(c.passage_id, round(c.score, 4)) for c in order] == [
        ("a#1", 0.027),
        ("b#2", 0.02),
        ("a#0", 0.024),
    ]


def test_the_numbered_parts_a_question_names_come_first_in_their_order() -> None:
    texts = {
        "a#0": "13.2 Recommendation 31: The Board should audit plans.",
        "a#1": "13.3 Recommendation 3: The Board should publish a protocol.",
        "a#2": "9.4 As Recommendation 3.1 of the earlier review said, records matter.",
        "a#3": "12.1 Finding 2: supervision was rare. Recommendation 3 follows from it.",
        "a#4": "10.3 The plan drifted.",
    }
    found = [
        Candidate(StoredPassage(pid, "a", text, {"paragraphs": text.split()[0]}), 0.01)
        for pid, text in texts.items()
    ]

    def order(*refs: str) -> list[str]:
        return [c.passage_id for c in put_first(found, lambda c: holds_reference(c, refs))]

    assert order("recommendation 3") == ["a#1", "a#3", "a#0", "a#2", "a#4"]
    assert order("finding 2", "paragraph 10.3") == ["a#3", "a#4", "a#0", "a#1", "a#2"]
    assert order("recommendation 3.1") == ["a#2", "a#0", "a#1", "a#3", "a#4"]
    # only the first three are reordered: a#3, which holds Recommendation 3, stays fourth
    within = put_first(found, lambda c: holds_reference(c, ("recommendation 3",)), within=3)
    assert [c.passage_id for c in within] == ["a#1", "a#0", "a#2", "a#3", "a#4"]


def test_a_comparison_takes_the_named_documents_in_turns() -> None:
    found = ranked(("a", "analysis", 0.03), ("a", "analysis", 0.02), ("c", "analysis", 0.015))
    found += ranked(("b", "analysis", 0.01), ("b", "analysis", 0.005))
    query = Query("q", "q", doc_ids=("a", "b"), compares=True)

    order = arrange(query, found)

    assert [c.passage.doc_id for c in order] == ["a", "b", "a", "b", "c"]
    assert arrange(Query("q", "q", doc_ids=("a", "b")), found) == found


def test_the_case_asked_about_is_the_documents_named_or_else_those_found_first() -> None:
    found = ranked(("a", "analysis", 0.03), ("b", "analysis", 0.02), ("c", "analysis", 0.01))

    assert case_docs(Query("q", "q", doc_ids=("c",)), found) == {"c"}
    assert case_docs(Query("q", "q"), found) == {"a", "b"}
    assert case_docs(Query("q", "q", theme=True), found) == {"a", "b", "c"}


def test_a_why_question_quotes_the_reason_that_follows_what_it_explains(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = run(
        corpus_index,
        encoder,
        "Why were the families from the four reviews not contacted again for the overview report?",
    )

    # once "families" was read as "family", a sentence far below the best that holds "because"
    # and "the family's life" had led: a weak direct sentence gives way to the reason that follows
    assert [c.passage_id for c in answer.citations[:2]] == ["overview-2022#¶2.4"] * 2
    assert "would not be contacted again" in answer.citations[0].quote
    assert answer.citations[1].quote.startswith("The reviews had already sought their views")


def test_a_why_question_quotes_the_reason_its_paragraph_opens_a_sentence_with(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # the reason stands two sentences after what it explains: the sentence between had been
    # quoted instead, and the answer refused ("no sentence found gives a reason")
    answer = run(corpus_index, encoder, "Why was no MARAC referral made for Ms K?")

    assert not answer.refused
    assert [c.passage_id for c in answer.citations[:2]] == ["ms-k#¶10.5"] * 2
    assert answer.citations[0].quote == "No referral was made to the Sedgecombe MARAC at any point."
    assert answer.citations[1].quote.startswith(
        "Because the report of 29 March 2017 was not linked"
    )


def test_a_why_question_is_answered_by_what_the_person_told_the_review(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    # had been refused: "the question asks why and no sentence found gives a reason"
    answer = run(corpus_index, encoder, "Why did the GP not refer Ms K?")

    assert not answer.refused
    assert answer.citations[0].passage_id == "ms-k#¶10.8"
    assert answer.citations[0].quote.startswith(
        "The GP told the review that Ms K had said she felt safe and did not want anything done"
    )

"""Query analysis: which documents a question names, themes, follow-ups."""

from __future__ import annotations

import pytest

from ingest.index import DocRecord
from rag.places import dated_years, documents_of_years, newest_documents, place_names
from rag.query import (
    bare_letters,
    build_query,
    child_letters,
    content_terms,
    description_terms,
    match_documents,
    names_subject,
    stem,
    subject_names,
)


def record(
    doc_id: str, title: str, kind: str, date: str, place: str, subjects: str = ""
) -> DocRecord:
    return DocRecord(
        doc_id, title, kind, date, place, subjects, f"/x/{doc_id}", "pdf", "", "v", 1, 1, 1
    )


LIBRARY = [
    record("baby-r", "Serious Case Review: Baby R", "scr", "2016-03-14", "Northbrook", "Baby R"),
    record("bexley-2018", "London Borough of Bexley", "inspection", "2018-07-20", "Bexley"),
    record(
        "bexley-2023", "Inspection of Bexley local authority", "inspection", "2023-02-10", "Bexley"
    ),
    record("york-2017", "York City Council", "inspection", "2017-02-07", "York"),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did the 2023 Bexley inspection say about management oversight?", ("bexley-2023",)),
        ("What did Ofsted find in Bexley in 2018?", ("bexley-2018",)),
        ("What did the Bexley inspections find?", ("bexley-2018", "bexley-2023")),
        # which of a place's documents is meant, when no year says
        ("What did the latest Bexley inspection say about supervision?", ("bexley-2023",)),
        ("What did Bexley's most recent Ofsted report find?", ("bexley-2023",)),
        ("What did Ofsted's last report on Bexley find?", ("bexley-2023",)),
        ("What did Bexley's earliest inspection find?", ("bexley-2018",)),
        ("What did Bexley's last two inspections find?", ("bexley-2018", "bexley-2023")),
        ("What did the latest Bexley inspection of 2018 find?", ("bexley-2018",)),
        ("What did the latest Baby R review say?", ("baby-r",)),
        ("What was recommended after the Baby R review?", ("baby-r",)),
        ("What was said about supervision?", ()),
        # a pseudonym as a board member types it
        ("Was the baby r review late?", ("baby-r",)),
        ("what happened to BABY R", ("baby-r",)),
    ],
)
def test_questions_that_name_a_document_are_matched_to_it(
    question: str, expected: tuple[str, ...]
) -> None:
    assert match_documents(question, LIBRARY) == expected


def test_a_pseudonym_of_a_or_i_is_matched_only_as_written() -> None:
    records = [
        record("child-a", "Serious Case Review: Child A", "scr", "2019-01-01", "X", "Child A")
    ]
    assert match_documents("What happened to Child A?", records) == ("child-a",)
    # "child a" in lower case is an article: "was the child a victim"
    assert match_documents("was the child a victim of neglect?", records) == ()
    assert names_subject("Baby R", "what happened to baby r") and names_subject("Mr D", "mr d")
    assert not names_subject("Baby I", "was the baby i saw injured")


def test_a_follow_up_inherits_the_documents_of_the_earlier_question() -> None:
    query = build_query(
        "Who was responsible for that?",
        LIBRARY,
        history=["What was recommended about supervision in the Baby R review?"],
    )

    assert (query.follow_up, query.doc_ids, query.theme) == (True, ("baby-r",), False)
    assert "supervision" in query.search_text and "responsible" in query.search_text


def test_a_long_question_that_can_only_point_back_is_a_follow_up() -> None:
    query = build_query(
        "In how many of those cases had the father or male partner been spoken to?",
        LIBRARY,
        history=["How many cases did the Baby R review's audit examine?"],
    )

    assert (query.follow_up, query.doc_ids) == (True, ("baby-r",))


@pytest.mark.parametrize(
    ("question", "follows"),
    [
        ("Summarise the review", True),
        ("What did the report recommend about training for GPs and practice nurses?", True),
        # an inspection is no review: the question asks of another document
        ("What did the inspection find about caseloads?", False),
        # a description names a document of its own
        ("In the review of the malnourished girl, what did the school do?", False),
        ("What did the reviews find about supervision?", False),
    ],
)
def test_a_bare_word_for_the_last_turns_document_points_back_to_it(
    question: str, follows: bool
) -> None:
    query = build_query(
        question, LIBRARY, history=["What happened at the six-week check in the Baby R review?"]
    )

    assert (query.follow_up, query.doc_ids) == (follows, ("baby-r",) if follows else ())


@pytest.mark.parametrize(
    ("question", "previous", "follows"),
    [
        (
            "Which agencies were involved?",
            "What happened at the six-week check in the Baby R review?",
            True,
        ),
        ("What were the recommendations?", "What happened to Baby R?", True),
        ("Who was the author?", "What did the Baby R review find about bruising?", True),
        # a topic of its own, or the reviews, or no document the turn before named: standalone
        ("What were the recommendations about supervision?", "What happened to Baby R?", False),
        ("Which agencies were involved in the reviews?", "What happened to Baby R?", False),
        ("Which agencies were involved?", "What did the reviews say about supervision?", False),
    ],
)
def test_what_is_asked_of_a_document_as_such_is_of_the_last_turns_document(
    question: str, previous: str, follows: bool
) -> None:
    query = build_query(question, LIBRARY, history=[previous])

    assert (query.follow_up, query.doc_ids) == (follows, ("baby-r",) if follows else ())


@pytest.mark.parametrize(
    ("previous", "question"),
    [
        ("What did the reviews say about supervision?", "What about in the Baby R review?"),
        ("What did the 2023 Bexley inspection say about supervision?", "And the Baby R review?"),
        ("What did the York inspection say about supervision?", "How about the Baby R review?"),
    ],
)
def test_a_question_naming_only_another_document_asks_it_the_turn_before_s_question(
    previous: str, question: str
) -> None:
    # had been refused: "no question terms"
    query = build_query(question, LIBRARY, history=[previous])

    assert (query.follow_up, query.doc_ids, query.theme) == (True, ("baby-r",), False)
    assert set(query.terms) - set(query.name_terms) == {"supervis"}
    assert "Bexley" not in query.search_text and "York" not in query.search_text


@pytest.mark.parametrize(
    "question", ["Tell me about the Baby R review", "Summarise the Baby R review"]
)
def test_a_question_naming_only_another_document_in_words_of_its_own_is_its_own(
    question: str,
) -> None:
    query = build_query(question, LIBRARY, history=["What did the reviews say about supervision?"])

    assert (query.follow_up, query.doc_ids, query.search_text) == (False, ("baby-r",), question)


@pytest.mark.parametrize(
    ("previous", "question", "follows"),
    [
        # someone of the case, named as known: "the GP" is Baby R's GP
        ("What happened to Baby R?", "What did the GP do?", True),
        ("What happened to Baby R?", "What did the health visitor and the midwife know?", True),
        # a theme, or a turn before that named no one case, leaves it standing alone
        ("What happened to Baby R?", "What did the reviews say about the GP?", False),
        ("What did the reviews say about supervision?", "What did the GP do?", False),
    ],
)
def test_someone_of_the_case_named_as_known_is_of_the_case_the_turn_before_named(
    previous: str, question: str, follows: bool
) -> None:
    query = build_query(question, LIBRARY, history=[previous])

    assert (query.follow_up, query.doc_ids) == (follows, ("baby-r",) if follows else ())


@pytest.mark.parametrize(
    ("previous", "question", "follows"),
    [
        # what it found, asked of no document: of the one the turn before named (had been
        # refused as a summary of no named report, or answered from other councils' reports)
        ("How was York rated in 2017?", "What went wrong?", True),
        ("How was York rated in 2017?", "What were the strengths?", True),
        ("How was York rated in 2017?", "What were the key findings?", True),
        ("What did the reviews say about supervision?", "What went wrong?", False),
    ],
)
def test_what_a_report_found_asked_mid_conversation_is_of_the_report_before(
    previous: str, question: str, follows: bool
) -> None:
    query = build_query(question, LIBRARY, history=[previous])

    assert (query.follow_up, query.doc_ids) == (follows, ("york-2017",) if follows else ())


def test_a_standalone_question_keeps_its_own_meaning_after_history() -> None:
    query = build_query(
        "What did the reviews find about information sharing between police and health visitors?",
        LIBRARY,
        history=["What was recommended about supervision in the Baby R review?"],
    )

    assert (query.follow_up, query.doc_ids, query.theme) == (False, (), True)
    assert query.search_text.startswith("What did the reviews find")
    assert "supervision" not in query.search_text


def test_numbered_parts_are_read_from_the_question_or_the_turn_a_follow_up_leans_on() -> None:
    asked = build_query("What do Recommendation 4 and para 10.3 of the Mr D review say?", LIBRARY)
    follow_up = build_query(
        "Who has to report back on it?",
        LIBRARY,
        history=["In the Baby R review, what does recommendations 2 ask?"],
    )
    standalone = build_query(
        "What did the reviews find about supervision?",
        LIBRARY,
        history=["In the Baby R review, what does Recommendation 2 ask?"],
    )

    assert asked.references == ("recommendation 4", "paragraph 10.3")
    assert (follow_up.follow_up, follow_up.references) == (True, ("recommendation 2",))
    assert standalone.references == ()
    assert build_query("What did Finding 12 say?", LIBRARY).references == ("finding 12",)


def test_a_follow_up_naming_a_recommendation_by_its_place_in_the_list_asks_that_one() -> None:
    recommended = ["What did the Baby R review recommend?"]
    first = build_query("Which agency is responsible for the first one?", LIBRARY, recommended)
    second = build_query("What does the second recommendation say?", LIBRARY, recommended)
    # "the first one" points back whatever the question's length
    assert (first.follow_up, first.doc_ids, first.references) == (
        True,
        ("baby-r",),
        ("recommendation 1",),
    )
    assert second.references == ("recommendation 2",)
    # a place in a list of something else names no recommendation
    other = build_query(
        "Who went to the first one?", LIBRARY, ["Which meetings did Baby R's mother miss?"]
    )
    assert (other.follow_up, other.references) == (True, ())
    assert build_query("What did the first one say?", LIBRARY).references == ()


@pytest.mark.parametrize(
    ("question", "also"),
    [
        (
            "In the Northbrook case of the 11-week-old baby, how many families did she visit?",
            ("how many families did she visit?",),
        ),
        (
            "What needed to improve in care leavers' support, according to the 2018 Bexley report?",
            ("What needed to improve in care leavers' support?",),
        ),
        ("How did the Baby R review judge the health visitor's caseload?", ()),
        ("In the Baby R review, why?", ()),  # too little is left to search on its own
        ("In short, what did the 2023 Bexley inspection find?", ()),  # the clause names nothing
    ],
)
def test_a_question_is_also_searched_without_the_clause_that_names_its_document(
    question: str, also: tuple[str, ...]
) -> None:
    query = build_query(question, LIBRARY)

    assert query.doc_ids and not query.follow_up
    assert query.also_search == also
    assert query.search_text == question


def test_content_terms_drop_question_words_and_possessives() -> None:
    assert content_terms("According to Thornvale's report, how many social workers left?") == [
        "thornvale",
        "social",
        "workers",
    ]


def test_asking_what_a_report_concluded_is_no_term_as_asking_what_it_found() -> None:
    assert content_terms("What did the overview conclude about supervision?") == ["supervision"]
    assert content_terms("What had the panel concluded about the GP?") == ["panel", "gp"]
    # "involvement", as "role", says which way a body is asked about, not what about it
    assert content_terms("What did the reviews find about GP involvement?") == ["gp"]
    assert content_terms("Which reviews involved a move?") == ["move"]


def test_one_that_stands_for_a_document_is_no_term() -> None:
    # "the 2017 one" had weighed "one", and the 2017 Kent report's sentence on its inspection
    # team ("seven of Her Majesty's Inspectors (HMI), one regulatory inspector") was quoted on
    # care leavers
    question = "How did the 2022 Kent inspection compare with the 2017 one on care leavers?"
    assert content_terms(question) == ["2022", "kent", "2017", "care", "leavers"]
    assert content_terms("Which ones were judged good?") == ["judged", "good"]


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("supervision", "supervis"),
        ("supervised", "supervis"),
        ("assess", "assess"),  # a word in "ss" is no plural
        ("assessed", "assess"),
        ("assessing", "assess"),
        ("processes", "process"),
        ("process", "process"),
        ("visitors", "visitor"),
        ("gaps", "gaps"),  # too short to strip
        # a plural in "ies" is its singular in "y" ("chronologies" had missed "chronology")
        ("chronologies", "chronology"),
        ("chronology", "chronology"),
        ("babies", "baby"),
        ("identified", "identify"),
        ("ties", "ties"),
        # a closing "e" goes, so that a word is one with its forms ("refuse", "refusing")
        ("refuse", "refus"),
        ("refusing", "refus"),
        ("service", "servic"),
        ("services", "servic"),
        ("nurse", "nurs"),
        ("nurses", "nurs"),
        ("care", "care"),  # too short to strip
    ],
)
def test_the_light_stemmer(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_the_plural_of_an_abbreviation_is_the_abbreviation() -> None:
    assert content_terms("Did GPs, DSLs and the GP's staff see IDVAs? Gaps, yes.") == [
        "gp",
        "dsl",
        "gp",
        "staff",
        "see",
        "idva",
        "gaps",  # a word, not an abbreviation
        "yes",
    ]


# one library with two documents of one place, a place with a suffix and a one-of-its-kind overview
REGION = [
    record("thornvale-insp", "Inspection of Thornvale", "inspection", "2023-04-28", "Thornvale"),
    record(
        "siblings",
        "Serious Case Review: Siblings J and L",
        "scr",
        "2018-07-10",
        "Thornvale",
        "Siblings J and L",
    ),
    record("baby-r", "Serious Case Review: Baby R", "scr", "2016-03-14", "Northbrook", "Baby R"),
    record("kent-2017", "Kent County Council", "inspection", "2017-06-13", "Kent"),
    record(
        "kent-2022", "Inspection of Kent County Council", "inspection", "2022-05-20", "Kent County"
    ),
    record("overview", "Independent overview report", "overview", "2022-12-15", "Wessex Vale"),
]


@pytest.mark.parametrize(
    ("question", "expected", "compares"),
    [
        ("In the 2022 Kent inspection, what did children say?", ("kent-2022",), False),
        ("Compare Kent's 2017 and 2022 inspections.", ("kent-2017", "kent-2022"), True),
        ("What did the Thornvale inspection find?", ("thornvale-insp",), False),
        ("Were Thornvale's social workers supervised?", ("siblings", "thornvale-insp"), False),
        (
            "What happened to the Baby R recommendation, per the overview?",
            ("baby-r", "overview"),
            True,
        ),
        (
            "How did Baby R's case compare with the Thornvale inspection?",
            ("baby-r", "thornvale-insp"),
            True,
        ),
        ("What did the inspectors say about Baby R?", ("baby-r",), False),
        ("What did the overview find about supervision?", ("overview",), False),
        # a place named too: "the overview" still names it, a place's own "overview" does not;
        # and beside it a place the question only tells of names nothing (since session 10: the
        # corpus set's Kelderton item of this form has its gold in the overview alone)
        (
            "How are Northbrook's health visitors told of incidents, according to the overview?",
            ("overview",),
            False,
        ),
        ("What did Northbrook's overview say about bruising?", ("baby-r",), False),
        # the year between: "the 2022 overview" is still the overview
        (
            "What did the 2022 overview say about Northbrook's health visitors?",
            ("overview",),
            False,
        ),
        # (since session 20, one document asked what it says of another is asked alone:
        # Query.about keeps the other's names; two named together are still compared)
        ("What did the 2022 overview say about the Northbrook review?", ("overview",), False),
        (
            "How did the 2022 overview and the Northbrook review differ?",
            ("baby-r", "overview"),
            True,
        ),
        # (since session 23) a leading "According to X," names the report asked, not a comparison
        (
            "According to the 2022 overview, when Northbrook checked after the Baby R review, what"
            " share of its caseworkers had monthly supervision?",
            ("overview",),
            False,
        ),
        ("Per the overview, what did the Baby R review recommend?", ("overview",), False),
        # a place named with a kind is the place's document of that kind, when there is one
        (
            "The Siblings J and L review criticised it; did the Thornvale inspection find it fixed?",
            ("siblings", "thornvale-insp"),
            True,
        ),
        ("What grade did Ofsted give Northbrook at its last inspection?", ("baby-r",), False),
        # a case or a review of a place is its review, not its inspection
        ("In the Thornvale neglect case, how often was the family assessed?", ("siblings",), False),
        ("What did the Thornvale review find about drink?", ("siblings",), False),
        ("What did the Thornvale report find about drink?", ("siblings", "thornvale-insp"), False),
        # the letters a review calls its children by name it ("J", "R"), not a "Mr L" or "Mr R"
        ("At which hospital did J have her teeth taken out?", ("siblings",), False),
        ("What did R's mother tell the health visitor?", ("baby-r",), False),
        ("Did Mr R appeal against his sentence?", (), False),
        # "the latest" of a place's documents leaves one named by its subject
        (
            "How did the Siblings J and L review compare with the latest Thornvale inspection?",
            ("siblings", "thornvale-insp"),
            True,
        ),
        ("What did the latest Thornvale report say about drink?", ("thornvale-insp",), False),
        # beside a review named by its subject, a place it tells of names no document of its own
        ("In the Baby R review, what did the Thornvale team do?", ("baby-r",), False),
        ("In the Baby R review, what was sent from Kent?", ("baby-r",), False),
        (
            "How did the Baby R review and Thornvale's inspection differ?",
            ("baby-r", "thornvale-insp"),
            True,
        ),
    ],
)
def test_documents_are_named_by_place_year_and_a_kind_only_one_has(
    question: str, expected: tuple[str, ...], compares: bool
) -> None:
    query = build_query(question, REGION)

    assert (query.doc_ids, query.compares) == (expected, compares)


def test_the_words_that_pick_the_latest_document_are_no_terms_of_the_question() -> None:
    named = build_query("What did the latest Bexley inspection say about supervision?", LIBRARY)
    theme = build_query("What did inspectors find in the most recent inspections?", LIBRARY)
    plain = build_query("What did inspectors find about recent referrals?", LIBRARY)

    assert (named.doc_ids, named.terms, named.newest) == (
        ("bexley-2023",),
        ("bexley", "supervis"),
        False,
    )
    assert theme.theme and theme.newest and "recent" not in theme.terms
    assert not plain.newest and "recent" in plain.terms


def test_the_newest_documents_are_each_places_latest_inspection_and_every_review() -> None:
    records = [
        *LIBRARY,
        record("york-2022", "Inspection of York", "inspection", "2022-05-01", "York City"),
        record(
            "baby-q", "Serious Case Review: Baby Q", "scr", "2012-01-01", "Northbrook", "Baby Q"
        ),
    ]

    assert newest_documents(records) == ("baby-q", "baby-r", "bexley-2023", "york-2022")


OVERVIEW_LIBRARY = [
    record("baby-r", "Serious Case Review: Baby R", "scr", "2016-03-14", "Northbrook", "Baby R"),
    record("child-t", "Review: Child T", "cspr", "2021-06-21", "Kelderton", "Child T"),
    record("mr-d", "Safeguarding Adults Review: Mr D", "sar", "2020-09-08", "Ravensholme", "Mr D"),
    record("overview", "Independent overview report", "overview", "2022-12-15", "Wessex Vale"),
]


@pytest.mark.parametrize(
    ("question", "doc_ids", "about"),
    [
        ("What did the overview say about the Child T review?", ("overview",), ("Child T", "T")),
        ("What did the overview report find about Mr D?", ("overview",), ("Mr D",)),
        (
            "What did the overview say about supervision in the Baby R review?",
            ("overview",),
            ("Baby R", "R"),
        ),
        # two documents named together are compared, whatever follows
        (
            "What did the Baby R and Child T reviews find about the police?",
            ("baby-r", "child-t"),
            (),
        ),
        (
            "How did supervision in the Baby R review compare with the Mr D review?",
            ("baby-r", "mr-d"),
            (),
        ),
    ],
)
def test_a_question_asking_one_report_about_another_asks_the_first_alone(
    question: str, doc_ids: tuple[str, ...], about: tuple[str, ...]
) -> None:
    query = build_query(question, OVERVIEW_LIBRARY)

    assert (query.doc_ids, query.about, query.compares) == (doc_ids, about, len(doc_ids) > 1)


def test_a_follow_up_that_gives_another_year_asks_the_same_place_of_that_year() -> None:
    history = ["What did the 2023 Bexley inspection say about management oversight?"]

    query = build_query("And in 2018?", LIBRARY, history)

    assert (query.doc_ids, query.follow_up) == (("bexley-2018",), True)
    assert "2023" not in query.search_text and "management oversight" in query.search_text
    # a year of what happened, after a turn that gave none, changes nothing
    ms_k = ["In the Baby R review, were the police called?"]
    dated = build_query("What did they record in June 2015?", LIBRARY, ms_k)
    assert dated.search_text == f"{ms_k[0]} What did they record in June 2015?"
    # without a year, the turn before's document
    assert build_query("Who was responsible for that?", LIBRARY, history).doc_ids == (
        "bexley-2023",
    )


BEDFORD = [
    record("bedford-2017", "Bedford Borough", "inspection", "2017-04-07", "Bedford"),
    # inspected in November 2021, published in January 2022
    record("bedford-2022", "Inspection of Bedford Borough", "inspection", "2021-11-26", "Bedford"),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How was Bedford rated in 2022?", ("bedford-2022",)),
        ("How was Bedford rated in 2021?", ("bedford-2022",)),
        ("How was Bedford rated in 2017?", ("bedford-2017",)),
        ("How was Bedford rated in 2018?", ("bedford-2017", "bedford-2022")),
    ],
)
def test_an_inspection_ending_late_in_a_year_is_named_by_the_next_year_too(
    question: str, expected: tuple[str, ...]
) -> None:
    assert match_documents(question, BEDFORD) == expected


def test_a_review_is_named_by_its_own_year_alone() -> None:
    review = record("baby-q", "Serious Case Review: Baby Q", "scr", "2019-11-20", "X", "Baby Q")
    # a review states the date it was published
    assert dated_years(review) == {"2019"}
    assert dated_years(BEDFORD[1]) == {"2021", "2022"}
    assert dated_years(BEDFORD[0]) == {"2017"}
    assert dated_years(record("undated", "Review", "scr", "", "X")) == set()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did the 2022 inspections say about private fostering?", ("bedford-2022",)),
        ("What did inspections published in 2017 say about fostering?", ("bedford-2017", "york")),
        ("What did the 2023 Ofsted reports say about fostering?", ("bexley",)),
        # a year of what happened, not of the documents: reviews tell what happened over years
        ("What did the reviews say about cuts in 2017?", None),
        ("What did the inspections say about cuts in 2017 and 2018?", None),
        # ... but an inspection speaks of its own time: what inspections, inspectors or Ofsted
        # said "in 2017", at the question's end, is said in the inspections of 2017
        ("What did the inspections say about cuts in 2017?", ("bedford-2017", "york")),
        ("What do inspectors say about supervision in 2023?", ("bexley",)),
        ("What did the inspections say about fostering?", None),
        # a year no document has: none
        ("What did the 2030 inspections say?", ()),
    ],
)
def test_a_year_of_the_documents_asked_picks_those_documents(
    question: str, expected: tuple[str, ...] | None
) -> None:
    records = [
        *BEDFORD,
        record("york", "York City Council", "inspection", "2017-02-07", "York"),
        record("bexley", "Inspection of Bexley", "inspection", "2023-02-10", "Bexley"),
    ]
    assert documents_of_years(question, records) == expected


def test_a_place_inside_a_longer_name_of_the_same_council_still_names_it() -> None:
    # "Lincolnshire" inside "North East Lincolnshire" names nothing; "Kent" inside "Kent County"
    # is the same council, whose 2017 report is placed "Kent"
    query = build_query("What did the Kent County inspections find?", REGION)

    assert query.doc_ids == ("kent-2017", "kent-2022")


def test_a_clause_about_a_child_by_letter_is_part_of_what_is_asked() -> None:
    query = build_query("When J's aunt rang the council, did anyone get back to her?", REGION)

    assert query.doc_ids == ("siblings",)
    assert query.also_search == ()


def test_a_review_calls_its_children_by_their_letters() -> None:
    assert child_letters("Siblings J and L") == {"J", "L"}
    assert child_letters("Child T, Baby R") == {"T", "R"}
    assert child_letters("Ms K") == frozenset()
    assert child_letters("Child A") == frozenset()  # "A" is a word


@pytest.mark.parametrize(
    ("text", "letters"),
    [
        ("At which hospital did J have her teeth out?", {"J"}),
        ("What did T's father say? Did R cry?", {"T", "R"}),
        ("J and L were removed.", {"J", "L"}),
        ("Why was T excluded.", {"T"}),
        # part of a name, or an initial
        ("Did Mr L appeal?", set()),
        ("Mr L said so, and Baby R cried.", set()),
        ("See Section J of the Kelderton Plan B.", set()),
        ("Ms K and J. Smith met.", set()),
    ],
)
def test_a_capital_letter_standing_alone_is_a_name(text: str, letters: set[str]) -> None:
    assert bare_letters(text) == letters


def test_a_place_is_also_named_without_county_or_city() -> None:
    assert place_names("Kent County") == ("kent county", "kent")
    assert place_names("York City") == ("york city", "york")
    assert place_names("Wessex Vale") == ("wessex vale",)
    assert place_names("") == ()


@pytest.mark.parametrize(
    ("question", "theme"),
    [
        ("What did the reviews say about the voice of the child?", True),
        # put about a group in general: a plural subject with no article or name before it
        ("How well do councils respond to 16- and 17-year-olds who present as homeless?", True),
        ("How are unaccompanied asylum-seeking children supported?", True),
        ("Can care leavers get mental health support when they need it?", True),
        ("How were chronologies kept?", True),
        ("How well did agencies recognise and assess neglect?", True),
        ("How often did social workers visit children at home?", True),
        # about one case: its people, its records, a name
        ("What did police records show about the mother's boyfriend's past behaviour?", False),
        ("Why didn't the police officer in the youth offending team pass it on?", False),
        ("How are the older sister's needs described?", False),
        ("How were T's missing episodes recorded?", False),
        ("How many times did police attend?", False),
        ("Can the social workers be named?", False),
        ("What did the Baby R review say about chronologies?", False),
        # documents called reports, not reports of one case
        ("What did the reports say about life-story work?", True),
        ("How many police intelligence reports mentioned the boy?", False),
        # one document described, however it speaks of comparing or of reviews
        (
            "In the review of the 11-week-old girl with a fractured skull, how did the team's"
            " vacancy rate compare with those of neighbouring local authorities?",
            False,
        ),
        (
            "In the report that pulled together the lessons from four reviews, why were the"
            " families not contacted?",
            False,
        ),
        ("In the case of care leavers, what did inspectors find?", True),
    ],
)
def test_a_question_about_a_group_in_general_is_a_theme(question: str, theme: bool) -> None:
    assert build_query(question, LIBRARY).theme is theme


def test_a_comparison_is_also_searched_without_the_names_of_its_documents() -> None:
    mr_d = record("mr-d", "Safeguarding Adults Review: Mr D", "sar", "2020-09-08", "", "Mr D")
    library = [*LIBRARY, mr_d]
    query = build_query("How did waiting lists affect the Baby R and Mr D reviews?", library)

    assert query.compares and query.doc_ids == ("baby-r", "mr-d")
    assert query.also_search == ("How did waiting lists affect the and reviews?",)


def test_the_names_that_named_a_document_are_kept_apart_from_what_is_asked() -> None:
    named = build_query(
        "What did the 2023 Bexley inspection say about management oversight?", LIBRARY
    )
    follow = build_query(
        "Who was responsible for that?",
        LIBRARY,
        history=["What was recommended about supervision in the Baby R review?"],
    )
    theme = build_query("What was said about supervision?", LIBRARY)

    assert named.name_terms == ("2023", "bexley")
    assert set(named.name_terms) <= set(named.terms)
    assert follow.name_terms == ("baby",)
    assert theme.name_terms == ()


def test_a_document_about_several_people_is_about_each_of_them() -> None:
    several = record(
        "ab", "Review of Child A and Child B", "cspr", "2021-01-01", "X", "Child A, Child B"
    )

    assert subject_names(several) == ["Child A", "Child B"]
    assert subject_names(LIBRARY[1]) == []


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        (
            "In the review of the 15-year-old boy stabbed in a Saltmere stairwell, why did the"
            " strategy discussion decide against an enquiry?",
            {"15", "boy", "saltmer", "stabb", "stairwell", "year-old"},
        ),
        # a name is a name term already; a description later in the question runs on into what
        # is asked, and is left
        ("In the Ms K review, what was her job?", set()),
        (
            "How did the 38% rate reported in the review of the two siblings compare with the"
            " national average?",
            set(),
        ),
    ],
)
def test_a_leading_description_of_the_document_is_read_as_its_name(
    question: str, terms: set[str]
) -> None:
    assert description_terms(question) == terms
    assert terms <= set(build_query(question, LIBRARY).name_terms)


def test_something_and_everything_name_no_subject_but_someone_does() -> None:
    assert content_terms("Tell me everything about something, whatever it is") == []
    # "someone independent" is who is asked about: a sentence without them does not answer
    assert content_terms("How often does someone speak up for the children?") == [
        "someone",
        "speak",
    ]


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        ("Which reviews talk about alcohol?", ("alcohol",)),
        ("Which inspections speak about kinship care?", ("kinship", "care")),
        ("What did Child T's mother say she talked about with the police?", ("mother", "polic")),
        # talking to someone is what is asked
        ("Did anyone talk to Child M?", ("anyon", "talk")),
    ],
)
def test_talking_about_what_is_asked_is_no_term_of_it(
    question: str, terms: tuple[str, ...]
) -> None:
    assert build_query(question, LIBRARY).terms == terms


def test_courtesy_and_the_asker_s_own_contractions_are_no_terms() -> None:
    question = "I'd like to know, briefly, what the Baby R review recommended. Please list them."
    assert content_terms(question) == ["baby", "recommended", "list"]
    # a negation tells what is asked about, and stays
    assert "didn't" in content_terms("Why didn't the police share it?")


def test_what_ofsted_found_of_no_one_council_is_asked_of_its_reports() -> None:
    # had been answered from one 2017 report, the first found
    assert build_query("What did Ofsted find about children missing education?", LIBRARY).theme
    query = build_query("What did Ofsted say about Bexley in 2023?", LIBRARY)
    assert (query.theme, query.doc_ids) == (False, ("bexley-2023",))

"""The extractive composer's parts: citations into merged passages, the quote check, refusals."""

from __future__ import annotations

import threading

import pytest

from ingest.index import StoredPassage
from rag.answer import (
    Answer,
    Citation,
    QuoteMismatch,
    _snowball,
    compose_extractive,
    lacks_reason,
    make_citation,
    misses_polar,
    refusal_text,
    sentence_scores,
    unnamed,
    verify_quotes,
)
from rag.query import Query, build_query, stem
from rag.retrieve import Candidate

MERGED = StoredPassage(
    "q#¶13.1-13.2",
    "q",
    "13.1 The recommendations are made to the Board.\n\n13.2 Recommendation 1: The Board should act.",
    {
        "title": "Review Q",
        "section": "13 Recommendations",
        "paragraphs": "13.1,13.2",
        "page_start": 9,
    },
)


def test_a_quote_from_a_merged_passage_cites_its_own_paragraph() -> None:
    text = MERGED.text
    start = text.index("The Board should act.")

    citation = make_citation(1, Candidate(MERGED, 0.1), start, "The Board should act.")

    assert citation == Citation(
        n=1,
        passage_id="q#¶13.1-13.2",
        doc_id="q",
        title="Review Q",
        section="13 Recommendations",
        paragraph="13.2",
        page=9,
        quote="The Board should act.",
        passage_text=text,
    )


def test_a_quote_that_is_not_verbatim_is_caught() -> None:
    good = make_citation(1, Candidate(MERGED, 0.1), 5, "The recommendations are made to the Board.")
    bad = Citation(
        2, MERGED.passage_id, "q", "Review Q", "", "13.2", None, "The Board must act.", MERGED.text
    )

    verify_quotes([good])
    with pytest.raises(QuoteMismatch, match=r"quote \[2\] is not verbatim in q#¶13.1-13.2"):
        verify_quotes([good, bad])


def test_a_refusal_lists_the_closest_passages() -> None:
    meta = {**MERGED.metadata, "paragraph": "13.1-13.2"}

    text = refusal_text([Candidate(StoredPassage(MERGED.passage_id, "q", MERGED.text, meta), 0.1)])

    assert text.splitlines() == [
        "The documents do not appear to answer this question.",
        "",
        "Possibly related:",
        "- Review Q, ¶13.1-13.2",
    ]


def test_a_theme_answer_keeps_two_documents_of_one_title_apart_and_names_their_years() -> None:
    title = "Inspection of Hackney local authority children's services"
    found = [
        Candidate(
            StoredPassage(
                f"hackney-{year}#¶11",
                f"hackney-{year}",
                f"11. Return interviews are {verdict} for children who go missing.",
                {"title": title, "date": f"{year}-08-20", "paragraphs": "11", "paragraph": "11"},
            ),
            0.1,
        )
        for year, verdict in (("2024", "not offered consistently"), ("2019", "offered promptly"))
    ]
    query = Query(
        "What did inspectors say about return interviews?",
        "q",
        theme=True,
        terms=tuple(stem(w) for w in ("return", "interviews")),
    )

    text, citations = compose_extractive(query, found, {})

    assert text.split("\n\n") == [
        f"**{title} (2024)** — Return interviews are not offered consistently for children who go"
        " missing. [1]",
        f"**{title} (2019)** — Return interviews are offered promptly for children who go missing."
        " [2]",
    ]
    assert [c.doc_id for c in citations] == ["hackney-2024", "hackney-2019"]
    # the sources and a refusal's related passages tell the two apart as well
    assert [c.label for c in citations] == [f"{title} (2024)", f"{title} (2019)"]
    assert refusal_text(found).splitlines()[-2:] == [
        f"- {title} (2024), ¶11",
        f"- {title} (2019), ¶11",
    ]
    assert "date" not in Answer("q", text, citations).to_json()["citations"][0]


def test_sentences_are_chosen_without_the_names_that_picked_the_document() -> None:
    named = Query("q", "q", doc_ids=("c",), terms=("coventry", "school"), name_terms=("coventry",))
    only_names = Query("q", "q", doc_ids=("c",), terms=("coventry",), name_terms=("coventry",))

    assert unnamed(named).terms == ("school",)
    assert unnamed(only_names) == only_names  # nothing else to choose by: the names stay


def test_a_comparisons_sentences_are_chosen_without_its_words_for_comparing() -> None:
    terms = ("kent", "differ", "care", "leaver")
    compares = Query("q", "q", ("k1", "k2"), compares=True, terms=terms, name_terms=("kent",))
    one = Query("q", "q", ("k1",), terms=terms, name_terms=("kent",))

    # "differing" in one report's sentence had outweighed everything the other said of care leavers
    assert unnamed(compares).terms == ("care", "leaver")
    assert unnamed(one).terms == ("differ", "care", "leaver")  # "how did it differ" asks of one


@pytest.mark.parametrize(
    ("question", "first"),
    [
        # "how quickly" asks for a time: the sentence that gives one leads
        ("How quickly did police policy require a supervisor to review each assessment?", 1),
        ("How did police policy require a supervisor to review each assessment?", 0),
    ],
)
def test_a_question_asking_how_quickly_prefers_the_sentence_with_a_figure(
    question: str, first: int
) -> None:
    text = (
        "Police policy required a supervisor to review each assessment in person. "
        "Police policy required a supervisor to review each assessment within 24 hours."
    )
    cand = Candidate(StoredPassage("k#¶10.22", "k", text, {}), 0.1)
    terms = tuple(stem(w) for w in ("police", "policy", "supervisor", "review", "assessment"))
    query = Query(question, question, terms=terms)

    scored = sentence_scores(query, [cand], {})

    best = max(scored, key=lambda s: (s.score, -s.start))
    assert [s.start for s in scored].index(best.start) == first


def test_a_sentence_that_opens_a_list_is_quoted_with_its_items_and_no_further() -> None:
    text = (
        "2.3 The scope was agreed in June. The lines of enquiry were:\n"
        "• how risk was assessed;\n"
        "• whether the case went to MARAC;\n"
        "(c) how the GP responded.\n"
        "The panel met six times over the following year."
    )
    cand = Candidate(StoredPassage("k#¶2.3", "k", text, {}), 0.1)
    question = "What were the lines of enquiry?"
    query = Query(question, question, terms=(stem("line"), stem("enquiry")))

    text_out, citations = compose_extractive(query, [cand], {})

    # the list's three items follow the sentence that opens it; the sentence after the list,
    # which holds no word of the question, does not
    assert [c.quote for c in citations] == [
        "The lines of enquiry were:",
        "• how risk was assessed;",
        "• whether the case went to MARAC;",
        "(c) how the GP responded.",
    ]
    assert text_out.startswith("The lines of enquiry were: [1] • how risk was assessed; [2]")
    # at most max_quotes in all
    assert len(compose_extractive(query, [cand], {}, max_quotes=2)[1]) == 2


def test_a_sentence_a_report_says_twice_is_quoted_once() -> None:
    # Coventry's 2017 report says its sentence on progress at key stage 4 in two paragraphs
    said = "At key stage 4, progress in their studies is similar to national rates."
    found = [
        Candidate(StoredPassage("c#¶1", "c", f"Care leavers study well. {said}", {}), 0.2),
        Candidate(StoredPassage("c#¶9", "c", said, {}), 0.1),
    ]
    question = "How do care leavers progress in their studies?"
    query = Query(question, question, terms=tuple(stem(w) for w in ("progress", "studies")))

    text, citations = compose_extractive(query, found, {})

    assert [(c.passage_id, c.quote) for c in citations] == [("c#¶1", said)]
    assert text == f"{said} [1]"


def test_a_paragraph_number_run_into_its_first_word_is_no_part_of_the_quote() -> None:
    # some PDFs lose the space after the number: "20.Children in care are seen ..."
    text = "20.Children in care are seen regularly. 21.‘Show Me’ groups meet monthly."
    cand = Candidate(StoredPassage("y#¶20", "y", text, {}), 0.1)
    question = "How often are children in care seen?"
    query = Query(question, question, terms=(stem("care"), stem("seen"), stem("meet")))

    _, citations = compose_extractive(query, [cand], {})

    # ("monthly" answers "how often": that sentence leads)
    assert [c.quote for c in citations] == [
        "‘Show Me’ groups meet monthly.",
        "Children in care are seen regularly.",
    ]


def _quoted(text: str, *quotes: str, paragraph: str = "2.4") -> list[Citation]:
    return [
        Citation(n, f"q#¶{paragraph}", "q", "Review Q", "2 Scope", paragraph, None, quote, text)
        for n, quote in enumerate(quotes, start=1)
    ]


def test_a_why_answer_must_quote_a_reason_about_what_is_asked() -> None:
    question = "Why were the families not contacted again?"
    text = (
        "The steering group decided that the families would not be contacted again. The reviews"
        " had sought their views, and the steering group judged that a further approach would"
        " cause distress. The partnership was set up so that the areas could share learning."
    )
    decided, judged, set_up = (
        "The steering group decided that the families would not be contacted again.",
        "The reviews had sought their views, and the steering group judged that a further"
        " approach would cause distress.",
        "The partnership was set up so that the areas could share learning.",
    )
    query = build_query(question, [])

    # the reason follows, in its passage, the sentence that says what it explains
    assert not lacks_reason(query, _quoted(text, decided, judged))
    # a reason about something else ("so that" the areas could share learning) is none
    assert lacks_reason(query, _quoted(text, decided, set_up))
    assert lacks_reason(query, _quoted(text, decided))
    # only "why" is checked
    assert not lacks_reason(build_query("What did the steering group decide?", []), [])


def test_a_reason_must_go_on_with_the_matter_and_hold_more_than_a_title_or_a_year() -> None:
    text = (
        "The uncle was invited to contribute but did not reply. The cousin was not asked,"
        " because the panel judged it would upset her. Mr Q had moved out in 2015 because of his debts."
    )
    invited, cousin, debts = (
        "The uncle was invited to contribute but did not reply.",
        "The cousin was not asked, because the panel judged it would upset her.",
        "Mr Q had moved out in 2015 because of his debts.",
    )
    # the next sentence gives a reason, but for what was done about someone else
    query = build_query("Why did the uncle not reply when he was invited?", [])
    assert lacks_reason(query, _quoted(text, invited, cousin))
    # a reason whose only word of the question is a title or a year is about something else
    query = build_query(
        "Why did the coroner not resume the inquest after Mr Q's trial in 2015?", []
    )
    assert lacks_reason(query, _quoted(text, debts))
    # "what caused" asks why too
    query = build_query("What caused the uncle's silence?", [])
    assert lacks_reason(query, _quoted(text, invited))
    assert not lacks_reason(build_query("What made Mr Q fall into debt?", []), _quoted(text, debts))


def test_a_yes_or_no_answer_must_speak_to_most_of_the_question() -> None:
    assault = "Mr Q had a conviction for assault against a former partner."
    findings = "No record shows whether the court made findings about the fracture."
    text = f"{assault} {findings}"
    convicted = build_query("Was Mr Q ever convicted of causing the fracture?", [])
    # no sentence of its own passage holds more than half of convicted, causing, fracture
    quoted = _quoted(assault, assault, paragraph="2.4") + _quoted(
        findings, findings, paragraph="7.1"
    )
    assert misses_polar(convicted, quoted)
    # ... and "ever" and a title ask nothing: "convicted of assault" answers this one
    assert not misses_polar(
        build_query("Did Mr Q ever have a conviction for assault?", []), _quoted(text, assault)
    )
    # a leading clause does not hide the question; questions of other kinds are not checked
    assert misses_polar(
        build_query("In the Q review, did the court convict him of the fracture?", []),
        _quoted(text, assault),
    )
    assert not misses_polar(build_query("What was Mr Q convicted of?", []), _quoted(text, findings))


def test_a_yes_or_no_answer_is_read_with_the_sentence_before_and_its_passage() -> None:
    text = (
        "Mr Q was charged with the murder of Ms P in May. He pleaded not guilty. After a trial"
        " he was convicted in December."
    )
    charged, pleaded, convicted = (
        "Mr Q was charged with the murder of Ms P in May.",
        "He pleaded not guilty.",
        "After a trial he was convicted in December.",
    )
    query = build_query("Was Mr Q convicted of the murder?", [])
    # "he was convicted" holds one of convicted and murder: read alone, it is half the question
    assert misses_polar(query, _quoted(text, convicted))
    # ... with the charge it answers, as the same passage's quotes or as the sentence before
    assert not misses_polar(query, _quoted(text, convicted, charged))
    assert not misses_polar(query, _quoted(f"{charged} {convicted}", convicted))
    assert misses_polar(query, _quoted(text, pleaded))


def test_a_yes_or_no_answer_may_hold_a_word_grown_longer() -> None:
    text = "The author considers that the neglect was both predictable and preventable."
    query = build_query("Could the neglect have been prevented?", [])
    # "prevented" and "preventable", which the light stemmer keeps apart, are one under Snowball
    assert not misses_polar(query, _quoted(text, text))
    swift = "There is a swift and appropriate response to domestic violence incidents."
    query = build_query("Did they respond swiftly to violence incidents?", [])
    assert not misses_polar(query, _quoted(swift, swift))
    # ... while "care" and "career" stay apart
    query = build_query("Was her care good?", [])
    assert misses_polar(query, _quoted("Her career was long.", "Her career was long."))


def test_a_yes_or_no_answer_must_speak_to_what_is_asked_not_only_to_its_setting() -> None:
    lived = "The children have lived with their paternal aunt since January 2018."
    query = build_query(
        "Has L's speech caught up since he went to live with his paternal aunt?", []
    )
    # live, since, paternal and aunt are held, and speech and caught up, what is asked, are not
    assert misses_polar(query, _quoted(lived, lived))
    caught_up = "His speech has caught up since he went to live with his aunt."
    assert not misses_polar(query, _quoted(caught_up, caught_up))


def test_a_cause_given_is_a_reason() -> None:
    text = "The report found that the fire started in the living room and that the most probable"
    text += " cause was an unattended candle."
    assert not lacks_reason(build_query("What caused the house fire?", []), _quoted(text, text))


def test_each_thread_has_its_own_snowball_stemmer() -> None:
    # a PyStemmer stemmer is not safe to share: the app may answer two questions at once
    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(_snowball()))
    worker.start()
    worker.join()
    assert _snowball() is _snowball()
    assert seen[0] is not _snowball()
    assert _snowball().stemWord("preventable") == "prevent"

"""Acronyms and their plain words read as one term: in the passages, the questions and ask()."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import glossary
from ingest.embed import Encoder
from ingest.glossary import LINKS, WORD, _normal, active, mark, plain_spans, read_glossary
from ingest.index import PassageIndex
from ingest.load import load_file
from ingest.settings import Settings
from ingest.structure import build_document
from rag.ask import ask, search
from rag.query import build_query
from tests.conftest import CORPUS


def test_plain_words_are_found_with_links_plurals_hyphens_and_both_spellings() -> None:
    text = (
        "The Director of Children's Services met the multi-agency safeguarding hub, "
        "the independent domestic violence advisor and two personal advisers; "
        "young people not in education, employment or training."
    )
    assert [(text[a:b], acronym) for a, b, acronym in plain_spans(text)] == [
        ("Director of Children's Services", "DCS"),
        ("multi-agency safeguarding hub", "MASH"),
        ("independent domestic violence advisor", "IDVA"),
        ("personal advisers", "PA"),
        ("not in education, employment or training", "NEET"),
    ]


def word_by_word(text: str) -> list[tuple[int, int, str]]:
    """plain_spans the slow, plain way: every word of the text tried as a beginning."""
    words = [(m.start(), m.end(), _normal(m.group(0))) for m in WORD.finditer(text)]
    spans, i = [], 0
    while i < len(words):
        for wanted, acronym in active().phrases.get(words[i][2], []):
            j, k = i, 0
            while j < len(words) and k < len(wanted):
                if words[j][2] == wanted[k]:
                    k += 1
                elif words[j][2] not in LINKS or k == 0:
                    break
                j += 1
            if k == len(wanted):
                spans.append((words[i][0], words[j - 1][1], acronym))
                i = j - 1
                break
        i += 1
    return spans


def test_plain_words_are_found_as_a_word_by_word_reading_finds_them() -> None:
    found = 0
    for path in sorted(CORPUS.iterdir()):
        text = build_document(load_file(path, 10**9), path.stem).text
        assert plain_spans(text) == word_by_word(text), path.name
        found += len(plain_spans(text))
    assert found > 20


def test_a_passage_is_marked_once_with_each_acronym_its_words_or_letters_stand_for() -> None:
    text = "The Multi-Agency Safeguarding Hub (MASH) and the multi-agency safeguarding hub; LGBT+."
    assert mark(text) == f"{text}\nMASH LGBTQ"


def test_words_that_only_share_a_word_with_plain_words_are_not_marked() -> None:
    # "General" of a hospital is no general practice; a personal matter is no personal adviser
    text = "She was taken to Eastmere General Hospital about a personal matter. Her GP knew."
    assert plain_spans(text) == []
    assert mark(text) == text


def test_a_question_holds_the_acronym_its_plain_words_stand_for() -> None:
    query = build_query("How do personal advisers help gay or transgender care leavers?", [])
    assert dict(query.aliases) == {
        "personal": "pa",
        "adviser": "pa",
        "gay": "lgbtq",
        "transgender": "lgbtq",
    }
    assert query.held("gay", {"lgbtq", "care"})
    assert query.held("care", {"lgbtq", "care"})
    assert not query.held("help", {"lgbtq", "care"})


def test_plain_words_find_the_passage_that_uses_only_the_letters(
    corpus_index: PassageIndex,
) -> None:
    # child-m ¶8.6 says "Eastmere's MASH treated the notification as a new contact"
    question = "Eastmere's multi-agency safeguarding hub treated the transfer notification as a new contact"
    hits = corpus_index.lexical_search(question, 3)
    assert hits[0][0].passage_id == "child-m#¶8.6"


def test_a_question_in_plain_words_is_answered_from_the_acronym_sentence(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    answer = ask(
        "In the Thornvale inspection, what have independent reviewing officers begun to do more "
        "often, and does it work?",
        index=corpus_index,
        encoder=encoder,
        settings=Settings(),
    )
    assert not answer.refused
    assert answer.citations[0].quote.startswith("IROs have begun to escalate concerns about drift")


def test_a_question_in_everyday_words_also_searches_for_the_reports_term() -> None:
    question = "Who helps young people who have left care when they run away at night?"
    assert mark(question, question=True) == f"{question}\ncare leaver missing emergency"
    # passages are read as they are; a question in the report's terms is searched as it is
    assert mark(question) == question
    said = "Who helps care leavers who go missing?"
    assert mark(said, question=True) == said
    # the everyday words are held by a passage that holds the report's term (its last word)
    query = build_query("Who helps young people who have left care?", [])
    assert dict(query.aliases) == {"care": "leaver"}


def test_its_or_their_inside_everyday_words_is_passed_over_and_keeping_in_contact_is_in_touch() -> (
    None
):
    question = "How many young people who have left its care does Thornvale keep in contact with?"
    assert mark(question, question=True) == f"{question}\ncare leaver in touch"
    assert mark("Who left their care at 18?", question=True).endswith("\ncare leaver")
    # a passage keeps its own words: "in touch" is added to questions only
    assert mark("The council is in touch with 96% of them.") == (
        "The council is in touch with 96% of them."
    )
    query = build_query(question, [])
    assert dict(query.aliases) == {"care": "leaver", "keep": "touch", "contact": "touch"}


def test_a_question_about_keeping_in_contact_finds_the_passage_about_being_in_touch(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    question = (
        "How many of the young people who have left its care does Thornvale still manage to "
        "keep in contact with?"
    )
    query = build_query(question, corpus_index.documents())
    found, _ = search(query, corpus_index, encoder)
    # "The local authority is in touch with 96% of them"
    assert "thornvale-inspection#¶45" in [c.passage_id for c in found.candidates[:5]]


def test_family_and_work_words_as_people_say_them_search_for_the_reports_words() -> None:
    question = "What did the dad's boss and Baby R's mum and gran say at Christmas?"
    assert mark(question, question=True) == f"{question}\nfather manager mother grandmother"
    said = "Did her boyfriend's grandad visit over the festive period?"
    assert mark(said, question=True) == f"{said}\npartner grandfather christmas"
    # words that only begin alike are not read as family ("Granby", "mummified")
    assert mark("Was Granby Road near the mummified remains?", question=True).count("\n") == 0


def test_everyday_words_for_court_calls_hiring_and_teeth_search_for_the_reports_words() -> None:
    question = "Where did Child M's brother and sister go to live once the council went to court?"
    # "brother and sister" is no saying of "siblings": "the Thornvale case of the brother and
    # sister whose parents misused alcohol" names a case (session 16)
    assert mark(question, question=True) == f"{question}\ncare proceedings"
    said = "When J's aunt rang the council, did anyone get back to her?"
    assert mark(said, question=True) == f"{said}\ntelephoned called back"
    assert mark("How is Bexley trying to hire social workers?", question=True).endswith("\nrecruit")
    assert mark("How many extractions did J need?", question=True).endswith("\nteeth removed")
    assert mark("Which IT packages do the areas use?", question=True).endswith(
        "\ncase recording system"
    )
    assert mark("Were practitioners overloaded?", question=True).endswith("\ncaseload")
    assert mark("Did the crew fit smoke detectors?", question=True).endswith("\nsmoke alarm")
    assert mark("Did anyone listen to Child M?", question=True).endswith("\nvoice")
    assert mark("What did York say about leadership?", question=True).endswith("\nleaders")
    # a passage keeps its own words
    assert mark("She rang the office and was hired.") == "She rang the office and was hired."


@pytest.mark.parametrize(
    ("question", "passage_id", "said"),
    [
        (
            "How did Child M's gran describe the girl's appearance when she saw her over the "
            "festive holidays?",
            "child-m#¶5.3",
            '"like a little ghost"',
        ),
        (
            "How many extractions did J need after she and her little brother were taken into "
            "care in the Siblings J and L case?",
            "siblings-j-and-l#¶8.19",
            "needed eight teeth removed",
        ),
        (
            "When J and L's aunt rang the council with her concerns about the children, did "
            "anyone get back to her?",
            "siblings-j-and-l#¶5.3-5.4",
            "but had never been called back.",
        ),
        # refused before: "the question asks yes or no and no sentence found speaks to most of it"
        ("Did anyone listen to Child M?", "child-m#¶12.7", "Child M's voice was not heard."),
    ],
    ids=["gran", "extractions", "get-back-to", "listen-to"],
)
def test_a_question_in_everyday_words_leads_with_the_sentence_in_the_reports_words(
    corpus_index: PassageIndex, encoder: Encoder, question: str, passage_id: str, said: str
) -> None:
    answer = ask(question, index=corpus_index, encoder=encoder, settings=Settings())
    assert not answer.refused
    assert answer.citations[0].passage_id == passage_id
    assert said in answer.citations[0].quote


def test_a_glossary_file_is_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "glossary.txt"
    path.write_text(
        "# our board's letters\n\nTRS: Thornvale Recovery Service  # the drug and alcohol team\n"
        "CSC: children's social care | children's services\nTRS: recovery team\n"
        "looked after: in the council's care\n",
        "utf-8",
    )
    assert read_glossary(path) == {
        "TRS": "Thornvale Recovery Service|recovery team",
        "CSC": "children's social care|children's services",
        "looked after": "in the council's care",
    }
    path.write_text("TRS: Thornvale Recovery Service\nno colon here\n", "utf-8")
    with pytest.raises(glossary.GlossaryError, match=r"glossary.txt, line 2: expected 'TERM: "):
        read_glossary(path)
    with pytest.raises(glossary.GlossaryError, match="cannot read the glossary file"):
        glossary.use(tmp_path / "missing.txt")


def test_a_glossary_file_adds_letters_the_search_reads(
    corpus_index: PassageIndex, tmp_path: Path
) -> None:
    path = tmp_path / "glossary.txt"
    path.write_text("TRS: Thornvale Recovery Service\n", "utf-8")
    built_in = glossary.stamp()
    assert corpus_index.lexical_search("TRS", 5) == []
    try:
        glossary.use(path)
        assert glossary.stamp() != built_in
        hits = corpus_index.lexical_search("TRS", 5)
        assert len(hits) == 5
        assert all("Thornvale Recovery Service" in hit.text for hit, _ in hits)
    finally:
        glossary.use(None)
    assert glossary.stamp() == built_in
    assert corpus_index.lexical_search("TRS", 3) == []

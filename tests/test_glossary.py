"""Acronyms and their plain words read as one term: in the passages, the questions and ask()."""

from __future__ import annotations

from ingest.embed import Encoder
from ingest.glossary import LINKS, PHRASES, WORD, _normal, mark, plain_spans
from ingest.index import PassageIndex
from ingest.load import load_file
from ingest.settings import Settings
from ingest.structure import build_document
from rag.ask import ask
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
        for wanted, acronym in PHRASES.get(words[i][2], []):
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

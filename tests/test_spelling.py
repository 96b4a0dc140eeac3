"""Misspelt question words read as the library's words (rag/spelling.py): on small word tables,
and through ask() on the bundled corpus with the real encoder and index."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench.typos import slip, with_slip
from ingest.embed import Encoder
from ingest.index import DocRecord, PassageIndex
from ingest.settings import Settings
from rag.ask import ask, corpus_stats
from rag.evaluate import load_testset
from rag.query import stem
from rag.spelling import (
    Respelled,
    acronym_plural,
    bare_forms,
    british,
    english_words,
    is_english,
    known_acronyms,
    one_edit,
    read_as,
    record_words,
    respell,
)

# passages holding each stem, as rag/stats.py counts them
HELD = {"supervis": 40, "supervisor": 12, "inform": 60, "happen": 9, "polic": 80, "thornval": 30}
KNOWN = frozenset(["supervision", "supervisor", "information", "happened", "happen", "police"])


def test_one_edit_holds_each_kind_of_slip_with_how_telling_it_is() -> None:
    edits = one_edit("cat")
    # swapped, left out, added, changed
    assert (edits["act"], edits["at"], edits["cart"], edits["cut"]) == (2, 1, 1, 0)
    assert "cat" not in edits
    # 3 left out + 2 swapped + 3 x 26 changed + 4 x 26 added, less repeats and the word itself
    assert len(edits) < 3 + 2 + 78 + 104
    assert read_as("traige", {"triag": 2, "train": 50}) == "triage"  # a swap before a change


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("supervison", "supervision"),  # a letter left out; "supervisor" is held by fewer
        ("infomation", "information"),
        ("happend", "happened"),  # of the stem's forms, the one ending as typed
        ("polcie", "police"),  # two letters swapped
    ],
)
def test_read_as_takes_the_most_held_stem_one_edit_away(typed: str, read: str) -> None:
    assert read_as(typed, HELD, KNOWN) == read


def test_read_as_prefers_a_library_word_to_a_stopword_and_the_first_letter_kept() -> None:
    held = {"birth": 5, "weight": 5, "mother": 7, "health": 9, "dealt": 20}
    # "both" would leave "What was Baby R's bith weight?" asking nothing of birth
    assert read_as("bith", held, frozenset(["birth", "both"])) == "birth"
    assert read_as("mther", held, frozenset(["mother", "other"])) == "mother"
    assert read_as("healt", held, frozenset(["health", "dealt"])) == "health"
    # a word the counts leave out ("child") is common in every document
    assert read_as("cild", {"cold": 3}, frozenset(["child", "cold"])) == "child"


def test_a_capital_inside_a_sentence_reads_a_name_first() -> None:
    held = {"lead": 90, "leed": 4}
    names = frozenset(["leeds"])
    assert respell("What did Lerds find?", held, frozenset(["leads"]), names).changes == (
        ("Lerds", "Leeds"),
    )
    assert respell("Lerds", held, frozenset(["leads"]), names).changes == (("Lerds", "Leads"),)
    assert respell("what about lerds?", held, frozenset(["leads"]), names).changes == (
        ("lerds", "leads"),
    )


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("behavior", "behaviour"),
        ("organization", "organisation"),
        ("pediatrician", "paediatrician"),
        ("center", "centre"),
        ("judgment", "judgement"),
        ("program", "programme"),
        ("counseling", "counselling"),
        ("analyzing", "analysing"),
        ("color", "colour"),
        ("anesthetic", "anaesthetic"),
        ("labeled", "labelled"),
        ("esophagus", "oesophagus"),
    ],
)
def test_a_us_spelling_is_read_as_the_documents_british_one(typed: str, read: str) -> None:
    held = {stem(read): 3}
    assert british(typed, held) == read
    question = f"What did the reviews say about {typed.capitalize()}?"
    assert respell(question, held, frozenset([typed])).changes == (
        (typed.capitalize(), read.capitalize()),
    )


def test_a_us_spelling_the_library_holds_is_left_and_a_slip_is_no_us_spelling() -> None:
    assert british("judgment", {"judgment": 2, "judgement": 5}) is None
    assert british("behavior", {"behaviour": 0}) is None
    # each change is narrow: "fils" is no "fills", a gas "meter" no "metre", "color" no "collor"
    assert british("fils", {"fill": 3}) is None
    assert british("meter", {"metr": 3}) is None
    assert british("color", {"collor": 3}) is None
    # "mothere" is one change of "er" from the slip, but the slip is no English word
    assert respell("Where was the motheer?", {"mother": 9}, frozenset(["mother"])).changes == (
        ("motheer", "mother"),
    )


def test_plural_acronyms_typed_in_lower_case_are_written_in_capitals() -> None:
    held = {"gp": 30, "idva": 4, "send": 6, "recommend": 9}
    acronyms = frozenset(["gp", "idva", "send"])
    known = frozenset(["send", "recommend"])
    out = respell(
        "what did they recommend about gps and idvas? it sends", held, known, (), acronyms
    )
    assert out == Respelled("what did they recommend about GPs and IDVAs? it sends")
    assert acronym_plural("GPs", held, acronyms, known) is None  # already as written
    assert acronym_plural("cats", {"cat": 1}, acronyms, known) is None


def test_known_acronyms_are_the_glossarys_and_the_documents() -> None:
    records = [
        DocRecord(
            "x", "X", "scr", "2020", "P", "", "/x", "pdf", "", "v", 1, 1, 1,
            acronyms='{"CiCC": "children in care council", "QPR": "quality practice review"}',
        )
    ]  # fmt: skip
    acronyms = known_acronyms(records)
    assert {"gp", "mash", "idva", "qpr"} <= acronyms
    assert "cicc" not in acronyms  # a mixed-case term is no run of capitals


def test_read_as_looks_past_one_edit_for_a_name_of_that_stem() -> None:
    # "thornval" is one edit from "thornvail", but the name is "thornvale"
    assert read_as("thornvail", HELD, KNOWN) == "thornval"
    assert read_as("thornvail", HELD, KNOWN | {"thornvale"}, ["thornvale"]) == "thornvale"


def test_read_as_gives_none_when_no_held_word_is_one_edit_away() -> None:
    assert read_as("zyxwv", HELD, KNOWN) is None


def test_respell_replaces_slips_keeping_case_and_notes_them() -> None:
    out = respell(
        "What did Polcie say about supervison and Thornvail's work?", HELD, KNOWN, {"thornvale"}
    )
    assert out == Respelled(
        "What did Police say about supervision and Thornvale's work?",
        (("Polcie", "Police"), ("supervison", "supervision"), ("Thornvail", "Thornvale")),
    )
    assert out.note() == (
        "Read “Polcie” as “Police”, “supervison” as “supervision”, “Thornvail” as “Thornvale”: "
        "no document uses the word as typed."
    )
    assert respell("What about supervision?", HELD, KNOWN) == Respelled("What about supervision?")
    assert Respelled("x").note() is None


@pytest.mark.parametrize(
    "text",
    [
        "What did the reviews say about gangs?",  # an English word the library lacks
        "What did the LADO say?",  # an acronym
        "Was Mr Sx seen?",  # too short to read again
        "What did the 2023 inspection say?",  # a number
        "What did the multi-agency panel do?",  # a joined word
        "What did youngsters say?",  # a word the glossary reads
        "Is superviso-n a word?",
    ],
)
def test_respell_leaves_words_that_are_no_slips(text: str) -> None:
    assert respell(text, HELD, KNOWN | {"gang"}).changes == ()


def test_english_words_take_inflections_and_british_spellings() -> None:
    known = frozenset(["criticize", "behavior", "pediatrician", "foster", "carer", "policy"])
    assert {"criticise", "criticize"} <= bare_forms("criticised")
    for word in ("criticised", "behaviours", "paediatrician", "fostering", "carers", "policies"):
        assert is_english(word, known), word
    assert not is_english("supervison", known)
    assert not is_english("murer", frozenset(["mure"]))  # "-er" is no ending taken off


def test_the_packaged_words_know_common_and_rare_english() -> None:
    english = english_words()
    for word in ("organisation", "behaviour", "hoarder", "lotion", "perk", "cyber"):
        assert word in english, word
    for slip_ in ("supervison", "happend", "infomation", "recomendations", "safegaurding"):
        assert slip_ not in english and not is_english(slip_, english), slip_


def test_slips_are_one_edit_and_keep_the_first_letter() -> None:
    rng = random.Random(0)
    for word in ("supervision", "Thornvale", "chronologies", "mother"):
        for _ in range(20):
            typed = slip(word, rng)
            assert typed != word and typed[0] == word[0]
            assert typed.lower() in one_edit(word.lower())


def test_with_slip_is_the_same_for_the_same_seed() -> None:
    item = load_testset(Path(__file__).resolve().parent / "qa" / "corpus.jsonl")[0]
    first, second = with_slip(item, 0), with_slip(item, 0)
    assert first == second
    asked, meant, typed = first
    assert meant in item.user_input and typed in asked.user_input and meant != typed
    assert asked.id == item.id and asked.reference_contexts == item.reference_contexts


def test_a_misspelt_theme_is_answered_as_spelt_right(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    right = ask("What was said about supervision?", index=corpus_index, encoder=encoder)
    typed = ask("What was said about supervison?", index=corpus_index, encoder=encoder)
    assert not typed.refused
    assert typed.question == "What was said about supervison?"
    assert typed.notes[0] == (
        "Read “supervison” as “supervision”: no document uses the word as typed."
    )
    assert [c.passage_id for c in typed.citations] == [c.passage_id for c in right.citations]
    assert typed.text == right.text


def test_a_misspelt_name_and_follow_up_history_are_read(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    names = record_words(corpus_index.documents())
    assert "thornvale" in names and "eastmere" in names
    held = corpus_stats(corpus_index)[0]
    assert respell("What did the Thornvail inspection find?", held, names=names).changes == (
        ("Thornvail", "Thornvale"),
    )
    history = ("What was recomended about supervison in the Baby R review?",)
    typed = ask("Who was responsible for that?", history, index=corpus_index, encoder=encoder)
    right = ask(
        "Who was responsible for that?",
        ("What was recommended about supervision in the Baby R review?",),
        index=corpus_index,
        encoder=encoder,
    )
    assert [c.passage_id for c in typed.citations] == [c.passage_id for c in right.citations]
    assert typed.citations and typed.notes == right.notes  # the history's slips are not noted


@pytest.mark.parametrize(
    ("question", "respelled"),
    [
        ("What was said about supervison?", False),  # the slip, read as typed
        ("What did the reviews say about gangs and cyber bullying?", True),  # English words
    ],
)
def test_what_is_not_read_again_stays_refused_with_no_note(
    corpus_index: PassageIndex, encoder: Encoder, question: str, respelled: bool
) -> None:
    answer = ask(
        question, index=corpus_index, encoder=encoder, settings=Settings(respell=respelled)
    )
    assert answer.refused and answer.notes == []

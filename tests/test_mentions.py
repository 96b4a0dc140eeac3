"""What a question names (people, things) and what it compares with, and whether the documents
speak of them."""

from __future__ import annotations

import pytest

from rag.mentions import (
    missing_comparison,
    named_things,
    people,
    people_documents,
    proper_words,
    unknown_people,
)


def test_a_pseudonym_no_title_or_passage_holds_is_unknown() -> None:
    searched: list[str] = []

    def search(name: str) -> list[str]:
        searched.append(name)
        return {"Mr S": ["Mr S was not seen by the police."]}.get(name, ["Baby R was seen."])

    names = people("Did Mr S know Baby Q, and what did Baby R's review say of Child M and Baby Q?")
    unknown = unknown_people(
        names, ["Serious Case Review: Baby R", "Child M was seen at school."], search
    )

    assert names == ["Mr S", "Baby Q", "Baby R", "Child M"]
    assert unknown == ["Baby Q"]
    assert searched == ["Mr S", "Baby Q"]  # only names not already found are searched for


@pytest.mark.parametrize(
    ("question", "things"),
    [
        (
            "Which of the reviews recommended adopting the Signs of Safety model?",
            ["Signs of Safety"],
        ),
        ("How did the Mr D and Ms K reviews compare?", []),  # pseudonyms are people()'s
        (
            "When did Thornvale Recovery Service tell the social worker or the Leaving Care Service?",
            ["Thornvale Recovery Service", "Leaving Care Service"],
        ),
        # a possessive, "and" or a word other than "of"/"for" ends a name
        (
            "In Professor Hale's Wessex Vale overview, what was found about how audits were done?",
            ["Professor Hale", "Wessex Vale"],
        ),
        ("How many children were in care when inspectors visited Thornvale in March 2023?", []),
        (
            "Central Referral Unit: how fast is it?",
            ["Referral Unit"],
        ),  # the first word is no name's
        ("What Did The Reviews Say About Supervision?", []),  # a heading's capitals name nothing
        ("What did the reviews say about supervision?", []),
    ],
)
def test_named_things_are_capitalised_phrases(question: str, things: list[str]) -> None:
    assert named_things(question) == things


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("What did Ofsted say about Birmingham's front door in 2022?", ["Ofsted", "Birmingham"]),
        ("How are care leavers supported in Cornwall?", ["Cornwall"]),
        # a sentence's first word is no name's, nor a pseudonym's or a longer name's words
        ("Birmingham: what did Ofsted say? And was Kent told?", ["Ofsted", "Kent"]),
        ("Did the health visitor tell Mr S about Baby R in Northbrook?", ["Northbrook"]),
        ("What did the Thornvale Recovery Service tell the GP?", []),
        ("What did the MASH do?", []),  # acronyms are the glossary's
        ("What did Mum tell the health visitor about Dad?", []),  # family words name no one
        ("What Did The Reviews Say About Supervision?", []),
    ],
)
def test_proper_words_are_single_capitalised_words_inside_a_sentence(
    question: str, words: list[str]
) -> None:
    assert proper_words(question) == words


def test_a_place_no_title_or_passage_holds_is_unknown() -> None:
    texts = ["Inspection of Solihull local authority children's services", "Kent was told."]

    unknown = unknown_people(["Birmingham", "Kent", "Solihull"], texts, lambda name: [])

    assert unknown == ["Birmingham"]


def test_a_named_thing_is_found_in_any_case_and_spacing() -> None:
    unknown = unknown_people(
        ["Signs of Safety", "Recovery Service"],
        ["Thornvale recovery\nservice saw the mother."],
        lambda name: [],
    )

    assert unknown == ["Signs of Safety"]


def test_a_named_service_or_team_is_found_by_what_comes_before_that_word() -> None:
    texts = ["The youth justice team saw T twice.", "A recovery service was offered."]

    unknown = unknown_people(
        ["Youth Justice Service", "Thornvale Recovery Service", "Signs of Safety"],
        texts,
        lambda name: [],
    )

    assert unknown == ["Thornvale Recovery Service", "Signs of Safety"]


def test_a_title_and_surname_are_found_with_a_first_name_between() -> None:
    texts = ["Independent author: Professor Janet Hale", "Mr S was seen."]

    assert unknown_people(["Professor Hale", "Dr Hale", "Mr S"], texts, lambda name: []) == [
        "Dr Hale"
    ]


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        (
            "How do the rates compare with the national average for England?",
            "Agency staff make up 24% of the workforce.",
            "national figures",
        ),
        (
            "How do the rates compare with the national average for England?",
            "Agency staff make up 24% of the workforce, above the national average.",
            None,
        ),
        # a neighbour who reported shouting is no neighbouring authority
        (
            "How did the vacancy rate compare with neighbouring local authorities?",
            "A neighbour reported shouting at the flat.",
            "neighbouring authorities",
        ),
        (
            "How did the vacancy rate compare with neighbouring local authorities?",
            "The rate was twice that of its statistical neighbours.",
            None,
        ),
        # a figure the question quotes must stand beside the earlier year
        (
            "How did the 97% rate compare with the previous year?",
            "97% of contacts were decided in a day. Agency staff are down from 31%.",
            "an earlier year",
        ),
        (
            "How did the 97% rate compare with the previous year?",
            "97% of contacts were decided in a day, up from 88%.",
            None,
        ),
        # no comparison asked: nothing checked
        ("What did the national panel say?", "Nothing of the kind.", None),
    ],
)
def test_a_comparison_with_what_no_text_speaks_of_is_missing(
    question: str, text: str, missing: str | None
) -> None:
    assert missing_comparison(question, [text]) == missing


def test_the_documents_that_name_a_questions_people_are_those_that_hold_the_name_as_written() -> (
    None
):
    found = {
        "Mr S": [
            ("baby-r", "Mr S: Mother's partner from early 2015, aged 27"),
            ("overview-2022", "In the Baby R review, Mr S, the mother's partner, was unknown"),
            ("ms-k", "Mr Smith, the pharmacist, spoke to the review"),  # another man
            ("mr-d", "MR S was written in capitals on the form"),  # not as written
        ],
        "Mr G": [("child-m", "Mr G, the mother's partner")],
    }

    def search(name: str) -> list[tuple[str, str]]:
        return found.get(name, [])

    assert people_documents("Did Mr S have children of his own?", {"Baby R"}, search) == (
        "baby-r",
        "overview-2022",
    )
    assert people_documents("Did Mr S know Mr G?", set(), search) == (
        "baby-r",
        "child-m",
        "overview-2022",
    )
    # a document's subject names its document already; a person no passage names, nothing
    assert people_documents("What happened to Baby R?", {"Baby R"}, search) == ()
    assert people_documents("Who is Mr Q?", set(), search) == ()

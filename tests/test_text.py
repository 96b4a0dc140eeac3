"""Clean-up helpers: hyphenated line breaks and sentence spans."""

from __future__ import annotations

import pytest

from ingest.text import clean_line, join_wrapped, sentence_spans, word_counts


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["the quality of manage-", "ment oversight"], "the quality of management oversight"),
        (
            ["supervision was well-", "developed in the team"],
            "supervision was well-developed in the team",
        ),
        (["a non-", "statutory service"], "a non-statutory service"),
        (["16-", "and 17-year-olds"], "16- and 17-year-olds"),
        (["the pre-", "vious partners"], "the previous partners"),
        (["Anglo-", "Saxon names"], "Anglo-Saxon names"),
    ],
)
def test_hyphenated_line_breaks_are_joined_or_kept(lines: list[str], expected: str) -> None:
    vocab = word_counts(lines + ["a developed plan; the statutory duty"])

    assert join_wrapped(lines, vocab) == expected


def test_a_spelling_seen_elsewhere_in_the_document_decides() -> None:
    vocab = word_counts(["The child-focused plan was agreed.", "It was child-", "focused again."])

    assert join_wrapped(["It was child-", "focused again."], vocab) == "It was child-focused again."


def test_sentences_respect_titles_labels_and_line_breaks() -> None:
    text = "Dr. Marsh met Mr. S on 4 May. He left at 10.30 pm. Baby R was seen.\n• first item\n• second"

    pieces = [text[s:e] for s, e in sentence_spans(text)]

    assert pieces == [
        "Dr. Marsh met Mr. S on 4 May.",
        "He left at 10.30 pm.",
        "Baby R was seen.",
        "• first item",
        "• second",
    ]


def test_a_pseudonym_letter_can_end_a_sentence() -> None:
    text = "The review concerns Child M. The family moved in 2016."

    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "The review concerns Child M.",
        "The family moved in 2016.",
    ]


def test_clean_line_turns_symbol_bullets_into_bullets_and_drops_control_characters() -> None:
    line = "\uf0b7\tSupervision\x07 was\u00a0monthly\x9f,\ufb01nally \U000f0001 re\ufffe\nview "

    assert clean_line(line) == "• Supervision was monthly,finally • re\ufffeview"

"""Conversation export as Markdown and DOCX, from real answers over the bundled corpus."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
import pytest

from ingest.embed import Encoder
from ingest.index import PassageIndex
from rag.answer import Answer, Citation
from rag.ask import ask
from rag.export import conversation_docx, conversation_markdown, source_label

WHEN = datetime(2026, 11, 5, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def answers(corpus_index: PassageIndex, encoder: Encoder) -> list[Answer]:
    """A direct question, a theme question and a refusal, asked for real."""
    return [
        ask(q, index=corpus_index, encoder=encoder)
        for q in (
            "How often was the Baby R social worker supervised?",
            "What was said about supervison?",  # a slip, read again with a note
            "What is the recipe for banana bread?",
            "What did the serious case review into Baby Q find about co-sleeping?",
        )
    ]


def test_markdown_holds_questions_answers_sources_and_quotes(answers: list[Answer]) -> None:
    md = conversation_markdown(answers, when=WHEN)

    assert md.startswith(
        "# Questions to the review documents\n\nExported 5 November 2026, 09:30 UTC."
    )
    assert "## 1. How often was the Baby R social worker supervised?\n" in md
    first = answers[0].citations[0]
    assert source_label(first) == (
        "Serious Case Review: Baby R (2016) · 10 Analysis > Management oversight and supervision · ¶10.13 · p.8"
    )
    assert (
        f"[1] Serious Case Review: Baby R (2016) · 10 Analysis \\> Management oversight and supervision · ¶10.13 · p.8\n\n> {first.quote}\n"
        in md
    )
    assert "**Serious Case Review: Siblings J and L (2018)** — " in md
    # the note the app shows under the answer, before its sources
    second = md.split("## 2. What was said about supervison?\n\n", 1)[1].split("## 3.")[0]
    assert (
        "\n\n*Note: Read “supervison” as “supervision”: no document uses the word as typed.*"
        "\n\n**Sources**\n\n"
    ) in second
    refusal = md.split("## 3. What is the recipe for banana bread?\n\n", 1)[1].split("## 4.")[0]
    assert refusal.startswith(
        "*The documents do not appear to answer this question.*\n\nPossibly related:\n\n- "
    )
    assert refusal.count("\n- ") == 3
    why = md.split(
        "## 4. What did the serious case review into Baby Q find about co-sleeping?\n\n"
    )[1]
    assert why.startswith(
        "*The documents do not appear to answer this question: no document mentions Baby Q.*\n"
    )


def test_docx_holds_every_quote_in_a_quote_paragraph(answers: list[Answer]) -> None:
    word = docx.Document(io.BytesIO(conversation_docx(answers, when=WHEN)))

    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    quotes = [p.text for p in word.paragraphs if p.style.name == "Quote"]
    assert headings == [
        "1. How often was the Baby R social worker supervised?",
        "2. What was said about supervison?",
        "3. What is the recipe for banana bread?",
        "4. What did the serious case review into Baby Q find about co-sleeping?",
    ]
    assert quotes == [c.quote for a in answers for c in a.citations]
    texts = [p.text for p in word.paragraphs]
    assert "The documents do not appear to answer this question." in texts
    assert (
        "The documents do not appear to answer this question: no document mentions Baby Q." in texts
    )
    assert "[1] " + source_label(answers[0].citations[0]) in texts
    notes = [
        p.text
        for p in word.paragraphs
        if p.runs and p.runs[0].italic and p.text.startswith("Note: ")
    ]
    assert notes == [
        "Note: Read “supervison” as “supervision”: no document uses the word as typed."
    ]


def test_document_markup_and_control_characters_survive_export() -> None:
    quote = (
        'The first message read "<b>call me</b>", then "[click here](http://example.invalid)".\x0c'
    )
    citation = Citation(
        1,
        "ms-k#¶8.11[1]",
        "ms-k",
        "Domestic Homicide Review: Ms K",
        "8 Chronology",
        "8.11",
        None,
        quote,
        quote,
    )
    answer = Answer("What did it say?", f"{quote} [1]", [citation])

    md = conversation_markdown([answer], when=WHEN)
    word = docx.Document(io.BytesIO(conversation_docx([answer], when=WHEN)))

    assert '"\\<b\\>call me\\</b\\>", then "\\[click here\\](http://example.invalid)". [1]' in md
    assert quote.rstrip("\x0c") in [p.text for p in word.paragraphs if p.style.name == "Quote"]

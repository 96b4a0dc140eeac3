"""Escaped HTML and Markdown for answers, source cards and context views."""

from __future__ import annotations

import pytest

from ingest.index import DocRecord, PassageIndex, StoredPassage
from rag.answer import Citation
from rag.render import (
    ContextParagraph,
    answer_html,
    answer_paragraphs,
    card_html,
    citation_card_html,
    context_html,
    context_paragraphs,
    escape_markdown,
    highlight_html,
    library_html,
    markdown_literal,
    markdown_with_markers,
    passage_card_html,
    readable_date,
    refusal_html,
)

MARKUP = '"<b>call me</b> or I will come round", then "[click here](http://example.invalid)"'


def test_theme_answers_split_into_titled_groups() -> None:
    text = "**Serious Case Review: Baby R** — One. [1] Two. [2]\n\n**Review: Mr D** — Three. [3]"

    assert answer_paragraphs(text) == [
        ("Serious Case Review: Baby R", "One. [1] Two. [2]"),
        ("Review: Mr D", "Three. [3]"),
    ]
    assert answer_paragraphs("Plain quote. [1]") == [(None, "Plain quote. [1]")]


def test_answer_html_escapes_quotes_and_marks_citations() -> None:
    text = f"**A <i>title</i>** — The first message read {MARKUP}. [1]"

    assert answer_html(text) == (
        '<div class="rq-answer"><p><strong>A &lt;i&gt;title&lt;/i&gt;</strong> — The first message '
        "read &quot;&lt;b&gt;call me&lt;/b&gt; or I will come round&quot;, then "
        '&quot;[click here](http://example.invalid)&quot;. <span class="rq-ref">[1]</span></p></div>'
    )


def test_the_quote_is_highlighted_and_the_rest_escaped() -> None:
    passage = "8.11 Before <b>. The quoted <one>. After & more."

    assert highlight_html(passage, "The quoted <one>.") == (
        "8.11 Before &lt;b&gt;. <mark>The quoted &lt;one&gt;.</mark> After &amp; more."
    )
    assert highlight_html(passage, "not there") == highlight_html(passage, None)


def test_a_card_names_its_source_and_escapes_every_field() -> None:
    html = card_html("T <x>", ["Serious case review", "", "¶1.2", "p.3"], "P <y>", "P", n=2)

    assert html == (
        '<div class="rq-card"><div class="rq-card-title"><span class="rq-ref">[2]</span> T &lt;x&gt;'
        '</div><div class="rq-meta">Serious case review · ¶1.2 · p.3</div>'
        '<div class="rq-passage"><mark>P</mark> &lt;y&gt;</div></div>'
    )


def test_a_refusal_lists_the_related_passages_escaped() -> None:
    related = [StoredPassage("x#¶6.2", "x", "text", {"title": "Review <b>", "paragraph": "6.2"})]

    assert refusal_html(related) == (
        '<div class="rq-refusal"><p class="rq-refusal-head">The documents do not appear to answer '
        "this question.</p><p>Possibly related:</p><ul><li>Review &lt;b&gt;, ¶6.2</li></ul></div>"
    )
    assert refusal_html([], "no document mentions <Baby Q>") == (
        '<div class="rq-refusal"><p class="rq-refusal-head">The documents do not appear to answer '
        "this question: no document mentions &lt;Baby Q&gt;.</p></div>"
    )


def test_cards_of_citations_and_passages_name_kind_section_paragraph_and_page() -> None:
    citation = Citation(
        3, "r#¶2.1", "r", "Review R", "2 Findings", "2.1", 4, "Quote.", "2.1 Quote. More."
    )
    passage = StoredPassage(
        "r#¶2.2",
        "r",
        "2.2 Text.",
        {"title": "Review R", "kind": "sar", "section": "", "paragraph": "2.2"},
    )

    assert citation_card_html(citation, "scr") == card_html(
        "Review R",
        ["Serious case review", "2 Findings", "¶2.1", "p.4"],
        "2.1 Quote. More.",
        "Quote.",
        3,
    )
    assert passage_card_html(passage) == card_html(
        "Review R", ["Safeguarding adults review", "Front matter", "¶2.2", ""], "2.2 Text.", None
    )


def test_context_holds_the_cited_paragraph_and_its_neighbours(corpus_index: PassageIndex) -> None:
    doc = corpus_index.document("baby-r")
    assert doc is not None

    context = context_paragraphs(doc, ["10.13"])

    assert [(p.label, p.cited, p.page) for p in context] == [
        ("10.11", False, 8),
        ("10.12", False, 8),
        ("10.13", True, 8),
        ("10.14", False, 8),
        ("10.15", False, 8),
    ]
    assert context[2].heading == "10 Analysis > Management oversight and supervision"
    assert context[2].text.startswith("10.13 The social worker was in her second year")
    assert context_paragraphs(doc, ["99.99"]) == []


def test_context_html_escapes_and_shows_headings_once() -> None:
    paras = [
        ContextParagraph("8.10", "8 Chronology", "a <b>", 3, False),
        ContextParagraph("8.11", "8 Chronology", MARKUP, None, True),
    ]

    html = context_html(paras)

    assert html.count('class="rq-context-head"') == 1
    assert '<div class="rq-context-para rq-cited"><span class="rq-meta">¶8.11</span>' in html
    assert "&lt;b&gt;call me&lt;/b&gt;" in html and "<b>" not in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>call me</b>", "\\<b\\>call me\\</b\\>"),
        ("[click here](http://example.invalid)", "\\[click here\\]\\(http\\://example.invalid\\)"),
        (":red[alert] $x$ *em*", "\\:red\\[alert\\] \\$x\\$ \\*em\\*"),
        ("Plain words, 10.13.", "Plain words, 10.13."),
    ],
)
def test_escape_markdown_leaves_no_markup(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>call me</b>", "\\<b\\>call me\\</b\\>"),
        ("[click here](http://example.invalid)", "\\[click here\\](http://example.invalid)"),
        (
            "# not a heading\n- not a bullet\n12. not a list",
            "\\# not a heading\n\\- not a bullet\n12\\. not a list",
        ),
        (
            "Children's Social Care: 10.13 (p.8) - fine",
            "Children's Social Care: 10.13 (p.8) - fine",
        ),
    ],
)
def test_markdown_literal_escapes_only_what_makes_markup(text: str, expected: str) -> None:
    assert markdown_literal(text) == expected


def test_answer_markers_stay_readable_in_markdown() -> None:
    assert markdown_with_markers("A *b* [1] c_d [12]") == "A \\*b\\* [1] c\\_d [12]"


def test_an_unverified_llm_sentence_is_marked() -> None:
    assert answer_html("Said so. [1] Guessed this. *(unverified)*") == (
        '<div class="rq-answer"><p>Said so. <span class="rq-ref">[1]</span> Guessed this. '
        '<em class="rq-unverified">(unverified)</em></p></div>'
    )


def test_the_library_lists_titles_kinds_dates_and_sizes_escaped() -> None:
    record = DocRecord(
        "r", "Review <i>", "dhr", "2019-01-30", "", "", "/r.html", "html", "", "v1", 1, 0, 100
    )

    assert library_html([record]) == (
        '<ul class="rq-library"><li><div class="rq-card-title">Review &lt;i&gt;</div>'
        '<div class="rq-meta">Domestic homicide review · 30 January 2019 · 1 passage</div></li></ul>'
    )


@pytest.mark.parametrize(
    ("iso", "shown"),
    [("2016-03-14", "14 March 2016"), ("2016-03-04", "4 March 2016"), ("", ""), ("2016", "2016")],
)
def test_dates_read_as_people_write_them(iso: str, shown: str) -> None:
    assert readable_date(iso) == shown

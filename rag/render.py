"""HTML and Markdown for showing answers and sources: document text is untrusted, so every piece of
it is escaped here and the only markup in the output is our own."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ingest.index import DocRecord, StoredPassage
from ingest.structure import Document
from rag.answer import Citation, passage_heading, refusal_sentence

# an answer's theme group opens with the review's title in bold: "**Title** — quote [1] quote [2]"
GROUP = re.compile(r"\*\*(?P<title>.+?)\*\* — (?P<body>.*)", re.DOTALL)
MARKER = re.compile(r"\[(\d{1,3})\]")
UNVERIFIED = "*(unverified)*"  # what the LLM composer appends to a sentence it could not check
# every ASCII punctuation character may be backslash-escaped in CommonMark; these are the ones that
# start markup in Streamlit's Markdown (links, emphasis, HTML, headings, tables, LaTeX, :emoji:)
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-!|~$:])")
CONTEXT_RADIUS = 2  # paragraphs shown either side of the cited one
KIND_NAMES = {
    "scr": "Serious case review",
    "cspr": "Child safeguarding practice review",
    "sar": "Safeguarding adults review",
    "dhr": "Domestic homicide review",
    "inspection": "Inspection report",
    "overview": "Overview report",
    "other": "Other",
}


# in a Markdown file only these make markup inside a line (pandoc reads $ as LaTeX), and these
# at the start of a line; ordinary punctuation stays unescaped so the file reads naturally
FILE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$])")
LINE_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)])(?=\s))", re.MULTILINE)


def kind_name(kind: str) -> str:
    """A document kind as readers know it ("scr" -> "Serious case review")."""
    return KIND_NAMES.get(kind, kind)


def plural(n: int, word: str) -> str:
    """A count with its noun: "1 document", "8 documents"."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def readable_date(iso: str) -> str:
    """An ISO date as "12 May 2016" (anything else as it is)."""
    try:
        return date.fromisoformat(iso).strftime("%d %B %Y").lstrip("0")
    except ValueError:
        return iso


def escape_markdown(text: str) -> str:
    """Text that Streamlit's Markdown renders literally (no links, emphasis, HTML, LaTeX, :icons:)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown_literal(text: str) -> str:
    """Text for a Markdown file that renders as written, with ordinary punctuation left alone."""
    escaped = FILE_SPECIAL.sub(r"\\\1", text)
    return LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, mark, number, dot = match.groups()
    return f"{indent}\\{mark}" if mark else f"{indent}{number}\\{dot}"


def markdown_with_markers(text: str) -> str:
    """Like markdown_literal, but an answer's [n] markers stay as they are."""
    parts = MARKER.split(text)  # text, number, text, number, ..., text
    return "".join(f"[{part}]" if i % 2 else markdown_literal(part) for i, part in enumerate(parts))


def answer_paragraphs(text: str) -> list[tuple[str | None, str]]:
    """An answer's paragraphs as (title of a theme group or None, text with its [n] markers)."""
    out: list[tuple[str | None, str]] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        block = block.strip()
        if not block:
            continue
        match = GROUP.fullmatch(block)
        out.append((match["title"], match["body"]) if match else (None, block))
    return out


def answer_html(text: str) -> str:
    """An answer as escaped HTML: paragraphs, bold group titles, styled [n] markers."""
    parts = []
    for title, body in answer_paragraphs(text):
        head = f"<strong>{html.escape(title)}</strong> — " if title else ""
        marked = MARKER.sub(r'<span class="rq-ref">[\1]</span>', html.escape(body))
        marked = marked.replace(UNVERIFIED, '<em class="rq-unverified">(unverified)</em>')
        parts.append(f"<p>{head}{marked}</p>")
    return f'<div class="rq-answer">{"".join(parts)}</div>'


def highlight_html(text: str, quote: str | None) -> str:
    """Escaped text with the first occurrence of `quote` wrapped in <mark>."""
    start = text.find(quote) if quote else -1
    if quote is None or start < 0:
        return html.escape(text)
    end = start + len(quote)
    return f"{html.escape(text[:start])}<mark>{html.escape(quote)}</mark>{html.escape(text[end:])}"


def card_html(
    title: str, details: Sequence[str], passage: str, quote: str | None, n: int | None = None
) -> str:
    """A source card: number, review title, a line of details, the passage with its quote marked."""
    number = f'<span class="rq-ref">[{n}]</span> ' if n is not None else ""
    return (
        f'<div class="rq-card"><div class="rq-card-title">{number}{html.escape(title)}</div>'
        f'<div class="rq-meta">{_details(details)}</div>'
        f'<div class="rq-passage">{highlight_html(passage, quote)}</div></div>'
    )


def source_details(kind: str, section: str, paragraph: str, page: int | None) -> list[str]:
    """A card's second line: kind of review, section, ¶label, page."""
    return [
        kind_name(kind),
        section or "Front matter",
        f"¶{paragraph}",
        f"p.{page}" if page else "",
    ]


def citation_card_html(citation: Citation, kind: str) -> str:
    """The card of one citation, its quote highlighted in its passage."""
    c = citation
    details = source_details(kind, c.section, c.paragraph, c.page)
    return card_html(c.label, details, c.passage_text, c.quote, c.n)


def passage_card_html(passage: StoredPassage) -> str:
    """The card of a retrieved passage (a refusal's possibly related ones): nothing highlighted."""
    meta = passage.metadata
    page = meta.get("page_start")
    details = source_details(
        str(meta.get("kind", "")),
        str(meta.get("section", "")),
        str(meta.get("paragraph", "")),
        int(page) if page is not None else None,
    )
    return card_html(passage_heading(passage), details, passage.text, None)


def library_html(records: Sequence[DocRecord]) -> str:
    """The library as a list: each document's title, then its kind, date and passage count."""
    items = "".join(
        f'<li><div class="rq-card-title">{html.escape(r.title)}</div><div class="rq-meta">'
        f"{_details([kind_name(r.kind), readable_date(r.date), plural(r.passages, 'passage')])}"
        "</div></li>"
        for r in records
    )
    return f'<ul class="rq-library">{items}</ul>'


def refusal_html(related: Sequence[StoredPassage], why: str | None = None) -> str:
    """The refusal box: a plain statement (with why, when known), then the possibly related
    passages by title and ¶."""
    items = "".join(
        f"<li>{html.escape(passage_heading(p))}, "
        f"¶{html.escape(str(p.metadata.get('paragraph', '')))}</li>"
        for p in related
    )
    listing = f"<p>Possibly related:</p><ul>{items}</ul>" if items else ""
    head = html.escape(refusal_sentence(why))
    return f'<div class="rq-refusal"><p class="rq-refusal-head">{head}</p>{listing}</div>'


def _details(parts: Sequence[str]) -> str:
    return " · ".join(html.escape(part) for part in parts if part)


@dataclass(frozen=True)
class ContextParagraph:
    """One paragraph of a document shown around a cited one."""

    label: str
    heading: str
    text: str
    page: int | None
    cited: bool


def context_paragraphs(
    doc: Document, labels: Sequence[str], radius: int = CONTEXT_RADIUS
) -> list[ContextParagraph]:
    """The cited paragraphs and `radius` neighbours either side, from the stored clean text."""
    wanted = set(labels)
    hits = [i for i, p in enumerate(doc.paragraphs) if p.label in wanted]
    if not hits:
        return []
    first, last = max(hits[0] - radius, 0), min(hits[-1] + radius, len(doc.paragraphs) - 1)
    out = []
    for i in range(first, last + 1):
        para = doc.paragraphs[i]
        section = doc.sections[para.section] if 0 <= para.section < len(doc.sections) else None
        out.append(
            ContextParagraph(
                label=para.label,
                heading=" > ".join(section.path) if section else "",
                text=doc.paragraph_text(para),
                page=para.page_start,
                cited=i in hits,
            )
        )
    return out


def context_html(paragraphs: Sequence[ContextParagraph]) -> str:
    """Neighbouring paragraphs, escaped; section headings where they change; the cited one marked."""
    parts = []
    heading = None
    for para in paragraphs:
        if para.heading != heading:
            heading = para.heading
            parts.append(f'<div class="rq-context-head">{html.escape(heading)}</div>')
        page = f" · p.{para.page}" if para.page else ""
        css = "rq-context-para rq-cited" if para.cited else "rq-context-para"
        parts.append(
            f'<div class="{css}"><span class="rq-meta">¶{html.escape(para.label)}{page}</span>'
            f"<div>{html.escape(para.text)}</div></div>"
        )
    return f'<div class="rq-context">{"".join(parts)}</div>'

"""A conversation with its citations and verbatim quotes, as Markdown and as DOCX for board papers."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime

from rag.answer import Answer, Citation, heading, refusal_sentence
from rag.render import answer_paragraphs, markdown_literal, markdown_with_markers

TITLE = "Questions to the review documents"
NOTE = (
    "Answers were composed by reviewqa. Every quote is verbatim from the document, section and "
    "paragraph named in its source; check it there before relying on it."
)
RELATED_SHOWN = 3
# control characters (XML 1.0 forbids them, so python-docx would refuse them; Markdown viewers
# show them as junk): C0 controls but tab, newline and CR
XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def source_label(citation: Citation) -> str:
    """Where a quote stands: "Title · section · ¶label · p.N"."""
    parts = [citation.label, citation.section or "front matter", f"¶{citation.paragraph}"]
    if citation.page:
        parts.append(f"p.{citation.page}")
    return " · ".join(parts)


def related_labels(answer: Answer, limit: int = RELATED_SHOWN) -> list[str]:
    """Where a refusal's possibly related passages stand: "Title · section · ¶label"."""
    labels = []
    for cand in answer.passages[:limit]:
        meta = cand.passage.metadata
        section = str(meta.get("section") or "front matter")
        labels.append(f"{heading(cand)} · {section} · ¶{meta.get('paragraph', '')}")
    return labels


def _stamp(when: datetime | None) -> str:
    return (when or datetime.now(UTC)).strftime("%d %B %Y, %H:%M %Z").lstrip("0")


def conversation_markdown(answers: Sequence[Answer], when: datetime | None = None) -> str:
    """The conversation as Markdown; document text is escaped so it renders as written."""
    lines = [f"# {TITLE}", "", f"Exported {_stamp(when)}. {NOTE}", ""]
    for i, answer in enumerate(answers, 1):
        lines += [f"## {i}. {markdown_literal(answer.question)}", ""]
        if answer.refused:
            lines += [f"*{markdown_literal(refusal_sentence(answer.unmet))}*", ""]
            related = related_labels(answer)
            if related:
                lines += ["Possibly related:", ""]
                lines += [f"- {markdown_literal(label)}" for label in related]
                lines.append("")
        else:
            for title, body in answer_paragraphs(answer.text):
                head = f"**{markdown_literal(title)}** — " if title else ""
                lines += [head + markdown_with_markers(body), ""]
        # what the app shows under the answer ("Read “supervison” as “supervision”: …")
        for note in answer.notes:
            lines += [f"*Note: {markdown_literal(note)}*", ""]
        if answer.refused or not answer.citations:
            continue
        lines += ["**Sources**", ""]
        for c in answer.citations:
            lines += [f"[{c.n}] {markdown_literal(source_label(c))}", ""]
            lines += ["> " + markdown_literal(c.quote).replace("\n", "\n> "), ""]
    return _xml("\n".join(lines)).rstrip() + "\n"


def conversation_docx(answers: Sequence[Answer], when: datetime | None = None) -> bytes:
    """The conversation as a Word document: question headings, answers, sources with quotes."""
    from docx import Document as WordDocument

    doc = WordDocument()
    doc.add_heading(TITLE, level=0)
    doc.add_paragraph(f"Exported {_stamp(when)}. {NOTE}")
    for i, answer in enumerate(answers, 1):
        doc.add_heading(f"{i}. {_xml(answer.question)}", level=1)
        if answer.refused:
            doc.add_paragraph().add_run(refusal_sentence(answer.unmet)).italic = True
            related = related_labels(answer)
            if related:
                doc.add_paragraph("Possibly related:")
            for label in related:
                doc.add_paragraph(_xml(label), style="List Bullet")
        else:
            for title, body in answer_paragraphs(answer.text):
                para = doc.add_paragraph()
                if title:
                    para.add_run(_xml(title)).bold = True
                    para.add_run(" — ")
                para.add_run(_xml(body))
        for note in answer.notes:
            doc.add_paragraph().add_run(_xml(f"Note: {note}")).italic = True
        if answer.refused or not answer.citations:
            continue
        doc.add_heading("Sources", level=2)
        for c in answer.citations:
            para = doc.add_paragraph()
            para.add_run(f"[{c.n}] ").bold = True
            para.add_run(_xml(source_label(c)))
            doc.add_paragraph(_xml(c.quote), style="Quote")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _xml(text: str) -> str:
    return XML_FORBIDDEN.sub("", text)

"""Build corpus/documents/ from corpus/sources/*.md: PDF, DOCX, HTML, Markdown or TXT per its front matter.

PDFs get what real reports have: a running header, a "Page x of y" footer and words hyphenated at
line ends. DOCX files use Word's Title and Heading styles. Run: `python corpus/build.py`
(needs the `corpus` extra: reportlab).
"""

from __future__ import annotations

import html
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
OUTPUT = HERE / "documents"
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "md": ".md", "txt": ".txt"}


@dataclass
class Source:
    """One source file: its front matter and its lines of Markdown."""

    doc_id: str
    format: str
    header: str
    lines: list[str]


def read_source(path: Path) -> Source:
    """Parse the front matter (doc_id, format, running_header) and keep the body lines."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    if not match:
        raise SystemExit(f"{path}: missing front matter")
    meta = dict(line.split(":", 1) for line in match.group(1).splitlines() if ":" in line)
    meta = {k.strip(): v.strip() for k, v in meta.items()}
    body = text[match.end() :].splitlines()
    return Source(meta["doc_id"], meta["format"], meta.get("running_header", ""), body)


def blocks(lines: list[str]) -> list[tuple[str, str]]:
    """(kind, text) pairs: title, h1, h2, para, item, row."""
    out: list[tuple[str, str]] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if line.startswith("### "):
            out.append(("h2", line[4:]))
        elif line.startswith("## "):
            out.append(("h1", line[3:]))
        elif line.startswith("# "):
            out.append(("title", line[2:]))
        elif line.startswith("- "):
            out.append(("item", line[2:]))
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                out.append(("row", "\t".join(cells)))
        else:
            out.append(("para", line))
    return out


def write_markdown(src: Source, path: Path) -> None:
    """The body as it is, without the front matter."""
    path.write_text("\n".join(src.lines).strip() + "\n", encoding="utf-8")


def write_text(src: Source, path: Path) -> None:
    """Plain text wrapped at 78 columns, headings underlined or in capitals."""
    out: list[str] = []
    front = True
    previous = ""
    for kind, text in blocks(src.lines):
        if kind == "title":
            out += ["", text, "=" * len(text), ""]
        elif kind == "h1":
            front = False
            out += ["", text.upper(), ""]
        elif kind == "h2":
            out += [text, ""]
        elif kind == "item":
            if previous in ("para", "item") and out and out[-1] == "":
                out.pop()  # items stay in the block of the paragraph that introduces them
            out += textwrap.wrap(f"- {text}", 78, subsequent_indent="  ", break_on_hyphens=False)
            out.append("")
        elif kind == "para" and front:
            out.append(text)  # front-matter lines stay together as one block
        else:
            if out and out[-1] != "":
                out.append("")
            out += textwrap.wrap(text, 78, break_on_hyphens=False) + [""]
        previous = kind
    path.write_text("\n".join(out).strip() + "\n", encoding="utf-8")


def write_html(src: Source, path: Path) -> None:
    """A page with a site header and footer around the report (which parsers must skip)."""
    parts: list[str] = []
    title = ""
    items: list[str] = []
    rows: list[list[str]] = []

    def close_lists() -> None:
        if items:
            parts.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()
        if rows:
            head, *body = rows
            cells = "".join(f"<th>{c}</th>" for c in head)
            trs = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in body)
            parts.append(f"<table><thead><tr>{cells}</tr></thead><tbody>{trs}</tbody></table>")
            rows.clear()

    for kind, text in blocks(src.lines):
        safe = html.escape(text)
        if kind == "item":
            items.append(safe)
            continue
        if kind == "row":
            rows.append([html.escape(c) for c in text.split("\t")])
            continue
        close_lists()
        if kind == "title":
            title = safe
            parts.append(f"<h1>{safe}</h1>")
        elif kind in ("h1", "h2"):
            tag = "h2" if kind == "h1" else "h3"
            parts.append(f"<{tag}>{safe}</{tag}>")
        else:
            parts.append(f"<p>{safe}</p>")
    close_lists()
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>body{{font-family:sans-serif;max-width:50em}}</style>"
        '</head><body>\n<nav><a href="#">Home</a> | <a href="#">Reviews</a></nav>\n<main>\n'
        + "\n".join(parts)
        + "\n</main>\n<footer>Sedgecombe Community Safety Partnership</footer>\n</body></html>\n"
    )
    path.write_text(page, encoding="utf-8")


def write_docx(src: Source, path: Path) -> None:
    """Word document with Title / Heading 1 / Heading 2 styles, bullets and real tables."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Final publication copy"
    rows: list[list[str]] = []

    def flush_table() -> None:
        if not rows:
            return
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
        rows.clear()

    for kind, text in blocks(src.lines):
        if kind == "row":
            rows.append(text.split("\t"))
            continue
        flush_table()
        if kind == "title":
            document.add_heading(text, level=0)
            document.core_properties.title = text
        elif kind == "h1":
            document.add_heading(text, level=1)
        elif kind == "h2":
            document.add_heading(text, level=2)
        elif kind == "item":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    flush_table()
    document.save(str(path))


def write_pdf(src: Source, path: Path) -> None:
    """A4 report: running header, 'Page x of y' footer, justified-ish lines with hyphenation."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    width, height = A4
    margin = 72.0
    usable = width - 2 * margin
    styles = {
        "title": ("Helvetica-Bold", 20.0, 18.0),
        "h1": ("Helvetica-Bold", 14.0, 12.0),
        "h2": ("Helvetica-Bold", 12.0, 8.0),
        "para": ("Helvetica", 10.5, 6.0),
        "item": ("Helvetica", 10.5, 3.0),
    }
    pages: list[list[tuple[str, float, float, str, float]]] = [[]]
    y = height - margin - 10

    for kind, text in blocks(src.lines):
        font, size, space = styles.get(kind, styles["para"])
        indent = 18.0 if kind == "item" else 0.0
        prefix = "• " if kind == "item" else ""
        lines = wrap_hyphenated(prefix + text, font, size, usable - indent, stringWidth)
        leading = size * 1.35
        if kind in ("h1", "h2", "title") and y - leading * (len(lines) + 3) < margin:
            pages.append([])
            y = height - margin - 10
        for i, line in enumerate(lines):
            if y - leading < margin:
                pages.append([])
                y = height - margin - 10
            y -= leading
            x = margin + indent + (stringWidth("• ", font, size) if kind == "item" and i else 0)
            pages[-1].append((font, size, x, line, y))
        y -= space

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setTitle(next((t for k, t in blocks(src.lines) if k == "title"), src.doc_id))
    for number, ops in enumerate(pages, start=1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(margin, height - 40, src.header)
        pdf.drawCentredString(width / 2, 36, f"Page {number} of {len(pages)}")
        for font, size, x, line, y in ops:
            pdf.setFont(font, size)
            pdf.drawString(x, y, line)
        pdf.showPage()
    pdf.save()


def wrap_hyphenated(text, font, size, width, measure):  # type: ignore[no-untyped-def]
    """Greedy line filling; a long word that will not fit is hyphenated (at least 3+3 letters)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if measure(candidate, font, size) <= width:
            line = candidate
            continue
        head, tail = split_word(word, line, font, size, width, measure)
        if head:
            lines.append(f"{line} {head}" if line else head)
            line = tail
        else:
            if line:
                lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def split_word(word, line, font, size, width, measure):  # type: ignore[no-untyped-def]
    """Split a word across the line end: at its own hyphen, or (long words) with a new one."""
    if "-" in word.strip("-"):
        left, right = word.split("-", 1)
        head = f"{left}-"
        if left and measure(f"{line} {head}", font, size) <= width:
            return head, right
        return "", word
    core = re.match(r"[A-Za-z]+", word)
    if not core or len(core.group()) < 8:
        return "", word
    letters = core.group()
    for cut in range(len(letters) - 3, 2, -1):
        head = word[:cut] + "-"
        if measure(f"{line} {head}" if line else head, font, size) <= width:
            return head, word[cut:]
    return "", word


WRITERS = {
    "pdf": write_pdf,
    "docx": write_docx,
    "html": write_html,
    "md": write_markdown,
    "txt": write_text,
}


def main(argv: list[str]) -> int:
    """Build every source (or those named) into corpus/documents/."""
    OUTPUT.mkdir(exist_ok=True)
    names = set(argv)
    for path in sorted(SOURCES.glob("*.md")):
        src = read_source(path)
        if names and src.doc_id not in names:
            continue
        target = OUTPUT / f"{src.doc_id}{EXTENSIONS[src.format]}"
        WRITERS[src.format](src, target)
        print(f"built {target.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

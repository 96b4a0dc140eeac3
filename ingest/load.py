"""File -> RawDocument: the text of a PDF, DOCX, HTML, Markdown or plain-text file as ordered blocks."""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingest.text import clean_line, is_bullet, join_wrapped, strip_bullet, word_counts

FORMATS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
}
BlockKind = Literal["heading", "paragraph", "item", "row"]


class LoadError(Exception):
    """A file that cannot be turned into text; the message is one line for the user."""


@dataclass(frozen=True)
class Block:
    """One heading, paragraph, list item or table row, in reading order."""

    kind: BlockKind
    text: str
    level: int = 0
    # (offset into text, page number) wherever a new page begins inside this block
    pages: tuple[tuple[int, int], ...] = ()


@dataclass
class RawDocument:
    """What a loader read from one file."""

    path: Path
    format: str
    sha256: str
    blocks: list[Block]
    pages: int | None = None
    title_hint: str | None = None
    notes: list[str] = field(default_factory=list)


def file_format(path: Path) -> str | None:
    """The reviewqa format name for a path, or None when unsupported."""
    return FORMATS.get(path.suffix.lower())


def load_file(path: Path, max_bytes: int) -> RawDocument:
    """Read one file; raise LoadError with a one-line reason when that is not possible."""
    fmt = file_format(path)
    if fmt is None:
        supported = ", ".join(sorted({s.lstrip(".") for s in FORMATS}))
        raise LoadError(
            f"unsupported file type '{path.suffix or path.name}' (supported: {supported})"
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            limit = max_bytes / 1_000_000
            raise LoadError(f"file is {size / 1_000_000:.1f} MB, over the {limit:g} MB limit")
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    if not data.strip():
        raise LoadError("empty file")
    sha = hashlib.sha256(data).hexdigest()
    if fmt == "pdf":
        from ingest.pdf import load_pdf

        blocks, pages = load_pdf(data)
        raw = RawDocument(path, fmt, sha, blocks, pages=pages)
    elif fmt == "docx":
        raw = RawDocument(path, fmt, sha, *_load_docx(data))
    elif fmt == "html":
        raw = RawDocument(path, fmt, sha, *_load_html(decode_text(data)))
    elif fmt == "md":
        raw = RawDocument(path, fmt, sha, _load_markdown(decode_text(data)))
    else:
        raw = RawDocument(path, fmt, sha, _load_plain(decode_text(data)))
    if not any(block.text.strip() for block in raw.blocks):
        raise LoadError("no extractable text")
    return raw


def decode_text(data: bytes) -> str:
    """Bytes -> str: UTF-8 when valid, else the detected encoding; binary data is refused."""
    if b"\x00" in data[:65536]:
        raise LoadError("binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # most non-UTF-8 English text is Windows-1252; trust it while it reads as English
        text = data.decode("cp1252")
        letters = [ch for ch in text if ch.isalpha()]
        if sum(1 for ch in letters if ord(ch) > 127) <= len(letters) / 20:
            return text
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError("binary data, not text (no text encoding fits)")
    text = str(best)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > len(text) / 100:
        raise LoadError("binary data, not text")
    return text


def _load_docx(data: bytes) -> tuple[list[Block], None, str | None]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(_bytes_io(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(f"not a readable DOCX file ({type(exc).__name__})") from None
    blocks: list[Block] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = clean_line(para.text)
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            level = _docx_heading_level(style)
            if level:
                blocks.append(Block("heading", text, level))
            elif "List" in style or is_bullet(text):
                blocks.append(Block("item", strip_bullet(text)))
            else:
                blocks.append(Block("paragraph", text))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = clean_line(cell.text)
                    if not cells or text != cells[-1]:  # merged cells repeat their text
                        cells.append(text)
                if any(cells):
                    blocks.append(Block("row", " | ".join(cells)))
    title = document.core_properties.title or None
    return blocks, None, title


def _docx_heading_level(style: str) -> int:
    if style == "Title":
        return 1
    match = re.fullmatch(r"Heading (\d)", style)
    return int(match.group(1)) + 1 if match else 0


def _bytes_io(data: bytes):  # type: ignore[no-untyped-def]
    import io

    return io.BytesIO(data)


_HTML_BLOCKS = {"p", "li", "tr", "pre", "blockquote", "dt", "dd", "caption", "figcaption"}
_HTML_SKIP = {"script", "style", "nav", "noscript", "template", "head", "svg", "form"}


def _load_html(html: str) -> tuple[list[Block], None, str | None]:
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(html, "html.parser")
    title = clean_line(soup.title.get_text()) if soup.title else None
    root = soup.body or soup
    blocks: list[Block] = []

    def text_of(node: Tag) -> str:
        return clean_line(node.get_text(" "))

    def walk(node: Tag) -> None:
        for child in node.children:
            if not isinstance(child, Tag) or child.name in _HTML_SKIP:
                continue
            name = child.name
            if re.fullmatch(r"h[1-6]", name):
                text = text_of(child)
                if text:
                    blocks.append(Block("heading", text, int(name[1])))
            elif name == "tr":
                cells = [text_of(c) for c in child.find_all(["td", "th"], recursive=False)]
                if any(cells):
                    blocks.append(Block("row", " | ".join(cells)))
            elif name in _HTML_BLOCKS:
                text = text_of(child)
                if text:
                    blocks.append(Block("item" if name == "li" else "paragraph", text))
            else:
                walk(child)

    walk(root)
    return blocks, None, title


def _load_markdown(text: str) -> list[Block]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[0].strip() == "---":  # front matter
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
        if end is not None:
            lines = lines[end + 1 :]
    vocab = word_counts(lines)
    blocks: list[Block] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            blocks.append(Block("paragraph", clean_line(join_wrapped(buffer, vocab))))
            buffer.clear()

    for raw in lines:
        line = raw.strip()
        heading = re.match(r"(#{1,6})\s+(.*?)\s*#*$", line)
        if not line:
            flush()
        elif heading:
            flush()
            blocks.append(Block("heading", clean_line(heading.group(2)), len(heading.group(1))))
        elif line.startswith("|"):
            flush()
            cells = [clean_line(c) for c in line.strip("|").split("|")]
            if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                blocks.append(Block("row", " | ".join(cells)))
        elif re.match(r"([-*+•]|\d+\))\s+", line) and not re.match(r"\*\*", line):
            flush()
            blocks.append(Block("item", clean_line(re.sub(r"^([-*+•]|\d+\))\s+", "", line))))
        elif blocks and blocks[-1].kind == "item" and not buffer and raw[:1].isspace():
            last = blocks.pop()  # an indented continuation of a list item
            blocks.append(Block("item", f"{last.text} {clean_line(line)}"))
        else:
            buffer.append(line)
    flush()
    return blocks


_UNDERLINE = re.compile(r"^(=+|-+|~+)$")


def _load_plain(text: str) -> list[Block]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    vocab = word_counts(lines)
    blocks: list[Block] = []
    for chunk in _split_blank(lines):
        if len(chunk) == 2 and _UNDERLINE.match(chunk[1]):
            level = 1 if chunk[1][0] == "=" else 2
            blocks.append(Block("heading", clean_line(chunk[0]), level))
        elif _looks_like_heading(chunk[0]) and (len(chunk) == 1 or is_bullet(chunk[1].strip())):
            first = not blocks
            level = (
                1 if first else (2 if re.match(r"\d+\.?\s", chunk[0]) or chunk[0].isupper() else 3)
            )
            blocks.append(Block("heading", clean_line(chunk[0]), level))
            blocks.extend(_plain_paragraphs(chunk[1:], vocab))
        else:
            blocks.extend(_plain_paragraphs(chunk, vocab))
    return blocks


def _plain_paragraphs(chunk: list[str], vocab: dict[str, int]) -> list[Block]:
    """A block of wrapped lines: one paragraph, or a paragraph and its bullet items."""
    pieces: list[list[str]] = []
    for line in chunk:
        if is_bullet(line.strip()) or not pieces:
            pieces.append([line.strip()])
        else:
            pieces[-1].append(line.strip())
    blocks: list[Block] = []
    for piece in pieces:
        joined = clean_line(join_wrapped(piece, vocab))
        kind: BlockKind = "item" if is_bullet(joined) else "paragraph"
        blocks.append(Block(kind, strip_bullet(joined)))
    return blocks


def _split_blank(lines: list[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            chunks[-1].append(line.rstrip())
        elif chunks[-1]:
            chunks.append([])
    return [c for c in chunks if c]


def _looks_like_heading(line: str) -> bool:
    text = line.strip()
    return 0 < len(text) <= 90 and text[-1] not in ".;,:" and not is_bullet(text)

"""Loaders: each format to ordered blocks, and a clear one-line LoadError for bad files."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest

from ingest.load import Block, LoadError, load_file
from tests.docs import write_image_only_pdf, write_pdf

LIMIT = 100_000_000
TOPICS = ["Supervision", "The voice of the child", "Information sharing", "Workforce turnover"]


def test_pdf_running_header_footer_and_page_numbers_are_removed(tmp_path: Path) -> None:
    body = [f"{n}.1 {topic} was discussed." for n, topic in enumerate(TOPICS, start=1)]
    path = write_pdf(tmp_path / "q.pdf", [[("b", line)] for line in body])

    raw = load_file(path, LIMIT)

    texts = [b.text for b in raw.blocks]
    assert texts == body
    assert [b.pages for b in raw.blocks] == [((0, n),) for n in range(1, 5)]
    assert raw.pages == 4


def test_pdf_headings_paragraphs_and_a_paragraph_across_a_page_break(tmp_path: Path) -> None:
    pages = [
        [
            ("h", "Serious Case Review: Child Q"),
            ("h", "1 Introduction"),
            ("b", "1.1 The review looked at the quality of manage-"),
            ("b", "ment oversight, which was well-"),
            ("b", "developed in the first year and less well"),
        ],
        [
            ("b", "developed later, when staff left the team."),
            ("gap", ""),
            ("b", "1.2 A second paragraph follows."),
        ],
        [("b", "1.3 Third page.")],
    ]
    raw = load_file(write_pdf(tmp_path / "q.pdf", pages), LIMIT)

    assert raw.blocks == [
        Block("heading", "Serious Case Review: Child Q", 1),
        Block("heading", "1 Introduction", 1),
        Block(
            "paragraph",
            "1.1 The review looked at the quality of management oversight, which was "
            "well-developed in the first year and less well developed later, when staff left "
            "the team.",
            pages=((0, 1), (119, 2)),
        ),
        Block("paragraph", "1.2 A second paragraph follows.", pages=((0, 2),)),
        Block("paragraph", "1.3 Third page.", pages=((0, 3),)),
    ]


def test_a_pdf_title_that_is_also_the_running_header_stays_on_its_first_page(
    tmp_path: Path,
) -> None:
    # Ofsted repeats the report's title as the header of every page; on the first page it is set
    # large, as the title
    title = "Inspection of Northbrook local authority children’s services"
    pages = [[("h", title), ("b", "1. Leaders know the service well.")]] + [
        [("b", f"{n}. Inspectors saw plans for children.")] for n in range(2, 5)
    ]
    raw = load_file(write_pdf(tmp_path / "q.pdf", pages, header=title), LIMIT)

    assert [(b.kind, b.text) for b in raw.blocks] == [
        ("heading", title),
        ("paragraph", "1. Leaders know the service well."),
        *[("paragraph", f"{n}. Inspectors saw plans for children.") for n in range(2, 5)],
    ]


def test_docx_heading_styles_bullets_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Safeguarding Adults Review: Mr Z", level=0)
    document.add_heading("1 Introduction", level=1)
    document.add_paragraph("1.1 The agencies involved were:")
    document.add_paragraph("the GP;", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Date", (0, 1): "Event", (1, 0): "3 May", (1, 1): "Fire"}.items():
        table.cell(r, c).text = text
    document.save(str(tmp_path / "z.docx"))

    raw = load_file(tmp_path / "z.docx", LIMIT)

    assert raw.blocks == [
        Block("heading", "Safeguarding Adults Review: Mr Z", 1),
        Block("heading", "1 Introduction", 2),
        Block("paragraph", "1.1 The agencies involved were:"),
        Block("item", "the GP;"),
        Block("row", "Date | Event"),
        Block("row", "3 May | Fire"),
    ]


def test_html_skips_navigation_and_keeps_markup_text_literal(tmp_path: Path) -> None:
    page = (
        "<html><head><title>T</title><script>var x=1;</script></head><body><nav>Home</nav>"
        "<h1>Review</h1><h2>1 Intro</h2><p>1.1 He wrote &lt;b&gt;call me&lt;/b&gt;.</p>"
        "<ul><li>one</li></ul><footer>Site footer</footer></body></html>"
    )
    (tmp_path / "r.html").write_text(page, encoding="utf-8")

    raw = load_file(tmp_path / "r.html", LIMIT)

    assert raw.blocks == [
        Block("heading", "Review", 1),
        Block("heading", "1 Intro", 2),
        Block("paragraph", "1.1 He wrote <b>call me</b>."),
        Block("item", "one"),
    ]
    assert raw.title_hint == "T"


def test_markdown_and_plain_text_join_wrapped_lines(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Title\n\n## 1 Scope\n\n1.1 One\nline.\n\n- item\n", "utf-8")
    (tmp_path / "b.txt").write_text("Title\n=====\n\n1 SCOPE\n\n1.1 One\nline.\n", "utf-8")

    md = load_file(tmp_path / "a.md", LIMIT).blocks
    txt = load_file(tmp_path / "b.txt", LIMIT).blocks

    assert md == [
        Block("heading", "Title", 1),
        Block("heading", "1 Scope", 2),
        Block("paragraph", "1.1 One line."),
        Block("item", "item"),
    ]
    assert txt == [
        Block("heading", "Title", 1),
        Block("heading", "1 SCOPE", 2),
        Block("paragraph", "1.1 One line."),
    ]


def test_non_utf8_text_is_decoded_with_its_detected_encoding(tmp_path: Path) -> None:
    text = "1.1 The café meeting – attended by the school nurse – was postponed until Thursday.\n"
    (tmp_path / "w.txt").write_bytes((text * 3).encode("cp1252"))

    raw = load_file(tmp_path / "w.txt", LIMIT)

    assert raw.blocks[0].text.startswith("1.1 The café meeting – attended by the school nurse")


def _truncated_pdf(tmp_path: Path) -> Path:
    good = write_pdf(tmp_path / "good.pdf", [[("b", "1.1 Text.")]]).read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(good[: len(good) // 3])
    return path


def _encrypted_pdf(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "locked.pdf", [[("b", "1.1 Secret.")]], encrypt="s3cret")


def _write(name: str, data: bytes):  # type: ignore[no-untyped-def]
    def make(tmp_path: Path) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return make


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_truncated_pdf, r"^not a readable PDF \(corrupt or truncated\)$"),
        (_encrypted_pdf, r"^encrypted PDF: it needs a password to open$"),
        (_write("empty.md", b""), r"^empty file$"),
        (_write("blank.txt", b"  \n\n "), r"^empty file$"),
        (None, None),
        (_write("junk.txt", os.urandom(4096) + b"\x00\x01"), r"^binary data, not text"),
        (_write("data.xlsx", b"PK\x03\x04"), r"^unsupported file type '\.xlsx' \(supported: "),
        (_write("bad.docx", b"this is not a zip"), r"^not a readable DOCX file"),
    ],
    ids=[
        "truncated-pdf",
        "encrypted-pdf",
        "empty",
        "blank",
        "image-only",
        "junk",
        "xlsx",
        "bad-docx",
    ],
)
def test_bad_files_raise_a_one_line_reason(tmp_path: Path, make, message) -> None:  # type: ignore[no-untyped-def]
    if make is None:
        path = write_image_only_pdf(tmp_path / "scan.pdf")
        message = r"^no extractable text \(image-only PDF\?\); OCR is not supported$"
    else:
        path = make(tmp_path)

    with pytest.raises(LoadError, match=message) as caught:
        load_file(path, LIMIT)

    assert "\n" not in str(caught.value)


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("1.1 words " * 300, "utf-8")

    with pytest.raises(LoadError, match=r"^file is 0\.0 MB, over the 0\.001 MB limit$"):
        load_file(path, 1000)


def test_a_missing_or_dangling_path_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")

    with pytest.raises(LoadError, match=r"^cannot read file: No such file or directory$"):
        load_file(tmp_path / "gone.pdf", LIMIT)

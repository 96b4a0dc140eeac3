"""Structure: titles, kinds, dates, places, sections and paragraph labels of the bundled corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.embed import Encoder
from ingest.load import load_file
from ingest.passages import make_passages
from ingest.structure import Document, build_document, detect_date, detect_kind
from tests.conftest import CORPUS
from tests.docs import write_pdf


def parse(name: str) -> Document:
    return build_document(load_file(CORPUS / name, 10**9), name.split(".")[0])


def find(doc: Document, label: str):  # type: ignore[no-untyped-def]
    return next(p for p in doc.paragraphs if p.label == label)


@pytest.mark.parametrize(
    ("name", "title", "kind", "date", "place", "subjects"),
    [
        (
            "baby-r.pdf",
            "Serious Case Review: Baby R",
            "scr",
            "2016-03-14",
            "Northbrook",
            ("Baby R",),
        ),
        (
            "child-m.docx",
            "Serious Case Review: Child M",
            "scr",
            "2017-11-02",
            "Eastmere",
            ("Child M",),
        ),
        (
            "child-t.pdf",
            "Local Child Safeguarding Practice Review: Child T",
            "cspr",
            "2021-06-21",
            "Kelderton",
            ("Child T",),
        ),
        (
            "mr-d.docx",
            "Safeguarding Adults Review: Mr D",
            "sar",
            "2020-09-08",
            "Ravensholme",
            ("Mr D",),
        ),
        (
            "ms-k.html",
            "Domestic Homicide Review: Ms K",
            "dhr",
            "2019-01-30",
            "Sedgecombe",
            ("Ms K",),
        ),
        (
            "siblings-j-and-l.txt",
            "Serious Case Review: Siblings J and L",
            "scr",
            "2018-07-10",
            "Thornvale",
            ("Siblings J and L",),
        ),
        (
            "thornvale-inspection.md",
            "Inspection of Thornvale local authority children's services",
            "inspection",
            "2023-04-28",
            "Thornvale",
            (),
        ),
        (
            "overview-2022.md",
            "Independent overview report: learning from four reviews",
            "overview",
            "2022-12-15",
            "Wessex Vale",
            (),
        ),
    ],
)
def test_each_corpus_document_knows_what_it_is(name, title, kind, date, place, subjects) -> None:  # type: ignore[no-untyped-def]
    doc = parse(name)

    assert (doc.title, doc.kind, doc.date, doc.place, doc.subjects) == (
        title,
        kind,
        date,
        place,
        subjects,
    )


def test_pdf_paragraphs_keep_their_labels_sections_and_pages() -> None:
    doc = parse("baby-r.pdf")

    para = find(doc, "10.13")
    section = doc.sections[para.section]

    assert (para.page_start, para.page_end) == (8, 8)
    assert section.path == ("10 Analysis", "Management oversight and supervision")
    assert (section.number, section.kind) == (None, "analysis")
    assert doc.paragraph_text(para).startswith("10.13 The social worker was in her second year")
    assert doc.pages == 11
    assert [p.label for p in doc.paragraphs if p.label.startswith("13.")] == [
        f"13.{n}" for n in range(1, 8)
    ]


def test_a_subsection_takes_its_kind_from_its_own_parent() -> None:
    doc = parse("baby-r.pdf")

    section = doc.sections[find(doc, "8.16").section]

    assert section.path == (
        "8 Background and chronology",
        "Birth and the first weeks (July 2015 to October 2015)",
    )
    assert section.kind == "chronology"


def test_a_section_about_chronologies_is_analysis_not_the_chronology() -> None:
    doc = parse("siblings-j-and-l.txt")

    about = doc.sections[find(doc, "10.11").section]
    timeline = doc.sections[find(doc, "8.16").section]

    assert about.path[-1] == "Chronologies and records" and about.kind == "analysis"
    assert timeline.path[0] == "8 BACKGROUND AND CHRONOLOGY" and timeline.kind == "chronology"


def test_a_list_of_contents_is_no_section_and_its_run_on_heading_is_kept(tmp_path: Path) -> None:
    # the PDF joins the contents heading, its entries and the first real heading into one block,
    # as the 2016-18 Ofsted reports' PDFs do
    front = [("h", "Serious Case Review: Child Q"), ("b", "Published 3 March 2021.")]
    contents = [("h", t) for t in ("Contents", "Introduction 3", "Findings 4", "Introduction")]
    body = [
        ("b", "1.1 This review concerns Child Q, who was 5."),
        ("h", "Findings"),
        ("b", "2.1 Agencies did not share what they knew about Child Q."),
    ]
    path = write_pdf(tmp_path / "q.pdf", [front + contents, body, [("b", "2.2 None did.")]])

    doc = build_document(load_file(path, 10**6), "q")

    assert [(s.path, s.kind) for s in doc.sections] == [
        ((), "introduction"),
        (("Introduction",), "introduction"),
        (("Findings",), "findings"),
    ]
    assert "Findings 4" not in doc.text
    assert [p.label for p in doc.paragraphs] == ["p1", "1.1", "2.1", "2.2"]


def test_a_table_of_grades_is_read_a_row_a_paragraph(tmp_path: Path) -> None:
    # the PDF sets a row's grade, and a wrapped label's last word in bold, on lines of their own
    rows = [
        ("h", "Judgement Grade"),
        ("b", "The experiences and progress of children in care"),
        ("gap", ""),
        ("b", "Good"),
        ("gap", ""),
        ("b", "2. Children looked after and achieving"),
        ("h", "permanence"),
        ("b", "Requires improvement to be good"),
        ("gap", ""),
        ("b", "Overall effectiveness Good"),
        ("gap", ""),
        ("b", "Children in Eastmere are safe. Their care is good."),
        ("gap", ""),
        ("b", "Good"),
    ]
    title = [
        ("h", "Inspection of Eastmere local authority children's services"),
        ("b", "Inspection dates: 3 to 14 May 2022"),
        ("gap", ""),
    ]
    front = [*title, *rows]
    # a paragraph of wrapped lines, as a report's body is, sets the usual line spacing
    body = [("h", "Findings"), *[("b", f"1. Children are seen by line {n} and") for n in range(12)]]
    path = write_pdf(tmp_path / "e.pdf", [front, body, [("b", "2. Plans are clear.")]])

    doc = build_document(load_file(path, 10**6), "e")

    assert [doc.paragraph_text(p) for p in doc.paragraphs][1:6] == [
        "The experiences and progress of children in care Good",
        "2. Children looked after and achieving permanence Requires improvement to be good",
        "Overall effectiveness Good",
        "Children in Eastmere are safe. Their care is good.",
        "Good",  # a sentence is no row's label
    ]
    assert [s.path for s in doc.sections[1:]] == [("Judgement Grade",), ("Findings",)]


def test_the_headline_over_a_box_of_grades_opens_its_first_paragraph(tmp_path: Path) -> None:
    # the 2013-18 framework states the overall grade as the heading of the box of grades; a row's
    # grade set in a heading's type joins its row
    front = [
        ("h", "Inspection of services for children in need of help and protection"),
        ("b", "Inspection date: 3 May 2016 to 26 May 2016"),
        ("gap", ""),
        ("h", "Children's services in Eastmere require improvement to be good"),
        ("b", "1. Children who need help and protection"),
        ("h", "Requires improvement to be good"),
        ("b", "2. Children looked after and achieving permanence Good"),
        ("gap", ""),
    ]
    body = [
        ("h", "Executive summary"),
        *[("b", f"Children are seen by line {n} and") for n in range(12)],
    ]
    path = write_pdf(tmp_path / "e.pdf", [front, body, [("b", "Plans are clear.")]])

    doc = build_document(load_file(path, 10**6), "e")

    box = [p for p in doc.paragraphs if doc.sections[p.section].kind == "judgement"]
    assert [doc.paragraph_text(p) for p in box] == [
        "Children's services in Eastmere require improvement to be good\n\n"
        "1. Children who need help and protection Requires improvement to be good",
        "2. Children looked after and achieving permanence Good",
    ]
    assert [(p.label, p.page_start) for p in box] == [("p2", 1), ("p3", 1)]
    assert doc.title == "Inspection of services for children in need of help and protection"
    assert [s.heading for s in doc.sections[1:]] == [
        "Children's services in Eastmere require improvement to be good",
        "Executive summary",
    ]


def test_contents_entries_end_in_rising_page_numbers_and_need_a_contents_heading(
    tmp_path: Path,
) -> None:
    text = (
        "# Overview report\n\n## Contents\n\nIntroduction 2\n\nFindings 41\n\n"
        "## Children aged 0 to 5\n\n1.1 Most children were under five.\n\n"
        "## Contents of the home\n\n1.2 The contents of the home were listed on page 3\n"
    )
    (tmp_path / "report.md").write_text(text, "utf-8")

    doc = build_document(load_file(tmp_path / "report.md", 10**6), "report")

    assert [s.path for s in doc.sections[1:]] == [
        ("Children aged 0 to 5",),
        ("Contents of the home",),
    ]
    assert [p.label for p in doc.paragraphs] == ["1.1", "1.2"]


@pytest.mark.parametrize(
    ("title", "place"),
    [
        # titled by the council's bare name; the front matter's "Inspection of services for
        # children" names no place
        ("Kirklees", "Kirklees"),
        (
            "Inspection of the London Borough of Ealing local authority children’s services",
            "Ealing",
        ),
        ("Inspection of the Isle of Wight local authority children’s services", "Isle of Wight"),
    ],
)
def test_an_inspection_is_placed_by_its_council_not_by_its_front_matter(
    tmp_path: Path, title: str, place: str
) -> None:
    text = (
        f"# {title}\n\n## Inspection of services for children in need of help and protection,"
        " children looked after and care leavers\n\nInspection date: 3 to 14 October 2016\n\n"
        "1. Children who need help and protection are well served.\n"
    )
    (tmp_path / "report.md").write_text(text, "utf-8")

    doc = build_document(load_file(tmp_path / "report.md", 10**6), "report")

    assert (doc.title, doc.kind, doc.place) == (title, "inspection", place)


def test_inspection_paragraphs_use_the_reports_own_running_numbers() -> None:
    doc = parse("thornvale-inspection.md")

    numbered = [p.label for p in doc.paragraphs if p.label.isdigit()]

    assert numbered == [str(n) for n in range(1, 67)]
    assert doc.sections[find(doc, "56").section].kind == "judgement"
    # the first section, with the table of grades
    assert (
        doc.sections[find(doc, "1").section].heading,
        doc.sections[find(doc, "1").section].kind,
    ) == (
        "1 Judgements",
        "judgement",
    )


def test_paragraph_spans_point_into_the_clean_text() -> None:
    doc = parse("child-m.docx")

    for para in doc.paragraphs:
        text = doc.paragraph_text(para)
        assert text == text.strip() and text
        assert doc.text[para.char_start : para.body_start].strip() in ("", para.label.split("(")[0])


def test_the_chronology_table_is_one_readable_paragraph() -> None:
    doc = parse("child-m.docx")

    tables = [p for p in doc.paragraphs if p.kind == "table"]

    assert len(tables) == 1
    first_row = doc.paragraph_text(tables[0]).split("\n")[0]
    assert first_row == "Date | Agency | Event | Comment"


def test_markup_inside_a_document_is_kept_as_literal_text() -> None:
    doc = parse("ms-k.html")

    assert "<b>call me</b>" in doc.paragraph_text(find(doc, "8.11"))
    assert "[click here](http://example.invalid)" in doc.paragraph_text(find(doc, "8.11"))


def test_round_trip_through_json_keeps_everything() -> None:
    doc = parse("baby-r.pdf")

    assert Document.from_json(doc.to_json()) == doc


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("Published: 14 March 2016", "2016-03-14"),
        ("Inspection dates: 6 to 10 February 2023\nLead inspector", "2023-02-10"),
        ("Inspection dates: 29 January to 9 February 2018", "2018-02-09"),
        ("The review met on 3rd May 2019.", "2019-05-03"),
        ("No date here.", None),
        ("Published: 31 February 2016", None),
    ],
)
def test_dates_are_read_from_the_front_matter(front: str, expected: str | None) -> None:
    assert detect_date(front) == expected


COLOPHON = (
    "The Office for Standards in Education, Children’s Services and Skills (Ofsted) regulates "
    "and inspects to achieve excellence in the care of children and young people."
)


def test_a_closing_colophon_is_back_matter_of_which_no_passage_is_made(
    tmp_path: Path, encoder: Encoder
) -> None:
    body = "\n\n".join(
        f"{n}. Inspectors found that plans for children were reviewed." for n in range(1, 16)
    )
    # the last paragraph runs on into the colophon, as the PDF text of some reports does
    text = (
        f"# Inspection of Northbrook local authority children’s services\n\n## Findings\n\n{body}"
        f"\n\n16. Inspectors met care leavers, who spoke well of their support. {COLOPHON}"
        "\n\n© Crown copyright 2023\n"
    )
    (tmp_path / "report.md").write_text(text, "utf-8")

    doc = build_document(load_file(tmp_path / "report.md", 10**6), "report")
    passages = make_passages(doc, encoder.count_tokens)

    assert [(s.heading, s.kind) for s in doc.sections[-2:]] == [
        ("Findings", "findings"),
        ("Back matter", "back_matter"),
    ]
    last = find(doc, "16")
    assert doc.text[last.char_start : last.char_end].endswith("spoke well of their support.")
    assert [doc.text[p.char_start : p.char_end] for p in doc.paragraphs[-2:]] == [
        COLOPHON,
        "© Crown copyright 2023",
    ]
    assert passages and not [p.passage_id for p in passages if "Ofsted" in p.text]
    assert passages[-1].labels[-1] == "16"


def test_the_colophon_sentence_early_in_a_report_is_no_back_matter(tmp_path: Path) -> None:
    body = "\n\n".join(f"{n}. Inspectors found that plans were reviewed." for n in range(2, 9))
    text = f"# Inspection report\n\n## Introduction\n\n1. {COLOPHON}\n\n{body}\n"
    (tmp_path / "report.md").write_text(text, "utf-8")

    doc = build_document(load_file(tmp_path / "report.md", 10**6), "report")

    assert "back_matter" not in [s.kind for s in doc.sections]


def test_an_unrecognised_document_is_kind_other_and_titled_by_its_file(tmp_path: Path) -> None:
    (tmp_path / "team_notes.txt").write_text("some notes from the team meeting.\n", "utf-8")

    doc = build_document(load_file(tmp_path / "team_notes.txt", 10**6), "team-notes")

    assert (doc.title, doc.kind, doc.date) == ("Team notes", "other", None)
    assert [p.label for p in doc.paragraphs] == ["p1"]
    assert detect_kind("Minutes", "") == "other"

"""Real Ofsted reports from ../shared/corpus/ofsted (skipped with a reason where it is absent)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from ingest.embed import Encoder
from ingest.load import load_file
from ingest.passages import make_passages
from ingest.structure import build_document
from rag.graded import overall_grade
from tests.conftest import shared_ofsted, shared_ofsted_documents

pytestmark = pytest.mark.shared_corpus

# both report formats: 2015-17 Single Inspection Framework and 2018+ ILACS
REPORTS = [
    "bexley_2018-08-20.pdf",
    "bexley_2023-03-24.pdf",
    "york_2017-02-07.pdf",
    "coventry_2017-06-13.pdf",
    "derby_2022-05-11.pdf",
    "hackney_2016-09-21.pdf",
    "kent_2022-07-05.pdf",
    "leeds_2018-12-18.pdf",
    "sheffield_2023-11-03.pdf",
    "devon_2020-03-17.pdf",
]
RUNNING = re.compile(r"Inspection of [\w ,'&’-]{0,80} local authority children.s services")


def test_every_shared_report_is_an_inspection_dated_titled_and_placed_by_its_council() -> None:
    # Peterborough 2015 sets its council's name in body type above a title that names no place;
    # the box of grades under it does ("Children's services in Peterborough require ...")
    with (shared_ofsted() / "manifest.csv").open(encoding="utf-8") as f:
        councils = {row["file"]: row["local_authority"] for row in csv.DictReader(f)}
    wrong = []
    for doc in shared_ofsted_documents():
        name = Path(doc.source).name
        council = councils[name]
        place = (doc.place or "").lower().replace("&", "and")
        if not place or place not in council.replace("&", "and"):
            wrong.append(f"{name}: place {doc.place!r}")
        if doc.kind != "inspection" or not doc.date:
            wrong.append(f"{name}: {doc.kind} of {doc.date}")
        if doc.title.startswith(("Inspection date", "Lead inspector", "What needs")):
            wrong.append(f"{name}: titled {doc.title!r}")
        if any(s.path and s.path[0].startswith("Contents") for s in doc.sections):
            wrong.append(f"{name}: sections under its contents")

    assert len(councils) == len(shared_ofsted_documents()) == 221
    assert wrong == []


def test_a_2022_report_s_grades_and_summary_are_its_judgement() -> None:
    path = shared_ofsted() / "kent_2022-07-05.pdf"
    doc = build_document(load_file(path, 10**9), path.stem)

    first = [(p.label, doc.sections[p.section].kind) for p in doc.paragraphs[:9]]
    rows = [doc.paragraph_text(p) for p in doc.paragraphs[:4]]

    # the table of grades, a row a paragraph, and the summary under it; then "What needs to
    # improve?"
    assert first == [(f"p{n}", "judgement") for n in range(1, 9)] + [("p9", "recommendations")]
    assert rows == [
        "The impact of leaders on social work practice with children and families Outstanding",
        "The experiences and progress of children who need help and protection Good",
        "The experiences and progress of children in care and care leavers Outstanding",
        "Overall effectiveness Outstanding",
    ]


def test_a_2016_report_s_box_of_grades_is_its_judgement_and_numbers_no_paragraph() -> None:
    path = shared_ofsted() / "kirklees_2016-11-25.pdf"
    doc = build_document(load_file(path, 10**9), path.stem)

    box = doc.paragraphs[:6]

    assert [p.label for p in box] == [f"p{n}" for n in range(1, 7)]
    assert {doc.sections[p.section].kind for p in box} == {"judgement"}
    # the box's heading states the overall grade, and opens its first row's paragraph
    assert doc.paragraph_text(box[0]) == (
        "Children’s services in Kirklees are inadequate\n\n"
        "1. Children who need help and protection Inadequate"
    )
    # a row's label wraps, its last word set in the box's bold, and its grade stands alone
    assert doc.paragraph_text(box[1]) == (
        "2. Children looked after and achieving permanence Inadequate"
    )
    assert [p.label for p in doc.paragraphs if p.label.isdigit()][:3] == ["1", "2", "3"]
    assert not [p.label for p in doc.paragraphs if "(" in p.label]


def test_a_2016_report_files_its_paragraphs_under_its_own_headings_not_its_contents() -> None:
    path = shared_ofsted() / "hackney_2016-09-21.pdf"
    doc = build_document(load_file(path, 10**9), path.stem)

    para = next(p for p in doc.paragraphs if p.label == "109")

    assert doc.sections[para.section].path == (
        "The local authority",
        "Leadership, management and governance Good",
        "Inspection findings",
    )


@pytest.mark.parametrize("name", REPORTS)
def test_real_report_has_numbered_paragraphs_and_no_running_header(
    name: str, encoder: Encoder
) -> None:
    path = shared_ofsted() / name
    doc = build_document(load_file(path, 10**9), path.stem)

    passages = make_passages(doc, encoder.count_tokens)

    numbered = [p.label for p in doc.paragraphs if re.fullmatch(r"\d+", p.label)]
    assert len(numbered) >= 20
    assert (
        numbered[:3] == ["1", "2", "3"]
        or numbered[:3] == ["11", "12", "13"]
        or int(numbered[0]) <= 12
    )
    assert doc.kind == "inspection"
    assert doc.place and doc.place.split()[0].lower() == name.split("_")[0].split("-")[0]
    assert not [p.passage_id for p in passages if RUNNING.search(p.text)]
    assert not [
        p.passage_id for p in passages if re.search(r"^\s*(Page )?\d+( of \d+)?\s*$", p.text, re.M)
    ]
    assert max(encoder.count_tokens([p.embed_text for p in passages])) <= 256
    # the 2016-18 reports' list of contents is no section of the report
    assert not [s.path for s in doc.sections if s.path and s.path[0].startswith("Contents")]
    assert not [s.heading for s in doc.sections if re.search(r"\s\d{1,3}$", s.heading)]
    # Ofsted's closing colophon is back matter of which no passage is made
    assert doc.sections[-1].kind == "back_matter"
    assert not [p.passage_id for p in passages if "regulates and inspects" in p.text]


def test_the_overall_grade_is_read_from_most_reports_each_from_its_own_statement() -> None:
    documents = shared_ofsted_documents()
    read = {Path(d.source).name: overall_grade(d.text) for d in documents}

    assert len(documents) == 221 and all(g is not None for g in read.values())
    # in paragraphs, which passages are cut from, and so quotable: all but two, whose statement
    # the PDF runs into a longer heading
    in_paragraphs = {
        Path(d.source).name: overall_grade("\n\n".join(map(d.paragraph_text, d.paragraphs)))
        for d in documents
    }
    assert sorted(n for n, g in in_paragraphs.items() if g is None) == [
        "lambeth_2018-05-09.pdf",
        "peterborough_2015-09-18.pdf",
    ]
    assert all(g[2] == read[n][2] for n, g in in_paragraphs.items() if g)
    assert {name: g[2] for name, g in read.items() if g and name in REPORTS} == {
        "bexley_2018-08-20.pdf": "outstanding",
        "bexley_2023-03-24.pdf": "outstanding",
        "york_2017-02-07.pdf": "good",
        "coventry_2017-06-13.pdf": "requires improvement",
        "derby_2022-05-11.pdf": "outstanding",
        "hackney_2016-09-21.pdf": "good",
        "kent_2022-07-05.pdf": "outstanding",
        "leeds_2018-12-18.pdf": "outstanding",
        "sheffield_2023-11-03.pdf": "good",
        "devon_2020-03-17.pdf": "inadequate",
    }

"""Real Ofsted reports from ../shared/corpus/ofsted (skipped with a reason where it is absent)."""

from __future__ import annotations

import re

import pytest

from ingest.embed import Encoder
from ingest.load import load_file
from ingest.passages import make_passages
from ingest.structure import build_document
from tests.conftest import shared_ofsted

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
    # Ofsted's closing colophon is back matter of which no passage is made
    assert doc.sections[-1].kind == "back_matter"
    assert not [p.passage_id for p in passages if "regulates and inspects" in p.text]

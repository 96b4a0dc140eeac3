"""The acronyms a document spells out itself: found, kept on its record, and read into questions."""

from __future__ import annotations

import json
from pathlib import Path

from ingest.acronyms import defined, library
from ingest.embed import Encoder
from ingest.glossary import mark
from ingest.index import DOC_VECTOR, PassageIndex
from ingest.pipeline import ingest_paths
from rag.query import build_query

TEXT = """Children who go missing are offered return home interviews (RHIs).
The Children in Care Council (CiCC) meets monthly.
Few are not in education, employment and training (EET).
The Department for Education (DfE) wrote to the council.
Child protection (CP) plans are reviewed. Ofsted (2019) saw Child M (Child M) in the park.
The plan was agreed by the team (ABC).
Glossary
• CT: Computed tomography (a form of scan)
DASH – Domestic Abuse, Stalking and Honour-Based Violence risk identification checklist
Recommendation 3: The Board should act.
"""


def test_the_acronyms_a_text_spells_out_in_brackets_and_in_its_glossary() -> None:
    assert defined(TEXT) == {
        "CT": "computed tomography",
        "CiCC": "children in care council",
        "DASH": "domestic abuse stalking and honour",
        "DfE": "department for education",
        "EET": "education employment and training",
        "RHI": "return home interviews",
    }


def test_a_library_joins_the_ways_its_documents_spell_an_acronym_out() -> None:
    records = [
        json.dumps({"CRU": "central referral unit"}),
        "",
        json.dumps({"CRU": "children's referral unit", "PA": "personal adviser"}),
    ]

    assert library(records) == (
        ("CRU", "central referral unit|children's referral unit"),
        ("PA", "personal adviser"),
    )


def test_only_a_question_is_read_with_the_acronyms_a_library_spells_out() -> None:
    learned = (("CRU", "central referral unit"),)
    text = "What did the central referral unit do?"

    assert mark(text, question=True, learned=learned) == f"{text}\nCRU"
    assert mark(text, question=True) == text
    assert mark(text, learned=learned) == text  # passages: the built-in acronyms alone


REVIEW = """# Inspection of Kelderton children's services

## 1 Front door

1.1 Referrals are screened by the central referral unit (CRU), which sits with the police.

## 2 Decisions

2.1 The CRU closed 40 referrals in May before checks were complete.
"""


def ingest_review(index: PassageIndex, encoder: Encoder, folder: Path) -> None:
    path = folder / "kelderton.md"
    path.write_text(REVIEW, "utf-8")
    ingest_paths([path], index, encoder)


def test_a_question_in_plain_words_finds_the_passage_that_uses_the_letters_alone(
    index: PassageIndex, encoder: Encoder, tmp_path: Path
) -> None:
    ingest_review(index, encoder, tmp_path)

    record = index.record("kelderton")
    assert record is not None and json.loads(record.acronyms or "") == {
        "CRU": "central referral unit"
    }
    assert index.acronyms() == (("CRU", "central referral unit"),)
    hits = index.lexical_search("What did the central referral unit decide?", 5)
    assert sorted(hit.passage_id for hit, _ in hits) == ["kelderton#¶1.1", "kelderton#¶2.1"]
    query = build_query("What did the central referral unit decide?", index.documents())
    assert query.held("referral", {"cru"})


def test_a_record_written_before_acronyms_were_kept_gets_them_at_the_next_ingest(
    index: PassageIndex, encoder: Encoder, tmp_path: Path
) -> None:
    ingest_review(index, encoder, tmp_path)
    got = index.docs.get(ids=["kelderton"], include=["metadatas", "documents"])
    older = {k: v for k, v in (got["metadatas"] or [{}])[0].items() if k != "acronyms"}
    index.docs.delete(ids=["kelderton"])
    index.docs.add(
        ids=["kelderton"],
        embeddings=[DOC_VECTOR],
        documents=got["documents"],
        metadatas=[older],
    )
    reopened = PassageIndex(index.client, "passages", cache_dir=tmp_path)
    assert reopened.acronyms() == ()

    report = ingest_paths([tmp_path / "kelderton.md"], reopened, encoder)

    assert [(f.status, f.passages) for f in report.files] == [("unchanged", 2)]
    assert report.embedded == 0
    assert reopened.acronyms() == (("CRU", "central referral unit"),)
    assert PassageIndex(index.client, "passages", cache_dir=tmp_path).acronyms() == (
        ("CRU", "central referral unit"),
    )

"""Uploaded files into the library, and back out again when they fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.embed import Encoder
from ingest.index import PassageIndex
from ingest.pipeline import FileResult
from rag.uploads import Upload, add_uploads, describe, safe_name

CHILD_Z = b"""# Serious Case Review: Child Z

Published 3 May 2021

## 2 Findings

2.1 The review found that the lighthouse keeper's referral of March 2020 was never recorded.
"""
BROKEN_PDF = b"%PDF-1.7\n1 0 obj <<>> garbage"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("review.pdf", "review.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\Case Review (final).docx", "Case Review (final).docx"),
        (".hidden.md", "hidden.md"),
        ("a<b>|c.md", "a-b-c.md"),
        ("...", "upload"),
    ],
)
def test_upload_names_are_plain_file_names(name: str, expected: str) -> None:
    assert safe_name(name) == expected


def test_an_upload_is_saved_and_ingested(
    index: PassageIndex, encoder: Encoder, tmp_path: Path
) -> None:
    folder = tmp_path / "uploads"

    report = add_uploads([Upload("child-z.md", CHILD_Z)], folder, index, encoder)

    assert [(Path(f.path).name, f.status, f.doc_id) for f in report.files] == [
        ("child-z.md", "added", "child-z")
    ]
    assert (folder / "child-z.md").read_bytes() == CHILD_Z
    assert [r.doc_id for r in index.documents()] == ["child-z"]
    assert index.record("child-z").source == str((folder / "child-z.md").resolve())  # type: ignore[union-attr]


def test_a_failed_upload_leaves_no_file_and_no_document(
    index: PassageIndex, encoder: Encoder, tmp_path: Path
) -> None:
    folder = tmp_path / "uploads"

    report = add_uploads(
        [Upload("broken.pdf", BROKEN_PDF), Upload("child-z.md", CHILD_Z)], folder, index, encoder
    )

    assert [describe(f) for f in report.files] == [
        "broken.pdf was not added: not a readable PDF (corrupt or truncated).",
        "child-z.md was added (2 passages).",
    ]
    assert sorted(p.name for p in folder.iterdir()) == ["child-z.md"]
    assert [r.doc_id for r in index.documents()] == ["child-z"]


def test_a_bad_replacement_puts_the_earlier_upload_back(
    index: PassageIndex, encoder: Encoder, tmp_path: Path
) -> None:
    folder = tmp_path / "uploads"
    add_uploads([Upload("child-z.md", CHILD_Z)], folder, index, encoder)
    before = index.record("child-z")

    report = add_uploads(
        [Upload("child-z.md", b"\x00\x01\x02 binary junk \xff" * 20)], folder, index, encoder
    )

    assert [(f.status, f.error) for f in report.files] == [("failed", "binary data, not text")]
    assert (folder / "child-z.md").read_bytes() == CHILD_Z
    assert sorted(p.name for p in folder.iterdir()) == ["child-z.md"]
    assert index.record("child-z") == before


@pytest.mark.parametrize(
    ("result", "sentence"),
    [
        (FileResult("/x/a.pdf", "added", 1), "a.pdf was added (1 passage)."),
        (FileResult("/x/a.pdf", "updated", 5), "a.pdf replaced the earlier version (5 passages)."),
        (FileResult("/x/a.pdf", "unchanged", 5), "a.pdf is already in the library."),
        (FileResult("/x/a.pdf", "failed", error="empty file"), "a.pdf was not added: empty file."),
    ],
)
def test_each_outcome_is_one_plain_sentence(result: FileResult, sentence: str) -> None:
    assert describe(result) == sentence

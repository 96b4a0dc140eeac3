"""The Streamlit page, run headless with AppTest against a real index."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ingest.index import PassageIndex
from tests.conftest import ROOT


def test_library_lists_the_ingested_documents(
    corpus_index: PassageIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert corpus_index.cache_dir is not None
    monkeypatch.setenv("REVIEWQA_INDEX_DIR", str(corpus_index.cache_dir))

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()

    assert not app.exception
    assert app.subheader[0].value == "Library: 8 documents, 583 passages"
    table = app.dataframe[0].value
    assert list(table["Title"])[:2] == [
        "Domestic Homicide Review: Ms K",
        "Independent overview report: learning from four reviews",
    ]
    assert sorted(table["Kind"]) == sorted(
        [
            "Domestic homicide review",
            "Overview report",
            "Inspection report",
            "Child safeguarding practice review",
            "Safeguarding adults review",
        ]
        + ["Serious case review"] * 3
    )


def test_an_empty_library_says_how_to_fill_it(tmp_path: Path) -> None:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()

    assert not app.exception
    assert "is empty" in app.info[0].value

"""The index: incremental ingest, atomic replacement, pruning, dense and lexical search."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from ingest.embed import Encoder
from ingest.index import PassageIndex
from ingest.load import load_file
from ingest.passages import make_passages
from ingest.pipeline import ingest_paths
from ingest.structure import build_document
from tests.conftest import CORPUS, make_client
from tests.docs import HEADER, write_pdf

SECTIONS = [
    (
        "1 Introduction",
        ["1.1 The review concerns Child Q, aged four, and the help given to her family."],
    ),
    (
        "2 Supervision",
        ["2.1 The social worker had supervision every eight weeks instead of monthly."],
    ),
    ("3 Records", ["3.1 The chronology was never updated after the case moved to a new team."]),
]


def write_review(path: Path, sections=SECTIONS) -> Path:  # type: ignore[no-untyped-def]
    text = "# Serious Case Review: Child Q\n\n" + "\n\n".join(
        f"## {head}\n\n" + "\n\n".join(paras) for head, paras in sections
    )
    path.write_text(text + "\n", "utf-8")
    return path


def test_reingesting_unchanged_files_embeds_nothing(
    index: PassageIndex, encoder: Encoder, tmp_path: Path
) -> None:
    write_review(tmp_path / "docs" / "q.md") if (tmp_path / "docs").mkdir() is None else None

    first = ingest_paths([tmp_path / "docs"], index, encoder)
    second = ingest_paths([tmp_path / "docs"], index, encoder)

    assert [(f.status, f.passages) for f in first.files] == [("added", 3)]
    assert first.embedded == 3
    assert [(f.status, f.passages) for f in second.files] == [("unchanged", 3)]
    assert second.embedded == 0


def test_a_changed_file_is_replaced_and_only_new_text_is_embedded(
    index: PassageIndex, encoder: Encoder, tmp_path: Path
) -> None:
    path = write_review(tmp_path / "q.md")
    ingest_paths([path], index, encoder)
    changed = [*SECTIONS[:2], ("3 Records", ["3.1 Records were complete and up to date."])]
    write_review(path, changed)

    report = ingest_paths([path], index, encoder)

    assert [(f.status, f.passages) for f in report.files] == [("updated", 3)]
    assert report.embedded == 1
    live = sorted((p.passage_id, p.text) for p in index.live_passages())
    assert live == [
        ("q#¶1.1", SECTIONS[0][1][0]),
        ("q#¶2.1", SECTIONS[1][1][0]),
        ("q#¶3.1", "3.1 Records were complete and up to date."),
    ]
    assert index.passages.count() == 3  # the old version's records are gone


def test_a_failed_write_leaves_the_old_version_live_and_nothing_half_written(
    index: PassageIndex, encoder: Encoder, tmp_path: Path
) -> None:
    path = write_review(tmp_path / "q.md")
    ingest_paths([path], index, encoder)
    before = sorted((p.passage_id, p.text) for p in index.live_passages())
    write_review(path, [("1 Introduction", ["1.1 A new text."])])
    doc = build_document(load_file(path, 10**6), "q")
    passages = make_passages(doc, encoder.count_tokens)
    wrong_width = np.zeros((len(passages), 7), dtype=np.float32)  # Chroma refuses 7-d vectors here

    with pytest.raises(Exception, match="dimension"):
        index.commit(doc, passages, wrong_width, "v-broken")

    assert sorted((p.passage_id, p.text) for p in index.live_passages()) == before
    assert index.passages.count() == 3


def test_readers_never_see_neither_or_both_versions(encoder: Encoder, tmp_path: Path) -> None:
    many = [
        (
            "1 Notes",
            [f"1.{n} Visit number {n} was recorded by the health visitor." for n in range(1, 120)],
        )
    ]
    path = write_review(tmp_path / "q.md", many)
    writer = PassageIndex(make_client(tmp_path / "chroma"), "passages", cache_dir=tmp_path)
    ingest_paths(
        [path],
        writer,
        encoder,
    )
    reader = PassageIndex(make_client(tmp_path / "chroma"), "passages")
    old_ids = {p.passage_id for p in reader.live_passages()}
    write_review(path, [("1 Notes", ["1.1 One merged summary replaced the visit notes."])])
    seen: list[frozenset[str]] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            reader.refresh()
            seen.append(frozenset(p.passage_id for p in reader.live_passages("q")))

    thread = threading.Thread(target=read)
    thread.start()
    ingest_paths([path], writer, encoder)
    done.set()
    thread.join()
    reader.refresh()
    seen.append(frozenset(p.passage_id for p in reader.live_passages("q")))

    assert set(seen) <= {frozenset(old_ids), frozenset({"q#¶1.1"})}
    assert seen[-1] == frozenset({"q#¶1.1"})


def test_files_gone_from_an_ingested_folder_are_pruned(
    index: PassageIndex, encoder: Encoder, corpus_copy: Path
) -> None:
    ingest_paths([corpus_copy], index, encoder)
    (corpus_copy / "mr-d.docx").unlink()

    report = ingest_paths([corpus_copy], index, encoder)

    removed = [(Path(f.path).name, f.doc_id) for f in report.files if f.status == "removed"]
    assert removed == [("mr-d.docx", "mr-d")]
    assert "mr-d" not in {r.doc_id for r in index.documents()}
    assert not any(p.doc_id == "mr-d" for p in index.live_passages())
    assert report.embedded == 0


def test_running_header_is_not_in_any_passage(
    index: PassageIndex, encoder: Encoder, tmp_path: Path
) -> None:
    pages = [
        [("h", f"{n} {topic}"), ("b", f"{n}.1 The review considered {topic.lower()} in depth.")]
        for n, topic in enumerate(["Scope", "Method", "Chronology", "Analysis", "Findings"], 1)
    ]
    write_pdf(tmp_path / "q.pdf", pages)

    ingest_paths([tmp_path / "q.pdf"], index, encoder)

    texts = [p.text + p.metadata["context"] for p in index.live_passages()]
    assert len(texts) == 5
    assert not any(HEADER in t or "Page 1 of 5" in t or "of 5" in t for t in texts)
    assert sorted(p.metadata["page_start"] for p in index.live_passages()) == [1, 2, 3, 4, 5]


def test_dense_and_lexical_search_find_the_supervision_paragraph(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    question = "How often did the Baby R social worker receive supervision?"

    dense = corpus_index.dense_search(encoder.embed_query(question), 5)
    lexical = corpus_index.lexical_search(question, 5)

    assert "baby-r#¶10.13" in [hit.passage_id for hit, _ in dense]
    assert "baby-r#¶10.13" in [hit.passage_id for hit, _ in lexical]


def test_the_stored_document_and_passages_round_trip(corpus_index: PassageIndex) -> None:
    doc = corpus_index.document("baby-r")
    stored = corpus_index.passage("baby-r#¶10.13")

    assert doc is not None and stored is not None
    assert stored.text == doc.text[stored.metadata["char_start"] : stored.metadata["char_end"]]
    assert stored.metadata["paragraph"] == "10.13"
    assert stored.metadata["section_kind"] == "analysis"
    record = corpus_index.record("baby-r")
    assert record is not None and (record.kind, record.date, record.pages) == (
        "scr",
        "2016-03-14",
        11,
    )
    assert sorted(r.doc_id for r in corpus_index.documents()) == sorted(
        p.stem for p in CORPUS.iterdir()
    )

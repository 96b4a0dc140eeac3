"""The index: incremental ingest, atomic replacement, pruning, dense and lexical search."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from ingest.embed import Encoder
from ingest.index import EF_SEARCH, PassageIndex, StoredPassage
from ingest.load import load_file
from ingest.passages import make_passages
from ingest.pipeline import ingest_paths
from ingest.structure import build_document
from rag.retrieve import Filters
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


def test_a_reader_behind_a_switch_reads_the_new_version_not_nothing(
    encoder: Encoder, tmp_path: Path
) -> None:
    path = write_review(tmp_path / "q.md", [("1 Notes", ["1.1 First note.", "1.2 Second note."])])
    writer = PassageIndex(make_client(tmp_path / "chroma"), "passages")
    ingest_paths([path], writer, encoder)
    reader = PassageIndex(make_client(tmp_path / "chroma"), "passages")
    write_review(path, [("1 Notes", ["1.1 One merged summary replaced the notes."])])
    ingest_paths([path], writer, encoder)  # the reader's record still names the old version

    rows = list(reader.live_passages("q"))
    everything = list(reader.live_passages())

    assert [r.passage_id for r in rows] == ["q#¶1.1"]
    assert rows[0].text == "1.1 One merged summary replaced the notes."
    assert [r.passage_id for r in everything] == ["q#¶1.1"]


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


def test_a_lexical_search_for_gps_finds_the_gp(corpus_index: PassageIndex) -> None:
    hits = corpus_index.lexical_search("GPs", 5)

    assert len(hits) == 5
    assert all(" GP" in hit.text for hit, _ in hits)


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


@pytest.mark.parametrize(
    "filters",
    [
        Filters(section_kinds=("analysis",)),
        Filters(kinds=("scr",), date_from="2016-01-01"),
        Filters(doc_ids=("baby-r", "child-t"), section_kinds=("analysis", "findings")),
        Filters(date_to="2017-12-31"),
    ],
)
def test_a_filtered_lexical_search_is_the_unfiltered_ranking_restricted_to_accepted_passages(
    corpus_index: PassageIndex, filters: Filters
) -> None:
    question = "supervision of the social worker and management oversight"
    everything = corpus_index.lexical_search(question, corpus_index.count())

    filtered = corpus_index.lexical_search(question, 10, filters.mask)

    accepted = [(hit.passage_id, score) for hit, score in everything if accepts(filters, hit)]
    assert [(hit.passage_id, score) for hit, score in filtered] == accepted[:10]
    assert filtered  # each case has matches, so the comparison above is not vacuous


def test_words_left_unweighed_are_searched_as_if_the_question_lacked_them(
    corpus_index: PassageIndex,
) -> None:
    within = Filters(doc_ids=("baby-r",)).mask
    plain = corpus_index.lexical_search("supervision of the social worker", 10, within)

    named = corpus_index.lexical_search(
        "Baby R Northbrook supervision of the social worker", 10, within, ["Baby R", "Northbrook"]
    )
    only_names = corpus_index.lexical_search(
        "Baby R Northbrook", 10, within, ["Baby R", "Northbrook"]
    )

    assert [(hit.passage_id, score) for hit, score in named] == [
        (hit.passage_id, score) for hit, score in plain
    ]
    # a question of nothing but names keeps them
    assert only_names == corpus_index.lexical_search("Baby R Northbrook", 10, within)


def accepts(filters: Filters, hit: StoredPassage) -> bool:
    meta = hit.metadata
    return (
        (not filters.doc_ids or meta["doc_id"] in filters.doc_ids)
        and (not filters.kinds or meta["kind"] in filters.kinds)
        and (not filters.section_kinds or meta["section_kind"] in filters.section_kinds)
        and (not filters.date_from or meta["date"] >= filters.date_from)
        and (not filters.date_to or meta["date"] <= filters.date_to)
    )


def test_a_reopened_index_searches_from_its_lexical_cache_with_the_same_results(
    index: PassageIndex, encoder: Encoder, tmp_path: Path
) -> None:
    path = write_review(tmp_path / "q.md")
    first = index  # the fixture's index, in tmp_path; reopened below from the same folder
    ingest_paths([path], first, encoder)
    before = first.lexical_search("supervision every eight weeks", 3)

    reopened = PassageIndex(make_client(tmp_path / "chroma"), "passages", cache_dir=tmp_path)
    after = reopened.lexical_search("supervision every eight weeks", 3)

    assert sorted(p.name for p in (tmp_path / "lexical-passages").iterdir()) == [
        "bm25",
        "doc.npy",
        "ids.bin",
        "meta.json",
        "offsets.npy",
        "section.npy",
        "stamp",
    ]
    assert [(h.passage_id, s, h.text) for h, s in after] == [
        (h.passage_id, s, h.text) for h, s in before
    ]
    assert [h.passage_id for h, _ in after] == ["q#¶2.1"]
    assert reopened.stamp == first.stamp


def test_section_kinds_and_cached_passages_come_from_the_live_version(
    index: PassageIndex, encoder: Encoder, tmp_path: Path
) -> None:
    path = write_review(tmp_path / "q.md")
    ingest_paths([path], index, encoder)
    write_review(path, [("1 Supervision", ["1.1 Supervision was monthly and recorded."])])
    ingest_paths([path], index, encoder)

    hits = index.lexical_search("supervision monthly", 5)

    assert [h.passage_id for h, _ in hits] == ["q#¶1.1"]
    cached = index.cached("q#¶1.1")
    assert cached is not None and cached.text == "1.1 Supervision was monthly and recorded."
    assert index.cached("q#¶2.1") is None
    assert index.section_kinds() == sorted(
        {str(p.metadata["section_kind"]) for p in index.live_passages()}
    )


def test_a_reader_that_skipped_an_unchanged_store_still_sees_the_next_write(
    index: PassageIndex, encoder: Encoder, tmp_path: Path
) -> None:
    path = write_review(tmp_path / "q.md")
    writer = index
    ingest_paths([path], writer, encoder)
    reader = PassageIndex(make_client(tmp_path / "chroma"), "passages")
    time.sleep(1.2)  # let the store's write time settle, so that it is trusted as unchanged
    reader.refresh()
    unchanged = reader.refresh()
    write_review(path, [("1 Supervision", ["1.1 Supervision was monthly and recorded."])])
    ingest_paths([path], writer, encoder)

    changed = reader.refresh()

    assert (unchanged, changed) == (False, True)
    assert [h.passage_id for h, _ in reader.lexical_search("supervision monthly", 5)] == ["q#¶1.1"]
    assert reader.stamp == writer.stamp


def test_texts_are_kept_out_of_chroma_documents_and_older_indexes_still_read(
    encoder: Encoder, tmp_path: Path
) -> None:
    (tmp_path / "docs").mkdir()
    write_review(tmp_path / "docs" / "q.md")
    index = PassageIndex(make_client(tmp_path / "db"), "passages")
    ingest_paths([tmp_path / "docs"], index, encoder)
    rows = index.passages.get(include=["documents", "metadatas", "embeddings"])
    # new rows: the text is metadata, nothing goes to Chroma's full-text index
    assert rows["documents"] == [None, None, None]
    texts = [str(meta["text"]) for meta in rows["metadatas"] or []]
    # rewrite them as an index made before did: the text as the Chroma document
    index.passages.upsert(
        ids=rows["ids"],
        embeddings=rows["embeddings"],
        documents=texts,
        metadatas=[{k: v for k, v in m.items() if k != "text"} for m in rows["metadatas"] or []],
    )

    reopened = PassageIndex(make_client(tmp_path / "db"), "passages")
    question = "How often was supervision held?"
    stored = reopened.passage("q#¶2.1")
    dense = reopened.dense_search(encoder.embed_query(question), 1)
    lexical = reopened.lexical_search(question, 1)

    text = "2.1 The social worker had supervision every eight weeks instead of monthly."
    assert stored is not None and stored.text == text and "text" not in stored.metadata
    assert [(hit.passage_id, hit.text) for hit, _ in dense] == [("q#¶2.1", text)]
    assert [(hit.passage_id, hit.text) for hit, _ in lexical] == [("q#¶2.1", text)]


def test_hnsw_search_breadth_is_set_and_only_ever_raised(tmp_path: Path) -> None:
    def ef_search(index: PassageIndex) -> int:
        return int(index.passages.configuration["hnsw"]["ef_search"])  # type: ignore[index]

    # an index made before the setting: Chroma's default breadth (100)
    old = make_client(tmp_path / "old").create_collection(
        "passages", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    assert old.configuration["hnsw"]["ef_search"] == 100  # type: ignore[index]

    raised = PassageIndex(make_client(tmp_path / "old"), "passages")
    reopened = make_client(tmp_path / "old").get_collection("passages")
    new = PassageIndex(make_client(tmp_path / "new"), "passages")
    asked_lower = PassageIndex(make_client(tmp_path / "new"), "passages", ef_search=50)

    assert EF_SEARCH == 400
    assert ef_search(raised) == 400
    assert reopened.configuration["hnsw"]["ef_search"] == 400  # type: ignore[index]
    assert ef_search(new) == 400
    assert ef_search(asked_lower) == 400
    assert raised.passages.configuration["hnsw"]["space"] == "cosine"  # type: ignore[index]

"""Term statistics for the evidence model: equal to a plain count, recounted per changed document."""

from __future__ import annotations

from pathlib import Path

from ingest.embed import Encoder
from ingest.index import PassageIndex
from ingest.pipeline import ingest_paths
from rag.ask import corpus_stats
from rag.stats import code_stamp, passage_terms, read_counts, summarise, update_counts
from tests.conftest import make_client
from tests.test_index import write_review


def plain_count(index: PassageIndex) -> tuple[dict[str, int], int, dict[str, set[str]]]:
    doc_freq: dict[str, int] = {}
    vocab: dict[str, set[str]] = {}
    rows = list(index.live_passages())
    for row in rows:
        terms = passage_terms(row)
        vocab.setdefault(row.doc_id, set()).update(terms)
        for term in terms:
            doc_freq[term] = doc_freq.get(term, 0) + 1
    return doc_freq, len(rows), vocab


def test_corpus_stats_equal_a_plain_count_over_every_live_passage(
    corpus_index: PassageIndex,
) -> None:
    doc_freq, n, vocab = corpus_stats(corpus_index)

    expected_freq, expected_n, expected_vocab = plain_count(corpus_index)
    assert n == expected_n == corpus_index.count()
    assert doc_freq == expected_freq
    assert dict(vocab) == expected_vocab
    assert doc_freq["supervis"] == expected_freq["supervis"] > 0


def test_a_changed_document_is_recounted_and_the_others_are_kept(
    encoder: Encoder, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    write_review(docs / "a.md")
    write_review(docs / "q.md")
    index = PassageIndex(make_client(tmp_path / "chroma"), "passages", cache_dir=tmp_path)
    ingest_paths([docs], index, encoder)
    corpus_stats(index)
    saved = read_counts(tmp_path / "stats-passages", code_stamp())
    write_review(docs / "q.md", [("1 Supervision", ["1.1 Supervision was monthly."])])
    ingest_paths([docs], index, encoder)

    counts = update_counts(index, saved)

    assert saved is not None
    assert [(d, n) for d, _, n in counts.docs] == [("a", 3), ("q", 1)]
    assert counts.docs[0] == saved.docs[0]  # same version: its counts are taken over, not re-read
    assert counts.ids[: counts.offsets[1]].tolist() == saved.ids[: saved.offsets[1]].tolist()
    doc_freq, n, vocab = summarise(counts)
    assert (doc_freq, n, dict(vocab)) == plain_count(index)
    assert sorted(vocab["q"]) == ["1.1", "monthly", "supervis"]
    assert doc_freq["supervis"] == 2  # a's 2.1 and q's new 1.1
    assert corpus_stats(index)[0] == doc_freq

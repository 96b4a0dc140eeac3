"""Ingest across files: encoded together in windows, committed one by one, reported in order."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ingest.embed import Encoder
from ingest.index import PassageIndex
from ingest.pipeline import ingest_paths


def note(path: Path, child: str, sentences: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n\n".join(f"1.{n} {s}" for n, s in enumerate(sentences, 1))
    path.write_text(f"# Review of {child}\n\n## Findings\n\n{body}\n", "utf-8")
    return path


@pytest.mark.parametrize("prefetch", [True, False], ids=["parse-thread", "parse-in-turn"])
def test_files_share_encoding_windows_yet_each_is_committed_and_reported_in_order(
    index: PassageIndex, encoder: Encoder, tmp_path: Path, prefetch: bool
) -> None:
    first = note(tmp_path / "a" / "review.md", "Child A", ["Health visits stopped in May."] * 1)
    broken = tmp_path / "b" / "broken.pdf"
    broken.parent.mkdir()
    broken.write_bytes(b"%PDF-1.7 not really")
    second = note(tmp_path / "c" / "review.md", "Child C", ["The school raised no concern."])
    third = note(tmp_path / "d.md", "Child D", ["Police shared the report late.", "Nobody met."])
    events: list[tuple[str, int]] = []

    report = ingest_paths(
        [first, broken, second, third],
        index,
        encoder,
        progress=lambda event, n: events.append((event, n)),
        window=2,
        prefetch=prefetch,
    )

    suffix = hashlib.sha1(str(second.resolve()).encode()).hexdigest()[:6]
    assert [(f.path, f.status, f.doc_id) for f in report.files] == [
        (str(first), "added", "review"),
        (str(broken), "failed", None),
        (str(second), "added", f"review-{suffix}"),  # same file name, another document
        (str(third), "added", "d"),
    ]
    assert report.embedded == 3  # d's two short paragraphs make one passage
    assert sum(n for event, n in events if event == "file") == 4
    assert sum(n for event, n in events if event == "embedded") == 3
    assert sorted((r.doc_id, r.passages) for r in index.documents()) == [
        ("d", 1),
        ("review", 1),
        (f"review-{suffix}", 1),
    ]
    hits = index.dense_search(encoder.embed_query("police report shared late"), 1)
    assert [h.passage_id for h, _ in hits] == ["d#¶1.1-1.2"]

"""Passages: whole paragraphs, merged or split to fit the encoder's window, never across sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.embed import Encoder
from ingest.load import load_file
from ingest.passages import make_passages
from ingest.structure import Document, build_document
from tests.conftest import CORPUS

NAMES = sorted(p.name for p in CORPUS.iterdir())


def parse(path: Path, doc_id: str) -> Document:
    return build_document(load_file(path, 10**9), doc_id)


@pytest.mark.parametrize("name", NAMES)
def test_no_passage_exceeds_the_window_or_crosses_a_section(name: str, encoder: Encoder) -> None:
    doc = parse(CORPUS / name, name.split(".")[0])

    passages = make_passages(doc, encoder.count_tokens)

    sizes = encoder.count_tokens([p.embed_text for p in passages])
    assert max(sizes) <= encoder.max_tokens == 256
    # what the encoder sorts batches by: the true count for one paragraph, near it when merged
    for p, size in zip(passages, sizes, strict=True):
        assert p.tokens == size if len(p.labels) == 1 else 0 <= size - p.tokens <= 16
    for p in passages:
        assert p.text == doc.text[p.char_start : p.char_end]
        sections = {
            para.section for para in doc.paragraphs if p.char_start <= para.char_start < p.char_end
        }
        assert len(sections) <= 1
    ids = [p.passage_id for p in passages]
    assert len(ids) == len(set(ids))


def test_passage_ids_are_the_paragraph_labels(encoder: Encoder) -> None:
    doc = parse(CORPUS / "baby-r.pdf", "baby-r")

    passages = {p.passage_id: p for p in make_passages(doc, encoder.count_tokens)}

    assert list(passages)[:4] == ["baby-r#¶p1-p2", "baby-r#¶1.1", "baby-r#¶1.2", "baby-r#¶1.3"]
    merged = passages["baby-r#¶13.1-13.2"]
    assert merged.labels == ("13.1", "13.2")
    assert (merged.section, merged.section_kind) == ("13 Recommendations", "recommendations")
    assert (merged.page_start, merged.page_end) == (10, 10)
    assert merged.context == "Serious Case Review: Baby R · Northbrook · 2016 — 13 Recommendations"


def test_a_long_paragraph_is_split_at_sentences_into_numbered_parts(
    tmp_path: Path, encoder: Encoder
) -> None:
    sentences = [
        f"Sentence {n} says that the visit on day {n} was not recorded." for n in range(80)
    ]
    (tmp_path / "long.md").write_text(
        "# Review: Child X\n\n## 4 Analysis\n\n4.1 " + " ".join(sentences) + "\n\n4.2 Short.\n",
        "utf-8",
    )
    doc = parse(tmp_path / "long.md", "long")

    passages = make_passages(doc, encoder.count_tokens)

    ids = [p.passage_id for p in passages]
    assert ids[:-1] == [f"long#¶4.1[{k}]" for k in range(1, len(ids))]
    assert ids[-1] == "long#¶4.2"
    joined = " ".join(p.text for p in passages[:-1])
    assert joined == doc.paragraph_text(doc.paragraphs[0])
    assert all(p.text.endswith("recorded.") for p in passages[:-1])


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# Only a title\n\n## 1 Heading with nothing under it\n", []),
        ("One paragraph and nothing else.\n", ["one#¶p1"]),
        (
            "# T\n\n## 1 A\n\n1.1 Short.\n\n1.2 Also short.\n\n## 2 B\n\n2.1 Short too.\n",
            ["one#¶1.1-1.2", "one#¶2.1"],
        ),
    ],
    ids=["heading-only", "one-paragraph", "short-neighbours"],
)
def test_edge_cases(tmp_path: Path, encoder: Encoder, source: str, expected: list[str]) -> None:
    (tmp_path / "one.md").write_text(source, "utf-8")

    passages = make_passages(parse(tmp_path / "one.md", "one"), encoder.count_tokens)

    assert [p.passage_id for p in passages] == expected

"""Term statistics of the live passages for the evidence model, kept per document version.

Counting terms means reading every passage, which takes minutes at a million: so each document's
counts are kept (as term-id arrays) on disk next to the lexical index, keyed by its version and by
the tokenising code, and a changed library recounts only the documents whose version is new.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import ingest.glossary
import rag.query
from ingest.index import PassageIndex, StoredPassage
from rag.query import marked_stems

FULL_SCAN_ABOVE = 32  # more documents to count than this: one pass over Chroma, not one query each


class DocVocab(Mapping[str, set[str]]):
    """Each document's set of terms, decoded on demand: a million passages' sets would not fit."""

    def __init__(
        self, terms: list[str], docs: dict[str, int], offsets: np.ndarray, ids: np.ndarray
    ):
        self._terms, self._docs, self._offsets, self._ids = terms, docs, offsets, ids

    def __getitem__(self, doc_id: str) -> set[str]:
        i = self._docs[doc_id]
        return {self._terms[t] for t in self._ids[self._offsets[i] : self._offsets[i + 1]].tolist()}

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)


@dataclass
class Counts:
    """Per document (in `docs` order): its passage count, term ids and passages holding each."""

    terms: list[str]
    docs: list[tuple[str, str, int]]  # doc_id, version, passages
    offsets: np.ndarray  # document i's entries are [offsets[i], offsets[i + 1])
    ids: np.ndarray
    passages: np.ndarray  # per entry: how many of the document's passages hold the term


def code_stamp() -> str:
    """Changes when the tokenising code (content_terms, stem, the glossary and their word lists)
    or the glossary in use changes."""
    code = [Path(module.__file__ or "").read_bytes() for module in (rag.query, ingest.glossary)]
    # and the glossary in use, which a glossary file extends
    return hashlib.sha1(b"".join([*code, ingest.glossary.stamp().encode()])).hexdigest()


def passage_terms(row: StoredPassage) -> frozenset[str]:
    """The stemmed content terms of a passage's context line and text (each passage is counted
    once: not remembered, as passage_stems would)."""
    return marked_stems(f"{row.metadata.get('context', '')} {row.text}")


class Vocabulary:
    """Term <-> id, growing as terms are met."""

    def __init__(self, terms: list[str]):
        self.terms = terms
        self.ids = {t: i for i, t in enumerate(terms)}

    def encode(self, counter: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
        """A term counter as (term ids, counts) arrays."""
        ids = np.empty(len(counter), dtype=np.int32)
        for n, term in enumerate(counter):
            i = self.ids.get(term)
            if i is None:
                i = self.ids[term] = len(self.terms)
                self.terms.append(term)
            ids[n] = i
        return ids, np.fromiter(counter.values(), dtype=np.int32, count=len(counter))


def count_documents(
    index: PassageIndex, doc_ids: set[str], vocabulary: Vocabulary
) -> dict[str, tuple[int, np.ndarray, np.ndarray]]:
    """Passage count, term ids and passages holding each term, for some live documents.

    A document's counter becomes arrays as soon as the scan moves on (its passages are stored
    together), so a million passages never sit in Python sets at once.
    """
    counted: dict[str, tuple[int, np.ndarray, np.ndarray]] = {}
    empty = np.zeros(0, dtype=np.int32)

    def settle(doc_id: str, n: int, counter: Counter[str]) -> None:
        before_n, before_ids, before_counts = counted.get(doc_id, (0, empty, empty))
        ids, counts = vocabulary.encode(counter)
        if before_n:  # the document came back later in the scan: merge
            merged = np.zeros(len(vocabulary.terms), dtype=np.int32)
            np.add.at(merged, before_ids, before_counts)
            np.add.at(merged, ids, counts)
            ids = np.flatnonzero(merged).astype(np.int32)
            counts = merged[ids]
        counted[doc_id] = (before_n + n, ids, counts)

    if len(doc_ids) > FULL_SCAN_ABOVE:
        rows: Iterator[StoredPassage] = index.live_passages()
    else:
        rows = (row for d in sorted(doc_ids) for row in index.live_passages(d))
    current, n, counter = "", 0, Counter[str]()
    for row in rows:
        if row.doc_id not in doc_ids:
            continue
        if row.doc_id != current:
            if n:
                settle(current, n, counter)
            current, n, counter = row.doc_id, 0, Counter()
        counter.update(passage_terms(row))
        n += 1
    if n:
        settle(current, n, counter)
    for doc_id in doc_ids - set(counted):
        counted[doc_id] = (0, empty, empty)
    return counted


def read_counts(folder: Path, code: str) -> Counts | None:
    """The counts saved in a folder, if they were made by this tokenising code."""
    try:
        meta = json.loads((folder / "meta.json").read_text())
        if meta["code"] != code:
            return None
        arrays = np.load(folder / "counts.npz")
    except (OSError, ValueError, KeyError):
        return None
    docs = [(str(d), str(v), int(n)) for d, v, n in meta["docs"]]
    return Counts(meta["terms"], docs, arrays["offsets"], arrays["ids"], arrays["passages"])


def write_counts(folder: Path, counts: Counts, code: str, stamp: str) -> None:
    """Save counts (to a temporary folder first, then renamed: readers never see half)."""
    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    np.savez(tmp / "counts.npz", offsets=counts.offsets, ids=counts.ids, passages=counts.passages)
    meta = {"code": code, "stamp": stamp, "terms": counts.terms, "docs": counts.docs}
    (tmp / "meta.json").write_text(json.dumps(meta))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)


def update_counts(index: PassageIndex, old: Counts | None) -> Counts:
    """Counts for the index's live documents: reused where the version is unchanged."""
    live = {r.doc_id: r.version for r in index.documents()}
    kept: dict[str, int] = {}
    if old is not None:
        kept = {d: i for i, (d, v, _) in enumerate(old.docs) if live.get(d) == v}
    vocabulary = Vocabulary(list(old.terms) if old is not None else [])
    fresh = count_documents(index, set(live) - set(kept), vocabulary)
    docs: list[tuple[str, str, int]] = []
    parts: list[tuple[np.ndarray, np.ndarray]] = []
    for doc_id in sorted(live):
        if doc_id in kept and old is not None:
            i = kept[doc_id]
            start, end = old.offsets[i], old.offsets[i + 1]
            parts.append((old.ids[start:end], old.passages[start:end]))
            docs.append(old.docs[i])
            continue
        n, ids, held = fresh[doc_id]
        parts.append((ids, held))
        docs.append((doc_id, live[doc_id], n))
    offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum([len(ids) for ids, _ in parts], out=offsets[1:])
    empty = np.zeros(0, dtype=np.int32)
    all_ids = np.concatenate([p[0] for p in parts]) if parts else empty
    passages = np.concatenate([p[1] for p in parts]) if parts else empty
    return Counts(vocabulary.terms, docs, offsets, all_ids, passages)


def corpus_counts(index: PassageIndex) -> Counts:
    """The index's counts: from the disk cache when it is current, else updated and saved."""
    code = code_stamp()
    folder = index.cache_dir / f"stats-{index.name}" if index.cache_dir else None
    old = read_counts(folder, code) if folder else None
    live = sorted((r.doc_id, r.version) for r in index.documents())
    if old is not None and sorted((d, v) for d, v, _ in old.docs) == live:
        return old
    counts = update_counts(index, old)
    if folder:
        write_counts(folder, counts, code, index.stamp)
    return counts


def summarise(counts: Counts) -> tuple[dict[str, int], int, DocVocab]:
    """Passages holding each term, passage count, each document's terms."""
    totals = np.bincount(counts.ids, weights=counts.passages, minlength=len(counts.terms))
    doc_freq = {counts.terms[i]: int(totals[i]) for i in np.flatnonzero(totals).tolist()}
    n = sum(n for _, _, n in counts.docs)
    docs = {d: i for i, (d, _, n) in enumerate(counts.docs) if n}
    return doc_freq, n, DocVocab(counts.terms, docs, counts.offsets, counts.ids)

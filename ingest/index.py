"""Chroma + lexical index of passages, keyed by passage id, with an atomic switch per document.

Two Chroma collections: `<name>` holds passages (id `<passage_id>@<version>`, text, vector,
metadata) and `<name>-docs` one record per document whose `version` says which passage records are
live. A changed file's new passages are written first, then its document record is switched in one
single-record upsert, then the old passages are deleted: readers, who keep only passages of the live
version, never see neither or both. The lexical index (bm25s) is rebuilt from Chroma's live passages
whenever the set of live versions changes, so every process reading one Chroma sees the same index.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.passages import Passage
from ingest.structure import Document

if TYPE_CHECKING:
    import numpy as np
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

    from ingest.settings import Settings

DOC_VECTOR = [1.0]  # document records need a vector; they are only ever fetched by id
# single letters and digits are kept: "Baby R", "Child M", "Recommendation 2" must match
TOKEN_PATTERN = r"(?u)\b\w+\b"
LEXICAL_VERSION = "2"  # part of the cached lexical index's stamp: bump when tokenising changes


def lexical_tokens(texts: list[str]) -> Any:
    """bm25s tokens with English stop words removed and Snowball stems."""
    import bm25s
    import Stemmer

    return bm25s.tokenize(
        texts,
        stopwords="en",
        stemmer=Stemmer.Stemmer("english"),
        token_pattern=TOKEN_PATTERN,
        show_progress=False,
    )


@dataclass(frozen=True)
class DocRecord:
    """What the library knows of one ingested document."""

    doc_id: str
    title: str
    kind: str
    date: str
    place: str
    subjects: str
    source: str
    format: str
    sha256: str
    version: str
    passages: int
    pages: int
    words: int


@dataclass(frozen=True)
class StoredPassage:
    """A passage as read back from the index."""

    passage_id: str
    doc_id: str
    text: str
    metadata: dict[str, Any]


def open_client(settings: Settings) -> ClientAPI:
    """A Chroma client: the `chroma run` server when configured, else the local folder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
    folder = settings.index_dir / "chroma"
    folder.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(folder), settings=chroma_settings)


class PassageIndex:
    """Passages in Chroma plus a lexical index over the same ids; the caller owns the client."""

    def __init__(self, client: ClientAPI, name: str = "passages", cache_dir: Path | None = None):
        self.client = client
        self.name = name
        self.passages: Collection = client.get_or_create_collection(
            name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )
        self.docs: Collection = client.get_or_create_collection(
            f"{name}-docs", embedding_function=None
        )
        self.cache_dir = cache_dir
        self._lock = threading.Lock()
        self._records: dict[str, DocRecord] = {}
        self._lexical: Any = None
        self._lexical_rows: list[StoredPassage] = []
        self._by_id: dict[str, StoredPassage] = {}
        self._stamp = ""
        self.refresh()

    # --- reading -------------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Re-read the live document versions; rebuild the lexical index if they changed."""
        got = self.docs.get(include=["metadatas"])
        records = {
            rid: DocRecord(**_record_fields(meta))
            for rid, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
        }
        with self._lock:
            self._records = records
        return self._ensure_lexical()

    def _ensure_lexical(self) -> bool:
        """Build the lexical side for the current live versions, unless it is already theirs.

        Writers only change the records; the (re)build happens here, on the first read after a
        change, so an ingest of many files pays for it once, or not at all.
        """
        with self._lock:
            stamp = hashlib.sha1(
                json.dumps(
                    [LEXICAL_VERSION, sorted((r.doc_id, r.version) for r in self._records.values())]
                ).encode()
            ).hexdigest()
            if stamp == self._stamp:
                return False
            self._lexical, self._lexical_rows = self._build_lexical(stamp)
            self._by_id = {row.passage_id: row for row in self._lexical_rows}
            self._stamp = stamp
        return True

    def documents(self) -> list[DocRecord]:
        """The library, sorted by title."""
        return sorted(self._records.values(), key=lambda r: (r.title.lower(), r.doc_id))

    def record(self, doc_id: str) -> DocRecord | None:
        """One document's record, or None."""
        return self._records.get(doc_id)

    def document(self, doc_id: str) -> Document | None:
        """The stored parsed document (clean text, sections, paragraphs) for context views."""
        got = self.docs.get(ids=[doc_id], include=["documents"])
        if not got["ids"] or not got["documents"]:
            return None
        return Document.from_json(json.loads(got["documents"][0]))

    def is_live(self, metadata: dict[str, Any]) -> bool:
        """Does a passage record belong to its document's live version?"""
        record = self._records.get(str(metadata.get("doc_id")))
        return record is not None and record.version == metadata.get("version")

    def count(self) -> int:
        """Number of live passages."""
        return sum(r.passages for r in self._records.values())

    def passage(self, passage_id: str) -> StoredPassage | None:
        """A live passage by its passage id."""
        doc_id = passage_id.split("#", 1)[0]
        record = self._records.get(doc_id)
        if record is None:
            return None
        got = self.passages.get(
            ids=[f"{passage_id}@{record.version}"], include=["documents", "metadatas"]
        )
        if not got["ids"]:
            return None
        meta = dict((got["metadatas"] or [{}])[0])
        return StoredPassage(passage_id, doc_id, (got["documents"] or [""])[0], meta)

    def dense_search(
        self, vector: Sequence[float], n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[StoredPassage, float]]:
        """Nearest live passages by cosine similarity (similarity = 1 - distance)."""
        total = self.passages.count()
        if total == 0 or n <= 0:
            return []
        result = self.passages.query(
            query_embeddings=[list(vector)],  # type: ignore[arg-type]
            n_results=min(total, n + 16),  # a little slack for records of a version being replaced
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )
        hits: list[tuple[StoredPassage, float]] = []
        for meta, text, dist in zip(
            (result["metadatas"] or [[]])[0],
            (result["documents"] or [[]])[0],
            (result["distances"] or [[]])[0],
            strict=True,
        ):
            meta = dict(meta)
            if self.is_live(meta):
                hit = StoredPassage(str(meta["passage_id"]), str(meta["doc_id"]), text, meta)
                hits.append((hit, 1.0 - float(dist)))
        return hits[:n]

    def lexical_search(
        self, query: str, n: int, accept: Callable[[dict[str, Any]], bool] | None = None
    ) -> list[tuple[StoredPassage, float]]:
        """BM25 over context line + passage text, best first; `accept` filters by metadata."""
        self._ensure_lexical()
        with self._lock:
            model, rows = self._lexical, self._lexical_rows
        if model is None or not rows:
            return []
        import numpy as np

        tokens = lexical_tokens([query])
        if not tokens.vocab:
            return []
        mask = None
        if accept is not None:
            mask = np.fromiter((accept(row.metadata) for row in rows), dtype=np.float32)
            if not mask.any():
                return []
        k = min(n, len(rows))
        docs, scores = model.retrieve(
            tokens, k=k, show_progress=False, n_threads=1, weight_mask=mask
        )
        return [(rows[int(i)], float(s)) for i, s in zip(docs[0], scores[0], strict=True) if s > 0]

    @property
    def stamp(self) -> str:
        """Changes whenever the set of live document versions changes."""
        self._ensure_lexical()
        return self._stamp

    def rows(self) -> list[StoredPassage]:
        """Every live passage, from memory."""
        self._ensure_lexical()
        return self._lexical_rows

    def cached(self, passage_id: str) -> StoredPassage | None:
        """A live passage from memory (no round trip to Chroma)."""
        self._ensure_lexical()
        return self._by_id.get(passage_id)

    def live_passages(self, doc_id: str | None = None) -> Iterator[StoredPassage]:
        """Every live passage (of one document, or of all), in batches from Chroma."""
        batch = self.client.get_max_batch_size()
        offset = 0
        where: Any = {"doc_id": doc_id} if doc_id else None
        while True:
            got = self.passages.get(
                where=where, limit=batch, offset=offset, include=["documents", "metadatas"]
            )
            if not got["ids"]:
                return
            for text, meta in zip(got["documents"] or [], got["metadatas"] or [], strict=True):
                meta = dict(meta)
                if self.is_live(meta):
                    yield StoredPassage(str(meta["passage_id"]), str(meta["doc_id"]), text, meta)
            offset += len(got["ids"])

    def _build_lexical(self, stamp: str) -> tuple[Any, list[StoredPassage]]:
        import bm25s

        rows = list(self.live_passages())
        if not rows:
            return None, []
        cache = self.cache_dir / f"lexical-{self.name}" if self.cache_dir else None
        if cache and (cache / "stamp").is_file() and (cache / "stamp").read_text() == stamp:
            ids = json.loads((cache / "ids.json").read_text())
            by_id = {row.passage_id: row for row in rows}
            if sorted(ids) == sorted(by_id):
                model = bm25s.BM25.load(str(cache / "bm25"), load_corpus=False)
                return model, [by_id[pid] for pid in ids]
        texts = [f"{row.metadata.get('context', '')}\n{row.text}" for row in rows]
        model = bm25s.BM25()
        model.index(lexical_tokens(texts), show_progress=False)
        if cache:
            tmp = cache.with_name(cache.name + ".tmp")
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            model.save(str(tmp / "bm25"))
            (tmp / "ids.json").write_text(json.dumps([row.passage_id for row in rows]))
            (tmp / "stamp").write_text(stamp)
            shutil.rmtree(cache, ignore_errors=True)
            tmp.rename(cache)
        return model, rows

    # --- writing -------------------------------------------------------------------------------

    def stored_vectors(self, doc_id: str) -> dict[str, list[float]]:
        """content_hash -> vector of a document's stored passages (any version), for reuse."""
        got = self.passages.get(where={"doc_id": doc_id}, include=["metadatas", "embeddings"])
        vectors: dict[str, list[float]] = {}
        embeddings = got["embeddings"] if got["embeddings"] is not None else []
        for meta, vec in zip(got["metadatas"] or [], embeddings, strict=True):
            vectors[str(meta["content_hash"])] = [float(x) for x in vec]
        return vectors

    def commit(
        self, doc: Document, passages: list[Passage], vectors: np.ndarray, version: str
    ) -> DocRecord:
        """Write a document's passages, switch its record to them, then drop the old version."""
        ids = [f"{p.passage_id}@{version}" for p in passages]
        record = DocRecord(
            doc_id=doc.doc_id,
            title=doc.title,
            kind=doc.kind,
            date=doc.date or "",
            place=doc.place or "",
            subjects=", ".join(doc.subjects),
            source=doc.source,
            format=doc.format,
            sha256=doc.sha256,
            version=version,
            passages=len(passages),
            pages=doc.pages or 0,
            words=len(doc.text.split()),
        )
        metas = [_passage_metadata(p, record) for p in passages]
        batch = self.client.get_max_batch_size()
        try:
            for i in range(0, len(ids), batch):
                self.passages.upsert(
                    ids=ids[i : i + batch],
                    embeddings=vectors[i : i + batch],
                    documents=[p.text for p in passages[i : i + batch]],
                    metadatas=metas[i : i + batch],  # type: ignore[arg-type]
                )
        except Exception:
            self._drop_version(doc.doc_id, keep=self._live_version(doc.doc_id), only=version)
            raise
        self.docs.upsert(  # the switch: one record, so it is all-or-nothing
            ids=[doc.doc_id],
            embeddings=[DOC_VECTOR],  # type: ignore[arg-type]
            documents=[json.dumps(doc.to_json())],
            metadatas=[asdict(record)],
        )
        self._records[doc.doc_id] = record
        self._drop_version(doc.doc_id, keep=version)
        return record

    def remove(self, doc_id: str) -> None:
        """Remove a document: first its record (so its passages stop being live), then them."""
        self.docs.delete(ids=[doc_id])
        self._records.pop(doc_id, None)
        self.passages.delete(where={"doc_id": doc_id})

    def _live_version(self, doc_id: str) -> str | None:
        record = self._records.get(doc_id)
        return record.version if record else None

    def _drop_version(self, doc_id: str, keep: str | None, only: str | None = None) -> None:
        clauses: list[dict[str, Any]] = [{"doc_id": doc_id}]
        if keep is not None:
            clauses.append({"version": {"$ne": keep}})
        if only is not None:
            clauses.append({"version": only})
        where: Any = clauses[0] if len(clauses) == 1 else {"$and": clauses}
        self.passages.delete(where=where)


def _record_fields(meta: Any) -> dict[str, Any]:
    names = DocRecord.__dataclass_fields__
    return {key: meta.get(key) for key in names}


def _passage_metadata(p: Passage, record: DocRecord) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "passage_id": p.passage_id,
        "doc_id": p.doc_id,
        "version": record.version,
        "title": record.title,
        "kind": record.kind,
        "date": record.date,
        "year": int(record.date[:4]) if record.date else 0,
        "date_num": int(record.date.replace("-", "")) if record.date else 0,
        "place": record.place,
        "source": record.source,
        "section": p.section,
        "section_kind": p.section_kind,
        "paragraphs": ",".join(p.labels),
        "paragraph": p.labels[0] if len(p.labels) == 1 else f"{p.labels[0]}-{p.labels[-1]}",
        "char_start": p.char_start,
        "char_end": p.char_end,
        "context": p.context,
        "content_hash": p.content_hash,
    }
    if p.page_start is not None:
        meta["page_start"] = p.page_start
        meta["page_end"] = p.page_end or p.page_start
    return meta

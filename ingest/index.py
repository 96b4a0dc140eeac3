"""Chroma + lexical index of passages, keyed by passage id, with an atomic switch per document.

Two Chroma collections: `<name>` holds passages (id `<passage_id>@<version>`, vector, metadata
with the text under "text") and `<name>-docs` one record per document whose `version` says which
passage records are live. Passage texts stay out of Chroma's documents: those feed its full-text
index, which nothing here reads and which cost a third of every write (indexes written before keep
their texts there, and still read). A changed file's new passages are written first, then its
document record is switched in one single-record upsert, then the old passages are deleted:
readers, who keep only passages of the live version, never see neither or both. The lexical index
(bm25s) is rebuilt from Chroma's live passages whenever the set of live versions changes, so every
process reading one Chroma sees the same index.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.acronyms import library as library_acronyms
from ingest.acronyms import recorded as recorded_acronyms
from ingest.embed import MODEL_NAME
from ingest.glossary import mark
from ingest.glossary import stamp as glossary_stamp
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
# the plural of a capital-letter abbreviation is read as the abbreviation: "GPs" finds "GP" (the
# Snowball stemmer leaves "gps", which has no vowel before its "s")
ABBREVIATION_PLURAL = re.compile(r"\b([A-Z]{2,})s\b")
# part of the cached lexical index's stamp: bump when its files or the words read into them change
LEXICAL_VERSION = "6"
RECENT = 4096  # passages kept from recent searches, for `cached`
# A file time older than this is trusted as a change mark: the kernel stamps writes with a coarse
# clock, so two writes a few ms apart can share one time, but not two writes a second apart.
SETTLED_NS = 1_000_000_000
# HNSW search breadth. At Chroma's default (100) the same question vector got a different 40th
# dense passage in 4 of 12 fresh processes on the bundled corpus index (cosine 0.42267 against
# 0.42280), which flipped one answer between refused and answered; at 400, 32 processes of 32
# returned the top 40 of an exact search, at no cost measured on a 100k index (README, Scaling).
# Indexes made with a lower value are raised on opening.
EF_SEARCH = 400


def lexical_tokens(texts: list[str]) -> Any:
    """bm25s tokens with English stop words removed and Snowball stems."""
    import bm25s
    import Stemmer

    return bm25s.tokenize(
        [ABBREVIATION_PLURAL.sub(r"\1", text) for text in texts],
        stopwords="en",
        stemmer=Stemmer.Stemmer("english"),
        token_pattern=TOKEN_PATTERN,
        show_progress=False,
    )


def lexical_words(text: str) -> list[str]:
    """The text's bm25s tokens as words (stems), in order."""
    from bm25s.tokenization import convert_tokenized_to_string_list

    return list(convert_tokenized_to_string_list(lexical_tokens([text]))[0])


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
    encoder: str = MODEL_NAME  # which encoder made its vectors (records before it was kept: this)
    # the acronyms the document spells out (JSON, ingest/acronyms.py); None in records written
    # before they were kept, until `ingest` fills them in (PassageIndex.keep_acronyms)
    acronyms: str | None = None


def record_of(doc: Document, version: str, passages: int, encoder: str = MODEL_NAME) -> DocRecord:
    """The library's record of a document written as `version` with that many passages."""
    return DocRecord(
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
        passages=passages,
        pages=doc.pages or 0,
        words=len(doc.text.split()),
        encoder=encoder,
        acronyms=recorded_acronyms(doc.text),
    )


@dataclass(frozen=True)
class StoredPassage:
    """A passage as read back from the index."""

    passage_id: str
    doc_id: str
    text: str
    metadata: dict[str, Any]

    @classmethod
    def read(cls, text: str, metadata: Mapping[str, Any]) -> StoredPassage:
        """A passage from a Chroma row: its text (or, in older indexes, document) and metadata."""
        meta = dict(metadata)
        body = meta.pop("text", None)
        text = str(body) if body is not None else text or ""
        return cls(str(meta["passage_id"]), str(meta["doc_id"]), text, meta)


@dataclass(frozen=True)
class PassageColumns:
    """What filters need of every live passage, as arrays in the lexical index's row order."""

    doc: np.ndarray  # per row: position in doc_ids
    section: np.ndarray  # per row: position in section_kinds
    doc_ids: tuple[str, ...]
    kinds: tuple[str, ...]  # per document
    date_nums: np.ndarray  # per document: YYYYMMDD, 0 when undated
    section_kinds: tuple[str, ...]


@dataclass(frozen=True)
class PackedIds:
    """Passage ids of the rows as one bytes blob and offsets: a million cost ~60 MB, not ~150."""

    blob: bytes
    offsets: np.ndarray  # row i is blob[offsets[i]:offsets[i + 1]]

    @classmethod
    def pack(cls, ids: list[str]) -> PackedIds:
        """Pack a list of ids."""
        import numpy as np

        encoded = [pid.encode() for pid in ids]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return cls(b"".join(encoded), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, row: int) -> str:
        return self.blob[self.offsets[row] : self.offsets[row + 1]].decode()


@dataclass(frozen=True)
class Lexical:
    """The lexical side of one set of live versions: BM25 model, row ids, filter columns."""

    stamp: str
    model: Any  # bm25s.BM25; None when there are no passages
    ids: PackedIds
    versions: dict[str, str]  # doc_id -> the live version the rows belong to
    columns: PassageColumns


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


def widen_search(collection: Collection, ef_search: int) -> None:
    """Raise the HNSW search breadth of a collection made with a lower one (it only rises: a
    wider search is never less exact). A store that refuses the change keeps its own."""
    hnsw = (collection.configuration or {}).get("hnsw") or {}
    if int(hnsw.get("ef_search") or 0) >= ef_search:
        return
    try:
        collection.modify(configuration={"hnsw": {"ef_search": ef_search}})
    except Exception as exc:  # a read-only store or a server that refuses: search as it is
        warnings.warn(
            f"the index keeps HNSW ef_search {hnsw.get('ef_search')}: {exc}", stacklevel=3
        )


class PassageIndex:
    """Passages in Chroma plus a lexical index over the same ids; the caller owns the client."""

    def __init__(
        self,
        client: ClientAPI,
        name: str = "passages",
        cache_dir: Path | None = None,
        ef_search: int = EF_SEARCH,
    ):
        self.client = client
        self.name = name
        self.passages: Collection = client.get_or_create_collection(
            name,
            configuration={"hnsw": {"space": "cosine", "ef_search": ef_search}},
            embedding_function=None,
        )
        widen_search(self.passages, ef_search)
        self.docs: Collection = client.get_or_create_collection(
            f"{name}-docs", embedding_function=None
        )
        self.cache_dir = cache_dir
        self._lock = threading.Lock()
        self._records: dict[str, DocRecord] = {}
        self._lexical: Lexical | None = None
        # doc_id -> version that _lexical was made for, and the glossary's stamp
        self._live: tuple[dict[str, str], str] = ({}, "")
        self._recent: OrderedDict[str, StoredPassage] = OrderedDict()
        self._mark: int | None = None
        self.refresh()

    # --- reading -------------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Re-read the live document versions; rebuild the lexical index if they changed.

        Reading every record costs ~0.15 ms each (~2 s for 12k documents), so with a local Chroma
        it is skipped while the store's file shows no write since the last read.
        """
        with self._lock:
            before = self._lexical.stamp if self._lexical else None
        mark = self._store_mark()
        if mark is None or mark != self._mark:
            records = self._read_records()
            with self._lock:
                self._records, self._mark = records, mark
        return self._ensure_lexical().stamp != before

    def _read_records(self, doc_ids: list[str] | None = None) -> dict[str, DocRecord]:
        """The document records as Chroma holds them now (all, or those of `doc_ids`)."""
        got = self.docs.get(ids=doc_ids, include=["metadatas"])
        return {
            rid: DocRecord(**_record_fields(meta))
            for rid, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
        }

    def acronyms(self) -> tuple[tuple[str, str], ...]:
        """The acronyms the library's documents spell out: acronym -> ways of saying it."""
        return library_acronyms(r.acronyms or "" for r in self._records.values())

    def keep_acronyms(self, doc_id: str) -> DocRecord | None:
        """Fill in the acronyms of a record written before they were kept, from its stored
        document (`ingest` does it for a file that has not changed): no passage is rewritten."""
        got = self.docs.get(ids=[doc_id], include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        record = DocRecord(**_record_fields((got["metadatas"] or [{}])[0]))
        text = json.loads((got["documents"] or ["{}"])[0] or "{}").get("text", "")
        record = replace(record, acronyms=recorded_acronyms(text))
        self.docs.update(ids=[doc_id], metadatas=[asdict(record)])
        self._records[doc_id] = record
        return record

    def _store_mark(self) -> int | None:
        """The local Chroma file's write time once settled; None for a server or a recent write."""
        settings = self.client.get_settings()
        if not settings.is_persistent or not settings.persist_directory:
            return None
        try:
            written = (Path(settings.persist_directory) / "chroma.sqlite3").stat().st_mtime_ns
        except OSError:
            return None
        return written if time.time_ns() - written > SETTLED_NS else None

    def _ensure_lexical(self) -> Lexical:
        """The lexical side for the current live versions, built (or loaded) if it is not theirs.

        Writers only change the records; the (re)build happens here, on the first read after a
        change, so an ingest of many files pays for it once, or not at all.
        """
        with self._lock:
            live = {r.doc_id: r.version for r in self._records.values()}
            read_with = glossary_stamp()  # a glossary file may change the words read
            if self._lexical is not None and (live, read_with) == self._live:
                return self._lexical
            pairs = sorted(live.items())
            key = [LEXICAL_VERSION, read_with, pairs]
            stamp = hashlib.sha1(json.dumps(key).encode()).hexdigest()
            if self._lexical is None or self._lexical.stamp != stamp:
                self._lexical = self._load_lexical(stamp) or self._build_lexical(stamp)
                self._recent.clear()
            self._live = (live, read_with)
            return self._lexical

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

    def is_live(self, metadata: Mapping[str, Any]) -> bool:
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
        return StoredPassage.read((got["documents"] or [""])[0], (got["metadatas"] or [{}])[0])

    def dense_search(
        self, vector: Sequence[float], n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[StoredPassage, float]]:
        """Nearest live passages by cosine similarity (similarity = 1 - distance)."""
        if n <= 0:
            return []
        result = self.passages.query(  # Chroma returns fewer when it holds fewer
            query_embeddings=[list(vector)],  # type: ignore[arg-type]
            n_results=n + 16,  # a little slack for records of a version being replaced
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
            if self.is_live(meta):
                hits.append((self._remember(StoredPassage.read(text, meta)), 1.0 - float(dist)))
        return hits[:n]

    def lexical_search(
        self,
        query: str,
        n: int,
        select: Callable[[PassageColumns], np.ndarray] | None = None,
        unweighed: Sequence[str] = (),
    ) -> list[tuple[StoredPassage, float]]:
        """BM25 over context line + passage text, best first; `select` masks rows by their columns;
        the words of `unweighed` are left out of the query (unless nothing else is left).

        Only the hits' texts are read, from Chroma by id: the lexical side holds ids and columns.
        """
        lexical = self._ensure_lexical()
        rows = len(lexical.ids)
        if lexical.model is None or not rows:
            return []
        # a question in plain words also asks by the acronym they stand for (ingest/glossary.py)
        words = lexical_words(mark(query, question=True, learned=self.acronyms()))
        if not words:
            return []
        if unweighed:
            dropped = set(lexical_words(" ".join(unweighed)))
            words = [w for w in words if w not in dropped] or words
        mask = None
        if select is not None:
            mask = select(lexical.columns).astype("float32")
            if not mask.any():
                return []
        docs, scores = lexical.model.retrieve(
            [words], k=min(n, rows), show_progress=False, n_threads=1, weight_mask=mask
        )
        found = [(lexical.ids[int(i)], float(s)) for i, s in zip(docs[0], scores[0], strict=True)]
        found = [(pid, score) for pid, score in found if score > 0]
        stored = self._fetch([pid for pid, _ in found], lexical.versions)
        return [(stored[pid], score) for pid, score in found if pid in stored]

    @property
    def stamp(self) -> str:
        """Changes whenever the set of live document versions changes."""
        return self._ensure_lexical().stamp

    def section_kinds(self) -> list[str]:
        """The section kinds present among the live passages."""
        return sorted(set(self._ensure_lexical().columns.section_kinds) - {""})

    def cached(self, passage_id: str) -> StoredPassage | None:
        """A live passage: from the recent search results when it is one of them, else Chroma."""
        self._ensure_lexical()
        with self._lock:
            hit = self._recent.get(passage_id)
        return hit or self.passage(passage_id)

    def _remember(self, hit: StoredPassage) -> StoredPassage:
        with self._lock:
            self._recent[hit.passage_id] = hit
            self._recent.move_to_end(hit.passage_id)
            while len(self._recent) > RECENT:
                self._recent.popitem(last=False)
        return hit

    def _fetch(self, passage_ids: list[str], versions: dict[str, str]) -> dict[str, StoredPassage]:
        """Passages by id, in the versions the lexical rows were built from, in one round trip."""
        if not passage_ids:
            return {}
        ids = [f"{pid}@{versions[pid.split('#', 1)[0]]}" for pid in passage_ids]
        got = self.passages.get(ids=ids, include=["documents", "metadatas"])
        found: dict[str, StoredPassage] = {}
        for text, meta in zip(got["documents"] or [], got["metadatas"] or [], strict=True):
            hit = self._remember(StoredPassage.read(text, meta))
            found[hit.passage_id] = hit
        return found

    def live_passages(self, doc_id: str | Sequence[str] | None = None) -> Iterator[StoredPassage]:
        """Every live passage (of one document, of some, or of all), read a group of documents at
        a time.

        A writer switches a document's record, then deletes its old passages; a reader whose
        record is older than the switch would find none of them. So each document's count is
        checked against its record, and a document that falls short is read again under its
        record as it now stands: a reader sees one version or the other, never neither.
        """
        batch = self.client.get_max_batch_size()
        if doc_id is None:
            wanted = sorted(self._records)
        else:
            wanted = [doc_id] if isinstance(doc_id, str) else sorted(set(doc_id))
        group: list[str] = []
        size = 0
        for doc in wanted:
            record = self._records.get(doc)
            count = record.passages if record else 0
            if group and size + count > batch:
                yield from self._read_group(group, batch)
                group, size = [], 0
            group.append(doc)
            size += count
        if group:
            yield from self._read_group(group, batch)

    def _read_group(self, doc_ids: list[str], batch: int) -> Iterator[StoredPassage]:
        by_doc = self._live_rows(doc_ids, batch)
        for doc in doc_ids:
            rows = by_doc.get(doc, [])
            record = self._records.get(doc)
            if record is not None and len(rows) != record.passages:
                now = self._read_records([doc]).get(doc)
                if now is not None:
                    self._records[doc] = now
                else:
                    self._records.pop(doc, None)
                rows = self._live_rows([doc], batch).get(doc, [])
            yield from rows

    def _live_rows(self, doc_ids: list[str], batch: int) -> dict[str, list[StoredPassage]]:
        """The live passages of some documents, by document (one Chroma read per `batch`)."""
        where: Any = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": doc_ids}}
        by_doc: dict[str, list[StoredPassage]] = {}
        offset = 0
        while True:
            got = self.passages.get(
                where=where, limit=batch, offset=offset, include=["documents", "metadatas"]
            )
            if not got["ids"]:
                return by_doc
            for text, meta in zip(got["documents"] or [], got["metadatas"] or [], strict=True):
                if self.is_live(meta):
                    row = StoredPassage.read(text, meta)
                    by_doc.setdefault(row.doc_id, []).append(row)
            offset += len(got["ids"])

    def _lexical_cache(self) -> Path | None:
        return self.cache_dir / f"lexical-{self.name}" if self.cache_dir else None

    def _load_lexical(self, stamp: str) -> Lexical | None:
        """The lexical side from the disk cache when it was built for this stamp (no Chroma scan)."""
        cache = self._lexical_cache()
        if not cache or not (cache / "stamp").is_file() or (cache / "stamp").read_text() != stamp:
            return None
        import bm25s
        import numpy as np

        meta = json.loads((cache / "meta.json").read_text())
        model = (
            bm25s.BM25.load(str(cache / "bm25"), mmap=True, show_progress=False)
            if meta["rows"]
            else None
        )
        ids = PackedIds((cache / "ids.bin").read_bytes(), np.load(cache / "offsets.npy"))
        columns = self._columns(
            np.load(cache / "doc.npy"),
            np.load(cache / "section.npy"),
            meta["doc_ids"],
            meta["sections"],
        )
        return Lexical(stamp, model, ids, dict(meta["versions"]), columns)

    def _columns(
        self, doc: np.ndarray, section: np.ndarray, doc_ids: list[str], sections: list[str]
    ) -> PassageColumns:
        import numpy as np

        records = [self._records.get(d) for d in doc_ids]
        return PassageColumns(
            doc=doc,
            section=section,
            doc_ids=tuple(doc_ids),
            kinds=tuple(r.kind if r else "" for r in records),
            date_nums=np.array(
                [int(r.date.replace("-", "")) if r and r.date else 0 for r in records],
                dtype=np.int64,
            ),
            section_kinds=tuple(sections),
        )

    def _build_lexical(self, stamp: str) -> Lexical:
        """Read every live passage once; index context line + text; keep ids and columns only."""
        import bm25s
        import numpy as np

        ids: list[str] = []
        texts: list[str] = []
        doc_code: dict[str, int] = {}
        section_code: dict[str, int] = {}
        docs: list[int] = []
        sections: list[int] = []
        for row in self.live_passages():
            ids.append(row.passage_id)
            # plain words of an acronym add the acronym (ingest/glossary.py), as in questions
            texts.append(mark(f"{row.metadata.get('context', '')}\n{row.text}"))
            docs.append(doc_code.setdefault(row.doc_id, len(doc_code)))
            kind = str(row.metadata.get("section_kind") or "")
            sections.append(section_code.setdefault(kind, len(section_code)))
        model = None
        if texts:
            model = bm25s.BM25()
            model.index(lexical_tokens(texts), show_progress=False)
        del texts
        doc_ids = list(doc_code)
        versions = {d: self._records[d].version for d in doc_ids}
        packed = PackedIds.pack(ids)
        doc_arr, section_arr = np.array(docs, dtype=np.int32), np.array(sections, dtype=np.int32)
        columns = self._columns(doc_arr, section_arr, doc_ids, list(section_code))
        cache = self._lexical_cache()
        if cache:
            tmp = cache.with_name(f"{cache.name}.tmp-{os.getpid()}-{threading.get_ident()}")
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            if model is not None:
                model.save(str(tmp / "bm25"))
            (tmp / "ids.bin").write_bytes(packed.blob)
            np.save(tmp / "offsets.npy", packed.offsets)
            np.save(tmp / "doc.npy", doc_arr)
            np.save(tmp / "section.npy", section_arr)
            meta = {
                "rows": len(ids),
                "doc_ids": doc_ids,
                "versions": versions,
                "sections": list(section_code),
            }
            (tmp / "meta.json").write_text(json.dumps(meta))
            (tmp / "stamp").write_text(stamp)  # last: a folder without it is never read
            shutil.rmtree(cache, ignore_errors=True)
            tmp.rename(cache)
        if model is not None:
            model = (
                bm25s.BM25.load(str(cache / "bm25"), mmap=True, show_progress=False)
                if cache
                else model
            )
        return Lexical(stamp, model, packed, versions, columns)

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
        self,
        doc: Document,
        passages: list[Passage],
        vectors: np.ndarray,
        version: str,
        encoder: str = MODEL_NAME,
    ) -> DocRecord:
        """Write a document's passages, switch its record to them, then drop the old version."""
        ids = [f"{p.passage_id}@{version}" for p in passages]
        record = record_of(doc, version, len(passages), encoder)
        metas = [_passage_metadata(p, record) for p in passages]
        batch = self.client.get_max_batch_size()
        try:
            for i in range(0, len(ids), batch):
                self.passages.upsert(
                    ids=ids[i : i + batch],
                    embeddings=vectors[i : i + batch],
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
    return {key: meta[key] for key in names if meta.get(key) is not None}


def encoder_mismatch(index: PassageIndex, encoder_name: str) -> str | None:
    """Why questions cannot be encoded to match this index's vectors, or None when they can."""
    used = sorted({r.encoder for r in index.documents()} - {encoder_name})
    if not used:
        return None
    return (
        f"the index holds vectors made by {', '.join(used)} but the encoder in use is "
        f"{encoder_name}: set REVIEWQA_ENCODER_BACKEND to the backend the index was built with, "
        "or run `reviewqa ingest` again to re-embed"
    )


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
        "text": p.text,
    }
    if p.page_start is not None:
        meta["page_start"] = p.page_start
        meta["page_end"] = p.page_end or p.page_start
    return meta

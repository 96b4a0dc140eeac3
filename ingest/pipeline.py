"""Files and folders in, index updated: load -> structure -> passages -> embeddings -> Chroma.

Each file is committed on its own, so one bad file never stops or half-writes the others.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingest.embed import Encoder
from ingest.index import DocRecord, PassageIndex
from ingest.load import LoadError, file_format, load_file
from ingest.passages import make_passages
from ingest.structure import build_document

PARSER_VERSION = "1"  # bump when parsing or passage cutting changes, so files are re-ingested
Status = Literal["added", "updated", "unchanged", "failed", "removed"]


@dataclass(frozen=True)
class FileResult:
    """What happened to one file."""

    path: str
    status: Status
    passages: int = 0
    error: str | None = None
    doc_id: str | None = None


@dataclass
class IngestReport:
    """The outcome of one ingest run, as `reviewqa ingest --json` prints it."""

    files: list[FileResult] = field(default_factory=list)
    embedded: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> list[FileResult]:
        """Files that could not be ingested."""
        return [f for f in self.files if f.status == "failed"]

    def to_json(self) -> dict[str, object]:
        """The CLI's --json object."""
        return {
            "files": [
                {"path": f.path, "status": f.status, "passages": f.passages, "error": f.error}
                for f in self.files
            ],
            "embedded": self.embedded,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class IngestOptions:
    """The settings that shape passages (part of each document's version)."""

    max_bytes: int = 100_000_000
    max_tokens: int = 256
    merge_below: int = 48


Progress = Callable[[str, int], None]  # (event, amount): "file" when one is done, "embedded" n


def find_files(paths: Sequence[Path]) -> tuple[list[Path], list[FileResult], list[Path]]:
    """Expand the arguments: files to ingest, immediate failures, and the folders walked."""
    files: list[Path] = []
    failures: list[FileResult] = []
    folders: list[Path] = []
    for path in paths:
        if path.is_dir():
            folders.append(path.resolve())
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if not hidden and file_format(child) and not child.is_dir():
                    files.append(child)
        elif path.is_file() or path.is_symlink():
            files.append(path)
        else:
            failures.append(FileResult(str(path), "failed", error="no such file or folder"))
    return list(dict.fromkeys(files)), failures, folders


def ingest_paths(
    paths: Sequence[Path],
    index: PassageIndex,
    encoder: Encoder,
    options: IngestOptions | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest files and folders (recursively); prune documents gone from the folders given."""
    options = options or IngestOptions()
    started = time.perf_counter()
    report = IngestReport()
    files, failures, folders = find_files(paths)
    report.files.extend(failures)
    seen_sources: set[str] = set()
    # one look-up table for the run: each file's record is found by its absolute path
    by_source = {record.source: record for record in index.documents()}
    for path in files:
        source = str(path.resolve())
        seen_sources.add(source)
        existing = by_source.get(source)
        result, embedded = _ingest_file(path, source, existing, index, encoder, options, progress)
        report.files.append(result)
        report.embedded += embedded
        if progress:
            progress("file", 1)
    for record in list(index.documents()):
        inside = any(Path(record.source).is_relative_to(folder) for folder in folders)
        if inside and record.source not in seen_sources:
            index.remove(record.doc_id)
            report.files.append(FileResult(record.source, "removed", doc_id=record.doc_id))
    report.seconds = time.perf_counter() - started
    return report


def _ingest_file(
    path: Path,
    source: str,
    existing: DocRecord | None,
    index: PassageIndex,
    encoder: Encoder,
    options: IngestOptions,
    progress: Progress | None,
) -> tuple[FileResult, int]:
    try:
        raw = load_file(path, options.max_bytes)
    except LoadError as exc:
        return FileResult(str(path), "failed", error=str(exc)), 0
    raw.path = Path(source)  # the library records absolute paths; messages keep the user's
    version = hashlib.sha1(
        f"{raw.sha256}:{options.max_tokens}:{options.merge_below}:{PARSER_VERSION}".encode()
    ).hexdigest()[:16]
    if existing is not None and existing.version == version:
        return FileResult(str(path), "unchanged", existing.passages, doc_id=existing.doc_id), 0
    doc_id = existing.doc_id if existing else _new_doc_id(index, path, source)
    try:
        doc = build_document(raw, doc_id)
        passages = make_passages(doc, encoder.count_tokens, options.max_tokens, options.merge_below)
    except (ValueError, IndexError) as exc:
        return FileResult(str(path), "failed", error=f"cannot parse the document: {exc}"), 0
    if not passages:
        return FileResult(str(path), "failed", error="no paragraphs of text found"), 0
    import numpy as np

    reuse = index.stored_vectors(doc_id) if existing else {}
    todo = [i for i, p in enumerate(passages) if p.content_hash not in reuse]
    fresh = encoder.encode(
        [passages[i].embed_text for i in todo],
        progress=(lambda n: progress("embedded", n)) if progress else None,
    )
    vectors = np.zeros((len(passages), encoder.dimension), dtype=np.float32)
    for row, i in enumerate(todo):
        vectors[i] = fresh[row]
    for i, p in enumerate(passages):
        if p.content_hash in reuse:
            vectors[i] = reuse[p.content_hash]
    try:
        index.commit(doc, passages, vectors, version)
    except Exception as exc:  # a store failure must not stop the batch; the old version stays live
        return FileResult(str(path), "failed", error=f"cannot write to the index: {exc}"), 0
    status: Status = "updated" if existing else "added"
    return FileResult(str(path), status, len(passages), doc_id=doc_id), len(todo)


def _new_doc_id(index: PassageIndex, path: Path, source: str) -> str:
    """A readable id from the file name; a short hash is added only when the name is taken."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"
    taken = index.record(slug)
    if taken is None or not Path(taken.source).exists():
        return slug
    return f"{slug}-{hashlib.sha1(source.encode()).hexdigest()[:6]}"

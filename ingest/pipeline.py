"""Files and folders in, index updated: load -> structure -> passages -> embeddings -> Chroma.

Each file is committed on its own, so one bad file never stops or half-writes the others.
"""

from __future__ import annotations

import contextlib
import hashlib
import queue
import re
import threading
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingest.embed import MODEL_NAME, Encoder
from ingest.index import DocRecord, PassageIndex
from ingest.load import LoadError, file_format, load_file
from ingest.passages import Passage, make_passages
from ingest.structure import Document, build_document

PARSER_VERSION = "7"  # bump when parsing or passage cutting changes, so files are re-ingested
# a folder's notes on itself, passed over when the folder is walked
FOLDER_NOTE = re.compile(
    r"(?:read[ _-]?me|licen[cs]e|copying|change[ _-]?log|contributing)"
    r"(?:\.[A-Za-z0-9]+)?",
    re.IGNORECASE,
)
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


@dataclass(frozen=True)
class Found:
    """The arguments expanded: files to ingest, immediate failures, the folders walked, and the
    folders' own notes passed over (README.md)."""

    files: list[Path]
    failures: list[FileResult]
    folders: list[Path]
    notes: list[Path]


def is_folder_note(path: Path) -> bool:
    """A file that describes its folder (README, LICENSE, CHANGELOG, …), not a document of it."""
    return FOLDER_NOTE.fullmatch(path.name) is not None


def find_files(paths: Sequence[Path]) -> Found:
    """Expand the arguments. A folder is walked for every file of a supported format, less hidden
    ones and the folder's own notes (its README.md is no review); a file named is always taken."""
    files: list[Path] = []
    failures: list[FileResult] = []
    folders: list[Path] = []
    notes: list[Path] = []
    for path in paths:
        if path.is_dir():
            folders.append(path.resolve())
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if hidden or not file_format(child) or child.is_dir():
                    continue
                (notes if is_folder_note(child) else files).append(child)
        elif path.is_file() or path.is_symlink():
            files.append(path)
        else:
            failures.append(FileResult(str(path), "failed", error="no such file or folder"))
    named = set(files)
    return Found(
        list(dict.fromkeys(files)), failures, folders, [n for n in notes if n not in named]
    )


@dataclass
class _Parsed:
    """A file parsed and cut into passages, waiting for its vectors."""

    path: Path
    doc: Document
    passages: list[Passage]
    version: str
    existing: DocRecord | None


def ingest_paths(
    paths: Sequence[Path],
    index: PassageIndex,
    encoder: Encoder,
    options: IngestOptions | None = None,
    progress: Progress | None = None,
    window: int | None = None,
    prefetch: bool = True,
) -> IngestReport:
    """Ingest files and folders (recursively); prune documents gone from the folders given.

    Passages of consecutive files are encoded together, `window` passages at a time, sorted by
    token length across files, then each file is committed on its own. The window defaults to 1024
    passages, or 4 batches when that is more. With `prefetch` (the default) a thread parses files
    ahead while this one embeds; without it, files are parsed in turn (on two cores the two ways
    measured within each other's noise).
    """
    options = options or IngestOptions()
    window = window or max(1024, encoder.batch_size * 4)
    started = time.perf_counter()
    report = IngestReport()
    found = find_files(paths)
    files, failures, folders = found.files, found.failures, found.folders
    report.files.extend(failures)
    # one look-up table for the run: each file's record is found by its absolute path
    by_source = {record.source: record for record in index.documents()}
    pending: list[_Parsed] = []
    # closing(): on an error or an interrupt here, the parse thread is stopped at once
    with contextlib.closing(
        _parse_files(files, by_source, index, encoder, options, prefetch)
    ) as items:
        for item in items:
            if isinstance(item, FileResult):
                record = (
                    index.record(item.doc_id)
                    if item.status == "unchanged" and item.doc_id
                    else None
                )
                if record is not None and record.acronyms is None:
                    # recorded before acronyms were kept: written here, not by the parse thread
                    index.keep_acronyms(record.doc_id)
                report.files.append(item)
                if progress:
                    progress("file", 1)
                continue
            pending.append(item)
            if sum(len(p.passages) for p in pending) >= window:
                report.embedded += _embed_and_commit(pending, index, encoder, report, progress)
                pending = []
    report.embedded += _embed_and_commit(pending, index, encoder, report, progress)
    # results in the order the files were named, whatever order their work finished in
    position = {str(path): n for n, path in enumerate(files)}
    done = report.files[len(failures) :]
    report.files[len(failures) :] = sorted(done, key=lambda r: position.get(r.path, len(files)))
    seen_sources = {str(path.resolve()) for path in files}
    for record in list(index.documents()):
        inside = any(Path(record.source).is_relative_to(folder) for folder in folders)
        if inside and record.source not in seen_sources:
            index.remove(record.doc_id)
            report.files.append(FileResult(record.source, "removed", doc_id=record.doc_id))
    report.seconds = time.perf_counter() - started
    return report


def _parse_files(
    files: list[Path],
    by_source: dict[str, DocRecord],
    index: PassageIndex,
    encoder: Encoder,
    options: IngestOptions,
    prefetch: bool,
) -> Generator[FileResult | _Parsed, None, None]:
    """Each file parsed, in order: here, or by a thread that keeps a few files ahead."""
    claimed: set[str] = set()
    if not prefetch:
        for path in files:
            yield _parse_file(path, by_source, index, encoder, options, claimed)
        return
    parsed: queue.Queue[FileResult | _Parsed | BaseException | None] = queue.Queue(maxsize=8)
    stop = threading.Event()

    def parse_all() -> None:
        try:
            for path in files:
                if stop.is_set():
                    return
                parsed.put(_parse_file(path, by_source, index, encoder, options, claimed))
        except BaseException as exc:  # handed to the caller's thread, raised there
            parsed.put(exc)
        finally:
            parsed.put(None)

    parser = threading.Thread(target=parse_all, name="reviewqa-parse", daemon=True)
    parser.start()
    try:
        while (item := parsed.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while parser.is_alive():  # unblock a parser waiting on a full queue
            with contextlib.suppress(queue.Empty):
                parsed.get(timeout=0.05)


def _parse_file(
    path: Path,
    by_source: dict[str, DocRecord],
    index: PassageIndex,
    encoder: Encoder,
    options: IngestOptions,
    claimed: set[str],
) -> FileResult | _Parsed:
    """Load, structure and cut one file; a FileResult when it fails or has not changed."""
    try:
        raw = load_file(path, options.max_bytes)
    except LoadError as exc:
        return FileResult(str(path), "failed", error=str(exc))
    source = str(path.resolve())
    existing = by_source.get(source)
    raw.path = Path(source)  # the library records absolute paths; messages keep the user's
    # another encoder's vectors make another version, so switching encoders is atomic per file
    vectors_of = "" if encoder.name == MODEL_NAME else f":{encoder.name}"
    version = hashlib.sha1(
        f"{raw.sha256}:{options.max_tokens}:{options.merge_below}:{PARSER_VERSION}{vectors_of}".encode()
    ).hexdigest()[:16]
    if existing is not None and existing.version == version:
        return FileResult(str(path), "unchanged", existing.passages, doc_id=existing.doc_id)
    doc_id = existing.doc_id if existing else _new_doc_id(index, path, source, claimed)
    try:
        doc = build_document(raw, doc_id)
        passages = make_passages(doc, encoder.count_tokens, options.max_tokens, options.merge_below)
    except (ValueError, IndexError) as exc:
        return FileResult(str(path), "failed", error=f"cannot parse the document: {exc}")
    if not passages:
        return FileResult(str(path), "failed", error="no paragraphs of text found")
    return _Parsed(path, doc, passages, version, existing)


def _embed_and_commit(
    batch: list[_Parsed],
    index: PassageIndex,
    encoder: Encoder,
    report: IngestReport,
    progress: Progress | None,
) -> int:
    """Encode the new passages of several files in one call, then commit each file alone."""
    import numpy as np

    todo: list[tuple[int, int]] = []  # (file, passage) still without a vector
    reused: list[dict[str, list[float]]] = []
    fresh_of: list[int] = []  # per file: how many of its passages are encoded now
    for f, item in enumerate(batch):
        same = item.existing is not None and item.existing.encoder == encoder.name
        reuse = index.stored_vectors(item.doc.doc_id) if same else {}
        reused.append(reuse)
        new = [(f, i) for i, p in enumerate(item.passages) if p.content_hash not in reuse]
        fresh_of.append(len(new))
        todo += new
    passages = [batch[f].passages[i] for f, i in todo]
    fresh = encoder.encode(
        [p.embed_text for p in passages],
        progress=(lambda n: progress("embedded", n)) if progress else None,
        lengths=[p.tokens for p in passages] if all(p.tokens for p in passages) else None,
    )
    rows: dict[tuple[int, int], int] = {key: row for row, key in enumerate(todo)}
    embedded = 0
    for f, item in enumerate(batch):
        vectors = np.zeros((len(item.passages), encoder.dimension), dtype=np.float32)
        for i, p in enumerate(item.passages):
            row = rows.get((f, i))
            vectors[i] = fresh[row] if row is not None else reused[f][p.content_hash]
        try:
            index.commit(item.doc, item.passages, vectors, item.version, encoder.name)
        except Exception as exc:  # a store failure must not stop the batch; the old version stays
            error = f"cannot write to the index: {exc}"
            report.files.append(FileResult(str(item.path), "failed", error=error))
        else:
            status: Status = "updated" if item.existing else "added"
            result = FileResult(str(item.path), status, len(item.passages), doc_id=item.doc.doc_id)
            report.files.append(result)
            embedded += fresh_of[f]
        if progress:
            progress("file", 1)
    return embedded


def file_slug(path: Path) -> str:
    """The readable id a file's document gets when no other document has it: "bexley_2023-03-24.pdf"
    is "bexley-2023-03-24"."""
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"


def _new_doc_id(index: PassageIndex, path: Path, source: str, claimed: set[str]) -> str:
    """A readable id from the file name; a short hash is added only when the name is taken.

    `claimed` holds the ids given out in this run but not yet committed.
    """
    slug = file_slug(path)
    taken = index.record(slug)
    if slug not in claimed and (taken is None or not Path(taken.source).exists()):
        claimed.add(slug)
        return slug
    doc_id = f"{slug}-{hashlib.sha1(source.encode()).hexdigest()[:6]}"
    claimed.add(doc_id)
    return doc_id

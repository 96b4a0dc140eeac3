"""Uploaded files into the library: kept in the index folder, ingested, rolled back when they fail.

A failed upload leaves the library as it was: its file is removed again, or, when it replaced an
earlier upload of the same name, the earlier file is put back (the index still holds that version).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.embed import Encoder
from ingest.index import PassageIndex
from ingest.pipeline import FileResult, IngestOptions, IngestReport, Progress, ingest_paths
from ingest.settings import Settings

UPLOAD_DIR = "uploads"
BACKUP_SUFFIX = ".previous"


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it."""

    name: str
    data: bytes


def ingest_options(settings: Settings, encoder: Encoder) -> IngestOptions:
    """The passage-shaping options the settings ask for (the CLI uses the same)."""
    return IngestOptions(
        max_bytes=int(settings.max_file_mb * 1_000_000),
        max_tokens=min(settings.max_tokens, encoder.max_tokens),
        merge_below=settings.merge_below_tokens,
    )


def safe_name(name: str) -> str:
    """A plain file name for an upload: no folders, no leading dots, no odd characters."""
    base = re.split(r"[\\/]", name)[-1]
    base = re.sub(r"[^\w .()-]+", "-", base).strip(" .-")
    return base or "upload"


def add_uploads(
    uploads: Sequence[Upload],
    folder: Path,
    index: PassageIndex,
    encoder: Encoder,
    options: IngestOptions | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Save the uploads in `folder` and ingest them; undo the files of those that fail."""
    folder.mkdir(parents=True, exist_ok=True)
    saved: dict[Path, Path | None] = {}  # file -> the earlier upload it replaced
    for upload in uploads:
        target = folder / safe_name(upload.name)
        if target not in saved:
            backup = target.with_name(target.name + BACKUP_SUFFIX) if target.exists() else None
            if backup is not None:
                target.replace(backup)
            saved[target] = backup
        target.write_bytes(upload.data)
    report = ingest_paths(list(saved), index, encoder, options, progress)
    failed = {Path(result.path) for result in report.failed}
    for target, backup in saved.items():
        if target in failed:
            target.unlink(missing_ok=True)
            if backup is not None:
                backup.replace(target)
        elif backup is not None:
            backup.unlink(missing_ok=True)
    return report


def describe(result: FileResult) -> str:
    """One plain sentence about what happened to an uploaded file."""
    name = Path(result.path).name
    if result.status == "failed":
        return f"{name} was not added: {result.error}."
    if result.status == "unchanged":
        return f"{name} is already in the library."
    verb = "replaced the earlier version" if result.status == "updated" else "was added"
    passages = f"{result.passages} passage{'s' if result.passages != 1 else ''}"
    return f"{name} {verb} ({passages})."

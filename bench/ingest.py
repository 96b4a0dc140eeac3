"""Ingest benchmark on the real Ofsted reports: parse rate, embed rate, RSS, disk, and the ratio of
end-to-end ingest throughput to raw SentenceTransformer.encode throughput on the same passage texts,
measured side by side in one run (alternating in groups of files).

    python -m bench.ingest [--folder ../shared/corpus/ofsted] [--limit N] [--backend onnx-int8]

The raw rate is the same encoder's `encode` on the same passage texts, with no ingest work.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from ingest.embed import BACKENDS, load_encoder
from ingest.index import PassageIndex
from ingest.load import load_file
from ingest.passages import make_passages
from ingest.pipeline import ingest_paths
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT.parent / "shared" / "corpus" / "ofsted"
GROUP = 10  # files per round of parse / ingest / raw encode


def folder_size(path: Path) -> int:
    """Bytes on disk under a folder."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def machine() -> str:
    """A one-line description of this machine."""
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def save_result(folder: Path, name: str, result: dict[str, Any]) -> Path:
    """Write a result as folder/name.json, or name-2.json, -3, … when an earlier run of the same
    day holds that name: a second run never overwrites the first."""
    folder.mkdir(parents=True, exist_ok=True)
    target, n = folder / f"{name}.json", 1
    while target.exists():
        n += 1
        target = folder / f"{name}-{n}.json"
    target.write_text(json.dumps(result, indent=2) + "\n")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--backend", choices=BACKENDS, default="torch")
    parser.add_argument("--cache-dir", type=Path, help="folder of ONNX exports")
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.pdf"))
    if args.limit:
        files = files[: args.limit]
    if not files:
        raise SystemExit(f"no PDFs in {args.folder}")
    work = Path(tempfile.mkdtemp(prefix="reviewqa-bench-"))
    staged = work / "docs"
    staged.mkdir()
    for f in files:
        (staged / f.name).symlink_to(f.resolve())

    encoder = load_encoder(backend=args.backend, cache_dir=args.cache_dir)
    settings = Settings(index_dir=work / "index")
    from ingest.index import open_client
    from ingest.structure import build_document

    index = PassageIndex(open_client(settings), "passages", cache_dir=settings.index_dir)
    parse_s = load_s = ingest_s = raw_s = 0.0
    pages = passages = 0
    # Groups of files alternate between the three measurements, so that load from other work on
    # a shared machine falls on all of them alike and the ratio stays fair.
    for start in range(0, len(files), GROUP):
        group = files[start : start + GROUP]
        tick = time.perf_counter()
        texts: list[str] = []
        for f in group:
            loading = time.perf_counter()
            raw = load_file(f, 10**9)
            load_s += time.perf_counter() - loading
            pages += raw.pages or 0
            doc = build_document(raw, f.stem)
            texts.extend(p.embed_text for p in make_passages(doc, encoder.count_tokens))
        parse_s += time.perf_counter() - tick
        tick = time.perf_counter()
        report = ingest_paths([staged / f.name for f in group], index, encoder)
        ingest_s += time.perf_counter() - tick
        assert not report.failed, report.failed
        passages += report.embedded
        tick = time.perf_counter()
        encoder.encode(texts)
        raw_s += time.perf_counter() - tick
        print(
            f"{start + len(group)}/{len(files)} files, {passages} passages",
            file=sys.stderr,
            flush=True,
        )

    size = folder_size(settings.index_dir)
    result = {
        "benchmark": "ingest",
        "date": date.today().isoformat(),
        "machine": machine(),
        "command": "python -m bench.ingest"
        + (f" --limit {args.limit}" if args.limit else "")
        + (f" --backend {args.backend}" if args.backend != "torch" else ""),
        "backend": args.backend,
        "files": len(files),
        "pages": pages,
        "passages": passages,
        "pdf_load_seconds": round(load_s, 2),
        "pdf_load_pages_per_s": round(pages / load_s, 1),
        "parse_seconds": round(parse_s, 2),
        "parse_pages_per_s": round(pages / parse_s, 1),
        "ingest_seconds": round(ingest_s, 1),
        "ingest_passages_per_s": round(passages / ingest_s, 2),
        "raw_encode_seconds": round(raw_s, 1),
        "raw_encode_passages_per_s": round(passages / raw_s, 2),
        "ratio_end_to_end_to_raw": round(raw_s / ingest_s, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
        "index_mb": round(size / 1e6, 1),
        "disk_kb_per_passage": round(size / 1e3 / max(passages, 1), 1),
    }
    limit = f"-limit{args.limit}" if args.limit else ""
    save_result(args.out, f"ingest-{result['date']}-{args.backend}{limit}", result)
    print(json.dumps(result, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

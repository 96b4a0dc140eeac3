"""Ingest benchmark on the real Ofsted reports: parse rate, embed rate, RSS, disk, and the ratio of
end-to-end ingest throughput to raw SentenceTransformer.encode throughput on the same passage texts,
measured side by side in one run.

    python -m bench.ingest [--folder ../shared/corpus/ofsted] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from ingest.embed import load_encoder
from ingest.index import PassageIndex
from ingest.load import load_file
from ingest.passages import make_passages
from ingest.pipeline import ingest_paths
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT.parent / "shared" / "corpus" / "ofsted"


def folder_size(path: Path) -> int:
    """Bytes on disk under a folder."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def machine() -> str:
    """A one-line description of this machine."""
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
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

    encoder = load_encoder()
    settings = Settings(index_dir=work / "index")

    # 1. parsing alone (load + structure + passages), to report pages/s
    from ingest.structure import build_document

    started = time.perf_counter()
    pages = 0
    texts: list[str] = []
    for f in files:
        raw = load_file(f, 10**9)
        pages += raw.pages or 0
        doc = build_document(raw, f.stem)
        texts.extend(p.embed_text for p in make_passages(doc, encoder.count_tokens))
    parse_s = time.perf_counter() - started

    # 2. end-to-end ingest into a fresh on-disk index
    from ingest.index import open_client

    index = PassageIndex(open_client(settings), "passages", cache_dir=settings.index_dir)
    started = time.perf_counter()
    report = ingest_paths([staged], index, encoder)
    ingest_s = time.perf_counter() - started
    assert not report.failed, report.failed

    # 3. raw encoder throughput on exactly the same passage texts
    started = time.perf_counter()
    encoder.model.encode(texts, batch_size=encoder.batch_size, show_progress_bar=False)
    raw_s = time.perf_counter() - started

    size = folder_size(settings.index_dir)
    result = {
        "benchmark": "ingest",
        "date": date.today().isoformat(),
        "machine": machine(),
        "command": "python -m bench.ingest" + (f" --limit {args.limit}" if args.limit else ""),
        "files": len(files),
        "pages": pages,
        "passages": report.embedded,
        "parse_seconds": round(parse_s, 2),
        "parse_pages_per_s": round(pages / parse_s, 1),
        "ingest_seconds": round(ingest_s, 1),
        "ingest_passages_per_s": round(report.embedded / ingest_s, 2),
        "raw_encode_seconds": round(raw_s, 1),
        "raw_encode_passages_per_s": round(len(texts) / raw_s, 2),
        "ratio_end_to_end_to_raw": round((report.embedded / ingest_s) / (len(texts) / raw_s), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
        "index_mb": round(size / 1e6, 1),
        "disk_kb_per_passage": round(size / 1e3 / max(report.embedded, 1), 1),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    target = (
        args.out / f"ingest-{result['date']}{'-limit' + str(args.limit) if args.limit else ''}.json"
    )
    target.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

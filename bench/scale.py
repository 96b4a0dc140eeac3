"""ask() latency at scale: an index of N passages made from real Ofsted passages and their real
vectors, replicated as further documents (vectors slightly perturbed, renormalised), then opened
and questioned the way app.py does it, in a fresh process.

    python -m bench.scale --passages 100000 [--source /tmp/idx-ofsted] [--keep DIR] [--rounds 3]

Each replica is a document of its own (`<place>-<date>-r<k>`), with the place, date and title of
another real Ofsted report, so the library, Chroma and the lexical index have a real collection's
size and shape. The questions of tests/qa/ofsted.jsonl name the 15 source reports, which stay in
the index unchanged. With --keep, an index already built there for N passages is reused.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from bench.ingest import folder_size, machine, save_result
from ingest.index import (
    DOC_VECTOR,
    DocRecord,
    PassageIndex,
    StoredPassage,
    _passage_metadata,
    open_client,
)
from ingest.passages import Passage, _context
from ingest.settings import Settings
from ingest.structure import Document

ROOT = Path(__file__).resolve().parents[1]
OFSTED = ROOT.parent / "shared" / "corpus" / "ofsted"
NOISE = 0.01  # per-component noise: a replica's vector keeps cosine ~0.98 with its source's
SMALL = {"and", "of", "upon", "on", "the", "in"}


@dataclass
class Source:
    """One real document of the source index: its record, parsed text, passages and vectors."""

    record: DocRecord
    doc: Document
    passages: list[Passage]
    vectors: np.ndarray


def read_sources(folder: Path) -> list[Source]:
    """Every live document of an index, with its passages rebuilt from their stored metadata."""
    settings = Settings(index_dir=folder)
    index = PassageIndex(open_client(settings), settings.collection)
    sources: list[Source] = []
    for record in index.documents():
        doc = index.document(record.doc_id)
        assert doc is not None, record.doc_id
        got = index.passages.get(
            where={"$and": [{"doc_id": record.doc_id}, {"version": record.version}]},
            include=["documents", "metadatas", "embeddings"],
        )
        rows = sorted(
            zip(got["metadatas"] or [], got["documents"] or [], got["embeddings"], strict=True),
            key=lambda r: int(r[0]["char_start"]),
        )
        passages = [
            Passage(
                passage_id=str(m["passage_id"]),
                doc_id=record.doc_id,
                text=StoredPassage.read(text, m).text,
                context=str(m["context"]),
                labels=tuple(str(m["paragraphs"]).split(",")),
                section=str(m["section"]),
                section_kind=str(m["section_kind"]),
                char_start=int(m["char_start"]),  # type: ignore[arg-type]
                char_end=int(m["char_end"]),  # type: ignore[arg-type]
                page_start=m.get("page_start"),  # type: ignore[arg-type]
                page_end=m.get("page_end"),  # type: ignore[arg-type]
            )
            for m, text, _ in rows
        ]
        vectors = np.array([v for _, _, v in rows], dtype=np.float32)
        sources.append(Source(record, doc, passages, vectors))
    return sources


def place_pool(sources: list[Source]) -> list[tuple[str, str]]:
    """(place, date) of the real Ofsted reports that are not among the sources."""
    taken = {s.record.place.lower() for s in sources}
    pool = []
    for pdf in sorted(OFSTED.glob("*_*.pdf")):
        slug, _, day = pdf.stem.partition("_")
        words = slug.split("-")
        place = " ".join(w if w in SMALL and i else w.capitalize() for i, w in enumerate(words))
        if place.lower() not in taken and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            pool.append((place, day))
    return pool or [("Elsewhere", "2020-01-01")]


def replicas(
    sources: list[Source], pool: list[tuple[str, str]], seed: int = 0
) -> Iterator[tuple[Document, DocRecord, list[Passage], np.ndarray]]:
    """The sources unchanged, then replica after replica of each, as documents of their own."""
    rng = np.random.default_rng(seed)
    for s in sources:
        yield s.doc, s.record, s.passages, s.vectors
    k = 0
    while True:
        for s in sources:
            k += 1
            place, day = pool[k % len(pool)]
            doc_id = f"{place.lower().replace(' ', '-')}-{day}-r{k}"
            title = s.doc.title.replace(s.record.place, place) if s.record.place else s.doc.title
            doc = replace(s.doc, doc_id=doc_id, title=title, place=place, date=day)
            passages = [
                replace(
                    p,
                    passage_id=doc_id + p.passage_id[len(s.doc.doc_id) :],
                    doc_id=doc_id,
                    context=_context(doc, p.section),
                )
                for p in s.passages
            ]
            vectors = s.vectors + rng.normal(0.0, NOISE, s.vectors.shape).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            record = replace(s.record, doc_id=doc_id, title=title, place=place, date=day)
            yield doc, record, passages, vectors


def build(
    folder: Path, sources: list[Source], target: int, done: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Write an index of about `target` passages (whole documents) straight through Chroma.

    `done` is the build.json of a smaller index in `folder` to extend: its documents are
    regenerated (the replicas are deterministic) but not written again."""
    settings = Settings(index_dir=folder)
    index = PassageIndex(
        open_client(settings),
        settings.collection,
        cache_dir=folder,
        ef_search=settings.hnsw_ef_search,
    )
    batch = index.client.get_max_batch_size()
    ids: list[str] = []
    metas: list[dict[str, Any]] = []
    vecs: list[np.ndarray] = []
    doc_rows: list[tuple[str, str, dict[str, Any]]] = []
    total = docs = 0
    skip = int(done["documents"]) if done else 0
    started = time.perf_counter()

    def flush() -> None:
        if ids:
            index.passages.add(
                ids=list(ids),
                embeddings=np.concatenate(vecs),
                metadatas=list(metas),  # type: ignore[arg-type]
            )
        if doc_rows:
            index.docs.add(
                ids=[r[0] for r in doc_rows],
                embeddings=[DOC_VECTOR] * len(doc_rows),  # type: ignore[arg-type]
                documents=[r[1] for r in doc_rows],
                metadatas=[r[2] for r in doc_rows],  # type: ignore[misc]
            )
        for part in (ids, metas, vecs, doc_rows):
            part.clear()

    for doc, record, passages, vectors in replicas(sources, place_pool(sources)):
        if total >= target:
            break
        if docs < skip:
            total += len(passages)
            docs += 1
            continue
        if len(ids) + len(passages) > batch or len(doc_rows) >= batch:
            flush()
        ids += [f"{p.passage_id}@{record.version}" for p in passages]
        metas += [_passage_metadata(p, record) for p in passages]
        vecs.append(vectors)
        doc_rows.append((doc.doc_id, json.dumps(doc.to_json()), asdict(record)))
        total += len(passages)
        docs += 1
        if docs % 500 == 0 and docs > skip:
            rate = total / (time.perf_counter() - started)
            print(f"built {total} passages, {docs} documents, {rate:.0f}/s", file=sys.stderr)
    flush()
    seconds = time.perf_counter() - started
    written = total - (int(done["passages"]) if done else 0)
    before = float(done["build_seconds"]) if done else 0.0
    built = {
        "passages": total,
        "documents": docs,
        "build_seconds": round(before + seconds, 1),
        "build_passages_per_s": round(written / seconds, 1),
        "build_peak_rss_mb": peak_rss_mb(),
    }
    if done:
        built["extended_from"] = {k: v for k, v in done.items() if k != "extended_from"}
    return built


def peak_rss_mb() -> int:
    """This process's peak resident memory: VmHWM, which (unlike getrusage's maximum, which
    carries the parent's peak into a child started by fork and exec) is this program's own."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def serve(folder: Path, testset: Path, rounds: int) -> dict[str, Any]:
    """Open the index and the encoder as app.py does, then time ask() over a test set."""
    from ingest.embed import load_encoder
    from rag.ask import ask
    from rag.evaluate import load_testset

    settings = Settings(index_dir=folder)
    encoder = load_encoder()
    rss_encoder = peak_rss_mb()
    started = time.perf_counter()
    index = PassageIndex(
        open_client(settings),
        settings.collection,
        cache_dir=folder,
        ef_search=settings.hnsw_ef_search,
    )
    open_s = time.perf_counter() - started
    items = load_testset(testset)
    started = time.perf_counter()
    ask(items[0].user_input, index=index, encoder=encoder, settings=settings)
    first_s = time.perf_counter() - started
    times: list[float] = []
    unembedded: list[float] = []  # all but encoding the question: what the index side costs
    parts: dict[str, list[float]] = {}
    for _ in range(rounds):
        for item in items:
            started = time.perf_counter()
            answer = ask(
                item.user_input, item.history, index=index, encoder=encoder, settings=settings
            )
            times.append((time.perf_counter() - started) * 1000)
            unembedded.append(times[-1] - answer.timings_ms.get("embed", 0.0))
            for key, value in answer.timings_ms.items():
                parts.setdefault(key, []).append(value)
    result: dict[str, Any] = {
        "passages": index.count(),
        "documents": len(index.documents()),
        "open_seconds": round(open_s, 2),
        "first_ask_seconds": round(first_s, 2),
        "rss_after_encoder_mb": rss_encoder,
    }
    if times:
        cuts = statistics.quantiles(times, n=100, method="inclusive")
        result |= {
            "questions": len(times),
            "p50_ms": round(cuts[49], 1),
            "p95_ms": round(cuts[94], 1),
            "max_ms": round(max(times), 1),
            "p50_without_embed_ms": round(statistics.median(unembedded), 1),
            "p95_without_embed_ms": round(
                statistics.quantiles(unembedded, n=100, method="inclusive")[94], 1
            ),
            "median_parts_ms": {k: round(statistics.median(v), 1) for k, v in parts.items()},
        }
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def serve_in_child(folder: Path, testset: Path, rounds: int) -> dict[str, Any]:
    """`serve` in a fresh process, so its peak RSS is the app's, not the builder's."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--serve", str(folder), "--testset", str(testset)]
        + ["--rounds", str(rounds)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passages", type=int, default=10_000)
    parser.add_argument("--source", type=Path, default=Path("/tmp/idx-ofsted"))
    parser.add_argument("--testset", type=Path, default=ROOT / "tests" / "qa" / "ofsted.jsonl")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build here and keep it (reused if built)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--build-only", action="store_true", help="build (with --keep), no questions"
    )
    parser.add_argument(
        "--extend", action="store_true", help="grow a smaller index kept in --keep to --passages"
    )
    parser.add_argument(
        "--warm-only",
        action="store_true",
        help="with --keep: reuse the lexical index and term counts a cold open left, skip it",
    )
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        print(json.dumps(serve(args.serve, args.testset, args.rounds)))
        return 0

    folder = args.keep or Path(tempfile.mkdtemp(prefix=f"scale-{args.passages}-", dir="/tmp"))
    built_file = folder / "build.json"
    kept = json.loads(built_file.read_text()) if built_file.is_file() else None
    if kept and kept["target"] == args.passages:
        built = kept
        print(f"reusing the index built in {folder}", file=sys.stderr)
    elif kept and args.extend and kept["passages"] < args.passages:
        print(f"extending the index in {folder} from {kept['passages']}", file=sys.stderr)
        built = {"target": args.passages} | build(
            folder, read_sources(args.source), args.passages, kept
        )
        built_file.write_text(json.dumps(built, indent=2) + "\n")
    else:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        built = {"target": args.passages} | build(folder, read_sources(args.source), args.passages)
        built_file.write_text(json.dumps(built, indent=2) + "\n")
    if args.build_only:
        print(json.dumps(built, indent=2))
        return 0
    disk = folder_size(folder / "chroma")
    cold: dict[str, Any] = {}
    if not args.warm_only:
        for cache in ("lexical", "stats"):  # the first open builds what a restart then reuses
            shutil.rmtree(folder / f"{cache}-{Settings().collection}", ignore_errors=True)
        cold = serve_in_child(folder, args.testset, 0)  # builds the lexical index, term counts
    warm = serve_in_child(folder, args.testset, args.rounds)  # opens from them, as a restart does
    result = {
        "benchmark": "scale",
        "date": date.today().isoformat(),
        "machine": machine(),
        "command": f"python -m bench.scale --passages {args.passages} --rounds {args.rounds}"
        + (" --warm-only" if args.warm_only else ""),
        "source": str(args.source),
        **{k: v for k, v in built.items() if k != "target"},
        "passages": warm["passages"],
        "documents": warm["documents"],
        "chroma_mb": round(disk / 1e6, 1),
        "disk_mb": round(folder_size(folder) / 1e6, 1),
        "open_cold_seconds": cold.get("open_seconds"),
        "first_ask_cold_seconds": cold.get("first_ask_seconds"),
        "open_warm_seconds": warm["open_seconds"],
        "first_ask_warm_seconds": warm["first_ask_seconds"],
        "peak_rss_cold_open_mb": cold.get("peak_rss_mb"),
        **{k: v for k, v in warm.items() if k not in ("open_seconds", "first_ask_seconds")},
    }
    suffix = "-warm" if args.warm_only else ""
    save_result(args.out, f"scale-{result['date']}-{args.passages}{suffix}", result)
    print(json.dumps(result, indent=2))
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

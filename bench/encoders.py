"""Encoder backends side by side: passages/s of PyTorch, ONNX fp32 and ONNX int8 on the same real
passages (rounds alternate the order, so load on a shared machine falls on each alike), how far
their vectors are from PyTorch's, and, with --eval, both QA sets' metrics on indexes each backend
built itself.

    python -m bench.encoders [--files 8] [--rounds 3] [--eval]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from bench.ingest import DEFAULT_FOLDER, ROOT, machine, save_result
from ingest.embed import BACKENDS, Encoder, load_encoder
from ingest.index import PassageIndex, open_client
from ingest.load import load_file
from ingest.passages import make_passages
from ingest.pipeline import ingest_paths
from ingest.settings import Settings
from ingest.structure import build_document
from rag.evaluate import ask_runner, load_testset, run_items, summarise

QA = ROOT / "tests" / "qa"
METRICS = ("quote_recall_at_k", "hit_at_k", "mrr", "refusal_recall", "answered_rate")


def passage_texts(folder: Path, files: int, encoder: Encoder) -> list[str]:
    """The embedding texts of the first passages of real reports, as ingest cuts them."""
    texts: list[str] = []
    for path in sorted(folder.glob("*.pdf"))[:files]:
        doc = build_document(load_file(path, 10**9), path.stem)
        texts += [p.embed_text for p in make_passages(doc, encoder.count_tokens)]
    return texts


def speed(encoders: dict[str, Encoder], texts: list[str], rounds: int) -> dict[str, Any]:
    """passages/s per backend over `rounds` rounds, the order rotating each round."""
    seconds = dict.fromkeys(encoders, 0.0)
    names = list(encoders)
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            start = time.perf_counter()
            encoders[name].encode(texts)
            seconds[name] += time.perf_counter() - start
    rates = {name: round(len(texts) * rounds / s, 2) for name, s in seconds.items()}
    return {
        "passages_per_s": rates,
        "speedup_vs_torch": {name: round(rates[name] / rates["torch"], 2) for name in rates},
    }


def closeness(encoders: dict[str, Encoder], texts: list[str]) -> dict[str, dict[str, float]]:
    """Cosine of each backend's vectors to PyTorch's, per passage: min and mean."""
    reference = encoders["torch"].encode(texts)
    out: dict[str, dict[str, float]] = {}
    for name, encoder in encoders.items():
        cosines = np.sum(reference * encoder.encode(texts), axis=1)
        out[name] = {"min": round(float(cosines.min()), 4), "mean": round(float(cosines.mean()), 4)}
    return out


def quality(encoder: Encoder, work: Path, ofsted: Path) -> dict[str, dict[str, Any]]:
    """Both QA sets on indexes this encoder built: overall metrics and recall per category."""
    sets = {"corpus": (QA / "corpus.jsonl", [ROOT / "corpus" / "documents"])}
    if ofsted.is_dir():
        staged = work / "ofsted-docs"
        staged.mkdir(exist_ok=True)
        for name in (QA / "ofsted_reports.txt").read_text().split():
            if not (staged / name).exists():
                (staged / name).symlink_to(ofsted / name)
        sets["ofsted"] = (QA / "ofsted.jsonl", [staged])
    out: dict[str, dict[str, Any]] = {}
    for name, (testset, docs) in sets.items():
        settings = Settings(index_dir=work / f"{name}-{encoder.name}")
        index = PassageIndex(open_client(settings), "passages", cache_dir=settings.index_dir)
        report = ingest_paths(docs, index, encoder)
        assert not report.failed, report.failed
        rows = run_items(load_testset(testset), ask_runner(index, encoder, settings), 5)
        summary = summarise(rows)
        out[name] = {m: summary["overall"][m] for m in METRICS} | {
            "recall_by_category": {
                cat: values["quote_recall_at_k"] for cat, values in summary["by_category"].items()
            }
        }
    return out


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--files", type=int, default=8, help="reports whose passages are encoded")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--eval", action="store_true", help="also run both QA sets per backend")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reviewqa-encoders-"))
    loads: dict[str, float] = {}
    encoders: dict[str, Encoder] = {}
    for backend in BACKENDS:
        start = time.perf_counter()
        encoders[backend] = load_encoder(backend=backend, cache_dir=work / "models")
        loads[backend] = round(time.perf_counter() - start, 2)  # ONNX: includes the export
    texts = passage_texts(args.folder, args.files, encoders["torch"])
    tokens = encoders["torch"].count_tokens(texts)
    result: dict[str, Any] = {
        "benchmark": "encoders",
        "date": date.today().isoformat(),
        "machine": machine(),
        "command": f"python -m bench.encoders --files {args.files} --rounds {args.rounds}"
        + (" --eval" if args.eval else ""),
        "passages": len(texts),
        "mean_tokens": round(float(np.mean(tokens)), 1),
        "load_seconds_first_time": loads,
        **speed(encoders, texts, args.rounds),
        "cosine_to_torch": closeness(encoders, texts),
    }
    if args.eval:
        result["quality"] = {
            name: quality(encoder, work, args.folder)
            for name, encoder in encoders.items()
            if name != "onnx"  # fp32 ONNX gives PyTorch's vectors (see the cosines)
        }
    save_result(args.out, f"encoders-{result['date']}{'-eval' if args.eval else ''}", result)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

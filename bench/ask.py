"""ask() latency on an index (extractive mode, model loaded): p50/p95 over a test set's questions.

python -m bench.ask --index DIR [--testset tests/qa/corpus.jsonl] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import date
from pathlib import Path

from bench.ingest import machine, save_result
from ingest.embed import load_encoder
from ingest.index import PassageIndex, open_client
from ingest.settings import Settings
from rag.ask import ask
from rag.evaluate import load_testset

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--testset", type=Path, default=ROOT / "tests" / "qa" / "corpus.jsonl")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    settings = Settings(index_dir=args.index)
    index = PassageIndex(open_client(settings), settings.collection, cache_dir=args.index)
    encoder = load_encoder()
    items = load_testset(args.testset)
    ask(items[0].user_input, index=index, encoder=encoder, settings=settings)  # warm-up
    times: list[float] = []
    for _ in range(args.rounds):
        for item in items:
            started = time.perf_counter()
            ask(item.user_input, item.history, index=index, encoder=encoder, settings=settings)
            times.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    result = {
        "benchmark": "ask",
        "date": date.today().isoformat(),
        "machine": machine(),
        "command": f"python -m bench.ask --index {args.index} --testset {args.testset.name}",
        "passages": index.count(),
        "questions": len(times),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "max_ms": round(max(times), 1),
    }
    save_result(args.out, f"ask-{args.testset.stem}-{result['date']}", result)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

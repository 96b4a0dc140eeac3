"""What the acronym glossary costs where every passage is read: the lexical index's tokens and the
passage terms counted for the refusal model, with and without marking (ingest/glossary.py).

python -m bench.glossary --index DIR [--repeat 4]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bench.ingest import ROOT, machine, save_result
from ingest.glossary import mark
from ingest.index import PassageIndex, lexical_tokens, open_client
from ingest.settings import Settings
from rag.query import content_terms, marked_stems, stem


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of `runs` timings of `work`, in seconds."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=4, help="each passage read this many times")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    settings = Settings(index_dir=args.index)
    index = PassageIndex(open_client(settings), settings.collection, cache_dir=args.index)
    texts = [
        f"{row.metadata.get('context', '')}\n{row.text}" for row in index.live_passages()
    ] * args.repeat
    work: dict[str, Callable[[], object]] = {
        "mark": lambda: [mark(t) for t in texts],
        "lexical_tokens": lambda: lexical_tokens(texts),
        "lexical_tokens_marked": lambda: lexical_tokens([mark(t) for t in texts]),
        "stems": lambda: [{stem(w) for w in content_terms(t)} for t in texts],
        "passage_stems_marked": lambda: [marked_stems(t) for t in texts],
    }
    seconds = {name: best_of(3, fn) for name, fn in work.items()}
    result = {
        "benchmark": "glossary",
        "date": date.today().isoformat(),
        "machine": machine(),
        "command": f"python -m bench.glossary --index {args.index} --repeat {args.repeat}",
        "passages_read": len(texts),
        "seconds_per_100k_passages": {
            name: round(s / len(texts) * 100_000, 1) for name, s in seconds.items()
        },
    }
    print(json.dumps(result, indent=2))
    save_result(args.out, f"glossary-{result['date']}", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""GPU ingest, the one prepared script for a session lent a GPU (not part of CI; under 5 minutes).

Parses the Ofsted reports, then measures on the GPU: raw encoder passages/s on their real passages
(bf16, batch sized to free memory), the same at a fixed 256 and 128 tokens (the anchors of issue 6:
about 41,800/s and 84,700/s on one H200), and end-to-end `ingest_paths` into a fresh index.

    python -m bench.gpu [--device cuda] [--files 221] [--budget-s 240]
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

from bench.ingest import DEFAULT_FOLDER, ROOT, machine, save_result
from ingest.embed import TorchEncoder, load_torch
from ingest.index import PassageIndex, open_client
from ingest.load import load_file
from ingest.passages import make_passages
from ingest.pipeline import ingest_paths
from ingest.settings import Settings
from ingest.structure import build_document


def rate(encoder: TorchEncoder, texts: list[str], repeats: int = 1) -> float:
    """passages/s of the encoder alone over the texts (after one warm-up batch)."""
    import torch

    encoder.encode(texts[: encoder.batch_size])
    if encoder.model.device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        encoder.encode(texts)
    if encoder.model.device.type == "cuda":
        torch.cuda.synchronize()
    return round(len(texts) * repeats / (time.perf_counter() - start), 1)


def fixed_length(encoder: TorchEncoder, texts: list[str], tokens: int) -> list[str]:
    """Texts cut or repeated to exactly `tokens` tokens (special tokens included)."""
    vocab = encoder.counter
    out: list[str] = []
    for text in texts:
        ids = vocab.encode(text, add_special_tokens=False).ids
        while len(ids) < tokens:
            ids = ids + ids
        out.append(vocab.decode(ids[: tokens - 2]))
    return out


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--files", type=int, default=221)
    parser.add_argument("--budget-s", type=float, default=240.0, help="stop parsing after this")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    started = time.perf_counter()
    encoder = load_torch(args.device)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    files = sorted(args.folder.glob("*.pdf"))[: args.files]
    texts: list[str] = []
    parsed: list[Path] = []
    for path in files:
        if time.perf_counter() - started > args.budget_s / 3:
            break  # keep two thirds of the budget for the GPU
        doc = build_document(load_file(path, 10**9), path.stem)
        texts += [p.embed_text for p in make_passages(doc, encoder.count_tokens)]
        parsed.append(path)
    parse_s = time.perf_counter() - started
    result: dict[str, Any] = {
        "benchmark": "gpu-ingest",
        "date": date.today().isoformat(),
        "machine": machine(),
        "device": args.device,
        "gpu": _gpu_name(args.device),
        "command": f"python -m bench.gpu --device {args.device} --files {args.files}",
        "batch_size": encoder.batch_size,
        "files": len(parsed),
        "passages": len(texts),
        "model_load_seconds": round(load_s, 1),
        "parse_seconds": round(parse_s, 1),
        "raw_passages_per_s": rate(encoder, texts),
        "raw_passages_per_s_256_tokens": rate(encoder, fixed_length(encoder, texts[:8192], 256)),
        "raw_passages_per_s_128_tokens": rate(encoder, fixed_length(encoder, texts[:8192], 128)),
        "anchor_h200_passages_per_s": {"256_tokens": 41800, "128_tokens": 84700},
    }
    with tempfile.TemporaryDirectory(prefix="reviewqa-gpu-") as work:
        settings = Settings(index_dir=Path(work))
        index = PassageIndex(open_client(settings), "passages", cache_dir=settings.index_dir)
        start = time.perf_counter()
        report = ingest_paths(parsed, index, encoder)
        seconds = time.perf_counter() - start
    result["ingest_seconds"] = round(seconds, 1)
    result["ingest_passages_per_s"] = round(report.embedded / seconds, 1)
    result["ingest_failed"] = len(report.failed)
    save_result(args.out, f"gpu-{result['date']}-{args.device.replace(':', '')}", result)
    print(json.dumps(result, indent=2))
    return 0


def _gpu_name(device: str) -> str | None:
    import torch

    if not device.startswith("cuda") or not torch.cuda.is_available():
        return None
    return str(torch.cuda.get_device_name(torch.device(device)))


if __name__ == "__main__":
    raise SystemExit(main())

"""How questions with a typing slip fare: each question of a QA set is given one slip (a letter
left out, two swapped, one doubled, or one struck by its neighbour on the keyboard) in one word of
five letters or more, and the set is asked as written, and with its slips with and without
reading misspelt words again (rag/spelling.py), in one run on one index.

python -m bench.typos --index DIR tests/qa/corpus.jsonl [more sets] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import random
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from bench.ingest import ROOT, machine, save_result
from rag.evaluate import Item, ask_runner, load_testset, run_items, summarise
from rag.query import STOPWORDS
from rag.spelling import TYPED, record_words, respell

# each letter's neighbours on a UK keyboard, for a key struck beside the one meant
NEIGHBOURS = {
    "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij",
    "i": "uok", "o": "ipl", "p": "o", "a": "qsz", "s": "adwx", "d": "sfex", "f": "dgrc",
    "g": "fhtv", "h": "gjyb", "j": "hkun", "k": "jlim", "l": "ko", "z": "ax", "x": "zcs",
    "c": "xvd", "v": "cbf", "b": "vng", "n": "bmj", "m": "nk",
}  # fmt: skip
SLIPS = ("left out", "swapped", "doubled", "neighbour")
SHOWN = ("quote_recall_at_k", "mrr", "refusal_recall", "answered_rate")


def slip(word: str, rng: random.Random) -> str:
    """The word with one slip after its first letter (a reader's eye holds the first letter)."""
    while True:
        kind, i = rng.choice(SLIPS), rng.randrange(1, len(word))
        lower = word[i].lower()
        if kind == "left out":
            typed = word[:i] + word[i + 1 :]
        elif kind == "swapped" and i + 1 < len(word):
            typed = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif kind == "doubled":
            typed = word[:i] + word[i] + word[i:]
        elif kind == "neighbour" and lower in NEIGHBOURS:
            typed = word[:i] + rng.choice(NEIGHBOURS[lower]) + word[i + 1 :]
        else:
            continue
        if typed != word:
            return typed


def with_slip(item: Item, seed: int) -> tuple[Item, str, str]:
    """The item with one slip in one of its question's words of five letters or more (the same
    slip for the same seed), and the word before and after."""
    rng = random.Random(f"{seed}:{item.id}")
    words = [
        m
        for m in TYPED.finditer(item.user_input)
        if len(m.group()) >= 5 and m.group().lower() not in STOPWORDS
    ]
    if not words:
        return item, "", ""
    m = rng.choice(words)
    typed = slip(m.group(), rng)
    question = item.user_input[: m.start()] + typed + item.user_input[m.end() :]
    return replace(item, user_input=question), m.group(), typed


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sets", type=Path, nargs="+")
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()

    from ingest.settings import Settings
    from rag.ask import corpus_stats
    from rag.cli import load_encoder, open_filled_index

    settings = Settings(index_dir=args.index)
    index = open_filled_index(settings)
    encoder = load_encoder(settings, index)
    held, names = corpus_stats(index)[0], record_words(index.documents())
    literal = settings.model_copy(update={"respell": False})
    result: dict[str, Any] = {
        "benchmark": "typos",
        "date": date.today().isoformat(),
        "machine": machine(),
        "command": f"python -m bench.typos --index {args.index} --seed {args.seed} "
        + " ".join(str(s) for s in args.sets),
        "sets": {},
    }
    for path in args.sets:
        items = load_testset(path)
        slipped = [with_slip(item, args.seed) for item in items]
        read_back = {"as meant": 0, "as another word": 0, "left as typed": 0}
        for asked, meant, typed in slipped:
            changes = dict(respell(asked.user_input, held, names=names).changes)
            if typed not in changes:
                read_back["left as typed"] += 1
            elif changes[typed].lower() == meant.lower():
                read_back["as meant"] += 1
            else:
                read_back["as another word"] += 1
        runs = {
            "as written": run_items(items, ask_runner(index, encoder, settings), settings.top_k),
            "slips, read as typed": run_items(
                [s[0] for s in slipped], ask_runner(index, encoder, literal), settings.top_k
            ),
            "slips, respelled": run_items(
                [s[0] for s in slipped], ask_runner(index, encoder, settings), settings.top_k
            ),
        }
        scores = {name: summarise(rows)["overall"] for name, rows in runs.items()}
        result["sets"][path.stem] = {
            "items": len(items),
            "slips read back": read_back,
            "examples": [
                {"id": s[0].id, "meant": s[1], "typed": s[2]} for s in slipped[:5] if s[2]
            ],
            "scores": {
                name: {m: None if o[m] is None else round(o[m], 3) for m in SHOWN}
                for name, o in scores.items()
            },
        }
        print(f"{path.stem}: {len(items)} items; slips read back {read_back}")
        for name, o in scores.items():
            shown = "  ".join(f"{m} {'-' if o[m] is None else f'{o[m]:.3f}'}" for m in SHOWN)
            print(f"  {name:22s} {shown}")
    saved = save_result(args.out, f"typos-{result['date']}", result)
    print(f"saved {saved}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

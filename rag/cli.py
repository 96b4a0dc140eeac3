"""The `reviewqa` command: ingest, docs, ask, eval.

Exit codes: 0 success, 1 some work failed (the rest was done), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ingest.embed import Encoder
    from ingest.index import PassageIndex
    from ingest.settings import Settings


class UsageError(Exception):
    """A command line that cannot be carried out as written (exit 2)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="reviewqa",
        description="Answer questions over review documents, with verifiable citations.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--index", type=Path, help="index folder (default: REVIEWQA_INDEX_DIR)")
        p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("ingest", help="add files or folders (recursively) to the index")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--device", help="encode on this torch device, e.g. cuda (default: cpu)")
    common(p)

    p = sub.add_parser("docs", help="list the documents in the index")
    common(p)

    p = sub.add_parser("ask", help="answer a question with citations")
    p.add_argument("question")
    p.add_argument("--history", action="append", default=[], metavar="Q")
    p.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE")
    common(p)

    p = sub.add_parser("eval", help="score a JSONL test set")
    p.add_argument("testset", type=Path)
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--out", type=Path)
    p.add_argument("--report", type=Path)
    p.add_argument("--baseline", choices=["naive"])
    p.add_argument("--min", action="append", default=[], metavar="METRIC=VALUE", dest="floors")
    common(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from ingest.settings import Settings

    overrides: dict[str, Any] = {}
    if args.index is not None:
        overrides["index_dir"] = args.index
    if getattr(args, "device", None):
        overrides["device"] = args.device
    try:
        settings = Settings(**overrides)
        handler = {"ingest": cmd_ingest, "docs": cmd_docs, "ask": cmd_ask, "eval": cmd_eval}
        return handler[args.command](args, settings)
    except UsageError as exc:
        print(f"reviewqa: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("reviewqa: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the user gets one line, never a traceback
        print(f"reviewqa: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def open_index(settings: Settings) -> PassageIndex:
    """The passage index named by the settings (local folder or Chroma server), searched with
    the glossary the settings name."""
    from ingest import glossary
    from ingest.index import PassageIndex, open_client

    try:
        glossary.use(settings.glossary_file)
    except glossary.GlossaryError as exc:
        raise UsageError(str(exc)) from None

    try:
        client = open_client(settings)
    except Exception as exc:
        where = (
            f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}"
            if settings.chroma_host
            else f"the index folder {settings.index_dir}"
        )
        raise RuntimeError(f"cannot open {where}: {exc}") from None
    return PassageIndex(
        client,
        settings.collection,
        cache_dir=settings.index_dir,
        ef_search=settings.hnsw_ef_search,
    )


def open_filled_index(settings: Settings) -> PassageIndex:
    """The index, or a usage error saying how to fill it when it is empty."""
    index = open_index(settings)
    if not index.documents():
        raise UsageError(
            f"the index at {settings.index_dir} is empty: run `reviewqa ingest PATH` first"
        )
    return index


def load_encoder(settings: Settings, index: PassageIndex | None = None) -> Encoder:
    """The packaged encoder on the configured backend; with an index, checked to match its vectors."""
    from ingest.embed import EncoderError, encoder_name
    from ingest.embed import load_encoder as load
    from ingest.index import encoder_mismatch

    # checked before loading: a mismatch needs no model to be found, and loading takes seconds
    if index is not None and (
        problem := encoder_mismatch(index, encoder_name(settings.encoder_backend))
    ):
        raise UsageError(problem)
    try:
        return load(
            device=settings.device,
            batch_size=settings.embed_batch_size,
            backend=settings.encoder_backend,
            cache_dir=settings.model_cache_dir,
        )
    except EncoderError as exc:
        raise UsageError(str(exc)) from None


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """`reviewqa ingest PATH...`"""
    from ingest.pipeline import IngestOptions, find_files, ingest_paths

    encoder = load_encoder(settings)
    index = open_index(settings)
    options = IngestOptions(
        max_bytes=int(settings.max_file_mb * 1_000_000),
        max_tokens=min(settings.max_tokens, encoder.max_tokens),
        merge_below=settings.merge_below_tokens,
    )
    found = find_files(args.paths)
    bar = _progress_bar(len(found.files)) if not args.json else None
    report = ingest_paths(args.paths, index, encoder, options, progress=bar.update if bar else None)
    if bar:
        bar.close()
    for result in report.failed:
        print(f"reviewqa: {result.path}: {result.error}", file=sys.stderr)
    for note in found.notes:
        print(
            f"reviewqa: {note}: passed over as the folder's own note; name it to ingest it",
            file=sys.stderr,
        )
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        counts: dict[str, int] = {}
        for result in report.files:
            counts[result.status] = counts.get(result.status, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        print(
            f"{len(report.files)} files ({summary or 'none'}); {report.embedded} passages embedded "
            f"in {report.seconds:.1f} s; {index.count()} passages in {len(index.documents())} documents"
        )
    return 1 if report.failed else 0


class _Bar:
    """A tqdm bar over files whose postfix shows passages embedded and passages/s."""

    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=total, unit="file", desc="ingest", file=sys.stderr, leave=True)
        self.embedded = 0
        self.started = time.perf_counter()

    def update(self, event: str, amount: int) -> None:
        if event == "file":
            self.bar.update(amount)
        else:
            self.embedded += amount
        rate = self.embedded / max(time.perf_counter() - self.started, 1e-9)
        self.bar.set_postfix(passages=self.embedded, per_s=f"{rate:.1f}", refresh=True)

    def close(self) -> None:
        self.bar.close()


def _progress_bar(total: int) -> _Bar | None:
    return _Bar(total) if sys.stderr.isatty() else None


def cmd_docs(args: argparse.Namespace, settings: Settings) -> int:
    """`reviewqa docs`"""
    index = open_index(settings)
    records = index.documents()
    rows: list[dict[str, Any]] = [
        {
            "doc_id": r.doc_id,
            "title": r.title,
            "kind": r.kind,
            "date": r.date or None,
            "source": r.source,
            "passages": r.passages,
        }
        for r in records
    ]
    if args.json:
        print(json.dumps({"documents": rows}, ensure_ascii=False))
        return 0
    if not rows:
        print(f"no documents in {settings.index_dir} (add some with: reviewqa ingest PATH)")
        return 0
    width = max(len(r["doc_id"]) for r in rows)
    for r in rows:
        print(
            f"{r['doc_id']:<{width}}  {r['kind']:<10} {r['date'] or '':<10}  {r['passages']:>5}  {r['title']}"
        )
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """`reviewqa ask QUESTION`"""
    from rag.ask import ask
    from rag.retrieve import FilterError, Filters, checked_filters

    if not args.question.strip():
        raise UsageError(
            "the question is empty: ask it in words, e.g. reviewqa ask 'What was said about supervision?'"
        )
    try:
        filters = Filters.parse(args.filter)
    except FilterError as exc:
        raise UsageError(str(exc)) from None
    index = open_filled_index(settings)
    try:
        filters = checked_filters(filters, index.documents(), index.section_kinds())
    except FilterError as exc:
        raise UsageError(str(exc)) from None
    chat_model = None
    if settings.answer_mode == "llm":
        from rag.llm import LLMSettingsError, load_chat_model

        try:
            chat_model = load_chat_model(settings)
        except LLMSettingsError as exc:
            raise UsageError(str(exc)) from None
    encoder = load_encoder(settings, index)
    answer = ask(
        args.question,
        args.history,
        filters,
        index=index,
        encoder=encoder,
        settings=settings,
        chat_model=chat_model,
    )
    for note in answer.notes:
        print(f"reviewqa: note: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
        return 0
    print(answer.text)
    if answer.citations:
        print("\nSources:")
        for c in answer.citations:
            page = f", p.{c.page}" if c.page else ""
            print(f"[{c.n}] {c.label} · {c.section or 'front matter'} · ¶{c.paragraph}{page}")
            print(f'    "{c.quote}"')
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    """`reviewqa eval TESTSET`"""
    from rag.evaluate import (
        TestSetError,
        ask_runner,
        check_floors,
        format_table,
        load_testset,
        run_items,
        summarise,
    )

    if args.k < 1:
        raise UsageError("--k must be at least 1")
    try:
        items = load_testset(args.testset)
    except OSError as exc:
        raise UsageError(f"cannot read {args.testset}: {exc.strerror}") from None
    except TestSetError as exc:
        raise UsageError(str(exc)) from None
    index = open_filled_index(settings)
    encoder = load_encoder(settings, index)
    settings = settings.model_copy(update={"top_k": args.k})
    systems = {"reviewqa": ask_runner(index, encoder, settings)}
    if args.baseline == "naive":
        from rag.baseline import naive_runner

        systems["naive"] = naive_runner(index, encoder, args.k)
    summaries: dict[str, dict[str, Any]] = {}
    all_rows: dict[str, list[dict[str, Any]]] = {}
    for name, runner in systems.items():
        bar = _item_bar(len(items), name) if not args.json else None
        rows = run_items(items, runner, args.k, progress=bar.update if bar else None)
        if bar:
            bar.close()
        all_rows[name] = rows
        summaries[name] = summarise(rows)
    if args.out:
        with args.out.open("w", encoding="utf-8") as fh:
            for name, rows in all_rows.items():
                for row in rows:
                    fh.write(json.dumps({"system": name, **row}, ensure_ascii=False) + "\n")
    table = format_table(summaries)
    if args.report:
        args.report.write_text(
            f"# Evaluation of {args.testset}\n\n{len(items)} items, k={args.k}.\n\n{table}\n",
            encoding="utf-8",
        )
    failures = check_floors(summaries["reviewqa"]["overall"], args.floors)
    if args.json:
        payload: dict[str, Any] = {"metrics": summaries["reviewqa"], "n_items": len(items)}
        if "naive" in summaries:
            payload["baseline"] = {"naive": summaries["naive"]}
        print(json.dumps(payload))
    else:
        print(table)
    for failure in failures:
        print(f"reviewqa: below floor: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _item_bar(total: int, name: str) -> Any:
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="item", desc=f"eval {name}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())

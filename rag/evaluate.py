"""Test-set runner and metrics: gold quotes matched by text (not by our chunking), per category.

A retrieved or cited passage supports a gold quote when it contains the quote after collapsing
white space and case; a quote split across two adjacent retrieved passages counts as found.

A document often states one fact twice (in its chronology and again in its analysis). An item may
list, for each gold quote, the other spans that say the same (`reference_alternatives`, one list
per quote): the quote counts as found when any of them is. `strict_recall_at_k` and `strict_mrr`
ignore the alternatives, so both readings stay on record.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.text import collapse

CATEGORIES = ("fact", "theme", "multi_doc", "follow_up", "unanswerable")
# per answerable item, averaged over the answerable items
ITEM_METRICS = (
    "quote_recall_at_k",
    "hit_at_k",
    "mrr",
    "strict_recall_at_k",
    "strict_mrr",
    "ndcg_at_10",
    "citation_precision",
    "answer_recall",
    "first_quote_gold",
)
METRICS = (
    *ITEM_METRICS,
    "quote_verified_rate",
    "refusal_precision",
    "refusal_recall",
    "answered_rate",
    "latency_ms_p50",
    "latency_ms_p95",
)
REQUIRED = {
    "id": str,
    "user_input": str,
    "reference": str,
    "reference_contexts": list,
    "category": str,
    "answerable": bool,
}


class TestSetError(ValueError):
    """A malformed test-set line: names the line number and the field."""

    __test__ = False  # not a pytest test class, despite the name


@dataclass(frozen=True)
class Item:
    """One test-set question."""

    id: str
    user_input: str
    reference: str
    reference_contexts: tuple[str, ...]
    category: str
    answerable: bool
    history: tuple[str, ...] = ()
    reference_context_ids: tuple[str, ...] = ()
    # per gold quote, other spans of the documents that give the same answer (may be empty)
    reference_alternatives: tuple[tuple[str, ...], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def load_testset(path: Path) -> list[Item]:
    """Read a JSONL test set; the first malformed line raises with its number and field."""
    items: list[Item] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TestSetError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise TestSetError(f"{path}:{number}: expected a JSON object")
        for name, kind in REQUIRED.items():
            if name not in data:
                raise TestSetError(f"{path}:{number}: missing field '{name}'")
            if not isinstance(data[name], kind):
                raise TestSetError(f"{path}:{number}: field '{name}' must be {kind.__name__}")
        if data["category"] not in CATEGORIES:
            raise TestSetError(
                f"{path}:{number}: field 'category' must be one of {', '.join(CATEGORIES)}"
            )
        for name in ("reference_contexts", "history", "reference_context_ids"):
            value = data.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise TestSetError(f"{path}:{number}: field '{name}' must be a list of strings")
        if (
            data["answerable"]
            and not data["reference_contexts"]
            and not data.get("reference_context_ids")
        ):
            raise TestSetError(
                f"{path}:{number}: field 'reference_contexts' is empty for an answerable item"
            )
        alternatives = data.get("reference_alternatives", [])
        if not isinstance(alternatives, list) or not all(
            isinstance(group, list) and all(isinstance(a, str) for a in group)
            for group in alternatives
        ):
            raise TestSetError(
                f"{path}:{number}: field 'reference_alternatives' must be a list of lists of strings"
            )
        if alternatives and len(alternatives) != len(data["reference_contexts"]):
            raise TestSetError(
                f"{path}:{number}: field 'reference_alternatives' needs one list per reference "
                "context"
            )
        if data["id"] in seen:
            raise TestSetError(f"{path}:{number}: field 'id' repeats '{data['id']}'")
        seen.add(data["id"])
        known = {*REQUIRED, "history", "reference_context_ids", "reference_alternatives"}
        items.append(
            Item(
                id=data["id"],
                user_input=data["user_input"],
                reference=data["reference"],
                reference_contexts=tuple(data["reference_contexts"]),
                category=data["category"],
                answerable=data["answerable"],
                history=tuple(data.get("history", [])),
                reference_context_ids=tuple(data.get("reference_context_ids", [])),
                reference_alternatives=tuple(tuple(group) for group in alternatives),
                extra={k: v for k, v in data.items() if k not in known},
            )
        )
    if not items:
        raise TestSetError(f"{path}: no items")
    return items


@dataclass(frozen=True)
class Retrieved:
    """A retrieved passage as the metrics see it."""

    passage_id: str
    text: str
    doc_id: str = ""
    char_start: int = -1
    char_end: int = -1


def supports(quote: str, passage: Retrieved) -> bool:
    """Does the passage contain the quote (white space and case collapsed)?"""
    return collapse(quote) in collapse(passage.text)


def found_quotes(quotes: Sequence[str | Sequence[str]], retrieved: Sequence[Retrieved]) -> set[int]:
    """Indexes of the quotes found in the passages, alone or split across two adjacent ones.

    A quote may be given as a group of spans that say the same: any of them found counts."""
    groups = [(q,) if isinstance(q, str) else tuple(q) for q in quotes]
    found = {
        i for i, group in enumerate(groups) if any(supports(q, p) for q in group for p in retrieved)
    }
    pairs = [
        (a, b)
        for a in retrieved
        for b in retrieved
        if a.doc_id and a.doc_id == b.doc_id and 0 <= b.char_start - a.char_end <= 4
    ]
    for i, group in enumerate(groups):
        if i not in found and any(
            supports(q, Retrieved("", f"{a.text} {b.text}")) for q in group for a, b in pairs
        ):
            found.add(i)
    return found


def accepted(item: Item) -> list[tuple[str, ...]]:
    """Per gold quote, every span that counts as finding it: the quote, then its alternatives."""
    alternatives = item.reference_alternatives or tuple(() for _ in item.reference_contexts)
    return [(q, *alts) for q, alts in zip(item.reference_contexts, alternatives, strict=True)]


def item_metrics(
    item: Item,
    retrieved: Sequence[Retrieved],
    cited: Sequence[Retrieved],
    k: int,
    quotes: Sequence[str] = (),
) -> dict[str, float]:
    """Retrieval and citation metrics of one answerable item; with the answer's quotes, in
    order, how much of the gold they quote."""
    groups = accepted(item)
    ids = set(item.reference_context_ids)
    top = list(retrieved[:k])

    def relevant(p: Retrieved, strict: bool = False) -> bool:
        spans = [g[0] for g in groups] if strict else [q for g in groups for q in g]
        return p.passage_id in ids or any(supports(q, p) for q in spans)

    def recall(strict: bool) -> float:
        if not groups:
            return len({p.passage_id for p in top} & ids) / len(ids)
        return len(found_quotes([g[:1] if strict else g for g in groups], top)) / len(groups)

    def reciprocal_rank(strict: bool) -> float:
        ranks = [r for r, p in enumerate(retrieved[:10], start=1) if relevant(p, strict)]
        return 1.0 / ranks[0] if ranks else 0.0

    # each gold quote (or id) earns its gain once, at the first passage that holds it: a quote's
    # alternative, or the same quote in a second passage, lower down earns nothing more
    credited: set[int | str] = set()
    gains: list[float] = []
    for p in retrieved[:10]:
        keys: set[int | str] = (
            {i for i, g in enumerate(groups) if any(supports(q, p) for q in g)}
            if groups
            else {pid for pid in ids if pid == p.passage_id}
        )
        gains.append(1.0 if keys - credited else 0.0)
        credited |= keys
    dcg = sum(g / math.log2(r + 2) for r, g in enumerate(gains))
    ideal = sum(1 / math.log2(r + 2) for r in range(min(len(groups) or len(ids), 10)))
    cited_unique = list({p.passage_id: p for p in cited}.values())
    metrics = {
        "quote_recall_at_k": recall(strict=False),
        "hit_at_k": 1.0 if any(relevant(p) for p in top) else 0.0,
        "mrr": reciprocal_rank(strict=False),
        "strict_recall_at_k": recall(strict=True),
        "strict_mrr": reciprocal_rank(strict=True),
        "ndcg_at_10": dcg / ideal if ideal else 0.0,
    }
    if cited_unique:
        metrics["citation_precision"] = sum(relevant(p) for p in cited_unique) / len(cited_unique)
    if quotes and groups:
        quoted = [
            {i for i, g in enumerate(groups) if any(same_span(q, a) for a in g)} for q in quotes
        ]
        metrics["answer_recall"] = len(set().union(*quoted)) / len(groups)
        metrics["first_quote_gold"] = 1.0 if quoted[0] else 0.0
    return metrics


def same_span(quote: str, gold: str) -> bool:
    """Does an answer's quote quote a gold span: one holds the other (white space and case
    collapsed)? A gold span may be part of a sentence, or two sentences."""
    q, g = collapse(quote), collapse(gold)
    return bool(q and g) and (q in g or g in q)


def aggregate(rows: Sequence[dict[str, Any]]) -> dict[str, float | None]:
    """Metric means (and refusal and latency figures) over some result rows."""
    out: dict[str, float | None] = {}
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    for name in ITEM_METRICS:
        values = [r["metrics"][name] for r in answerable if name in r["metrics"]]
        out[name] = round(statistics.fmean(values), 4) if values else None
    checked = sum(r["quotes_checked"] for r in rows)
    out["quote_verified_rate"] = (
        round(sum(r["quotes_verified"] for r in rows) / checked, 4) if checked else None
    )
    refused = [r for r in rows if r["refused"]]
    out["refusal_precision"] = (
        round(sum(not r["answerable"] for r in refused) / len(refused), 4) if refused else None
    )
    out["refusal_recall"] = (
        round(sum(r["refused"] for r in unanswerable) / len(unanswerable), 4)
        if unanswerable
        else None
    )
    out["answered_rate"] = (
        round(sum(not r["refused"] for r in answerable) / len(answerable), 4)
        if answerable
        else None
    )
    latencies = sorted(r["latency_ms"] for r in rows)
    out["latency_ms_p50"] = round(_percentile(latencies, 50), 1) if latencies else None
    out["latency_ms_p95"] = round(_percentile(latencies, 95), 1) if latencies else None
    return out


def _percentile(values: Sequence[float], pct: float) -> float:
    if len(values) == 1:
        return float(values[0])
    return float(statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1])


def summarise(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """`{"overall": {...}, "by_category": {...}}` with exactly the METRICS names."""
    by_category = {
        cat: aggregate([r for r in rows if r["category"] == cat])
        for cat in CATEGORIES
        if any(r["category"] == cat for r in rows)
    }
    return {"overall": aggregate(rows), "by_category": by_category}


Runner = Callable[[Item], dict[str, Any]]


def run_items(
    items: Iterable[Item], runner: Runner, k: int, progress: Callable[[], None] | None = None
) -> list[dict[str, Any]]:
    """Run each item through a runner that returns retrieved/cited passages, and score it."""
    rows: list[dict[str, Any]] = []
    for item in items:
        out = runner(item)
        retrieved: list[Retrieved] = out["retrieved"]
        cited: list[Retrieved] = out.get("cited", [])
        quotes = [c["quote"] for c in out.get("citations", [])]
        metrics = item_metrics(item, retrieved, cited, k, quotes) if item.answerable else {}
        rows.append(
            {
                "id": item.id,
                "category": item.category,
                "answerable": item.answerable,
                "user_input": item.user_input,
                "history": list(item.history),
                "response": out.get("response", ""),
                "retrieved_contexts": [p.text for p in retrieved[:k]],
                "retrieved_context_ids": [p.passage_id for p in retrieved[:k]],
                "reference": item.reference,
                "reference_contexts": list(item.reference_contexts),
                "reference_alternatives": [list(g) for g in item.reference_alternatives],
                "citations": out.get("citations", []),
                "refused": bool(out.get("refused", False)),
                "latency_ms": float(out.get("latency_ms", 0.0)),
                "quotes_checked": int(out.get("quotes_checked", 0)),
                "quotes_verified": int(out.get("quotes_verified", 0)),
                "metrics": {name: round(value, 4) for name, value in metrics.items()},
            }
        )
        if progress:
            progress()
    return rows


def format_table(summaries: dict[str, dict[str, Any]]) -> str:
    """A Markdown table: one column per (system, scope), one row per metric."""
    columns: list[tuple[str, dict[str, Any]]] = []
    for system, summary in summaries.items():
        columns.append((f"{system} overall", summary["overall"]))
        for cat, values in summary["by_category"].items():
            columns.append((f"{system} {cat}", values))
    head = "| metric | " + " | ".join(name for name, _ in columns) + " |"
    rule = "|---|" + "---|" * len(columns)
    lines = [head, rule]
    for metric in METRICS:
        cells = []
        for _, values in columns:
            value = values.get(metric)
            cells.append(
                "–"
                if value is None
                else (f"{value:.0f}" if "latency" in metric else f"{value:.3f}")
            )
        lines.append(f"| {metric} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def check_floors(overall: dict[str, float | None], floors: Sequence[str]) -> list[str]:
    """Metrics below their `NAME=VALUE` floor (latency floors are ceilings)."""
    failures: list[str] = []
    for floor in floors:
        name, _, raw = floor.partition("=")
        name = name.strip()
        if name not in METRICS or not raw:
            raise TestSetError(
                f"bad --min '{floor}': use METRIC=VALUE with METRIC one of {', '.join(METRICS)}"
            )
        value = overall.get(name)
        limit = float(raw)
        worse = value is None or (value > limit if name.startswith("latency") else value < limit)
        if worse:
            failures.append(f"{name} = {value} (floor {limit})")
    return failures


def ask_runner(index: Any, encoder: Any, settings: Any) -> Runner:
    """Run items through reviewqa's own `ask` (history included)."""
    import time

    from rag.ask import ask

    def run(item: Item) -> dict[str, Any]:
        started = time.perf_counter()
        answer = ask(item.user_input, item.history, index=index, encoder=encoder, settings=settings)
        latency = (time.perf_counter() - started) * 1000
        retrieved = [_retrieved(c.passage) for c in answer.passages]
        by_id = {c.passage_id: c.passage for c in answer.passages}
        cited = [_retrieved(by_id[c.passage_id]) for c in answer.citations if c.passage_id in by_id]
        verified = 0
        for c in answer.citations:
            stored = index.cached(c.passage_id)
            verified += int(stored is not None and c.quote in stored.text)
        return {
            "retrieved": retrieved,
            "cited": cited,
            "response": answer.text,
            "refused": answer.refused,
            "latency_ms": latency,
            "citations": [
                {"n": c.n, "passage_id": c.passage_id, "quote": c.quote} for c in answer.citations
            ],
            "quotes_checked": len(answer.citations),
            "quotes_verified": verified,
        }

    return run


def _retrieved(passage: Any) -> Retrieved:
    meta = passage.metadata
    return Retrieved(
        passage.passage_id,
        passage.text,
        passage.doc_id,
        int(meta.get("char_start", -1)),
        int(meta.get("char_end", -1)),
    )

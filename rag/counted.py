"""How many recommendations or findings a review makes ("How many recommendations did the Ms K
review make?"), counted from its own numbered labels and quoted so that the count can be checked.

Passage likeness answers such a question with the first passages of the list: five of Ms K's
eight recommendations, and no count. A review that labels its recommendations "Recommendation 1"
to "Recommendation 8" states their number by those labels. When they run from 1 without a gap,
the answer quotes each one's opening sentence in order, the last always among them, and a note
gives the count. A review with no such labels, or with labels that skip or repeat, is answered
as any other question.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.index import PassageIndex, StoredPassage
from ingest.text import sentence_spans
from rag.answer import Answer, make_citation, passage_heading, titled, verify_quotes
from rag.query import Query
from rag.render import plural
from rag.retrieve import Candidate, Filters, report_passages

# "How many recommendations did it make?", "how many findings were there?"
COUNT_ASKED = re.compile(r"\bhow\s+many\s+(recommendation|finding)s\b", re.I)
# ... of every review: "did the reviews make", "did each review make"
EVERY_REVIEW = re.compile(
    r"\b(?:the|all(?:\s+the)?|each|every)\s+(?:reviews?|reports?|documents?)\b", re.I
)
# a paragraph that opens with its label: "Recommendation 3: …", "13.4 Recommendation 3 …"
LABELLED = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*\.?[ \t]+)?(Recommendation|Finding)[ \t]+(\d{1,2})\b"
)
# passages searched for the first item of every document's list
LISTING_POOL = 400
# the sections that hold such a list
LISTED_IN = {"recommendation": ("recommendations",), "finding": ("findings", "analysis")}


@dataclass(frozen=True)
class Item:
    """One numbered item of a list: its passage, the span of its opening sentence, its number."""

    passage: StoredPassage
    start: int
    end: int
    number: int


def counted_asked(query: Query) -> str | None:
    """ "recommendation" or "finding" when the question asks how many of them the documents it
    names make, or every review ("How many recommendations did the reviews make?"); else None."""
    asked = COUNT_ASKED.search(query.question)
    if asked is None or not (query.doc_ids or EVERY_REVIEW.search(query.question)):
        return None
    return asked.group(1).lower()


def listing(index: PassageIndex, label: str) -> set[str]:
    """The documents with a paragraph labelled "Recommendation 1" (or "Finding 1") where they
    list them: one lexical search, not every document read through (7 s over 221 reports)."""
    within = Filters(section_kinds=LISTED_IN[label]).mask
    hits = index.lexical_search(f"{label} 1", LISTING_POOL, within)
    return {
        hit.doc_id
        for hit, _ in hits
        if any(labelled.group(2) == "1" for _, labelled in labelled_paragraphs(hit.text, label))
    }


def labelled_paragraphs(text: str, label: str) -> Iterator[tuple[int, re.Match[str]]]:
    """Each paragraph of a passage's text that opens with `label` and a number, with where the
    paragraph begins."""
    offset = 0
    for paragraph in text.split("\n\n"):
        hit = LABELLED.match(paragraph)
        if hit is not None and hit.group(1).lower() == label:
            yield offset, hit
        offset += len(paragraph) + 2


def numbered_items(index: PassageIndex, doc_id: str, label: str) -> list[Item]:
    """The items of a document labelled `label` ("Recommendation 1", …) in the sections that
    list them, in the document's order, each with its opening sentence."""
    items: list[Item] = []
    for passage in report_passages(index, doc_id):
        if passage.metadata.get("section_kind") not in LISTED_IN[label]:
            continue
        spans = sentence_spans(passage.text)
        for offset, hit in labelled_paragraphs(passage.text, label):
            at = offset + hit.start(1)
            end = next((e for s, e in spans if s <= at < e), len(passage.text))
            items.append(Item(passage, at, end, int(hit.group(2))))
    return items


def counted_answer(
    query: Query, label: str, index: PassageIndex, filters: Filters, limit: int
) -> Answer | None:
    """The numbered items of the documents asked, with a note of how many each numbers: of one
    document each item's opening sentence in order (the first `limit` − 1 and the last, when
    there are more); of several the last of each, newest document first. None when a filter on
    section or date is set, or no document asked numbers them 1, 2, 3, … without a gap."""
    if filters.section_kinds or filters.date_from or filters.date_to:
        return None  # answered as any other question
    records = {r.doc_id: r for r in index.documents()}
    asked = query.doc_ids or tuple(
        sorted(listing(index, label), key=lambda d: records[d].date or "", reverse=True)
    )
    lists: dict[str, list[Item]] = {}
    for doc_id in asked:
        record = records.get(doc_id)
        if record is None or filters.doc_ids and doc_id not in filters.doc_ids:
            continue
        if filters.kinds and record.kind not in filters.kinds:
            continue
        items = numbered_items(index, doc_id, label)
        if items and [i.number for i in items] == list(range(1, len(items) + 1)):
            lists[doc_id] = items
    if not lists or len(query.doc_ids) == 1 and query.doc_ids[0] not in lists:
        return None
    name = label.title()
    if len(lists) == 1 and len(asked) == 1:
        items = next(iter(lists.values()))
        count = len(items)
        quoted = items if count <= limit else [*items[: max(limit - 1, 1)], items[-1]]
        title = passage_heading(items[0].passage)
        note = f"{title} numbers {count} {label}s ({name} 1 to {name} {count})"
        if count > len(quoted):
            note += f"; {name}s 1 to {len(quoted) - 1} and {count} are quoted"
        notes = [f"{note}."]
        grouped = False
    else:
        quoted = [items[-1] for items in lists.values()][:limit]
        counts = "; ".join(
            f"{passage_heading(items[0].passage)}: {len(items)}" for items in lists.values()
        )
        total = sum(len(items) for items in lists.values())
        notes = [
            f"{total} numbered {label}s in {plural(len(lists), 'document')} ({counts}); the last "
            + (
                "of each is quoted."
                if len(lists) <= limit
                else f"of each of the {limit} newest is quoted."
            )
        ]
        none = [titled(records[d].title, records[d].date) for d in asked if d not in lists]
        if none:
            who = " and ".join(none) if len(none) <= 3 else plural(len(none), "other document")
            notes.append(f"{who} number{'s' if len(none) == 1 else ''} no {label}s.")
        grouped = True
    citations = [
        make_citation(
            n, Candidate(item.passage, 1.0), item.start, item.passage.text[item.start : item.end]
        )
        for n, item in enumerate(quoted, start=1)
    ]
    verify_quotes(citations)
    # a paragraph each, as the app and the terminal show answers; of several reviews, each under
    # its title, as a theme's answer is
    text = "\n\n".join(
        f"**{passage_heading(item.passage)}** — {c.quote} [{c.n}]"
        if grouped
        else f"{c.quote} [{c.n}]"
        for item, c in zip(quoted, citations, strict=True)
    )
    passages = {item.passage.passage_id: Candidate(item.passage, 1.0) for item in quoted}
    return Answer(query.question, text, citations, passages=list(passages.values()), notes=notes)

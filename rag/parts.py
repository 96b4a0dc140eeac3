"""A question for one part of a named report, asked by the part's name.

"What were the terms of reference of the Baby R review?", "What was the scope of the Mr D
review?", "How was the Child M review carried out?" name a part of a report in words its text does
not use: a scope says "The review considered the period from ...", a methodology "The review
followed a systems approach". So the search found the introduction's "referred to as Child T" for
the terms of reference of the Child T review, and the refusal model refused "carried out". The
passages of the section asked for, in the report's order, are the answer: its sentences in turn,
each list with its lead-in.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ingest.index import PassageIndex
from rag.query import Query, stem
from rag.retrieve import Candidate, asked_topic, found_or_new, report_passages

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rag.answer import Scored

# the section kind (ingest/structure.py) a question asks for by name, and how it asks
PARTS_ASKED = (
    (
        "terms_of_reference",
        re.compile(
            r"\bterms\s+of\s+reference\b|\bscope\b",
            re.I,
        ),
    ),
    (
        # "What went well in the Child T case?", "What were the strengths in the Baby R case?":
        # its section of good practice, which says neither ("the following examples of good
        # practice: • the nursery manager's clear and well-evidenced referral …")
        "good_practice",
        re.compile(
            r"\bgood\s+practice\b|\bstrengths?\b|\bpositives\b"
            r"|\b(?:went|worked|done|did|handled)\s+well\b|\bwhat\s+was\s+good\b",
            re.I,
        ),
    ),
    (
        "methodology",
        re.compile(
            r"\bmethod(?:ology|s)?\b|\bhow\s+(?:was|were|is)\b[^?]{0,80}"
            r"\b(?:carried\s+out|conducted|undertaken)\b",
            re.I,
        ),
    ),
)
# the words that ask for the part (stems), not for what in it
ASKING_PART = frozenset(
    stem(w)
    for w in ["terms", "reference", "scope", "method", "methods", "methodology", "carried"]
    + ["conducted", "undertaken", "good", "practice", "strength", "strengths", "positives"]
    + ["went", "worked", "done", "did", "handled", "well", "example", "examples", "identified"]
)
PART = "part"  # Candidate.part of a passage put first as the part of its report asked for


def part_asked(query: Query) -> str | None:
    """The section kind a question asks of one named report, by name and with no topic in it."""
    if len(query.doc_ids) != 1 or query.theme or query.compares or query.references:
        return None
    kind = next((kind for kind, asked in PARTS_ASKED if asked.search(query.question)), None)
    return kind if kind is not None and not asked_topic(query, ASKING_PART) else None


def part_passages(
    query: Query, index: PassageIndex, candidates: Sequence[Candidate]
) -> list[Candidate]:
    """The passages of the part asked for, in the report's order, marked as that part; none when
    the question asks for no part by name or the report has no such section."""
    kind = part_asked(query)
    if kind is None:
        return []
    passages = [
        p
        for p in report_passages(index, query.doc_ids[0])
        if p.metadata.get("section_kind") == kind
    ]
    return [replace(c, part=PART) for c in found_or_new(passages, candidates)]


def part_picks(pool: Sequence[Candidate], scored: Sequence[Scored], limit: int) -> list[Scored]:
    """The first `limit` sentences of the pool's passages of the part asked for, in order."""
    return sorted(
        (s for s in scored if pool[s.cand_index].part == PART),
        key=lambda s: (s.cand_index, s.start),
    )[:limit]

"""A question for one report as a whole, answered from the report's own summary.

"Summarise the Child T review", "What happened to Mr D?", "What is the Ms K review about?",
"What were the key findings of the Siblings J and L review?" share no word with the passages that
answer them ("summarise" is in none; "Mr D" is in hundreds), so the search finds terms of reference
and the refusal model refuses. A review says what it is about in the opening of its introduction
and what it found in its findings or conclusions; an inspection gives its grades and opens each
judgement with a sentence that sums it up. Those passages, in the report's order, are the answer:
the opening sentence of each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ingest.index import PassageIndex, StoredPassage
from rag.query import Query, stem
from rag.retrieve import (
    ASKING_FAULTS,
    Candidate,
    asked_topic,
    faults_asked,
    found_or_new,
    is_grade_row,
    report_passages,
)

if TYPE_CHECKING:
    from rag.answer import Scored

SUMMARY_ASKED = re.compile(
    r"\b(?:summar(?:ise|ize|ised|ized|y)|sum\s+up|in\s+(?:brief|short|a\s+nutshell)"
    r"|(?:key|main)\s+(?:points|findings|messages|conclusions|issues|learning)"
    r"|tell\s+(?:me|us)\s+(?:more\s+)?about|what\s+happened\b"
    # "Give me an overview of the Mr D case", "What do I need to know about the Child T review?"
    r"|\b(?:give|provide)\s+(?:me\s+|us\s+)?(?:an?\s+|the\s+)?(?:(?:brief|quick|short)\s+)?"
    r"(?:overview|outline|summary|rundown)\b"
    r"|\bwhat\s+(?:do|should|must)\s+(?:i|we)\s+(?:need\s+to\s+)?know\s+about\b"
    # "What lessons were learned from the Mr D review?", "What can be learnt from it?"
    r"|\bwhat\s+(?:(?:are|were)\s+the\s+(?:\w+\s+)?)?lessons\b"
    r"|\bwhat\s+(?:was|were|has\s+been|have\s+been|can\s+be|is\s+to\s+be)\s+learn(?:ed|t)\b"
    r"|what\s+(?:is|was)\s+[^?]{0,80}\babout\s*\??\s*$"
    # "What did the overview conclude?", "What were the findings of the Mr D review?"
    r"|\bwhat\s+(?:did|does|do|has|have)\s+[^?]{0,80}?\b(?:conclude|find|found)\s*\??\s*$"
    r"|\b(?:findings|conclusions)\s+(?:of|from|in)\b|\bwhat\s+(?:findings|conclusions)\b)",
    re.I,
)
# the words that ask for a summary (stems), not for what it should be about
ASKING_SUMMARY = frozenset(
    stem(w)
    for w in ["summarise", "summarize", "summary", "sum", "brief", "short", "nutshell", "key"]
    + ["main", "point", "points", "find", "finding", "message", "conclusion", "conclus", "issu"]
    + ["conclud", "conclude", "found"]
    + ["learn", "learning", "learned", "learnt", "lesson", "lessons", "tell", "happen", "happened"]
    + ["give", "provide", "outline", "rundown", "know", "need", "more", "quick"]
)
SUMMARY_SECTIONS = frozenset(["findings"])
# an inspection's sections whose opening sentence sums up a judgement
JUDGEMENT_SECTIONS = frozenset(["judgement", "findings", "introduction"])
# "The review has made the following findings.", "The review makes the following findings:"
LEAD_IN = re.compile(r"\b(?:following|below|as follows)\b", re.I)
LEAD_IN_WORDS = 14  # a lead-in is short
OVERALL = re.compile(r"\boverall effectiveness\b", re.I)
SUMMARY = "summary"  # Candidate.part of a passage put first as part of its report's summary


def summary_asked(query: Query) -> bool:
    """Does the question ask for one named report as a whole, no topic of it?"""
    return (
        len(query.doc_ids) == 1
        and not (query.theme or query.compares or query.references)
        and _asks_summary(query)
    )


# the words that ask what two reports share or how they differ, of no matter ("What do the Baby R
# and Child T reviews have in common?"), as stems
ASKING_COMPARISON = frozenset(
    stem(w)
    for w in ["common", "share", "shared", "similar", "similarities", "similarity", "alike"]
    + ["differ", "different", "difference", "differences", "contrast", "compare", "comparison"]
)
COMPARISON_ASKED = re.compile(
    r"\bin\s+common\b|\b(?:similarit(?:y|ies)|differences?|compare|comparison|contrast)\b"
    r"|\b(?:differ|share)\s*\??\s*$",
    re.I,
)


def summaries_compared(query: Query) -> bool:
    """Does the question ask what two or more reports it names found, compared, with no matter of
    them ("Compare the findings of the Child M and Siblings J and L reviews", "What do the Baby R
    and Child T reviews have in common?")? Their findings answer it, each review's in turn."""
    asked = (
        SUMMARY_ASKED.search(query.question)
        or faults_asked(query.question)
        or COMPARISON_ASKED.search(query.question)
    )
    return (
        query.compares
        and len(query.doc_ids) > 1
        and not query.references
        and bool(asked)
        and not asked_topic(query, ASKING_SUMMARY | ASKING_FAULTS | ASKING_COMPARISON)
    )


def summary_unnamed(query: Query) -> bool:
    """Does the question ask for a summary ("Summarise", "What are the key findings?") and name
    neither a report nor a topic? No sentence answers it: those that say "summary" or "key" are
    about something else."""
    return not query.doc_ids and not query.references and _asks_summary(query)


# "Which reviews are in the library?", "What documents do you have?", "List the reports": what
# the library holds, which no document says
LIBRARY_ASKED = re.compile(
    r"^\s*(?:(?:which|what)\s+(?:reviews|reports|documents|inspections|files)\s+"
    r"(?:are\s+there|are|do\s+you\s+have|have\s+you\s+got|does\s+(?:it|the\s+library)\s+"
    r"(?:hold|have|contain))|(?:list|show\s+me)\s+(?:all\s+)?(?:the\s+)?"
    r"(?:reviews|reports|documents|inspections|files))"
    r"(?:\s+(?:in|on)\s+(?:the\s+|this\s+|your\s+)?(?:library|index|collection|system))?"
    r"(?:\s+(?:available|held|here))?\s*[?.!]?\s*$",
    re.I,
)


def library_asked(question: str) -> bool:
    """Does the question ask what the library holds, of no topic ("Which reviews are in the
    library?")?"""
    return bool(LIBRARY_ASKED.search(question))


def _asks_summary(query: Query) -> bool:
    """Does the question ask for a summary, of no topic?"""
    if faults_asked(query.question):
        # "What went wrong in the Child T case?": what a review found is what went wrong
        return not asked_topic(query, ASKING_SUMMARY | ASKING_FAULTS)
    return bool(SUMMARY_ASKED.search(query.question)) and not asked_topic(query, ASKING_SUMMARY)


def summary_passages(
    query: Query, index: PassageIndex, candidates: Sequence[Candidate]
) -> list[Candidate]:
    """The passages of the named report that sum it up, in its order, marked as its summary;
    none when the question asks for something else or the report has no such passages."""
    if summaries_compared(query):
        # each review's findings (an inspection's judgements), one report after another
        chosen = []
        for doc_id in query.doc_ids:
            passages = report_passages(index, doc_id)
            chosen += (
                _inspection_summary(passages) if _is_inspection(passages) else _findings(passages)
            )
        return [replace(c, part=SUMMARY) for c in found_or_new(chosen, candidates)]
    if not summary_asked(query):
        return []
    passages = report_passages(index, query.doc_ids[0])
    chosen = (
        _inspection_summary(passages) if _is_inspection(passages) else _review_summary(passages)
    )
    return [replace(c, part=SUMMARY) for c in found_or_new(chosen, candidates)]


def _is_inspection(passages: Sequence[StoredPassage]) -> bool:
    return bool(passages) and passages[0].metadata.get("kind") == "inspection"


def _review_summary(passages: Sequence[StoredPassage]) -> list[StoredPassage]:
    """The opening passage of the introduction (a title page has no section), then the findings."""
    opening = next(
        (
            p
            for p in passages
            if p.metadata.get("section_kind") == "introduction" and p.metadata.get("section")
        ),
        None,
    )
    return ([opening] if opening is not None else []) + _findings(passages)


def _findings(passages: Sequence[StoredPassage]) -> list[StoredPassage]:
    """A review's passages of findings or conclusions, in its order."""
    return [p for p in passages if p.metadata.get("section_kind") in SUMMARY_SECTIONS]


def _inspection_summary(passages: Sequence[StoredPassage]) -> list[StoredPassage]:
    """The passage holding the table of grades, then the first passage of each judgement."""
    graded = next(
        (p for p in passages if any(is_grade_row(line) for line in p.text.splitlines())), None
    )
    chosen = [graded] if graded is not None else []
    seen: set[str] = set()
    for p in passages:
        section = str(p.metadata.get("section", ""))
        if p is graded or section in seen or not section:  # a title page has no section
            seen.add(section)
            continue
        seen.add(section)
        if p.metadata.get("section_kind") in JUDGEMENT_SECTIONS:
            chosen.append(p)
    return chosen


def summary_picks(pool: Sequence[Candidate], scored: Sequence[Scored], limit: int) -> list[Scored]:
    """At most `limit` sentences of the pool's summary passages, in the report's order: the
    sentence each opens with (the overall grade of a table of grades, else its first row; no
    lead-in such as "The review has made the following findings."), then, while there is room,
    the next sentences of its findings (a review whose findings are one paragraph gives more
    than one of them)."""
    openings: list[Scored] = []
    rest: list[Scored] = []
    for i, cand in enumerate(pool):
        if cand.part != SUMMARY:
            continue
        text = cand.passage.text
        own = sorted((s for s in scored if s.cand_index == i), key=lambda s: s.start)
        rows = [s for s in own if is_grade_row(text[s.start : s.end])]
        overall = [s for s in rows if OVERALL.search(text[s.start : s.end])]
        plain = [s for s in own if not _lead_in(text[s.start : s.end])]
        first = (overall or rows or plain)[:1]
        openings += first
        if not rows and cand.passage.metadata.get("section_kind") in SUMMARY_SECTIONS:
            rest += [s for s in plain if s not in first]
    picks = openings[:limit]
    picks += rest[: limit - len(picks)]
    return sorted(picks, key=lambda s: (s.cand_index, s.start))


def compared_picks(pool: Sequence[Candidate], scored: Sequence[Scored], limit: int) -> list[Scored]:
    """Each report's share of `limit` sentences of its summary passages (summary_picks), one
    report after another in the pool's order."""
    docs = list(dict.fromkeys(c.passage.doc_id for c in pool if c.part == SUMMARY))
    picks: list[Scored] = []
    for doc in docs:
        own = [c if c.passage.doc_id == doc else replace(c, part="") for c in pool]
        picks += summary_picks(own, scored, max(1, limit // len(docs)))
    return picks


def _lead_in(sentence: str) -> bool:
    """Does the sentence only announce what follows ("… the following findings:")?"""
    sentence = sentence.strip()
    return sentence.endswith(":") or (
        len(sentence.split()) <= LEAD_IN_WORDS and bool(LEAD_IN.search(sentence))
    )

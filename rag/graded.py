"""Which inspections gave a grade: "Which councils were judged inadequate?", answered from each
report's own statement of its overall grade.

Passage likeness answers such a question with the sentences that happen to say "inadequate" ("…
since the inspection in 2019, when they were judged to be inadequate" in a report that grades the
council good). A board wants each report's judgement. An inspection states its overall grade as a
row of its table of grades ("Overall effectiveness Inadequate") or, in the framework of 2013–2018,
in its opening sentence ("Children's services in Northbrook require improvement to be good"). One lexical search finds those statements across the library; the reports whose grade is
the one asked are quoted, newest first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ingest.index import DocRecord, PassageIndex, StoredPassage
from ingest.structure import GRADES
from rag.answer import (
    Answer,
    make_citation,
    passage_heading,
    refusal_text,
    titled,
    verify_quotes,
)
from rag.places import dated_years, newest_documents
from rag.query import GENERIC, STOPWORDS, WORD, YEARS, Query, stem
from rag.retrieve import ASKING_GRADES, GRADE_ASKED, GRADE_ROW, GRADE_WHY, Candidate, Filters

# "Which councils were rated outstanding?", "What local authorities were judged inadequate in
# 2023?": which places or reports, and a verb of grading
GRADED_ASKED = re.compile(
    r"^\s*(?:which|what)\s+(?:councils?|local\s+authorit(?:y|ies)|authorit(?:y|ies)"
    r"|inspections?|reports?|areas?|boroughs?|count(?:y|ies))\b"
    r".*\b(?:rated|judged|graded|found\s+to\s+be|received|got|given)\b",
    re.I,
)
KIND_WORDS = frozenset(["inspection", "inspections", "report", "reports"])
GRADE_NAMED = re.compile(
    r"\b(outstanding|good|requires?\s+improvement(?:\s+to\s+be\s+good)?|inadequate)\b", re.I
)
# a question that asks what grade a report gave: "What rating did Ofsted give York?", "How was
# Leeds graded in 2022?"
GRADE_QUESTION = re.compile(
    r"\b(?:what|which)\s+(?:overall\s+)?(?:rating|grade|judgement)s?\b"
    r"|\bhow\s+(?:was|were|did|is|are|has|have)\b[^?]*\b(?:rated|graded|judged)\b",
    re.I,
)
# "Overall effectiveness Requires improvement to be good" (a row of the table of grades)
OVERALL_ROW = re.compile(
    rf"^[ \t]*(?:\d+\.?[ \t]+)?Overall effectiveness\W*?[ \t]+({GRADES})[ \t]*$", re.I | re.M
)
# words that ask how grades changed between inspections, not what was graded
CHANGE_WORDS = frozenset(
    stem(w)
    for w in ["change", "changed", "changes", "changing", "differ", "differed", "different"]
    + ["difference", "differences", "compare", "compared", "comparison", "improve", "improved"]
    + ["declined", "between", "both", "each", "over", "time", "since", "two", "inspections"]
)
# words of every row of a table of grades ("The experiences and progress of … Good")
ROW_WORDS = "experiences progress outstanding good inadequate requires improvement"
# the grade that ends a row of a table of grades
ROW_GRADE = re.compile(rf"({GRADES})\.?$", re.I)
# "Children's services in Northbrook require improvement to be good."
OVERALL_SENTENCE = re.compile(
    r"(?:Children[’']s services|Services for children(?: and (?:families|young people))?) in "
    # the place, not a part of the services ("… who need help and protection are inadequate")
    r"(?:(?! who | that )[^.\n]){2,80}? (?:are|is|requires?) "
    r"(outstanding|good|inadequate|improvement to be good)\b"
    r"[^.\n]*(?:\.|$)",  # a sentence, or a line of its own ("… Hackney are good")
    re.I | re.M,
)
# what the search for those statements is made of
STATEMENT_WORDS = (
    "overall effectiveness",
    "children's services good outstanding inadequate require improvement",
)
# statements searched for per inspection in the library: at 4, the search finds the statements
# of 217 of the 221 Ofsted reports of ../shared (session 24, before the box's heading opened its
# first paragraph: 184 of 221, in 0.4-0.6 s; at 2, 181; at 8, 185 in 0.8 s)
POOL_PER_REPORT = 4
# reports read through when the search found no statement of theirs (~20 ms each over the
# library: Doncaster 2016's and Greenwich 2016's tables rank below other reports' statements)
READ_THROUGH_AT_MOST = 10
STATED_IN = ("judgement", "introduction", "other")
# words of such a question that ask for no topic of the grade (stems)
ASKING = (
    ASKING_GRADES
    | {stem(w) for w in ["outstanding", "good", "require", "requires", "improvement", "inadequate"]}
    | {stem(w) for w in ["council", "councils", "local", "authority", "authorities", "area"]}
    | {stem(w) for w in ["areas", "borough", "boroughs", "county", "counties", "report"]}
    | {stem(w) for w in ["inspection", "overall", "effectiveness", "ofsted", "found", "recent"]}
    | {stem(w) for w in ["most", "latest", "last", "newest"]}
)


@dataclass(frozen=True)
class Graded:
    """A report's statement of its overall grade: the passage, where in it, and the grade."""

    passage: StoredPassage
    start: int
    end: int
    grade: str


def grade_of(words: str) -> str:
    """One spelling per grade: "require improvement to be good" is "requires improvement"."""
    words = words.lower()
    return "requires improvement" if "improvement" in words else words


def graded_asked(query: Query) -> frozenset[str]:
    """The grades a question asks which reports gave ("good or outstanding"), when it asks which
    councils or reports were given them, overall or for a topic, of no one document; else none."""
    # a document named by its kind alone ("in their most recent inspection", of a library that
    # holds one inspection) is no report asked of
    named = {n.lower() for n in query.names if not YEARS.fullmatch(n)} - KIND_WORDS
    if named or query.references or not GRADED_ASKED.search(query.question):
        return frozenset()
    return frozenset(grade_of(g) for g in GRADE_NAMED.findall(query.question))


def graded_topic(question: str) -> list[str]:
    """The words of what a question asks to have been graded ("care leavers" in "Which councils
    were judged inadequate for care leavers?"); none when it asks for the overall grade."""
    # "children" counts here, as it does not in a search: "children in care" is not "care leavers"
    words = (
        re.sub(r"['’]s$", "", w.lower()).strip("'’-")
        for w in WORD.findall(YEARS.sub(" ", question))
    )
    return [
        w
        for w in words
        if len(w) > 1 and w not in STOPWORDS and w not in GENERIC and stem(w) not in ASKING
    ]


def topic_phrase(question: str, topic: Sequence[str]) -> str:
    """The topic as the question puts it, from its first word to its last ("children in care")."""
    spans = [m.span() for m in WORD.finditer(question) if m.group(0).lower() in topic]
    return question[spans[0][0] : spans[-1][1]] if spans else " ".join(topic)


def topic_rows(
    index: PassageIndex, inspections: Sequence[DocRecord], filters: Filters, topic: Sequence[str]
) -> list[Graded]:
    """Each report's first row of its table of grades that holds every word of the topic ("The
    experiences and progress of care leavers Requires improvement"), for the reports the filters
    let through."""
    wanted = {stem(w) for w in topic}

    def row(text: str) -> tuple[int, int, str] | None:
        for line in re.finditer(r"[^\n]+", text):
            graded = ROW_GRADE.search(line.group(0))
            if graded is None or not GRADE_ROW.fullmatch(line.group(0).strip()):
                continue
            if wanted <= {stem(w.lower()) for w in WORD.findall(line.group(0))}:
                return line.start(), line.end(), grade_of(graded.group(1))
        return None

    # the words of the rows searched for with the topic's: the topic's alone find the passages
    # that speak of it at length (none of the 221 reports' rows for "care leavers" among 934)
    return first_stated(index, inspections, filters, [" ".join([*topic, ROW_WORDS])], row)


def overall_grade(text: str) -> tuple[int, int, str] | None:
    """Where a text states a report's overall grade (a row of its table before an opening
    sentence), as (start, end, grade); None when it states none."""
    for pattern in (OVERALL_ROW, OVERALL_SENTENCE):
        hit = pattern.search(text)
        if hit is not None:
            start, end = hit.span()
            start += len(hit.group(0)) - len(hit.group(0).lstrip())
            return start, end, grade_of(hit.group(1))
    return None


def statements(
    index: PassageIndex, inspections: Sequence[DocRecord], filters: Filters
) -> list[Graded]:
    """Each report's statement of its overall grade, the first it makes (its table's row before
    an opening sentence), for the reports the filters let through."""
    return first_stated(index, inspections, filters, STATEMENT_WORDS, overall_grade)


def first_stated(
    index: PassageIndex,
    inspections: Sequence[DocRecord],
    filters: Filters,
    searches: Sequence[str],
    stated: Callable[[str], tuple[int, int, str] | None],
) -> list[Graded]:
    """Of each report the filters let through, the first grade `stated` reads in a passage: of
    the hits of lexical `searches`, then of the same searches over the reports they missed, then
    of the passages of the first READ_THROUGH_AT_MOST reports still missed. An inspection states
    its grades in its judgement (the table), its introduction or its front matter; nowhere else
    is read."""
    pool = min(sum(r.passages for r in inspections), POOL_PER_REPORT * len(inspections) + 50)
    where = tuple(k for k in STATED_IN if not filters.section_kinds or k in filters.section_kinds)
    # a filter on kind that leaves out inspections leaves nothing
    kinds = ("inspection",) if not filters.kinds or "inspection" in filters.kinds else ("\0",)
    within = replace(filters, kinds=kinds, section_kinds=where or ("\0",))
    found: dict[str, Graded] = {}
    _search(index, searches, pool, within, stated, found)
    if not found:
        return []  # none found, none states it ("inadequate for their work with gangs")
    # the reports the search missed are searched again on their own (their statements rank below
    # other reports'), and the few still missed are read through
    unread = tuple(r.doc_id for r in inspections if r.doc_id not in found)
    unread = tuple(d for d in unread if not filters.doc_ids or d in filters.doc_ids)
    if unread:
        pool = min(sum(r.passages for r in inspections if r.doc_id in unread), 12 * len(unread))
        _search(index, searches, pool, replace(within, doc_ids=unread), stated, found)
    unread = tuple(d for d in unread if d not in found)
    passages = sorted(
        (
            p
            for p in index.live_passages(unread[:READ_THROUGH_AT_MOST])
            if p.metadata.get("section_kind") in where
        ),
        key=lambda p: (p.doc_id, int(p.metadata.get("char_start", 0))),
    )
    for passage in passages:
        said = stated(passage.text) if passage.doc_id not in found else None
        if said is not None:
            found[passage.doc_id] = Graded(passage, *said)
    return list(found.values())


def _search(
    index: PassageIndex,
    searches: Sequence[str],
    pool: int,
    within: Filters,
    stated: Callable[[str], tuple[int, int, str] | None],
    found: dict[str, Graded],
) -> None:
    """Add to `found` each report's first statement among the hits of the searches."""
    for passage in (
        h for words in searches for h, _ in index.lexical_search(words, pool, within.mask)
    ):
        said = stated(passage.text)
        if said is not None:
            graded = Graded(passage, *said)
            known = found.get(passage.doc_id)
            if known is None or _earlier(graded, known):
                found[passage.doc_id] = graded


def _earlier(a: Graded, b: Graded) -> bool:
    """Does `a` stand before `b` in their report (a row of the table before the text)?"""
    key = (int(a.passage.metadata.get("char_start", 0)), a.start)
    return key < (int(b.passage.metadata.get("char_start", 0)), b.start)


def graded_answer(
    query: Query, grades: frozenset[str], index: PassageIndex, filters: Filters, limit: int
) -> Answer | None:
    """The newest `limit` reports whose overall grade (or grade for the topic asked) is one
    asked, each quoted where it states it, with notes of how many there are and of how many
    reports a grade was read; a refusal when none gives it; None when a topic is asked that no
    row of a table of grades grades."""
    records = index.documents()
    inspections = [r for r in records if r.kind == "inspection"]
    topic = graded_topic(query.question)
    if topic:
        read = topic_rows(index, inspections, filters, topic)
        if not read:
            return None  # "inadequate for their work with gangs": no row grades it
    else:
        read = statements(index, inspections, filters)
    chosen = graded_reports(query, grades, records, read)
    phrase = topic_phrase(query.question, topic)
    what = f"Grades for {phrase}" if topic else "Overall grades"
    notes = [f"{what} were read from {len(read)} of the {len(inspections)} inspection reports."]
    if not chosen:
        asked = " or ".join(sorted(grades))
        years = " or ".join(sorted(set(YEARS.findall(query.question))))
        of_years = f" of {years}" if years else ""
        grade = f"grade for {phrase}" if topic else "overall grade"
        why = f"no inspection{of_years} whose {grade} was read is graded {asked}"
        text = refusal_text([], why=why)
        return Answer(query.question, text, [], refused=True, reason=why, unmet=why, notes=notes)
    if len(chosen) > limit:
        hint = "" if YEARS.search(query.question) else " (a year, as in “… in 2023”, narrows it)"
        notes.insert(
            0, f"{len(chosen)} inspections give that grade; the {limit} newest are quoted{hint}."
        )
    return quoted_reports(query.question, chosen[:limit], notes)


def quoted_reports(question: str, said: Sequence[Graded], notes: list[str]) -> Answer:
    """An answer that quotes each statement where its report makes it, one report a paragraph
    under its title ("**Inspection of … (2023)** — Overall effectiveness Good [1]")."""
    quoted = [(g, Candidate(g.passage, 1.0)) for g in said]
    citations = [
        make_citation(n, cand, g.start, g.passage.text[g.start : g.end])
        for n, (g, cand) in enumerate(quoted, start=1)
    ]
    verify_quotes(citations)
    text = "\n\n".join(
        f"**{passage_heading(g.passage)}** — {c.quote} [{c.n}]"
        for (g, _), c in zip(quoted, citations, strict=True)
    )
    return Answer(question, text, citations, passages=[c for _, c in quoted], notes=notes)


def graded_reports(
    query: Query, grades: frozenset[str], library: Sequence[DocRecord], read: Sequence[Graded]
) -> list[Graded]:
    """Of the statements `read`, the reports whose overall grade is one of `grades`, newest
    first; of the years the question names alone, and of each place its newest when it asks for
    the most recent."""
    records = {r.doc_id: r for r in library}
    years = set(YEARS.findall(query.question))
    kept = newest_documents(library) if query.newest else tuple(records)

    def wanted(g: Graded) -> bool:
        record: DocRecord = records[g.passage.doc_id]
        return (
            g.grade in grades
            and g.passage.doc_id in kept
            and (not years or bool(dated_years(record) & years))
        )

    # newest first (ISO dates order as text), each date's reports by id
    chosen = sorted((g for g in read if wanted(g)), key=lambda g: g.passage.doc_id)
    return sorted(chosen, key=lambda g: records[g.passage.doc_id].date or "", reverse=True)


def grades_compared(
    query: Query, index: PassageIndex, filters: Filters, limit: int
) -> Answer | None:
    """How each of the inspections a question names was graded ("How was Kent rated in 2017 and
    2022?", "How did Sheffield's rating change between its inspections?"): each report's
    statement of its overall grade, or its row for the topic asked, oldest first. None unless
    the question asks for the grades (not the reasons for them) of two or more inspections, or
    when none of them states the grade asked."""
    question = query.question
    if len(query.doc_ids) < 2 or not GRADE_ASKED.search(question) or GRADE_WHY.search(question):
        return None
    records = {r.doc_id: r for r in index.documents()}
    named = [records[d] for d in query.doc_ids if d in records]
    if len(named) < 2 or any(r.kind != "inspection" for r in named):
        return None
    named = [r for r in named if not filters.doc_ids or r.doc_id in filters.doc_ids]
    if len(named) < 2:
        return None  # one left by a filter is asked as any question of one report is
    skip = set(query.name_terms) | CHANGE_WORDS
    topic = [w for w in graded_topic(question) if stem(w) not in skip]
    within = replace(filters, doc_ids=tuple(r.doc_id for r in named))
    read = topic_rows(index, named, within, topic) if topic else statements(index, named, within)
    if not read:
        return None
    read.sort(key=lambda g: (records[g.passage.doc_id].date or "", g.passage.doc_id))
    what = f"grade for {topic_phrase(question, topic)}" if topic else "overall grade"
    notes = [f"Each inspection's {what}, oldest first."]
    unread = [
        titled(r.title, r.date) for r in named if r.doc_id not in {g.passage.doc_id for g in read}
    ]
    if unread:
        notes.append(f"No {what} was read from {' or '.join(unread)}.")
    return quoted_reports(question, read[:limit], notes)

"""Hybrid retrieval: dense (Chroma) and lexical (BM25) candidates fused by reciprocal rank; filters;
per-document diversification for theme questions."""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ingest.embed import Encoder
from ingest.index import DocRecord, PassageColumns, PassageIndex, StoredPassage
from ingest.structure import GRADES, MONTHS
from rag.query import WORD, Query, content_terms, naming_terms, passage_stems, stem

if TYPE_CHECKING:
    import numpy as np

# Reciprocal rank fusion: fuse by rank, not score, because BM25 scores and cosine similarities
# live on different scales. 60 is the constant of Cormack et al. (2009): it damps the weight of
# the very first ranks so that agreement between the two lists counts for more than one list's top.
RRF_K = 60
# a follow-up searched on its own, or a question without the clause naming its document, counts
# half as much as the whole question (1.0 cost Ofsted answered items; 0.3 gained less)
ALSO_WEIGHT = 0.5
# A theme question asks what reviews found: evidence stands in the sections that judge practice,
# not in the chronology, the introduction or the terms of reference. Passages of other sections
# keep this share of their fused score when a theme answer picks each review's best passage.
FINDING_SECTIONS = frozenset(["analysis", "findings", "judgement", "voice", "good_practice"])
OTHER_SECTION_WEIGHT = 0.8
# "Which reviews involved a move between local authorities?" asks which, and is answered by the
# reviews whose best passage stands near the top, not by every review that speaks of the words
WHICH_DOCUMENTS = re.compile(
    r"^\s*(?:which|what)\s+(?:reviews|reports|cases|inspections|documents)\b", re.I
)
WHICH_STRONG = 0.65
# A question that asks for a quantity ("how many", "how long", "what proportion") is answered by
# a passage that states one: passages with no number in them (their paragraph label aside) keep
# this share of their fused score. On the corpus set it moved one fact item into the top 5
# (recall@5 0.764 -> 0.774-0.777 for weights 0.4-0.8); the Ofsted set did not move.
QUANTITY = re.compile(
    r"\bhow (many|much|long|often|far|old)\b|\bwhat (proportion|percentage|number)\b", re.I
)
NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|half|quarter|third|once|twice|daily|weekly|monthly)\b",
    re.I,
)
# A theme question is short and names a topic ("What was said about supervision?"): how close a
# passage is to it under the encoder tells more than the rank fusion keeps. Each passage's fused
# score, as a share of the best, gains this share of its cosine (as a share of the best cosine)
# before each review's best passage is taken. Over the theme items of the corpus and Ofsted sets
# 0.2-0.4 all gave corpus theme recall@5 0.430 -> 0.455 and MRR 0.773 -> 0.81, Ofsted MRR 0.566
# -> 0.579 (recall@5 unchanged); 0.1 gained less, 0.6 lost recall.
THEME_COSINE_WEIGHT = 0.3
# ... and gains this share of the question's terms it holds (IDF-weighted): the encoder finds a
# passage about agencies knowing parts of a story close to "the role of GPs", but a review speaks
# to GPs where its passage says "GP". Session 15, over the theme items: recall@5 on the theme set
# 0.473 -> 0.542 (MRR 0.759 -> 0.830), on the corpus set's 0.455 -> 0.476 (MRR 0.809 -> 0.938),
# the Ofsted set's unchanged; 0.3 and 1.0 gained too (theme set 0.500 / 0.495, corpus 0.489 /
# 0.476). "What did the reviews find about the role of GPs ...?" went from quoting Mr D's review
# alone to quoting six.
THEME_TERMS_WEIGHT = 0.5
# A question about what was recommended, or what needs to improve, is answered from the
# recommendations: passages of other sections keep OTHER_SECTION_WEIGHT of their fused score (for a
# theme, in place of the findings). On the Ofsted set "What did it say needed to improve?" moved
# from no gold passage in the top 5 to the first (recall@5 0.805 -> 0.829); on the corpus set a
# follow-up about "that recommendation" found its passage (0.780 -> 0.790).
# "areas for improvement" too (session 13: "What were Manchester's areas for improvement in
# 2022?" had been answered from two sentences that say "improvement").
RECOMMEND = re.compile(
    r"\brecommend\w*|\bneed(?:s|ed)?\s+to\s+improve|\bshould\s+improve"
    r"|\bareas?\s+(?:for|of|needing|requiring)\s+(?:improvement|development)",
    re.I,
)
# words that ask for a report's recommendations rather than say what they should be about
# ("What areas for development did Ofsted identify in Leeds?"), as stems
ASKING_RECOMMENDATIONS = frozenset(
    stem(w)
    for w in [
        "recommend",
        "need",
        "improve",
        "improvement",
        "development",
        "area",
        "inspector",
        "made",
    ]
    + ["make", "identify", "list", "set", "gave", "give", "highlight", "key", "main"]
)
# a question for what a report found at fault, of it as a whole: "What went wrong in the Child T
# case?", "What were the weaknesses in the 2023 Bexley inspection?", "What could have been done
# better?". A review answers it with its findings (rag/summary.py), an inspection with its list of
# what needs to improve; they share no word with it ("failings" is in no finding), so the search
# had found a review's good practice and the refusal model refused "What went wrong …?"
FAULTS_ASKED = re.compile(
    r"\b(?:went|go|goes|gone|do|did|does|done|get|got)\s+wrong\b|\bwhat\s+(?:was|is)\s+wrong\b"
    r"|\b(?:mistakes|errors|failings|failures|shortcomings|weaknesses|deficits)\b|\bcritici[sz]|\bcritical\s+of\b"
    r"|\b(?:main|key|biggest|major|principal|most\s+serious)\s+(?:concerns|problems)\b"
    r"|\b(?:could|should)\s+(?:\w+\s+)?have\s+(?:been\s+)?done\s+(?:better|differently)\b",
    re.I,
)
# the words that ask for what was at fault, as stems, not what it should be about
ASKING_FAULTS = frozenset(
    stem(w)
    for w in ["went", "wrong", "mistakes", "errors", "failings", "failures", "shortcomings"]
    + ["weaknesses", "criticisms", "criticise", "criticised", "criticize", "criticized"]
    + ["critical", "deficits", "concerns", "problems", "biggest", "major"]
    + ["principal", "serious", "could", "should", "done", "better", "differently", "identified"]
    + ["found", "made", "key", "main", "most"]
)


def faults_asked(question: str) -> bool:
    """Does the question ask what a report found at fault ("What went wrong …?")?"""
    return bool(FAULTS_ASKED.search(question))


def asking_list(query: Query) -> frozenset[str]:
    """The stems of a question's words that ask for a report's list of recommendations or what
    needs to improve, or for what it found at fault, rather than what it should be about."""
    # ... or the turn before asked ("What went wrong in the Ms K case?" then "What was recommended?")
    return ASKING_RECOMMENDATIONS | (ASKING_FAULTS if faults_asked(query.search_text) else set())


# a question for an inspection's grades: "What grade did Leeds get in 2022?", "How was Hackney
# rated?", "How did Ofsted judge Sheffield's services for children in care?"; and a row of its
# table of grades ("Overall effectiveness Outstanding"), a sentence of its own (ingest/structure.py)
GRADE_ASKED = re.compile(
    r"(?i:\b(?:grades?|graded|ratings?|rated|judged|judgements?)\b"
    r"|\b(?:rate|grade|judge)\s+(?:the|its|their|how)\b)|\b(?i:rate|grade|judge)\s+[A-Z]"
)
# ... unless it asks why too: a row gives a grade, not the reasons for it
GRADE_WHY = re.compile(r"\bwhy\b|\breasons?\b", re.I)
GRADE_ROW = re.compile(rf"(?:\d+(?:\.\d+)*\.?\s+)?[^\n.!?:]{{8,160}}\s{GRADES}")
# the heading over a box of grades, which states the overall grade: "Children's services in Bury
# require improvement to be good"
GRADE_HEADLINE = re.compile(
    rf"Children[’']s services in [^\n.]{{2,80}}? (?:(?:are|is) {GRADES}"
    r"|requires? improvement(?: to be good)?)\.?",
    re.I,
)
# words that ask for a grade rather than say which (stems); "overall" says which
ASKING_GRADES = frozenset(
    stem(w)
    for w in [
        "grade",
        "graded",
        "rate",
        "rated",
        "rating",
        "judge",
        "judged",
        "judgement",
        "inspector",
    ]
    + ["get", "got", "give", "gave", "given", "receive", "received", "award", "awarded"]
    + ["service", "servic"]  # "York's care leavers service" is graded as "care leavers"
)
YEAR = re.compile(r"(?:19|20)\d\d")
LABEL = re.compile(r"^\s*\d+(\.\d+)*\.?\s")  # a paragraph's own number: "10.13 ", "17. "
NO_NUMBER_WEIGHT = 0.8
# "How many teeth did the older child need taken out?": the thing counted is the word before the
# verb (or preposition) that follows "how many"; a passage that answers counts it ("needed eight
# teeth removed", "418 children were"). Of the first COUNT_TOP candidates (those re-ranked), the
# passages that count it come first: on the held-out set recall@5 0.833 -> 0.917 and MRR 0.741 ->
# 0.854; the corpus set gained one item's first rank, the other sets did not move.
AFTER_COUNTED = (
    r"did|do|does|was|were|is|are|had|has|have|will|would|could|can|took|been|in|of|at|on|for|"
    r"with|from|by|before|after|during|between|when|that|which|who|there|\w+ed"
)
COUNTED = re.compile(
    rf"\bhow\s+many\s+(?:[\w'’-]+\s+){{0,3}}?([a-z][\w'’-]*?)\s+(?=(?:{AFTER_COUNTED})\b)", re.I
)
# "how many times was the family assessed from scratch": the thing done, as its participle
TIMES_DONE = re.compile(
    r"\bhow\s+many\s+times\s+(?:was|were|had|has|have)\s+(?:[\w'’-]+\s+){1,4}?([a-z]{4,}ed)\b",
    re.I,
)
NOT_COUNTED = frozenset(["of", "other", "more", "times", "them", "those", "these"])
COUNT_NUMBER = (
    r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|several|dozens?)"
)
COUNT_TOP = 20
# The encoder's best passage, when it stands clearly above its second (cosine margin at least
# DENSE_MARGIN), is kept among the first DENSE_AT + 1 candidates: rank fusion buries a passage only
# one list finds ("the older sister ... could not be woken" is dense rank 0 and in no BM25 top 40:
# fused rank 17). Over the five sets it moved 30 questions at a margin of 0.03 (10 at 0.06, 3 at
# 0.1), with the same figures at 0.03 and 0.06: corpus recall@5 0.822 -> 0.832, MRR 0.806 ->
# 0.810, the other sets unchanged. Moved to the first place instead, it cost MRR elsewhere.
DENSE_MARGIN = 0.03
DENSE_AT = 2
FILTER_KEYS = {
    "doc": "doc_ids",
    "document": "doc_ids",
    "kind": "kinds",
    "section": "section_kinds",
    "from": "date_from",
    "to": "date_to",
}


class FilterError(ValueError):
    """A --filter the retriever cannot apply."""


@dataclass(frozen=True)
class Filters:
    """Restrictions on which passages may be retrieved."""

    doc_ids: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    section_kinds: tuple[str, ...] = ()
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None

    @classmethod
    def parse(cls, items: Sequence[str]) -> Filters:
        """From `key=value` strings: doc, kind, section (comma lists), from, to (YYYY[-MM-DD])."""
        values: dict[str, Any] = {}
        for item in items:
            key, sep, value = item.partition("=")
            name = FILTER_KEYS.get(key.strip().lower())
            if not sep or name is None or not value.strip():
                keys = ", ".join(sorted(FILTER_KEYS))
                raise FilterError(f"bad filter '{item}': use KEY=VALUE with KEY one of {keys}")
            if name in ("date_from", "date_to"):
                values[name] = _iso(value.strip(), end=name == "date_to")
            else:
                parts = tuple(v.strip() for v in value.split(",") if v.strip())
                values[name] = tuple(values.get(name, ())) + parts
        return cls(**values)

    def where(self) -> dict[str, Any] | None:
        """The same restrictions as a Chroma `where` clause."""
        clauses: list[dict[str, Any]] = []
        if self.doc_ids:
            clauses.append({"doc_id": {"$in": list(self.doc_ids)}})
        if self.kinds:
            clauses.append({"kind": {"$in": list(self.kinds)}})
        if self.section_kinds:
            clauses.append({"section_kind": {"$in": list(self.section_kinds)}})
        if self.date_from:
            clauses.append({"date_num": {"$gte": int(self.date_from.replace("-", ""))}})
        if self.date_to:
            clauses.append({"date_num": {"$lte": int(self.date_to.replace("-", ""))}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def mask(self, columns: PassageColumns) -> np.ndarray:
        """Which rows pass these filters: judged once per document and per section kind."""
        import numpy as np

        def member(values: tuple[str, ...], allowed: tuple[str, ...]) -> np.ndarray:
            wanted = set(allowed)
            return np.fromiter((v in wanted for v in values), dtype=bool, count=len(values))

        docs = np.ones(len(columns.doc_ids), dtype=bool)
        if self.doc_ids:
            docs &= member(columns.doc_ids, self.doc_ids)
        if self.kinds:
            docs &= member(columns.kinds, self.kinds)
        if self.date_from:
            docs &= columns.date_nums >= int(self.date_from.replace("-", ""))
        if self.date_to:
            docs &= columns.date_nums <= int(self.date_to.replace("-", ""))
        rows: np.ndarray = docs[columns.doc]
        if self.section_kinds:
            rows &= member(columns.section_kinds, self.section_kinds)[columns.section]
        return rows

    @property
    def empty(self) -> bool:
        """No restriction at all."""
        return self.where() is None


def _iso(value: str, end: bool) -> str:
    parts = value.split("-")
    bad = FilterError(f"bad date '{value}': use YYYY, YYYY-MM or YYYY-MM-DD")
    if not all(p.isdigit() for p in parts) or len(parts[0]) != 4 or len(parts) > 3:
        raise bad
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
    day = int(parts[2]) if len(parts) > 2 else (31 if end else 1)
    try:
        datetime.date(year, month, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        raise bad from None
    return f"{year:04d}-{month:02d}-{day:02d}"


LISTED = 12  # documents a filter error names


def checked_filters(
    filters: Filters, records: Sequence[DocRecord], section_kinds: Sequence[str]
) -> Filters:
    """The filters spelt as the index spells its values ("SAR" is "sar"). A document, a kind or a
    section kind the index does not hold, or dates that end before they begin, raise FilterError
    naming it and what there is: a filter that matches nothing would refuse every question."""

    def spelt(values: tuple[str, ...], known: Sequence[str], what: str) -> tuple[str, ...]:
        by_lower = {k.lower(): k for k in known}
        for value in values:
            if value.lower() not in by_lower:
                names = sorted(by_lower.values())
                there = ", ".join(names) or "none"
                if what == "document" and len(names) > LISTED:
                    # a library of hundreds: the first, and where the rest are
                    there = ", ".join(names[:LISTED])
                    there += f", … ({len(names)} in all: `reviewqa docs` lists them)"
                raise FilterError(f"no {what} '{value}' in the index; there are: {there}")
        return tuple(by_lower[v.lower()] for v in values)

    checked = replace(
        filters,
        doc_ids=spelt(filters.doc_ids, [r.doc_id for r in records], "document"),
        kinds=spelt(filters.kinds, sorted({r.kind for r in records}), "kind of document"),
        section_kinds=spelt(filters.section_kinds, section_kinds, "section kind"),
    )
    if checked.date_from and checked.date_to and checked.date_from > checked.date_to:
        raise FilterError(
            f"the dates end before they begin: from {filters.date_from} to {filters.date_to}"
        )
    return checked


@dataclass
class Candidate:
    """A retrieved passage with how it was found."""

    passage: StoredPassage
    score: float  # fused RRF score
    dense: float | None = None  # cosine similarity to the question, when dense search found it
    lexical: float | None = None  # BM25 score, when lexical search found it
    dense_rank: int | None = None
    lexical_rank: int | None = None
    part: str = ""  # what part of its report an answer takes it as ("summary"), when put first

    @property
    def passage_id(self) -> str:
        """The passage's id."""
        return self.passage.passage_id


@dataclass
class Retrieval:
    """Ranked candidates plus what the retriever measured."""

    candidates: list[Candidate]
    best_dense: float
    timings_ms: dict[str, float] = field(default_factory=dict)


def fuse_rankings(
    rankings: Sequence[Sequence[str]], weights: Sequence[float] | None = None, k: int = RRF_K
) -> dict[str, float]:
    """Reciprocal rank fusion of several best-first id lists (optionally weighted)."""
    scores: dict[str, float] = {}
    for i, ranking in enumerate(rankings):
        weight = weights[i] if weights else 1.0
        for rank, pid in enumerate(ranking):
            scores[pid] = scores.get(pid, 0.0) + weight / (k + rank + 1)
    return scores


def effective_filters(query: Query, filters: Filters) -> Filters:
    """The user's filters, narrowed to the documents the question names (when it names any)."""
    if not query.doc_ids:
        return filters
    if not filters.doc_ids:
        return replace(filters, doc_ids=query.doc_ids)
    narrowed = tuple(d for d in filters.doc_ids if d in query.doc_ids)
    return replace(filters, doc_ids=narrowed or filters.doc_ids)


def retrieve(
    query: Query,
    index: PassageIndex,
    encoder: Encoder,
    filters: Filters | None = None,
    pool: int = 40,
) -> Retrieval:
    """Dense + lexical candidates for a query, fused by reciprocal rank."""
    filters = effective_filters(query, filters or Filters())
    timings: dict[str, float] = {"embed": 0.0, "dense": 0.0, "lexical": 0.0}
    rankings: list[list[str]] = []
    weights: list[float] = []
    found: dict[str, Candidate] = {}
    best = 0.0
    vectors: dict[str, list[float]] = {}
    for n, text in enumerate((query.search_text, *query.also_search)):
        if n == 0 and query.compares and query.also_search:
            # each document apart, asked without the names that chose it; how close the whole
            # question comes to any passage is still what the evidence measures
            start = time.perf_counter()
            whole = encoder.embed_query(text)
            timings["embed"] += _ms(start)
            start = time.perf_counter()
            best = _best_cosine(whole, index, filters)
            timings["dense"] += _ms(start)
            text = query.also_search[0]
        start = time.perf_counter()
        query_vector = vectors.get(text) or encoder.embed_query(text)
        vectors[text] = query_vector
        timings["embed"] += _ms(start)
        for scope, unweighed in _scopes(query, filters, n):
            start = time.perf_counter()
            dense = index.dense_search(query_vector, pool, scope.where())
            timings["dense"] += _ms(start)
            start = time.perf_counter()
            select = None if scope.empty else scope.mask
            lexical = index.lexical_search(text, pool, select, unweighed)
            timings["lexical"] += _ms(start)
            rankings += [[h.passage_id for h, _ in dense], [h.passage_id for h, _ in lexical]]
            weights += [1.0, 1.0] if n == 0 else [ALSO_WEIGHT, ALSO_WEIGHT]
            for rank, (hit, sim) in enumerate(dense):
                cand = found.setdefault(hit.passage_id, Candidate(hit, 0.0))
                if n == 0:
                    cand.dense, cand.dense_rank = sim, rank
                    best = best if query.compares else max(best, sim)
            for rank, (hit, score) in enumerate(lexical):
                cand = found.setdefault(hit.passage_id, Candidate(hit, 0.0))
                if n == 0:
                    cand.lexical, cand.lexical_rank = score, rank
    start = time.perf_counter()
    fused = fuse_rankings(rankings, weights)
    for pid, cand in found.items():
        cand.score = fused[pid]
    ranked = sorted(found.values(), key=lambda c: (-c.score, c.passage_id))
    timings["fuse"] = _ms(start)
    return Retrieval(ranked, best, {k: round(v, 2) for k, v in timings.items()})


def _best_cosine(vector: list[float], index: PassageIndex, filters: Filters) -> float:
    """The cosine of the passage closest to a query vector, within the filters."""
    return max((sim for _, sim in index.dense_search(vector, 10, filters.where())), default=0.0)


def _scopes(query: Query, filters: Filters, n: int) -> list[tuple[Filters, tuple[str, ...]]]:
    """Where the `n`th search text is searched, and the names that weigh nothing there.

    Within the document a question names, its names tell no passage from another. A comparison's
    own question is searched in each of its documents apart, so that the one whose name the
    encoder hears louder ("Baby R") does not fill the list and leave the other's passages on the
    topic unfound; its other texts search them together.
    """
    names = tuple(name for name in query.names if not YEAR.fullmatch(name))
    if n > 0 or not query.doc_ids:
        return [(filters, ())]
    if not query.compares:
        return [(filters, names)]
    # nor do the words that carry no meaning ("how", "compare", "review", "inspection")
    spare = tuple(w for w in WORD.findall(query.question) if w.lower() not in content_terms(w))
    return [(replace(filters, doc_ids=(doc,)), names + spare) for doc in filters.doc_ids]


def diversify(ranked: list[Candidate], strong: float = 0.5) -> list[Candidate]:
    """Best passage of each document with strong evidence first (in rank order), then the rest.

    A document has strong evidence when its best passage scores at least `strong` times the top
    score: so a theme answer draws on every review that speaks to it, not only the top-ranked one.
    An inspection with a later one of the same place among them steps back to the rest.
    """
    if not ranked:
        return ranked
    top = ranked[0].score
    firsts: list[Candidate] = []
    seen: set[str] = set()
    for cand in ranked:
        if cand.passage.doc_id not in seen and cand.score >= strong * top:
            seen.add(cand.passage.doc_id)
            firsts.append(cand)
    firsts = [c for c in firsts if not superseded(c, firsts)]
    chosen = {c.passage_id for c in firsts}
    return firsts + [c for c in ranked if c.passage_id not in chosen]


def superseded(cand: Candidate, others: Sequence[Candidate]) -> bool:
    """Is the candidate from an inspection of a place that a later inspection among `others`
    also reports on? A board asking how councils do wants each council's latest judgement."""
    meta = cand.passage.metadata
    if not of_inspection(cand) or not meta.get("place"):
        return False
    return any(
        of_inspection(o)
        and o.passage.metadata.get("place") == meta.get("place")
        and int(o.passage.metadata.get("date_num") or 0) > int(meta.get("date_num") or 0)
        for o in others
    )


def with_cosine(ranked: list[Candidate], weight: float = THEME_COSINE_WEIGHT) -> list[Candidate]:
    """Each candidate scored by its fused score as a share of the best plus `weight` times its
    cosine as a share of the best cosine (none when dense search did not find it), best first."""
    if not ranked:
        return ranked
    top = max(c.score for c in ranked) or 1.0
    top_cosine = max((c.dense or 0.0) for c in ranked) or 1.0
    scored = [
        replace(c, score=c.score / top + weight * (c.dense or 0.0) / top_cosine) for c in ranked
    ]
    return sorted(scored, key=lambda c: (-c.score, c.passage_id))


def with_terms(
    query: Query,
    ranked: list[Candidate],
    weights: dict[str, float],
    weight: float = THEME_TERMS_WEIGHT,
) -> list[Candidate]:
    """Each candidate's score plus `weight` times the IDF-weighted share of the question's terms
    its passage holds, best first."""
    scored = [
        replace(c, score=c.score + weight * terms_held(query, c.passage.text, weights))
        for c in ranked
    ]
    return sorted(scored, key=lambda c: (-c.score, c.passage_id))


def terms_held(query: Query, text: str, weights: dict[str, float]) -> float:
    """The IDF-weighted share of the question's terms a text holds (as itself or its acronym)."""
    total = sum(weights.get(t, 1.0) for t in query.terms) or 1.0
    stems = passage_stems(text)
    return sum(weights.get(t, 1.0) for t in query.terms if query.held(t, stems)) / total


def interleave(ranked: list[Candidate], doc_ids: Sequence[str]) -> list[Candidate]:
    """Take the named documents' passages in turns (each in rank order), then the rest.

    For a question that compares documents ("How did the Mr D and Ms K reviews ..."): the top
    of the list then holds the best passages of each, not only of the one that ranks higher.
    """
    queues = {doc: [c for c in ranked if c.passage.doc_id == doc] for doc in doc_ids}
    order = sorted(doc_ids, key=lambda d: ranked.index(queues[d][0]) if queues[d] else len(ranked))
    turns: list[Candidate] = []
    for i in range(max((len(q) for q in queues.values()), default=0)):
        turns += [queues[doc][i] for doc in order if i < len(queues[doc])]
    taken = {c.passage_id for c in turns}
    return turns + [c for c in ranked if c.passage_id not in taken]


def favour(
    ranked: list[Candidate], keeps: Callable[[Candidate], bool], weight: float
) -> list[Candidate]:
    """Re-rank with the passages that fail `keeps` scored down to `weight` of their score."""
    weighed = [c if keeps(c) else replace(c, score=c.score * weight) for c in ranked]
    return sorted(weighed, key=lambda c: (-c.score, c.passage_id))


def keep_clear_dense_best(
    ranked: list[Candidate], at: int = DENSE_AT, margin: float = DENSE_MARGIN
) -> list[Candidate]:
    """The dense search's first passage moved up to place `at` when it ranks lower and its cosine
    beats the second best by at least `margin`; otherwise the order is kept."""
    cosines = sorted((c.dense for c in ranked if c.dense is not None), reverse=True)
    best = next((i for i, c in enumerate(ranked) if c.dense_rank == 0), None)
    if best is None or best <= at or len(cosines) < 2 or cosines[0] - cosines[1] < margin:
        return ranked
    return [*ranked[:at], ranked[best], *ranked[at:best], *ranked[best + 1 :]]


def put_first(
    ranked: list[Candidate], keeps: Callable[[Candidate], bool], within: int | None = None
) -> list[Candidate]:
    """The candidates that pass `keeps` first, then the rest; each part keeps its order. With
    `within`, only the first `within` candidates are reordered, among themselves."""
    head, tail = (ranked, []) if within is None else (ranked[:within], ranked[within:])
    passed = [(c, keeps(c)) for c in head]  # each candidate tested once
    return [c for c, ok in passed if ok] + [c for c, ok in passed if not ok] + tail


def holds_reference(cand: Candidate, refs: Sequence[str]) -> bool:
    """Is the passage one of the numbered parts named ("Recommendation 4: ...", paragraph 10.3)?"""
    return reference_offset(cand, refs) is not None


def reference_offset(cand: Candidate, refs: Sequence[str]) -> int | None:
    """Where in the passage the first numbered part named begins (None: it holds none)."""
    text = cand.passage.text
    labels = str(cand.passage.metadata.get("paragraphs", "")).split(",")
    for ref in refs:
        kind, number = ref.split(" ", 1)
        if kind == "paragraph":
            if number in labels:
                at = re.search(rf"(?:^|\n){re.escape(number)}\b", text)
                return at.start() if at else 0
            continue
        at = re.search(rf"\b{kind}\s+{re.escape(number)}\b(?![.]?\d)", text, re.IGNORECASE)
        if at:
            return at.start()
    return None


def counted_noun(question: str) -> str | None:
    """The thing a "how many" question counts ("teeth", "reports"), or None; for "how many times
    was the family assessed", what was done ("assessed": "four single assessments" counts it)."""
    found = COUNTED.search(question)
    noun = found.group(1).lower() if found else None
    if noun == "times" and (done := TIMES_DONE.search(question)):
        return done.group(1).lower()
    return None if noun in NOT_COUNTED else noun


def counts(noun: str) -> Callable[[Candidate], bool]:
    """Does a passage count `noun` ("eight teeth", "14 intelligence reports", "418 children")?"""
    pattern = count_pattern(noun)
    return lambda cand: bool(pattern.search(cand.passage.text))


def count_pattern(noun: str) -> re.Pattern[str]:
    """A number before `noun`, with up to two words between, all in lower case: "Ravensholme
    Homes" is a name, not a count of homes; a year counts nothing."""
    root = re.escape(stem(noun))
    if root.endswith("y"):
        root = root[:-1] + "(?:y|ie)"  # "tenancies" counts as "tenancy" does
    return re.compile(rf"\b(?!(?:19|20)\d\d\b)(?i:{COUNT_NUMBER})\s+(?:[a-z-]+\s+){{0,2}}?{root}")


# a day asked about ("What happened on 4 September 2015?", "on the 12th of May"): its day and
# month, for a report may give the year once after a list of days ("on 3 March, 12 May, 21 July
# and 29 September 2015")
MONTH_NAME = "|".join(MONTHS)
DAY_ASKED = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{MONTH_NAME})\b"
    rf"|\b(?P<month2>{MONTH_NAME})\s+(?:the\s+)?(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{3}})",
    re.I,
)


def day_asked(question: str) -> tuple[str, re.Pattern[str]] | None:
    """The first day of a month the question names, as it says it, and how a passage gives it;
    or None."""
    found = DAY_ASKED.search(question)
    if found is None:
        return None
    day = int(found.group("day") or found.group("day2"))
    month = (found.group("month") or found.group("month2")).lower()
    if not 1 <= day <= 31:
        return None
    return found.group(0), re.compile(
        rf"\b0?{day}(?:st|nd|rd|th)?\s+(?:of\s+)?{month}\b|\b{month}\s+0?{day}(?:st|nd|rd|th)?\b",
        re.I,
    )


def asked_topic(query: Query, asking: frozenset[str]) -> set[str]:
    """What a question for a part of a report asks it to be about: its own terms (a follow-up's
    earlier turn aside) less the names of its documents, the words that only pick one ("the
    latest") and the words that ask for that part."""
    own = {stem(w) for w in content_terms(query.question)}
    return own - set(query.name_terms) - naming_terms(query.question) - asking


def recommendation_topic(query: Query) -> set[str]:
    """What a question about recommendations asks them to be about ("supervision" in "What was
    recommended about supervision in the Baby R review?")."""
    return asked_topic(query, asking_list(query))


def recommendations_asked(query: Query, candidates: Sequence[Candidate]) -> list[Candidate]:
    """For "What was recommended ...?" or "What needs to improve?" about one case (those the
    question names, or else the first candidate's): its candidates from sections of
    recommendations (in the report's order when no topic is asked), those that speak of the topic
    when one is; none when the question asks for something else.

    The list of what an inspection says needs to improve shares no word with the question, so
    its passage ranks low and its sentences lose to any sentence elsewhere that says "improve"."""
    if not candidates:
        return []
    if not RECOMMEND.search(query.question):
        # "What were the weaknesses in the 2023 Bexley inspection?": what it says needs to improve
        # (of the inspections the question names; a review's findings say what went wrong), not
        # "what was wrong with the letters before proceedings", which its findings say
        named = [c for c in candidates if c.passage.doc_id in query.doc_ids]
        if not (
            faults_asked(query.question)
            and named
            and all(map(of_inspection, named))
            and not recommendation_topic(query)
        ):
            return []
    docs = set(query.doc_ids) or {candidates[0].passage.doc_id}
    found = [c for c in candidates if c.passage.doc_id in docs and in_recommendations(c)]
    topic = recommendation_topic(query)
    if topic:
        return [
            c for c in found if any(query.held(t, passage_stems(c.passage.text)) for t in topic)
        ]
    return sorted(
        found, key=lambda c: (c.passage.doc_id, int(c.passage.metadata.get("char_start", 0)))
    )


def grade_rows(query: Query, text: str) -> list[tuple[int, int]]:
    """The rows of a table of grades in a passage's text, as (start, end), that grade what the
    question asks to be graded ("children in care" in "How did Ofsted judge Sheffield's services
    for children in care?"), or all of them when it names nothing; none when it asks why too."""
    if GRADE_WHY.search(query.question):
        return []
    rows = [
        (line.start(), line.end())
        for line in re.finditer(r"[^\n]+", text)
        if is_grade_row(line.group(0))
    ]
    topic = grade_topic(query)
    if not topic:
        return rows
    # all of it: "families" in "the way Bexley finds adoptive families" is no row's subject,
    # though the row on leaders' work "with children and families" holds it; nor does the row on
    # care leavers answer for "the September 2019 inspection" of a library that holds 2023's
    return [row for row in rows if all(query.held(t, row_stems(text, row)) for t in topic)]


# the heading over a box of grades states the overall grade: "What was the overall judgement for
# York in 2017?" asks for "Children's services in York are good", which says no "overall"
OVERALL_STEMS = frozenset(stem(w) for w in ["overall", "effectiveness"])


def row_stems(text: str, row: tuple[int, int]) -> frozenset[str]:
    """The stemmed terms of a row of grades, and what a box's heading grades (OVERALL_STEMS)."""
    line = text[row[0] : row[1]]
    held = passage_stems(line)
    return held | OVERALL_STEMS if GRADE_HEADLINE.fullmatch(line.strip()) else held


def is_grade_row(line: str) -> bool:
    """Is the line a row of a table of grades ("Overall effectiveness | Good"), or the heading
    over one that states the overall grade?"""
    line = line.strip()
    return bool(GRADE_ROW.fullmatch(line) or GRADE_HEADLINE.fullmatch(line))


def report_passages(index: PassageIndex, doc_id: str) -> list[StoredPassage]:
    """A document's live passages in the report's order."""
    return sorted(index.live_passages(doc_id), key=lambda p: int(p.metadata.get("char_start", 0)))


def found_or_new(
    passages: Sequence[StoredPassage], candidates: Sequence[Candidate]
) -> list[Candidate]:
    """Each passage as the candidate it is when the search found it, else as a new one scored 0."""
    found = {c.passage_id: c for c in candidates}
    return [found.get(p.passage_id) or Candidate(p, 0.0) for p in passages]


def grade_topic(query: Query) -> set[str]:
    """What a question for grades asks to be graded ("care leavers" in "How did Ofsted rate York's
    care leavers service?")."""
    return asked_topic(query, ASKING_GRADES)


# A report's glossary spells out its terms ("CT: Computed tomography (a form of scan)"): it says
# what a word means and nothing of what happened, yet a question in plain words shares every word
# with it. Its passages answer a question that asks what something is or means, and stand after
# the others for any other question (session 17: "what did the computed tomography scan show"
# had quoted the glossary's line on CT, as had the blind set's question on why a strategy
# discussion decided against an enquiry).
MEANING_ASKED = re.compile(
    r"\b(?:mean|means|meant|meaning|stands?\s+for|short\s+for|defin\w*|abbreviat\w*|acronyms?)\b"
    r"|^\s*what\s+(?:is|are|was|were)\s+(?:an?\s+)?[\w'’ -]{1,40}\?\s*$",
    re.I,
)


def glossary_last(question: str, ranked: list[Candidate]) -> list[Candidate]:
    """The candidates with the glossary's passages after the rest, unless the question asks what
    something means."""
    if MEANING_ASKED.search(question):
        return ranked
    return put_first(ranked, lambda c: c.passage.metadata.get("section_kind") != "glossary")


def in_findings(cand: Candidate) -> bool:
    """Does the passage stand in a section that judges practice?"""
    return cand.passage.metadata.get("section_kind") in FINDING_SECTIONS


def beyond_scope(cand: Candidate) -> bool:
    """Is the passage outside the terms of reference (which list topics, and answer none)?"""
    return cand.passage.metadata.get("section_kind") != "terms_of_reference"


def of_inspection(cand: Candidate) -> bool:
    """Is the passage an inspection's?"""
    return cand.passage.metadata.get("kind") == "inspection"


def in_recommendations(cand: Candidate) -> bool:
    """Does the passage stand in a section of recommendations ("What needs to improve")?"""
    return cand.passage.metadata.get("section_kind") == "recommendations"


def states_a_number(cand: Candidate) -> bool:
    """Does the passage state a number (its own paragraph label aside)?"""
    return bool(NUMBER.search(LABEL.sub("", cand.passage.text, count=1)))


def arrange(
    query: Query, ranked: list[Candidate], weights: dict[str, float] | None = None
) -> list[Candidate]:
    """The order answers are drawn from: per review for a theme, in turns for a comparison;
    passages that state a number first when the question asks for a quantity, and passages of
    recommendations when it asks what was recommended; a comparison's terms of reference count
    less. With the IDF `weights` of the question's terms, a theme's passages that hold more of
    them count for more."""
    recommend = bool(RECOMMEND.search(query.question))
    if QUANTITY.search(query.question) and not query.theme:
        ranked = favour(ranked, states_a_number, NO_NUMBER_WEIGHT)
    if recommend and not query.theme:
        ranked = favour(ranked, in_recommendations, OTHER_SECTION_WEIGHT)
    elif faults_asked(query.question) and not (query.theme or query.compares):
        # "What mistakes did the police make in the Baby R case?": what the review judged, not
        # its diary of what the police did (an inspection has no diary)
        ranked = favour(ranked, lambda c: in_findings(c) or of_inspection(c), OTHER_SECTION_WEIGHT)
    if query.theme:
        section = in_recommendations if recommend else in_findings
        scored = with_cosine(ranked)
        if weights is not None:
            scored = with_terms(query, scored, weights)
        scored = favour(scored, section, OTHER_SECTION_WEIGHT)
        strong = WHICH_STRONG if WHICH_DOCUMENTS.search(query.question) else 0.5
        # ... and a review's terms of reference, the questions it set itself, less again: "How
        # were chronologies kept?" had heard Siblings J and L through its line of enquiry
        # "whether chronologies and records supported ...", not its finding that none was kept
        return diversify(favour(scored, beyond_scope, OTHER_SECTION_WEIGHT), strong)
    if query.compares:
        # what the reviews found is compared, not the lines of enquiry they set themselves
        return interleave(favour(ranked, beyond_scope, OTHER_SECTION_WEIGHT), query.doc_ids)
    return ranked


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)

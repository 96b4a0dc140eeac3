"""Question -> Query: which documents it names, whether it is a theme or a follow-up, what to search.

Many reports read alike, so passage similarity alone picks the wrong report. What is known about
each document (title, kind, place, year, pseudonyms) is matched against the question first, and a
question that names a document is answered from that document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.index import DocRecord

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "said",
        "say",
        "says",
        "tell",
        "told",
        "find",
        "found",
        "there",
    ]
)
# question words that carry no subject matter: "compare", "according to", "how much"
GENERIC = frozenset(
    [
        "according",
        "actually",
        "also",
        "any",
        "anything",
        "away",
        "come",
        "compare",
        "compared",
        "comparison",
        "deal",
        "dealt",
        "decide",
        "decided",
        "describe",
        "described",
        "did",
        "do",
        "does",
        "done",
        "due",
        "get",
        "gets",
        "getting",
        "give",
        "given",
        "go",
        "goes",
        "going",
        "gone",
        "got",
        "happen",
        "happened",
        "happens",
        "into",
        "kept",
        "know",
        "known",
        "left",
        "long",
        "look",
        "looked",
        "main",
        "make",
        "made",
        "many",
        "mean",
        "meant",
        "much",
        "must",
        "name",
        "named",
        "need",
        "needed",
        "note",
        "noted",
        "often",
        "onto",
        "part",
        "role",
        "say",
        "seen",
        "show",
        "showed",
        "take",
        "taken",
        "thing",
        "things",
        "think",
        "took",
        "use",
        "used",
        "want",
        "way",
        "went",
        "whether",
    ]
)
# words that point at the documents rather than at what is asked about them
DOC_WORDS = frozenset(
    [
        "review",
        "reviews",
        "report",
        "reports",
        "inspection",
        "inspections",
        "document",
        "documents",
        "case",
        "serious",
        "safeguarding",
        "practice",
        "adults",
        "adult",
        "domestic",
        "homicide",
        "overview",
        "independent",
        "local",
        "child",
        "children",
        "council",
        "authority",
        "board",
        "partnership",
        "ofsted",
        "scr",
        "cspr",
        "lcspr",
        "sar",
        "dhr",
    ]
)
KIND_WORDS = {
    "scr": r"\bserious case reviews?\b|\bscrs?\b",
    "cspr": r"\bpractice reviews?\b|\bl?csprs?\b",
    "sar": r"\bsafeguarding adults? reviews?\b|\bsars?\b",
    "dhr": r"\bdomestic homicide reviews?\b|\bdhrs?\b",
    "inspection": r"\binspections?\b|\bofsted\b|\binspectors?\b",
    "overview": r"\boverview\b|\bthematic\b",
}
THEME_CUES = re.compile(
    r"\b(the reviews|reviews|across|themes?|all the|the reports|reports|the documents|inspectors"
    r"|inspections|what was said about|what was found|what was learned|lessons|generally|common"
    r"|recurr\w*|compare|comparison|conclude\w*)\b",
    re.IGNORECASE,
)
ANAPHORA = re.compile(
    r"\b(that|this|these|those|it|its|they|them|their|he|she|his|her|him|there|the same|such)\b"
    r"|^(and|so|but|also|what about|how about|why|who)\b",
    re.IGNORECASE,
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:\.\d+)*")


@dataclass(frozen=True)
class Query:
    """A question made ready for retrieval."""

    question: str
    search_text: str
    doc_ids: tuple[str, ...] = ()
    theme: bool = False
    follow_up: bool = False
    terms: tuple[str, ...] = field(default=())
    # further texts searched alongside search_text (a follow-up is also searched on its own)
    also_search: tuple[str, ...] = ()


def content_terms(text: str) -> list[str]:
    """Lower-cased words that carry meaning (no stopwords, no words naming the documents)."""
    words = [re.sub(r"['’]s$", "", w.lower()).strip("'’-") for w in WORD.findall(text)]
    return [
        w
        for w in words
        if len(w) > 1 and w not in STOPWORDS and w not in DOC_WORDS and w not in GENERIC
    ]


def stem(word: str) -> str:
    """A light suffix-stripper, enough to match 'supervised' with 'supervision'."""
    for suffix in ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "ied", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def match_documents(text: str, records: Sequence[DocRecord]) -> tuple[str, ...]:
    """Documents the text names, by pseudonym, place, year and kind; best matches only."""
    lowered = text.lower()
    years = set(re.findall(r"\b(19\d{2}|20\d{2})\b", text))
    scored: list[tuple[int, str]] = []
    for record in records:
        score = 0
        named = False
        for subject in filter(None, (s.strip() for s in record.subjects.split(","))):
            if re.search(rf"\b{re.escape(subject)}\b", text):
                score += 4
                named = True
        if record.place and re.search(rf"\b{re.escape(record.place.lower())}\b", lowered):
            score += 3
            named = True
        if not named:
            continue
        if years:
            score += 2 if record.date[:4] in years else -2
        pattern = KIND_WORDS.get(record.kind)
        if pattern and re.search(pattern, lowered):
            score += 1
        scored.append((score, record.doc_id))
    if not scored:
        return ()
    best = max(score for score, _ in scored)
    return tuple(sorted(doc_id for score, doc_id in scored if score == best))


def build_query(question: str, records: Sequence[DocRecord], history: Sequence[str] = ()) -> Query:
    """Resolve a question against the library and, for a follow-up, against earlier turns."""
    question = " ".join(question.split())
    doc_ids = match_documents(question, records)
    own_terms = content_terms(question)
    follow_up = False
    search_text = question
    if history and not doc_ids:
        previous = history[-1]
        short = len(own_terms) <= 4
        # a follow-up leans on the last turn: it points back ("that", "they") and names no document
        # of its own. A standalone question keeps its own meaning: nothing is added to it.
        if ANAPHORA.search(question) and short:
            follow_up = True
            doc_ids = match_documents(previous, records)
            search_text = f"{previous} {question}"
    theme = not doc_ids and bool(THEME_CUES.search(question))
    terms = tuple(dict.fromkeys(stem(t) for t in content_terms(search_text)))
    # a follow-up is searched both with the earlier question (for what "it" refers to) and on its
    # own (so the earlier question's words do not drown what is asked now); the lists are fused
    also = (question,) if follow_up else ()
    return Query(question, search_text, doc_ids, theme, follow_up, terms, also)

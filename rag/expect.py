"""What a question takes for granted, checked before it is answered.

The kind of answer it expects, when it names one: a sum of money, a weight or a height, or a
person's name. When no retrieved passage holds anything of that kind, the documents cannot
answer it, however well the passages match its words ("How much did the Child M review cost?" is
answered by passages about the Child M review only when one of them states an amount).

Only these kinds are checked: each is asked in a way that is plain to see and given in a way
that is plain to see. Numbers in general are not, since nearly every passage holds one.

The people it names by pseudonym ("Baby Q", "Mr S"): a review of a child the library does not hold
must not be answered from the reviews of other children.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

TITLES = (
    r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Professor|Prof|Councillor|Cllr|Sir|Dame|Judge|Sergeant|Inspector"
    r"|Detective|Reverend|Rev)"
)
SURNAME = r"[A-Z][a-z][A-Za-z'’-]*"
# capitalised words that open a sentence after a colon ("Recommendation 3: The Board should")
NOT_NAMES = r"(?:The|This|That|These|Those|A|An|All|Each|Every|Some|No|It|Its|In|On|For|To)"
# the pseudonyms of reviews: a word for the person and one capital letter
PSEUDONYM = re.compile(r"\b(?:Baby|Child|Mr|Mrs|Ms|Miss|Adult|Young Person)\s+[A-Z]\b")


@dataclass(frozen=True)
class Expected:
    """One kind of answer: how a question asks for it and how a passage gives it."""

    kind: str
    what: str  # for the refusal's reason: "the question asks for {what}"
    asks: re.Pattern[str]
    gives: re.Pattern[str]


KINDS = (
    Expected(
        "money",
        "a sum of money",
        re.compile(
            # not "pay": "how much attention did they pay" asks for no money
            r"\bhow much\b[^?]*\b(?:cost|costs|spend|spent|charge|charged|fund|funded"
            r"|budget|save|saved|worth)\b(?!-)|\bhow much money\b"
            r"|\bwhat (?:was|is|were) the (?:cost|costs|budget|price|bill)\b(?!-)",
            re.I,
        ),
        re.compile(r"[£$€]\s?\d|\b\d[\d,.]*\s?(?:pounds|million|billion|bn)\b", re.I),
    ),
    Expected(
        "weight",
        "a weight",
        re.compile(
            r"\b(?:birth ?weight|how heavy|weighed)\b"
            r"|(?:['’]s|\bher|\bhis|\btheir)\s+(?:birth\s+)?weight\b",
            re.I,
        ),
        re.compile(
            r"\b\d+(?:[.,]\d+)?\s?(?:kg|kilos?|kilograms?|g|grams?|lbs?|pounds?|oz|ounces?)\b"
            r"|\b(?:per)?centiles?\b",
            re.I,
        ),
    ),
    Expected(
        "height",
        "a height",
        re.compile(r"\bhow tall\b|(?:['’]s|\bher|\bhis|\btheir)\s+height\b", re.I),
        re.compile(
            r"\b\d+(?:[.,]\d+)?\s?(?:cm|centimet(?:re|er)s?|met(?:re|er)s?|m|ft|feet|foot"
            r"|inch(?:es)?)\b|\b(?:per)?centiles?\b",
            re.I,
        ),
    ),
    Expected(
        "name",
        "a person's name",
        re.compile(
            r"\b(?:what|which)\s+(?:was|were|is|are)\s+the\s+names?\s+of\b"
            r"|\bwhat\s+(?:was|is)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}[\w-]+['’]s\s+(?:full\s+)?name\b"
            r"|\bwhat\s+(?:was|were|is|are)\s+(?:he|she|they)\s+called\b",
            re.I,
        ),
        # a title and a surname ("Professor Hale", not the pseudonym "Mr S"), "named Jane", or a
        # name after a colon ("Lead inspector: Jane Smith")
        re.compile(
            rf"\b{TITLES}\.?\s+{SURNAME}|\b(?:named|called)\s+{SURNAME}"
            rf"|:\s*(?!{NOT_NAMES}\b){SURNAME}\s+{SURNAME}"
        ),
    ),
)


def expected_kind(question: str) -> Expected | None:
    """The kind of answer the question asks for, when it is one of KINDS."""
    return next((kind for kind in KINDS if kind.asks.search(question)), None)


def missing_kind(question: str, texts: Sequence[str]) -> Expected | None:
    """The kind the question asks for, when none of the texts gives anything of that kind."""
    kind = expected_kind(question)
    if kind is None or any(kind.gives.search(text) for text in texts):
        return None
    return kind


def people(question: str) -> list[str]:
    """The pseudonyms a question names, in order, once each."""
    return list(dict.fromkeys(PSEUDONYM.findall(question)))


def unknown_people(
    names: Sequence[str], texts: Sequence[str], search: Callable[[str], Sequence[str]]
) -> list[str]:
    """The names that none of the texts (titles, passages found) holds, nor any passage `search`
    finds for the name alone."""
    unknown = []
    for name in names:
        holds = re.compile(rf"\b{re.escape(name)}\b")
        if not any(holds.search(t) for t in texts) and not any(
            holds.search(t) for t in search(name)
        ):
            unknown.append(name)
    return unknown

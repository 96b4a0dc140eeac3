"""What a question mentions that the documents must speak of before it is answered.

The people it names by pseudonym ("Baby Q", "Mr S") and the things it names by a capitalised
phrase ("Signs of Safety"): a review of a child the library does not hold must not be answered from
the reviews of other children, nor a question about a model no document mentions from passages
about other models. And what it compares with ("the national average", "neighbouring
authorities", "the previous year"): a report that gives its own area's figures alone does not
answer how they compare with England's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from rag.expect import PSEUDONYM, SENTENCE_END, SURNAME, THING_HEADS, TITLES

# a named thing: two or more capitalised words, maybe joined by "of" or "for" ("Signs of Safety",
# "Kelderton Recovery Service"); "and", a possessive or any other word ends it ("Thornvale in March"
# and "Professor Hale's Wessex Vale overview" name no one thing)
CAPITAL = r"[A-Z][\w'’-]*"
NAMED_THING = re.compile(rf"(?<![\w'’-]){CAPITAL}(?:\s+(?:(?:of|for)\s+)?{CAPITAL})+")
# one capitalised word ("Birmingham", "Cornwall's"), not an acronym nor part of a longer name
PROPER_WORD = re.compile(r"(?<![\w'’-])([A-Z][a-z]{2,})(?:['’]s)?(?![\w'’-]|\s+[A-Z])")
SENTENCE_START = re.compile(r"(?:^|[.?!:;\"“(]\s*)$")
# capitalised words that name no place or one person of a case: question words, and the words
# for family members that people capitalise as names ("What did Mum tell the health visitor?")
NOT_PROPER = frozenset(
    ("The", "This", "That", "What", "Which", "Who", "How", "Why", "When", "Where", "Did", "Does")
    + ("Mum", "Mummy", "Dad", "Daddy", "Mother", "Father", "Gran", "Granny", "Grandma", "Nan")
    + ("Nana", "Grandad", "Grandpa", "Auntie", "Aunt", "Uncle")
)
# a question that compares a figure or a finding with something else
COMPARES = re.compile(r"\bcompar\w*|\bthan\b|\baverage\b|\bagainst\b|\bbenchmark", re.I)
FIGURE = re.compile(r"\d+(?:\.\d+)?%")
NEIGHBOURS = (
    r"\bneighbouring\s+(?:local\s+)?(?:authorities|councils|areas|boroughs|counties)\b"
    r"|\bstatistical\s+neighbours?\b|\b(?:similar|comparable|other)\s+(?:local\s+)?"
    r"(?:authorities|councils)\b"
)
# what a comparison may be with, each with how a passage speaks of it: a figure for England is
# not given by a report that gives its own area's alone
COMPARATORS = (
    (
        "national figures",
        re.compile(r"\bnational(?:ly)?\b|\bEngland\b|\bthe country as a whole\b", re.I),
        re.compile(r"\bnational(?:ly)?\b|\bEngland\b|\bEnglish\b|\bcountry\b", re.I),
    ),
    (
        "neighbouring authorities",
        re.compile(NEIGHBOURS, re.I),
        # "a neighbour reported shouting" speaks of no other authority
        re.compile(rf"{NEIGHBOURS}|\bcomparator", re.I),
    ),
    (
        "an earlier year",
        re.compile(
            r"\b(?:previous|prior|preceding|last|earlier)\s+years?\b|\byear\s+before\b", re.I
        ),
        re.compile(
            r"\b(?:previous|prior|preceding|last|earlier)\s+years?\b|\byear\s+before\b"
            r"|\b(?:up|down|rising|risen|fallen|falling|rose|fell|increased|reduced)\s+from\b",
            re.I,
        ),
    ),
)


def people(question: str) -> list[str]:
    """The pseudonyms a question names, in order, once each."""
    return list(dict.fromkeys(PSEUDONYM.findall(question)))


def named_things(question: str) -> list[str]:
    """The capitalised names a question uses ("Signs of Safety"), pseudonyms aside, once each.

    Nothing when the question capitalises most of its words, as a heading does; the question's
    own first word is never part of a name.
    """
    words = question.split()
    if 2 * sum(w[:1].islower() for w in words) < len(words):
        return []
    found = []
    for match in NAMED_THING.finditer(re.sub(r"['’]s\b", " ,", question)):
        phrase = match.group(0)
        if match.start() == 0:
            phrase = re.sub(r"^\S+\s+(?:(?:of|for)\s+)?", "", phrase)
        if len(re.findall(CAPITAL, phrase)) >= 2 and not PSEUDONYM.fullmatch(phrase):
            found.append(phrase)
    return list(dict.fromkeys(found))


def proper_words(question: str) -> list[str]:
    """The single capitalised words a question uses inside a sentence ("Birmingham's front door",
    "in Cornwall"), once each: a place or a name that no document mentions cannot be asked about.

    Not the words of the longer names `named_things` finds, nor a pseudonym's, nor acronyms, nor
    anything when the question capitalises most of its words, as a heading does.
    """
    words = question.split()
    if 2 * sum(w[:1].islower() for w in words) < len(words):
        return []
    taken = {w for phrase in named_things(question) for w in phrase.split()}
    taken |= {w for name in people(question) for w in name.split()}
    found = []
    for match in PROPER_WORD.finditer(question):
        word = match.group(1)
        if match.start() == 0 or SENTENCE_START.search(question[: match.start()]):
            continue
        if word not in taken and word not in NOT_PROPER:
            found.append(word)
    return list(dict.fromkeys(found))


def unknown_people(
    names: Sequence[str], texts: Sequence[str], search: Callable[[str], Sequence[str]]
) -> list[str]:
    """The names that none of the texts (titles, passages found) holds, nor any passage `search`
    finds for the name alone."""
    unknown = []
    for name in names:
        # a pseudonym is matched as written ("Mr S"); another name in any case and spacing, without
        # a last word such as "Service" or "Team" that reports vary ("the Youth Justice Service"
        # is known from "the youth justice team"), and "Professor Hale" also as "Professor Janet Hale"
        parts = name.split()
        while len(parts) > 2 and parts[-1].lower().rstrip("s") in THING_HEADS:
            parts.pop()
        words = r"\s+".join(re.escape(w) for w in parts)
        words = re.sub(rf"^({TITLES})\\s\+", rf"\1\\s+(?:{SURNAME}\\s+)?", words)
        holds = re.compile(rf"\b{words}\b", 0 if PSEUDONYM.fullmatch(name) else re.I)
        if not any(holds.search(t) for t in texts) and not any(
            holds.search(t) for t in search(name)
        ):
            unknown.append(name)
    return unknown


def people_documents(
    question: str, subjects: Collection[str], search: Callable[[str], Sequence[tuple[str, str]]]
) -> tuple[str, ...]:
    """The documents that name the people a question names by pseudonym, other than a
    document's subject (whose name names its document already): "Mr S" is in the Baby R review
    and in the overview that discusses it. `search` gives (document id, text) of the passages
    found for a name; only those that hold the name as written count. Nothing when no document
    names them (the premise check says so)."""
    found: set[str] = set()
    for name in people(question):
        if name in subjects:
            continue
        holds = re.compile(r"\b" + r"\s+".join(re.escape(w) for w in name.split()) + r"\b")
        found |= {doc_id for doc_id, text in search(name) if holds.search(text)}
    return tuple(sorted(found))


def missing_comparison(question: str, texts: Sequence[str]) -> str | None:
    """What a question compares with ("the national average", "neighbouring authorities", "the
    previous year"), when none of the texts speaks of it."""
    if not COMPARES.search(question):
        return None
    # a figure the question quotes ("the 97% rate") must stand beside what it is compared with
    figure = FIGURE.search(question)
    parts = [part for text in texts for part in SENTENCE_END.split(text)]
    if figure:
        parts = [part for part in parts if figure.group(0) in part]
    for what, asked, said in COMPARATORS:
        if asked.search(question) and not any(said.search(part) for part in parts):
            return what
    return None

"""Safeguarding acronyms and their plain words, read as one term when matching questions to passages.

A report spells an acronym out once ("independent domestic violence adviser (IDVA)") and then uses
the letters alone; a board member asks in plain words ("what did the independent domestic violence
adviser do?"). So the letters and their plain words are made one term, the acronym:
- passages and questions are read with the acronyms of their plain words added (`mark`), in the
  lexical index and in the passage terms: one that says "multi-agency safeguarding hub" also says
  "MASH";
- a question's plain words count as held by a passage that holds their acronym (rag.query
  `Query.held`): "gay or transgender young people" is answered by "LGBTQ+ care leavers".
Only the acronym is added, never its words: "GP" does not make a passage say "general", which
would pull every GP passage into a question about Eastmere General Hospital (adding the words to
the lexical index lost a question of the blind set, measured in session 10). Quotes are always
taken from the passage's own text.
"""

from __future__ import annotations

import hashlib
import json
import re

# acronym -> its plain words (one or more ways of saying them, "|" between); wording ours, senses
# as used in English safeguarding reviews and inspection reports. Generic pairs ("social worker",
# "child protection", "domestic abuse") are left out: questions say them in full as often as
# reports abbreviate them, and reading them as one term would change every such question.
GLOSSARY: dict[str, str] = {
    "GP": "general practitioner|general practice|family doctor",
    "MASH": "multi-agency safeguarding hub",
    "IDVA": "independent domestic violence adviser|independent domestic abuse adviser",
    "ISVA": "independent sexual violence adviser",
    "MARAC": "multi-agency risk assessment conference",
    "MAPPA": "multi-agency public protection arrangements",
    "DASH": "domestic abuse stalking harassment",
    "CAMHS": "child adolescent mental health service",
    "PLO": "public law outline",
    "IRO": "independent reviewing officer",
    "LADO": "local authority designated officer",
    "UASC": "unaccompanied asylum seeking child",
    "NEET": "not education employment training",
    "PEP": "personal education plan",
    "ICPC": "initial child protection conference",
    "RCPC": "review child protection conference",
    "DCS": "director child service",
    "LSCB": "local safeguarding child board",
    "LSCP": "local safeguarding child partnership",
    "IMR": "individual management review",
    "NRM": "national referral mechanism",
    "CCE": "child criminal exploitation",
    "CSE": "child sexual exploitation",
    "DSL": "designated safeguarding lead",
    "SEND": "special educational need disability",
    "EHCP": "education health care plan",
    "PA": "personal adviser",
    "RHI": "return home interview",
    "MCA": "mental capacity act",
    "CCG": "clinical commissioning group",
    "TAF": "team around family",
    "CAF": "common assessment framework",
    "EHE": "elective home education",
    "CME": "child missing education",
    "CDOP": "child death overview panel",
    "PRU": "pupil referral unit",
    "YOT": "youth offending team",
    "NAI": "non-accidental injury",
    "FGC": "family group conference",
    "EDT": "emergency duty team",
    "ASYE": "assessed supported year employment",
    "FDAC": "family drug alcohol court",
    "LGBTQ": "lesbian gay bisexual transgender queer|lesbian|gay|bisexual|transgender|queer",
}
# other letters for the same thing
VARIANTS = {
    "LGBT": "LGBTQ",
    "LGBT+": "LGBTQ",
    "LGBTQ+": "LGBTQ",
    "LGBTQI+": "LGBTQ",
    "LGBTQIA+": "LGBTQ",
    "SEN": "SEND",
    "CAMH": "CAMHS",  # "CAMHs"
}
# words passed over inside plain words: "director of children's services", "not in education"
LINKS = frozenset(["and", "or", "of", "in", "the", "for", "a", "an"])

# a run of capitals (a "+" may close it), with a plural "s": "GPs", "IROs", "LGBTQ+"
ACRONYM = re.compile(r"(?<![\w+])([A-Z]{2,}\+?)s?(?![\w+])")
# words; a hyphen parts them ("multi-agency" is "multi", "agency"), as it does in the sayings
WORD = re.compile(r"[A-Za-z]+(?:['’]s)?")


def _normal(word: str) -> str:
    """Lower case, no possessive, no plural, one spelling: "Children's" and "child" are one word
    here, as are "advisors" and "adviser"."""
    word = word.lower()
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if word == "children":
        return "child"
    word = word.replace("advisor", "adviser")  # both spellings are in use
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


def _phrases() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First word -> (the plain words, as normal words without links; the acronym), longest first."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for acronym, sayings in GLOSSARY.items():
        for saying in sayings.split("|"):
            words = tuple(_normal(w) for w in re.split(r"[\s-]+", saying) if w not in LINKS)
            table.setdefault(words[0], []).append((words, acronym))
    for entries in table.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return table


PHRASES = _phrases()
# where plain words may begin: a word that starts with a first word's letters (a plural, a
# possessive, "children" for "child" all do). Only there are the words read one by one, which
# keeps marking a passage cheap: most of its words begin no plain words.
# (grouped by first letter: a third faster than one long alternation)
_BEGINS = re.compile(
    r"(?i)(?<![A-Za-z])(?:"
    + "|".join(
        f"{letter}(?:"
        + "|".join(
            re.escape(w[1:]) for w in sorted(PHRASES, key=len, reverse=True) if w[0] == letter
        )
        + ")"
        for letter in sorted({w[0] for w in PHRASES})
    )
    + ")"
)


def plain_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, acronym) of each run of plain words in the text that an acronym stands for."""
    spans: list[tuple[int, int, str]] = []
    done = 0
    for begins in _BEGINS.finditer(text):
        if begins.start() < done:
            continue  # inside plain words already found
        matched = _match_at(_Words(text, begins.start()))
        if matched is not None:
            start, end, acronym = matched
            spans.append((start, end, acronym))
            done = end
    return spans


class _Words:
    """The normal words of a text from a position on, read only as far as they are asked for."""

    def __init__(self, text: str, start: int):
        self.found = WORD.finditer(text, start)
        self.read: list[tuple[int, int, str]] = []

    def __getitem__(self, j: int) -> tuple[int, int, str] | None:
        while len(self.read) <= j:
            m = next(self.found, None)
            if m is None:
                return None
            self.read.append((m.start(), m.end(), _normal(m.group(0))))
        return self.read[j]


def _match_at(words: _Words) -> tuple[int, int, str] | None:
    """(start, end, acronym) of the longest plain words that begin with the first word."""
    first = words[0]
    if first is None:
        return None
    for wanted, acronym in PHRASES.get(first[2], []):
        j, k, last = 0, 0, first
        while k < len(wanted):
            word = words[j]
            if word is None:
                break
            if word[2] == wanted[k]:
                k, last = k + 1, word
            elif word[2] not in LINKS or k == 0:
                break
            j += 1
        if k == len(wanted):
            return first[0], last[1], acronym
    return None


def mark(text: str) -> str:
    """The text followed by the acronyms that its plain words and other letters stand for (each
    once): "the multi-agency safeguarding hub and LGBT+ groups" + "MASH LGBTQ"."""
    found = [acronym for _, _, acronym in plain_spans(text)]
    found += [VARIANTS[a] for a in ACRONYM.findall(text) if a in VARIANTS]
    added = " ".join(dict.fromkeys(found))
    return f"{text}\n{added}" if added else text


def stamp() -> str:
    """Changes when the glossary does: the lexical index and term counts are kept under it."""
    return hashlib.sha1(json.dumps([GLOSSARY, VARIANTS, sorted(LINKS)]).encode()).hexdigest()

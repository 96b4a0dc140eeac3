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
    word = re.sub(r"['’]s$", "", word.lower())
    if word == "children":
        return "child"
    word = re.sub(r"advisor", "adviser", word)  # both spellings are in use
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


def plain_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, acronym) of each run of plain words in the text that an acronym stands for."""
    split = [(m.start(), m.end(), _normal(m.group(0))) for m in WORD.finditer(text)]
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(split):
        matched = _match_at(split, i)
        if matched is None:
            i += 1
            continue
        j, acronym = matched
        spans.append((split[i][0], split[j - 1][1], acronym))
        i = j
    return spans


def _match_at(words: list[tuple[int, int, str]], i: int) -> tuple[int, str] | None:
    """(index after the match, acronym) of the longest plain words that start at word i."""
    for wanted, acronym in PHRASES.get(words[i][2], []):
        j, k = i, 0
        while j < len(words) and k < len(wanted):
            word = words[j][2]
            if word == wanted[k]:
                k += 1
            elif word not in LINKS or k == 0:
                break
            j += 1
        if k == len(wanted):
            return j, acronym
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

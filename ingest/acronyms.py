"""The acronyms a document spells out itself, as it does the first time it uses one ("return home
interviews (RHIs)") or in its glossary ("CT: Computed tomography (a form of scan)").

The built-in glossary (ingest/glossary.py) knows the acronyms of safeguarding at large; a report
also uses its own and its area's ("the Central Referral Unit (CRU)", "the Children in Care Council
(CiCC)"). What each document defines is kept on its record (`DocRecord.acronyms`), and a question
in plain words is also asked by the acronyms the library defines for them (`library`): "what did
inspectors find about return home interviews?" finds the passages that say "RHIs" alone.

Only a question is read with them: passages are marked with the built-in acronyms alone, so the
lexical index and the term counts, kept under the glossary's stamp, do not change each time a new
document defines a new acronym.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence

# "(MASH)", "(IROs)", "(CiCC)", "(DfE)": capitals, with small letters for linking words
IN_BRACKETS = re.compile(r"\(\s*([A-Z][A-Za-z]*[A-Z])(s?)\s*\)")
# a glossary line: "CT: Computed tomography", "• IDVA – independent domestic violence adviser"
GLOSSARY_LINE = re.compile(
    r"^[ \t]*(?:[•*▪◦·-][ \t]*)?([A-Z][A-Za-z]*[A-Z])s?[ \t]*(?::|[ \t][–—-])[ \t]*(.+)$", re.M
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# linking words an acronym may pass over ("education, employment and training (EET)")
LINKS = frozenset(["and", "or", "of", "in", "the", "for", "a", "an", "to", "on", "with", "at"])
LOOK_BACK = 120  # characters before a bracket that may hold its words
# two-word phrases a question says in full as often as a report abbreviates them: read as one
# term, every question that says them would change (as the built-in glossary leaves them out)
NOT_LEARNED = frozenset(["child protection", "social worker", "social workers", "domestic abuse"])


def _matches(letters: str, word: str) -> bool | None:
    """Does the word stand for the letter (True), may it be passed over (None), or not (False)?"""
    if letters.islower():
        return word.lower().startswith(letters)
    if word[0].upper() == letters:
        return True
    return None if word.lower() in LINKS else False


def _words_for(acronym: str, words: Sequence[str]) -> list[str] | None:
    """The words, read in the order given, whose initials spell the acronym from its first letter:
    linking words between them are passed over. None when they do not spell it."""
    taken: list[str] = []
    i = 0
    for word in words:
        if i == len(acronym):
            break
        matched = _matches(acronym[i], word)
        if matched is False:
            return None
        taken.append(word)
        if matched:
            i += 1
    if i < len(acronym) or len(taken) < 2:
        return None
    return taken


def _saying(words: Iterable[str]) -> str:
    return " ".join(w.lower().rstrip("'’") for w in words)


def defined(text: str) -> dict[str, str]:
    """Each acronym the text spells out -> its plain words ("|" between ways of saying them)."""
    found: dict[str, set[str]] = {}
    for m in IN_BRACKETS.finditer(text):
        before = re.split(r"[.;:()\n]", text[max(0, m.start() - LOOK_BACK) : m.start()])[-1]
        words = [w for part in WORD.findall(before) for w in part.split("-") if w]
        acronym = m.group(1)
        # read backwards: the acronym's last letter is the last word's
        taken = _words_for(acronym[::-1], words[::-1])
        if taken:
            found.setdefault(acronym, set()).add(_saying(reversed(taken)))
    for m in GLOSSARY_LINE.finditer(text):
        acronym = m.group(1)
        words = [w for part in WORD.findall(m.group(2)) for w in part.split("-") if w]
        taken = _words_for(acronym, words)
        if taken:
            found.setdefault(acronym, set()).add(_saying(taken))
    return {
        acronym: "|".join(sorted(sayings - NOT_LEARNED))
        for acronym, sayings in sorted(found.items())
        if sayings - NOT_LEARNED
    }


def recorded(text: str) -> str:
    """What a document's record keeps of the acronyms its text defines (JSON, read by `library`)."""
    return json.dumps(defined(text))


def library(recorded: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The acronyms of a library, from its records' `acronyms` (JSON): acronym -> all the ways
    its documents spell it out, sorted (a key for caches)."""
    return _merged(tuple(recorded))


@functools.lru_cache(maxsize=8)
def _merged(recorded: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    merged: dict[str, set[str]] = {}
    for text in recorded:
        if not text:
            continue
        for acronym, sayings in json.loads(text).items():
            merged.setdefault(acronym, set()).update(sayings.split("|"))
    return tuple((a, "|".join(sorted(s))) for a, s in sorted(merged.items()))

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

Concepts pair a report's term with everyday ways of saying it ("care leaver": "left care",
"grown up in care"). A question that says one of those is also searched for the report's term
(`mark(question=True)`); passages are not marked, so a question in the report's own words is
searched exactly as before.

A board adds its own acronyms and terms in a glossary file (the glossary_file setting,
REVIEWQA_GLOSSARY_FILE): one "TERM: plain words | other words" per line; `use` puts it in force
and the lexical index and term counts follow its stamp.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

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
# the report's term for a thing -> everyday ways a question says it ("young people who have left
# care" are "care leavers"). A question that says one also searches for the report's term; the
# passages are not marked (a report's own words are its terms). Wording ours; pairs as the words
# are used in English safeguarding reviews and inspection reports. A saying is whole words with
# no linking word alone ("in care" would be "care").
CONCEPTS: dict[str, str] = {
    "care leaver": "care experienced|leaving care|left care|leave care|grown up in care"
    "|grew up in care",
    "emergency": "urgent|urgently|out of hours|at night|overnight|night time",
    "missing": "run away|ran away|running away|runaway|absconded|absconding",
    "not brought": "did not attend|failed to attend|missed appointment|non attendance",
    "supervision": "one to one session|one to one meeting|one to ones",
    "agency social worker": "locum|temporary social worker|temporary staff|interim social worker",
    "homeless": "nowhere to live|sofa surfing|no fixed abode",
    "alcohol": "drinking|drink|drank|drunk|intoxicated",
    "excluded": "expelled|expulsion",
    "chronology": "timeline",
    "turnover": "change of social worker|change of worker|churn|staff leaving",
    "caseload": "case load|number of cases|workload|overloaded|overworked|overstretched",
    "criminal exploitation": "drug running|drug dealing|dealing drugs|selling drugs",
    "health history": "medical history|medical records|health records",
    "life story": "life history|memory box",
    "foster carer": "foster parent|foster family",
    "in touch": "in contact|keep contact|kept contact|stay in contact|stayed in contact",
    # family and work as people name them ("Baby R's mum", "her boss at the pharmacy")
    "mother": "mum|mummy|mom|mam",
    "father": "dad|daddy",
    "grandmother": "gran|granny|grandma|nan|nana|nanna",
    "grandfather": "grandad|granddad|grandpa",
    "partner": "boyfriend|girlfriend",
    "manager": "boss",
    "christmas": "festive season|festive period|festive holiday",
    # what happened as people tell it ("once the council went to court", "did anyone get back
    # to her", "how many extractions", "which IT packages"); session 21 tried "knifed" for
    # "stabbed" and "psychological" for "mental health" and dropped both: each turned a refusal
    # into an answer quoting the wrong sentence
    "recruit": "hire|hiring|hired",
    "case recording system": "it system|it systems|it package|it packages|computer system|software",
    "health visiting": "home visiting",
    "care proceedings": "went to court|go to court|court case",
    "called back": "get back to|got back to|rang back|phoned back",
    "telephoned": "rang|phoned",
    "teeth removed": "extractions|extraction|teeth pulled|teeth out",
    "apprenticeship": "trainee|trainees|traineeship",
    "advocacy": "speak up for|speaks up for|speak up on behalf",
    # an inspection judges "the impact of leaders", and rarely says "leadership"
    "leaders": "leadership",
    # "Did anyone listen to Child M?" asks whether her voice was heard
    "voice": "listen to|listened to|listening to|listens to",
    "smoke alarm": "smoke detector|smoke detectors",
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
# words passed over inside plain words: "director of children's services", "not in education",
# "left its care"
LINKS = frozenset(["and", "or", "of", "in", "the", "for", "a", "an", "its", "their"])

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


Phrases = dict[str, list[tuple[tuple[str, ...], str]]]


class GlossaryError(ValueError):
    """A glossary file that cannot be read: names the file, the line and what is wrong."""


def saying_words(saying: str) -> tuple[str, ...]:
    """Plain words as normal words without links: "Director of Children's Services" ->
    ("director", "child", "service")."""
    return tuple(_normal(w) for w in re.split(r"[\s-]+", saying.strip()) if w and w not in LINKS)


def _phrases(entries: dict[str, str]) -> Phrases:
    """First word -> (the plain words, as normal words without links; the acronym), longest first."""
    table: Phrases = {}
    for acronym, sayings in entries.items():
        for saying in sayings.split("|"):
            words = saying_words(saying)
            table.setdefault(words[0], []).append((words, acronym))
    for entries_ in table.values():
        entries_.sort(key=lambda entry: -len(entry[0]))
    return table


def _begins(phrases: Phrases) -> re.Pattern[str]:
    """Where plain words may begin: a word that starts with a first word's letters (a plural, a
    possessive, "children" for "child" all do). Only there are the words read one by one, which
    keeps marking a passage cheap: most of its words begin no plain words. (Grouped by first
    letter: a third faster than one long alternation.)"""
    return re.compile(
        r"(?i)(?<![A-Za-z])(?:"
        + "|".join(
            f"{letter}(?:"
            + "|".join(
                re.escape(w[1:]) for w in sorted(phrases, key=len, reverse=True) if w[0] == letter
            )
            + ")"
            for letter in sorted({w[0] for w in phrases})
        )
        + ")"
    )


@dataclass(frozen=True)
class Table:
    """The glossary in use: the built-in entries and those of the user's glossary file."""

    phrases: Phrases
    begins: re.Pattern[str]
    stamp: str
    # the acronyms alone, for passages, which are marked with acronyms only
    acronym_phrases: Phrases
    acronym_begins: re.Pattern[str]
    # the glossary file's entries, to which a library's own acronyms add (`with_learned`)
    extra: tuple[tuple[str, str], ...] = ()


def _table(extra: dict[str, str]) -> Table:
    entries = _added({**GLOSSARY, **CONCEPTS}, extra)
    phrases = _phrases(entries)
    acronyms = _phrases({t: said for t, said in entries.items() if ACRONYM_TERM.fullmatch(t)})
    stamp = hashlib.sha1(json.dumps([entries, VARIANTS, sorted(LINKS)]).encode()).hexdigest()
    return Table(
        phrases, _begins(phrases), stamp, acronyms, _begins(acronyms), tuple(extra.items())
    )


def _added(entries: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    """The entries with more sayings: a saying of a term already there adds to its sayings."""
    entries = dict(entries)
    for term, sayings in extra.items():
        entries[term] = f"{entries[term]}|{sayings}" if term in entries else sayings
    return entries


@functools.lru_cache(maxsize=8)
def _with_learned(
    extra: tuple[tuple[str, str], ...], learned: tuple[tuple[str, str], ...]
) -> Table:
    return _table(_added(dict(extra), dict(learned)))


def with_learned(learned: tuple[tuple[str, str], ...]) -> Table:
    """The glossary in use with the acronyms a library's documents spell out (ingest/acronyms.py),
    for reading questions: its stamp is not the one the lexical index and term counts keep."""
    return _with_learned(active().extra, learned) if learned else active()


# a glossary file's term: an acronym (capitals, digits, "+") or a report's term in words
ACRONYM_TERM = re.compile(r"[A-Z][A-Z0-9]*[A-Z0-9+]")
TERM = re.compile(r"[A-Z][A-Z0-9]*[A-Z0-9+]|[A-Za-z][\w'’-]*(?: [\w'’-]+)*")


def read_glossary(path: Path) -> dict[str, str]:
    """A glossary file's entries: one per line, "TERM: plain words | other plain words", with
    "#" comments and blank lines ignored ("CSC: children's social care | children's services")."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"cannot read the glossary file {path}: {exc}") from None
    entries: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        term, colon, sayings = (part.strip() for part in line.partition(":"))
        said = [s.strip() for s in sayings.split("|") if saying_words(s)]
        if not colon or not TERM.fullmatch(term) or not said:
            raise GlossaryError(
                f"{path}, line {number}: expected 'TERM: plain words | other plain words'"
                f" (TERM an acronym in capitals, or the reports' own term in words),"
                f" got {line!r}"
            )
        entries[term] = "|".join([*filter(None, entries.get(term, "").split("|")), *said])
    return entries


_ACTIVE: list[Table] = []


def use(path: Path | None) -> None:
    """Use the built-in glossary with the entries of a glossary file (the glossary_file
    setting; none: the built-in one alone). Raises GlossaryError for a file it cannot read."""
    try:
        changed = path.stat().st_mtime_ns if path else 0
    except OSError as exc:
        raise GlossaryError(f"cannot read the glossary file {path}: {exc.strerror}") from None
    _ACTIVE[:] = [_loaded(path, changed)]


@functools.lru_cache(maxsize=8)
def _loaded(path: Path | None, changed: int) -> Table:
    """The table of a glossary file as it was when last changed (read once per change)."""
    return _table(read_glossary(path) if path else {})


def active() -> Table:
    """The glossary in use (built-in until `use` names a file)."""
    if not _ACTIVE:
        _ACTIVE.append(_table({}))
    return _ACTIVE[0]


def plain_spans(
    text: str, concepts: bool = True, learned: tuple[tuple[str, str], ...] = ()
) -> list[tuple[int, int, str]]:
    """(start, end, term) of each run of plain words in the text that an acronym (or, unless
    `concepts` is false, a report's term) stands for; with `learned`, a library's own acronyms
    too (for questions)."""
    spans: list[tuple[int, int, str]] = []
    done = 0
    table = with_learned(learned)
    phrases = table.phrases if concepts else table.acronym_phrases
    for begins in (table.begins if concepts else table.acronym_begins).finditer(text):
        if begins.start() < done:
            continue  # inside plain words already found
        matched = _match_at(_Words(text, begins.start()), phrases)
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


def _match_at(words: _Words, phrases: Phrases) -> tuple[int, int, str] | None:
    """(start, end, acronym) of the longest plain words that begin with the first word."""
    first = words[0]
    if first is None:
        return None
    for wanted, acronym in phrases.get(first[2], []):
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


def mark(text: str, question: bool = False, learned: tuple[tuple[str, str], ...] = ()) -> str:
    """The text followed by the acronyms that its plain words and other letters stand for (each
    once): "the multi-agency safeguarding hub and LGBT+ groups" + "MASH LGBTQ". A question is
    also followed by the report's terms for what it says in everyday words: "young people who
    have left care" + "care leaver", and by the acronyms the library spells out (`learned`):
    "return home interviews" + "RHI"."""
    found = [term for _, _, term in plain_spans(text, question, learned if question else ())]
    found += [VARIANTS[a] for a in ACRONYM.findall(text) if a in VARIANTS]
    added = " ".join(dict.fromkeys(found))
    return f"{text}\n{added}" if added else text


def stamp() -> str:
    """Changes when the glossary in use does: the lexical index and term counts are kept under it."""
    return active().stamp

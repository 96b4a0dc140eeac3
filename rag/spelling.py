"""Question -> the same question with its misspelt words read as words the documents use.

Board members type their questions, and "supervison" or "what happend to baby r" found nothing to
weigh on the lexical side: the answer was refused. A typed word is read as another only when
- neither it nor its stem is in the library (the passages' own stemmed terms),
- it is no English word: not in the encoder's whole-word vocabulary (common words, British
  spellings among them) nor in a dictionary of English headwords (the `english-words` package:
  "hoarder", "lotion", "perk"), inflected or spelt the British way ("criticised", "behaviours"),
- it is no everyday word the glossary knows, no acronym, and no shorter than 4 letters,
- and one edit (a letter left out, added, changed, or two swapped) makes a word whose stem the
  library holds. Of several, `read_as` says which is taken.
A word the library lacks but English has ("gangs", "cyber") is left as typed: the documents may
well not speak of it, and the answer should say so. What was read is said in the answer's notes.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.acronyms import library as library_acronyms
from ingest.glossary import ACRONYM_TERM, GLOSSARY, active, mark
from ingest.index import DocRecord
from rag.query import DOC_WORDS, GENERIC, STOPWORDS, stem

# words the library's counts leave out (rag/query.py), all common in the documents
COMMON = STOPWORDS | DOC_WORDS | GENERIC
SHORTEST = 4  # "abse" is "abuse"; three letters are too often a name or initials
# what a word follows when it opens a sentence (its capital then marks no name)
ENDS_SENTENCE = re.compile(r"(?:^|[.?!:]\s+|\n)\s*$")
# a whole typed word: letters only (a hyphen or apostrophe joins words, a digit makes a code),
# bar a possessive ("Thornvail's")
TYPED = re.compile(r"(?<![\w'’-])[A-Za-z]+(?![\w-]|['’](?!s\b))")
# endings an English word takes that a dictionary lists only without, each with what the bare
# word may have ended in: "fostering" is "foster", "moisturising" "moisturise", "carers" "carer"
# (not "-er": "murer", a slip for "murder", is no "mure" + "-er")
ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ies", ("y",)),
    ("ied", ("y",)),
    ("ing", ("", "e")),
    ("ed", ("", "e")),
    ("es", ("", "e")),
    ("ly", ("",)),
    ("s", ("",)),
)
SIBILANTS = ("s", "x", "z", "ch", "sh", "o")
# British spellings a US dictionary lists otherwise: "criticise", "behaviour", "paediatric"
BRITISH = (("is", "iz"), ("our", "or"), ("ae", "e"), ("yse", "yze"), ("ogue", "og"))


# US spellings and the documents' British ones, each change made at one place in a word:
# "behavior" is "behaviour", "organization" "organisation", "pediatric" "paediatric", "center"
# "centre", "judgment" "judgement", "program" "programme", "counseling" "counselling". Each is
# narrow: "fils" is no US "fills", nor a gas "meter" a "metre"
US_TO_BRITISH = tuple(
    (re.compile(us), uk)
    for us, uk in (
        (r"iz", "is"),
        (r"yz", "ys"),
        (r"(?<=[a-z]{2})or(?=s?$|ed|ing|ful|ite|able)", "our"),
        (r"(?<=[a-z]{3})ter(?=s?$|ed)", "tre"),
        (r"ense(?=s?$)", "ence"),
        (r"gment", "gement"),
        (r"gram(?=s?$)", "gramme"),
        (r"(?<=e)l(?=ed|ing|er|or)", "ll"),
        (r"ll(?=ment|ful)", "l"),
        (r"og(?=s?$)", "ogue"),
        (r"^(?=ped|hem)(\w)", r"\1a"),
        (r"^(?=anem|anest)(\w\w)", r"\1a"),
        (r"^(?=fet)(\w)", r"\1o"),
        (r"^(?=esoph)", "o"),
    )
)


@dataclass(frozen=True)
class Respelled:
    """A text with its misspelt words replaced, and each (typed, read) pair in order."""

    text: str
    changes: tuple[tuple[str, str], ...] = ()

    def note(self) -> str | None:
        """What was read, for the answer's notes."""
        if not self.changes:
            return None
        pairs = ", ".join(f"“{typed}” as “{read}”" for typed, read in self.changes)
        return f"Read {pairs}: no document uses the word as typed."


@functools.cache
def encoder_words(vocab_file: Path | None = None) -> frozenset[str]:
    """The whole words of the encoder's WordPiece vocabulary: about 20,000 common English words,
    inflected and British forms among them, shipped with the model."""
    if vocab_file is None:
        from ingest.embed import model_dir

        vocab_file = model_dir() / "vocab.txt"
    words = vocab_file.read_text(encoding="utf-8").split()
    return frozenset(w for w in words if w.isalpha() and w.islower())


@functools.cache
def dictionary_words() -> frozenset[str]:
    """English headwords (Webster's 1913 and GCIDE, about 260,000, lower case), from the
    `english-words` package: read once, in about 0.2 s, when a question first needs them."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2", "gcide"], lower=True, alpha=True))


class Headwords(Collection[str]):
    """dictionary_words(), read only when a word is first looked up."""

    def __contains__(self, word: object) -> bool:
        return word in dictionary_words()

    def __iter__(self) -> Iterator[str]:
        return iter(dictionary_words())

    def __len__(self) -> int:
        return len(dictionary_words())


def english_words() -> Collection[str]:
    """The encoder's words, then the dictionary's (read only when a word is not among the
    encoder's)."""
    return _Either(encoder_words(), Headwords())


def one_edit(word: str) -> dict[str, int]:
    """Every string one edit from word, with how telling the edit is: two neighbours swapped (2)
    before a letter left out or added (1), before a letter changed (0). A swap keeps every letter
    typed, so "traige" is "triage" before "traine"; a change is the loosest reading."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    letters = string.ascii_lowercase
    edits = {a + c + b[1:]: 0 for a, b in splits if b for c in letters}
    edits |= {a + b[1:]: 1 for a, b in splits if b}
    edits |= {a + c + b: 1 for a, b in splits for c in letters}
    edits |= {a + b[1] + b[0] + b[2:]: 2 for a, b in splits if len(b) > 1}
    edits.pop(word, None)
    return edits


def bare_forms(word: str) -> set[str]:
    """The word, its US spelling, and each without an ending: "criticised" gives "criticise",
    "criticize", "criticized"."""
    spellings = {word}
    for british, us in BRITISH:
        spellings |= {s.replace(british, us) for s in spellings}
    forms = set(spellings)
    for s in spellings:
        for ending, bases in ENDINGS:
            bare = s[: -len(ending)]
            # four letters at least: "woring" is no "wore" + "-ing", nor "mising" "mise"
            # (common short words' forms, "moving", are the encoder's words themselves)
            if not s.endswith(ending) or len(bare) < 4 or s.endswith("ss"):
                continue  # nor is "reviewss" a plural
            if ending == "es" and not bare.endswith(SIBILANTS):
                bases = ("e",)  # "boxes" is "box", but "leaveres" no "leaver"
            if ending in ("ed", "ing", "es") and bare.endswith("e"):
                bases = tuple(b for b in bases if b)  # "moveed" is no "move" + "-ed"
            forms |= {bare + b for b in bases}
    return forms


def is_english(word: str, known: Collection[str]) -> bool:
    """Whether a lower-case word, or a bare form of it, is a known English word."""
    return word in known or any(f in known for f in bare_forms(word))


def read_as(
    word: str,
    held: Mapping[str, int],
    forms: Collection[str] = (),
    spelled: Collection[str] = (),
    names: Collection[str] = (),
) -> str | None:
    """The library's word one edit away (see below for which); None when there is none.

    Words the library's counts leave out count as held by more passages than any other
    ("child", "according", "serious"), bar stopwords, which count as held by fewest: a slip read
    as "both" leaves "What was Baby R's bith weight?" without what it asks about (read wrongly
    as a word the documents use, a question is more often refused). Of the chosen stem's
    forms, an English word or a document's name (`forms`) is taken first, then one that keeps
    the typed word's first and last letters, then the nearest in length: "happend" is "happened", not "happen" or "happens". When no form
    one edit away is a word, words of `spelled` with that stem are looked at too: "thornvail" is
    "Thornvale" (two edits), not "Thornval"."""
    top = max(held.values(), default=0) + 1
    weighed: dict[str, tuple[int, int, list[str]]] = {}
    for candidate, telling in one_edit(word).items():
        key = stem(candidate)
        count = 1 if candidate in STOPWORDS else top if candidate in COMMON else held.get(key, 0)
        if count:
            told, before, forms_of = weighed.get(key, (0, 0, []))
            weighed[key] = (max(told, telling), max(before, count), [*forms_of, candidate])
    if not weighed:
        return None
    # a name first, when one is asked for (`names`); then a word that keeps the first letter (a
    # slip seldom strikes it: "mther" is "mother" before "other"); then the most telling edit
    # ("bith" is "birth", a letter left out, before "both", one changed); then the most held
    best = max(
        weighed,
        key=lambda k: (
            any(c in names for c in weighed[k][2]),
            k[:1] == word[:1],
            weighed[k][0],
            weighed[k][1],
            k,
        ),
    )
    candidates = weighed[best][2]
    # a word itself (2) before a word's inflection (1): "authorities", not "authoritys"
    in_forms = {c: 2 if c in forms else int(is_english(c, forms)) for c in candidates}
    if not any(in_forms.values()):
        more = sorted(w for w in spelled if w[:1] == best[:1] and stem(w) == best)
        in_forms |= dict.fromkeys(more, 2)
    return max(
        in_forms,
        key=lambda c: (
            in_forms[c],
            c[0] == word[0],
            c[-1] == word[-1],
            -abs(len(c) - len(word)),
            c,
        ),
    )


def acronym_plural(
    typed: str, held: Mapping[str, int], acronyms: Collection[str], english: Collection[str]
) -> str | None:
    """A plural acronym typed in lower case, in capitals ("gps" -> "GPs", "idvas" -> "IDVAs"),
    as the documents write it and the lexical side reads it; None for any other word. The
    singular must be an acronym the glossary or a document defines (`acronyms`, lower case) and
    a library term, and the plural no English word (`english`: "sends" is no "SENDs")."""
    lower = typed.lower()
    bare = lower[:-1]
    if typed != lower or not lower.endswith("s") or bare not in acronyms or not held.get(bare):
        return None
    return None if is_english(lower, english) else f"{bare.upper()}s"


def known_acronyms(records: Sequence[DocRecord]) -> frozenset[str]:
    """The acronyms of the glossary in use and those the documents define, lower case."""
    terms = [*GLOSSARY, *(t for t, _ in active().extra)]
    terms += [a for a, _ in library_acronyms(r.acronyms or "" for r in records)]
    return frozenset(t.lower() for t in terms if ACRONYM_TERM.fullmatch(t))


def british(word: str, held: Mapping[str, int]) -> str | None:
    """The British spelling of a US-spelt word (lower case) that the library holds and the word
    as typed it does not ("behavior" -> "behaviour"); None when there is none. Of several, the
    one whose stem most passages hold."""
    if held.get(stem(word)):
        return None
    spellings = {
        word[: m.start()] + m.expand(uk) + word[m.end() :]
        for us, uk in US_TO_BRITISH
        for m in us.finditer(word)
    }
    found = [w for w in spellings if held.get(stem(w))]
    return max(found, key=lambda w: (held[stem(w)], w)) if found else None


def unheld(word: str, held: Mapping[str, int]) -> bool:
    """Whether a typed word is one to read again at all: four letters or more, no acronym ("LADO"
    the library may not use), and neither a word the counts leave out nor one the library holds."""
    lower = word.lower()
    if len(lower) < SHORTEST or word.isupper():
        return False
    return lower not in COMMON and not held.get(stem(lower))


def respell(
    text: str,
    held: Mapping[str, int],
    known: Collection[str] | None = None,
    names: Collection[str] = (),
    acronyms: Collection[str] = (),
) -> Respelled:
    """The text with each misspelt word read as the library's nearest word, and each plural
    acronym typed in lower case written in capitals.

    `held`: passages holding each stemmed term (rag/stats.py); `known`: English words (default:
    english_words()); `names`: the documents' names in lower case (record_words); `acronyms`: the
    acronyms known, lower case (known_acronyms). A word typed with a capital keeps it."""
    # words of a nearer stem's form looked through: the names, and the encoder's common words
    spelled = _Either(names, encoder_words()) if known is None else names
    # English headwords, not the encoder's words, for plural acronyms: it lists "gp" as a word
    dictionary = Headwords() if known is None else known
    known = english_words() if known is None else known
    changes: list[tuple[str, str]] = []

    def replace(match: re.Match[str]) -> str:
        typed = match.group(0)
        plural = acronym_plural(typed, held, acronyms, dictionary)
        if plural:
            return plural  # not noted: only its case changed
        lower = typed.lower()
        if not unheld(typed, held):
            return typed
        if is_english(lower, known):
            # an English word spelt the US way, which is no slip: "behavior" is the documents'
            # "behaviour" (a slip is not: "motheer" is no US "mothere")
            read = british(lower, held)
        elif mark(lower, question=True) == lower:  # no everyday word the glossary reads
            # a capital inside a sentence marks a name: "Lerds" is "Leeds" before "leads"
            named = (
                typed[0].isupper()
                and match.start() > 0
                and not ENDS_SENTENCE.search(text, 0, match.start())
            )
            read = read_as(lower, held, _Either(names, known), spelled, names if named else ())
        else:
            read = None  # "youngsters"
        if read is None:
            return typed
        if typed[0].isupper():
            read = read[0].upper() + read[1:]
        changes.append((typed, read))
        return read

    return Respelled(TYPED.sub(replace, text), tuple(changes))


def record_words(records: Sequence[DocRecord]) -> frozenset[str]:
    """The words of the documents' titles, places and people, lower case: "thornvale"."""
    text = " ".join(f"{r.title} {r.place} {r.subjects}" for r in records)
    return frozenset(w.lower() for w in TYPED.findall(text))


class _Either(Collection[str]):
    """Two word sets read as one, without copying either."""

    def __init__(self, *sets: Collection[str]) -> None:
        self._sets = sets

    def __contains__(self, word: object) -> bool:
        return any(word in s for s in self._sets)

    def __iter__(self) -> Iterator[str]:
        return (w for s in self._sets for w in s)

    def __len__(self) -> int:
        return sum(len(s) for s in self._sets)

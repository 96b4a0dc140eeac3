"""Plain-text helpers shared by the stages: clean-up, joining wrapped lines, sentence spans."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Prefixes that form real hyphenated compounds: "well-\ndeveloped" keeps its hyphen even when the
# document never spells the compound out elsewhere.
COMPOUND_PREFIXES = frozenset(
    [
        "well",
        "non",
        "self",
        "multi",
        "co",
        "cross",
        "pre",
        "post",
        "anti",
        "inter",
        "long",
        "short",
        "high",
        "low",
        "under",
        "over",
        "ex",
        "step",
        "part",
        "full",
        "half",
        "mid",
        "semi",
        "sub",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "first",
        "second",
        "third",
        "face",
        "child",
        "young",
        "decision",
        "risk",
        "family",
        "agency",
        "police",
        "health",
        "school",
        "court",
        "care",
    ]
)
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "no",
        "nos",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "cf",
        "approx",
        "para",
        "paras",
        "ref",
        "fig",
        "vol",
        "cllr",
        "rev",
        "hon",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
# the characters of Unicode categories Co (private use) and Cc (control, less the tab), by range
_PRIVATE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
# A sentence ends at . ! or ? (plus closing quotes/brackets) before white space and a capital,
# digit, opening quote or bracket.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s+[\"'“‘(\[A-Z0-9•])")
_BULLETS = "•◼▪■●◦‣–-*"


_BROKEN = re.compile(r"([A-Za-z]+)[-\ufffe]\n([A-Za-z]+)|([A-Za-z]+)\ufffe([A-Za-z]+)")


def clean_line(text: str) -> str:
    """Normalise one line: ligatures, odd spaces, soft hyphens and control characters."""
    for src, dst in _LIGATURES.items():
        text = text.replace(src, dst)
    text = text.replace("\u00ad", "").replace("\ufeff", "")
    # symbol-font bullets (Wingdings and the like) arrive as private-use characters
    text = _CONTROL.sub("", _PRIVATE.sub("•", text))
    return _SPACES.sub(" ", text).strip()


def word_counts(lines: Iterable[str]) -> dict[str, int]:
    """Lower-cased word frequencies, used to decide how to join hyphenated line breaks.

    The halves of words broken at line ends ('manage-' / 'ment') are left out: they are not words.
    """
    text = _BROKEN.sub(" ", "\n".join(line.strip() for line in lines))
    counts: dict[str, int] = {}
    for word in _WORD.findall(text.replace("\ufffe", "-")):
        key = word.lower()
        counts[key] = counts.get(key, 0) + 1
    return counts


def join_hyphenated(left: str, right: str, vocab: dict[str, int]) -> str:
    """Join a word broken at a line end: 'manage'+'ment' -> 'management', 'well'+'developed' kept.

    The document's own words decide: a spelling seen elsewhere wins; otherwise the hyphen stays
    only when the right part is a word of the document and the left part a word or a prefix.
    """
    joined, hyphened = left + right, f"{left}-{right}"
    if vocab.get(joined.lower(), 0) > 0:
        return joined
    if vocab.get(hyphened.lower(), 0) > 0 or right[:1].isupper() or right[:1].isdigit():
        return hyphened
    known_right = vocab.get(right.lower(), 0) > 0 and len(right) >= 3
    stem = left.lower()
    known_left = stem in COMPOUND_PREFIXES or (
        len(left) >= 3 and (vocab.get(stem, 0) > 0 or vocab.get(stem.removesuffix("s"), 0) > 0)
    )
    return hyphened if known_right and known_left else joined


def join_wrapped(lines: list[str], vocab: dict[str, int]) -> str:
    """Join the wrapped lines of one paragraph into one line, mending hyphenated breaks."""
    text = "\n".join(line.strip() for line in lines if line.strip())

    def mend(match: re.Match[str]) -> str:
        left = match.group(1) or match.group(3)
        right = match.group(2) or match.group(4)
        return join_hyphenated(left, right, vocab)

    text = _BROKEN.sub(mend, text).replace("\ufffe", "-")
    return text.replace("\n", " ")


def is_bullet(line: str) -> bool:
    """True for a list item line ('• text', '- text', '◼ text')."""
    return len(line) > 2 and line[0] in _BULLETS and line[1] == " "


def strip_bullet(line: str) -> str:
    """The item text of a bullet line."""
    return line[2:].strip() if is_bullet(line) else line.strip()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text` (line breaks always end a sentence)."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for match in _SENTENCE_END.finditer(line):
            before = line[start : match.start()].rsplit(None, 1)
            last = before[-1].lower().rstrip(".") if before else ""
            if last in ABBREVIATIONS or re.fullmatch(r"[a-z]\.[a-z]", last):
                continue
            spans.append(_trimmed(line, start, match.end(), offset))
            start = match.end()
        if line[start:].strip():
            spans.append(_trimmed(line, start, len(line), offset))
        offset += len(line) + 1
    return [span for span in spans if span[1] > span[0]]


def _trimmed(line: str, start: int, end: int, offset: int) -> tuple[int, int]:
    piece = line[start:end]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip())
    return offset + start + lead, offset + end - trail


def collapse(text: str) -> str:
    """Lower-case and collapse white space: how quotes are compared across formats."""
    return " ".join(text.split()).lower()

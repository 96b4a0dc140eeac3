"""Places and time in a question: which of the library's places it names (a council under
either of its names, not one said only as part of a longer one), and which of a place's
documents "the latest" or "the earliest" is."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Sequence

from ingest.index import DocRecord

# "the latest Hackney inspection", "Kent's most recent report", "its earliest review": which of a
# place's documents is meant, when no year says
# (a place's name may take five words: "Bath and North East Somerset")
LATEST = re.compile(
    r"\b(?:(latest|newest|last|current|(?:most\s+)?recent)|earliest|oldest|first)\s+"
    r"(?!(?:two|three|four|five|several|few|\d+)\b)"  # "its last two inspections" are both
    r"(?:[\w'’,&-]+\s+){0,5}?(?:inspections?|reports?|reviews?|ofsted|judgements?|ratings?|scrs?"
    r"|l?csprs?|sars?|dhrs?)\b"
)
RECENCY = frozenset(
    ["latest", "newest", "last", "current", "recent", "earliest", "oldest", "first"]
)


def places_in(lowered: str, places: Collection[str]) -> dict[str, bool]:
    """Which of the places the (lower-cased) text names: not one said only as part of a longer
    one it names ("Lincolnshire" in "North East Lincolnshire", "Gloucestershire" in "South
    Gloucestershire")."""
    spans = {
        place: [m.span() for m in re.finditer(rf"\b{re.escape(place)}\b", lowered)]
        for place in places
    }
    # ("Kent" inside "Kent County" is the same council, and stays)
    longer = [(span, place) for place, found in spans.items() for span in found]
    return {
        place: any(
            not any(
                len(other) > len(place)
                and a <= start
                and end <= b
                and council(other) != council(place)
                for (a, b), other in longer
            )
            for start, end in found
        )
        for place, found in spans.items()
    }


# councils that Ofsted's own reports call by two names over the years
ALSO_CALLED = (
    ("kingston upon hull", "hull"),
    ("east riding of yorkshire", "east riding"),
    ("bournemouth, christchurch and poole", "bcp"),
)


@functools.lru_cache(maxsize=65536)
def place_names(place: str) -> tuple[str, ...]:
    """A place as a question may say it: "Kent County" is also "Kent", "Hammersmith & Fulham"
    also "Hammersmith and Fulham", "Hull" also "Kingston upon Hull"."""
    place = place.lower().strip()
    if not place:
        return ()
    names = [place, re.sub(r"\s+(county|city|borough)$", "", place)]
    names += [n.replace(" & ", " and ") for n in names] + [n.replace(" and ", " & ") for n in names]
    for group in ALSO_CALLED:
        if any(n in group for n in names):
            names += group
    return tuple(dict.fromkeys(names))


def council(place: str) -> str:
    """One name for a place however it is said: its shortest ("kent" for "Kent County")."""
    names = place_names(place)
    return min(names, key=lambda n: (len(n), n)) if names else ""


def newest_documents(records: Sequence[DocRecord]) -> tuple[str, ...]:
    """Of each place's inspections the newest, with every other document: a place is inspected
    again and again, while its reviews are of different cases, none the later version of another."""
    kept = one_per_key(
        records, lambda r: (r.kind == "inspection" and council(r.place)) or r.doc_id, newest=True
    )
    return tuple(sorted(r.doc_id for r in kept))


def one_of_each_place(
    named: dict[str, frozenset[str]], records: Sequence[DocRecord], newest: bool
) -> dict[str, frozenset[str]]:
    """Of the documents named by the place they share, the newest (or the oldest) alone: "the
    latest Hackney inspection" is Hackney's 2024 report, not its 2016 one. A document named by
    its subject stays ("the Siblings J and L review" beside "the latest Thornvale inspection")."""
    by_id = {r.doc_id: r for r in records}

    def key(record: DocRecord) -> str:
        by_place = named[record.doc_id] & set(place_names(record.place))
        return council(record.place) if by_place else record.doc_id

    kept = one_per_key([by_id[doc_id] for doc_id in sorted(named)], key, newest)
    return {r.doc_id: named[r.doc_id] for r in kept}


def one_per_key(
    records: Sequence[DocRecord], key: Callable[[DocRecord], str], newest: bool
) -> list[DocRecord]:
    """Of the records that share a key, the newest (or the oldest); a later record of the same
    date takes an earlier one's place only when the oldest is kept."""
    chosen: dict[str, DocRecord] = {}
    for record in records:
        name = key(record)
        held = chosen.get(name)
        if held is None or (record.date > held.date) == newest:
            chosen[name] = record
    return list(chosen.values())


# an inspection report is dated by its last day of inspection when it states no publication
# date, and one that ended in the last months of a year is published in the next: people name it
# by either year (Ofsted's report on Bedford, inspected in November 2021, is "Bedford 2022")
PUBLISHED_NEXT_YEAR_FROM = 8  # August


def dated_years(record: DocRecord) -> set[str]:
    """The years the document may be named by: its date's, and for an inspection dated from
    August on, the next."""
    if not re.match(r"\d{4}-\d\d", record.date or ""):
        return set()
    year, month = int(record.date[:4]), int(record.date[5:7])
    if record.kind == "inspection" and month >= PUBLISHED_NEXT_YEAR_FROM:
        return {str(year), str(year + 1)}
    return {str(year)}


# a year that says which documents a question asks of ("the 2024 inspections", "reviews
# published in 2019"), not when something happened ("cuts in 2015")
DOCUMENT_YEAR = re.compile(
    r"\b((?:19|20)\d\d)(?:['’]s)?\s+(?:ofsted\s+)?(?:inspections?|reviews?|reports?|scrs?|l?csprs?"
    r"|sars?|dhrs?)\b"
    r"|\b(?:inspections?|reviews?|reports?)\s+(?:(?:published|carried\s+out|held|done)\s+)?"
    r"(?:in|from|of|during)\s+((?:19|20)\d\d)\b"
    # what inspections, inspectors or Ofsted said "in 2024", at the question's end: an inspection
    # speaks of its own year ("What do inspectors say about the quality of supervision in
    # 2024?" had been answered from reports of 2016 to 2018)
    r"|^(?=.*\b(?:inspections|inspectors|ofsted)\b).*\bin\s+((?:19|20)\d\d)\s*[?.!]?\s*$",
    re.I,
)


def documents_of_years(question: str, records: Sequence[DocRecord]) -> tuple[str, ...] | None:
    """The documents of the years the question asks of (`dated_years`); None when it names no
    such year."""
    years = {y for found in DOCUMENT_YEAR.findall(question) for y in found if y}
    if not years:
        return None
    return tuple(r.doc_id for r in records if dated_years(r) & years)

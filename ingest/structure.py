"""RawDocument -> Document: title, kind, date, place, sections and labelled paragraphs over clean text.

Paragraph labels are assigned here, once: the source's own number ("6.14", "12") where it has one,
else "p<N>" (N = the paragraph's position in the document), with "(2)" added to a repeated label.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from ingest.load import Block, RawDocument

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_DATE = r"(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})"
DATE_RE = re.compile(_DATE, re.IGNORECASE)
PUBLISHED_RE = re.compile(
    r"(published|publication date|date of publication|date published|final version)\W{0,4}" + _DATE,
    re.IGNORECASE,
)
# "12. Text", "12.Text" (a PDF tab lost), "6.14 Text" or "6.14. Text"
LABEL_RE = re.compile(
    r"^(\d{1,3})\.(?:\s+|(?=[A-Z]))(?=\S)|^(\d{1,2}(?:\.\d{1,3}){1,3})\.?\s+(?=\S)"
)
# The box of grades that opens a 2015-18 inspection ("Children's services in Kirklees are
# inadequate", then "1. Children who need help and protection Inadequate", "2.1 Adoption
# performance ...") numbers its rows; they are no paragraphs of the report. In 49 of the 221
# shared reports the rows had taken the labels 1, 2 and 3, and the report's own paragraphs 1-3 were
# cited as "¶1(2)", "¶2(2)", "¶3(2)".
GRADE_BOX = r"^children.s services in .+ (?:are|is|requires?)\b"
# a grade of an inspection's table, alone on its line; and the longest label of a row of it
GRADES = r"(?:Outstanding|Good|Requires improvement(?: to be good)?|Inadequate)"
GRADE_ALONE = re.compile(rf"{GRADES}\.?", re.IGNORECASE)
ROW_LABEL_MAX = 120
SECTION_NUMBER_RE = re.compile(r"^(?:section\s+|part\s+)?(\d{1,2}(?:\.\d{1,2})*)\.?\s+(?=\S)", re.I)

KIND_PATTERNS = [
    ("cspr", r"child safeguarding practice review"),
    ("scr", r"serious case review"),
    ("sar", r"safeguarding adults? review"),
    ("dhr", r"domestic homicide review"),
    ("inspection", r"\binspection of\b|ofsted|inspection report"),
    ("overview", r"overview report|thematic review|learning from .{0,30}reviews|themes across"),
]
SECTION_KINDS = [
    ("recommendations", r"recommendation|what needs to improve|next steps|questions for the"),
    ("findings", r"finding|conclusion|lessons|predictab|preventab"),
    ("terms_of_reference", r"terms of reference|scope|lines of enquiry"),
    ("methodology", r"methodolog|process of the review|review process|approach to the review"),
    # "Chronology" is the timeline; "Chronologies and records" is a theme of the analysis
    ("chronology", r"chronolog(?!ies)|background|summary of events|key events|history|narrative"),
    ("voice", r"voice of|lived experience|child'?s experience|daily life"),
    ("good_practice", r"good practice|strengths"),
    (
        "analysis",
        r"analysis|practice episode|theme|learning|assessment|information sharing|oversight"
        r"|supervision|communication|workforce|partnership|records|risk",
    ),
    ("family", r"family|composition|household|parallel process|equality|diversity"),
    ("glossary", r"glossary|acronym|abbreviation"),
    # an inspection's first page: its table of grades ("Judgement Grade"), then its summary
    (
        "judgement",
        r"experiences and progress|impact of leaders|overall effectiveness"
        rf"|^(?:\d+\.?\s+)?judgements?\b|{GRADE_BOX}",
    ),
    ("introduction", r"introduction|purpose|summary|overview"),
]
# A publisher's colophon closing a report (Ofsted's "about Ofsted" paragraph, then its licence,
# address and copyright): no finding of the report. The PDF text sometimes runs it on from the last
# paragraph ("62. Inspectors met with ... received. The Office for Standards ..."), so it was quoted
# as part of a judgement. From its first sentence on, text is back matter: a section of its own, of
# which no passage is made. Looked for only in the last quarter of a report (all 221 shared Ofsted
# reports have it, starting at 92-99% of the text).
BACK_MATTER_RE = re.compile(
    r"The Office for Standards in Education, Children[’']s Services and Skills \(Ofsted\) regulates"
)
BACK_MATTER_FROM = 0.75
BACK_MATTER = "Back matter"
# A report's own list of contents: a heading "Contents", then one entry per section, each ending in
# its page number ("Executive summary 2"; "Introduction ........ 3"). Its entries are no sections
# of the report. In 49 of the 221 shared Ofsted reports (the 2016-18 format) the PDF's headings
# hold the list, so every later section sat under "Contents > Information about this inspection
# 43 The local authority": the last entry runs on into the first real heading, which is kept.
CONTENTS_RE = re.compile(
    r"(?:[Tt]able\s+of\s+)?(?:[Cc]ontents|CONTENTS)(?:\s+(?P<entries>[A-Z0-9].*))?$", re.S
)
CONTENTS_ENTRY_RE = re.compile(r"\S[\s.…·]+(?P<page>\d{1,3})$")
CONTENTS_RUN_ON_RE = re.compile(r"^.*\S[\s.…·]+(?P<page>\d{1,3})\s+(?P<rest>[^\d\s].*)$", re.S)
PLACE_PATTERNS = [
    r"^(?:The )?(?:London |Royal |Metropolitan )?(?:Borough|City|County|Council) of ([A-Z][\w' -]+?)"
    r"(?: Council)?$",
    r"^(?:the )?([A-Z][\w'-]+(?: (?:and |of )?[A-Z][\w'-]+)*?)"
    r"(?: City| County| Borough| District| Council)+$",
    # "Inspection of Bexley local authority children's services", not "Inspection of services for
    # children in need" (whose "services for" had been the place of twelve 2015-18 reports)
    r"(?i:inspection of)(?: the)?(?: (?:London|Royal|Metropolitan))?(?: (?:Borough|City|County) of)?"
    r" ([A-Z][\w'&, -]+?) (?i:local authority|council|children)",
    r"([A-Z][\w'-]+(?: (?:and )?[A-Z][\w'-]+)*) (?:Local )?Safeguarding (?:Children|Adults) "
    r"(?:Board|Partnership)",
    r"([A-Z][\w'-]+(?: [A-Z][\w'-]+)*) Community Safety Partnership",
    r"([A-Z][\w'-]+(?: [A-Z][\w'-]+)*) Regional Safeguarding Partnership",
    # the box of grades opening a 2015-18 inspection: "Children's services in Peterborough
    # require improvement to be good" (that report names its council in body type alone)
    r"(?i:children.s services in) ([A-Z][\w'&, -]+?) (?:are|is|requires?)\b",
]
SUBJECT_RE = re.compile(
    r"\b(?:Baby|Child|Children|Siblings|Young Person|Adult|Mr|Mrs|Ms|Miss|Family)\s+[A-Z]\d?\b"
    r"(?:\s+and\s+[A-Z]\b)?"
)


@dataclass(frozen=True)
class Section:
    """A heading and where it sits: its path of headings, number, kind and offset."""

    heading: str
    path: tuple[str, ...]
    number: str | None
    kind: str
    char_start: int


@dataclass(frozen=True)
class Paragraph:
    """A labelled paragraph: a span of the clean text inside one section."""

    label: str
    ordinal: int
    section: int
    char_start: int
    char_end: int
    body_start: int  # after the paragraph's own number
    page_start: int | None
    page_end: int | None
    kind: str = "text"  # text | list | table


@dataclass
class Document:
    """A parsed review document; every offset points into `text`."""

    doc_id: str
    title: str
    kind: str
    date: str | None
    place: str | None
    subjects: tuple[str, ...]
    source: str
    format: str
    sha256: str
    text: str
    sections: list[Section]
    paragraphs: list[Paragraph]
    page_map: list[tuple[int, int]] = field(default_factory=list)
    pages: int | None = None

    def paragraph_text(self, paragraph: Paragraph) -> str:
        """The paragraph as it stands in the clean text (with its number)."""
        return self.text[paragraph.char_start : paragraph.char_end]

    def page_at(self, offset: int) -> int | None:
        """The page an offset of the clean text falls on (PDF only)."""
        if not self.page_map:
            return None
        i = bisect.bisect_right([start for start, _ in self.page_map], offset) - 1
        return self.page_map[max(i, 0)][1]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (stored with the index for context views)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        """Rebuild a Document from `to_json` output."""
        data = dict(data)
        data["subjects"] = tuple(data["subjects"])
        data["sections"] = [Section(**{**s, "path": tuple(s["path"])}) for s in data["sections"]]
        data["paragraphs"] = [Paragraph(**p) for p in data["paragraphs"]]
        data["page_map"] = [tuple(x) for x in data["page_map"]]
        return cls(**data)


def build_document(raw: RawDocument, doc_id: str) -> Document:
    """Assemble clean text, sections and labelled paragraphs from the loader's blocks."""
    blocks, back = _cut_back_matter(_drop_contents(_join_grades(_merge_items(raw.blocks))))
    title = _title(raw, blocks)
    parts: list[str] = []
    offset = 0
    sections: list[Section] = [Section(title, (), None, "introduction", 0)]
    stack: list[tuple[int, str]] = []
    paragraphs: list[Paragraph] = []
    page_map: list[tuple[int, int]] = []
    seen: dict[str, int] = {}
    title_used = False
    in_box = False  # under a box of grades, whose numbered rows are no paragraphs
    # the heading over such a box ("Children's services in Bury require improvement to be good")
    # states the report's overall grade: it opens the box's first paragraph, so a passage holds it
    headline: tuple[int, list[tuple[int, int]]] | None = None

    for i, block in enumerate(blocks):
        start = offset + (2 if parts else 0)
        parts.append(block.text)
        offset = start + len(block.text)
        if i == back:
            stack = [(0, BACK_MATTER)]
            sections.append(Section(BACK_MATTER, (BACK_MATTER,), None, "back_matter", start))
            in_box = False
        if block.kind == "heading":
            if not title_used and block.text == title:
                title_used = True
                continue
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, block.text))
            path = tuple(h for _, h in stack)
            number = SECTION_NUMBER_RE.match(block.text)
            parent = next((s for s in reversed(sections) if s.path == path[:-1]), None)
            parent_kind = parent.kind if parent and len(path) > 1 else "other"
            in_back = back is not None and i > back
            kind = "back_matter" if in_back else _section_kind(block.text, parent_kind)
            sections.append(Section(block.text, path, number and number.group(1), kind, start))
            in_box = any(re.match(GRADE_BOX, heading, re.I) for heading in path)
            stated = re.match(GRADE_BOX, block.text, re.I)
            headline = (start, [(start + o, p) for o, p in block.pages]) if stated else None
            continue
        page_map.extend((start + off, page) for off, page in block.pages)
        pages = [p for _, p in block.pages]
        if headline is not None:
            start, head_pages = headline
            page_map.extend(head_pages)
            pages = [p for _, p in head_pages] + pages
            headline = None
        match = None if in_box else LABEL_RE.match(block.text)
        own = (match.group(1) or match.group(2)) if match else None
        label = own or f"p{len(paragraphs) + 1}"
        if label in seen:
            seen[label] += 1
            label = f"{label}({seen[label]})"
        else:
            seen[label] = 1
        paragraphs.append(
            Paragraph(
                label=label,
                ordinal=len(paragraphs) + 1,
                section=len(sections) - 1,
                char_start=start,
                char_end=offset,
                body_start=start + (match.end() if match else 0),
                page_start=pages[0] if pages else None,
                page_end=pages[-1] if pages else None,
                kind={"row": "table", "item": "list"}.get(block.kind, "text"),
            )
        )
    text = "\n\n".join(parts)
    front = text[:4000]
    kind = detect_kind(title, front)
    return Document(
        doc_id=doc_id,
        title=title,
        kind=kind,
        date=detect_date(front),
        place=_place(title, front, kind),
        subjects=tuple(dict.fromkeys(SUBJECT_RE.findall(title))),
        source=str(raw.path),
        format=raw.format,
        sha256=raw.sha256,
        text=text,
        sections=sections,
        paragraphs=paragraphs,
        page_map=sorted(set(page_map)),
        pages=raw.pages,
    )


def _merge_items(blocks: list[Block]) -> list[Block]:
    """List items join the paragraph that introduces them; table rows join the rows above."""
    merged: list[Block] = []
    for block in blocks:
        prev = merged[-1] if merged else None
        joinable = prev is not None and (
            (block.kind == "item" and prev.kind in ("paragraph", "item") and _introduces(prev))
            or (block.kind == "row" and prev.kind == "row")
        )
        if prev is not None and joinable:
            bullet = "• " if block.kind == "item" else ""
            merged[-1] = _joined(prev, "\n" + bullet, block)
        elif block.kind == "item":
            merged.append(Block("item", f"• {block.text}", pages=_shift(block.pages, 2)))
        else:
            merged.append(block)
    return merged


def _joined(prev: Block, glue: str, block: Block) -> Block:
    """`block` run on after `prev` (kind and level of `prev`), its page marks moved with it."""
    shift = len(prev.text) + len(glue)
    pages = prev.pages + tuple((off + shift, p) for off, p in block.pages)
    return Block(prev.kind, f"{prev.text}{glue}{block.text}", prev.level, pages)


def _join_grades(blocks: list[Block]) -> list[Block]:
    """An inspection's table of grades read as one row a line: a grade standing alone ("Good")
    joins the label before it ("The experiences and progress of children in care and care leavers
    Good"), and a label's wrapped last word read as a heading ("permanence", set in the bold of
    the box) joins the line it ends. In 170 of the 221 shared Ofsted reports the PDF gives a
    row's label and its grade as two paragraphs, so no sentence held both; in one (Darlington,
    2018) it sets two rows' grades in a heading's type, as a wrapped word is."""
    joined: list[Block] = []
    for block in blocks:
        prev = joined[-1] if joined else None
        wrapped = block.kind == "heading" and block.text[:1].islower()
        graded = GRADE_ALONE.fullmatch(block.text.strip())
        if (
            prev is not None
            and prev.kind != "heading"
            and (wrapped or graded)
            and len(prev.text) <= ROW_LABEL_MAX
            and not prev.text.rstrip().endswith((".", "!", "?", ":"))
            and not GRADE_ALONE.fullmatch(prev.text.strip())
        ):
            joined[-1] = _joined(prev, " ", block)
        else:
            joined.append(block)
    return joined


def _drop_contents(blocks: list[Block]) -> list[Block]:
    """The blocks without a list of contents: its heading and the entries that follow it (or run
    on in the heading's own block), each ending in a page number. An entry that runs on into the
    next heading ("Information about this inspection 43 The local authority") leaves that heading;
    pages only rise through a list, so "Children aged 0 to 5" after an entry on page 41 is a
    heading of the report. A "Contents" heading followed by no entry is kept."""
    for i, block in enumerate(blocks):
        head = CONTENTS_RE.match(block.text.strip())
        if not head or (head.group("entries") and block.kind != "heading"):
            continue
        rest = list(blocks[i + 1 :])
        if head.group("entries"):
            rest.insert(0, replace(block, text=head.group("entries"), pages=()))
        end, page = 0, 0
        while end < len(rest) and (entry := CONTENTS_ENTRY_RE.search(rest[end].text)):
            if int(entry.group("page")) < page:
                break
            end, page = end + 1, int(entry.group("page"))
        run_on = CONTENTS_RUN_ON_RE.match(rest[end].text) if end < len(rest) else None
        if run_on and rest[end].kind == "heading" and int(run_on.group("page")) >= page:
            rest[end] = replace(rest[end], text=run_on.group("rest").strip())
        elif end == 0:
            continue
        return [*blocks[:i], *rest[end:]]
    return blocks


def _cut_back_matter(blocks: list[Block]) -> tuple[list[Block], int | None]:
    """The blocks, the one in which a closing colophon starts cut in two there, and the index of
    the colophon's first block (None: the report has none)."""
    total = sum(len(b.text) + 2 for b in blocks)
    seen = 0
    for i, block in enumerate(blocks):
        found = BACK_MATTER_RE.search(block.text)
        if found and block.kind != "heading" and seen + found.start() >= BACK_MATTER_FROM * total:
            cut = found.start()
            if cut == 0:
                return blocks, i
            before = block.text[:cut].rstrip()
            pages_before = tuple((o, p) for o, p in block.pages if o < len(before))
            on_page = [p for o, p in block.pages if o <= cut]
            pages_after = tuple((o - cut, p) for o, p in block.pages if o > cut)
            if on_page:
                pages_after = ((0, on_page[-1]), *pages_after)
            head = Block(block.kind, before, block.level, pages_before)
            tail = Block("paragraph", block.text[cut:], 0, pages_after)
            return [*blocks[:i], head, tail, *blocks[i + 1 :]], i + 1
        seen += len(block.text) + 2
    return blocks, None


def _introduces(block: Block) -> bool:
    """A paragraph ending in ':' (or a list already started) takes the items that follow."""
    return block.kind == "item" or block.text.rstrip().endswith(":") or "\n• " in block.text


def _shift(pages: tuple[tuple[int, int], ...], by: int) -> tuple[tuple[int, int], ...]:
    return tuple((off + by if off else 0, p) for off, p in pages)


def _title(raw: RawDocument, blocks: list[Block]) -> str:
    headings = [b for b in blocks[:12] if b.kind == "heading"]
    if headings:
        top = min(b.level for b in headings)
        return next(b.text for b in headings if b.level == top)
    if raw.title_hint:
        return raw.title_hint
    return raw.path.stem.replace("_", " ").replace("-", " ").strip().capitalize()


def _section_kind(heading: str, parent: str) -> str:
    lowered = heading.lower()
    for kind, pattern in SECTION_KINDS:
        if re.search(pattern, lowered):
            return kind
    return parent


def detect_kind(title: str, front: str) -> str:
    """Review kind from the title, else from the opening text."""
    for text in (title.lower(), front.lower()):
        for kind, pattern in KIND_PATTERNS:
            if re.search(pattern, text):
                return kind
    return "other"


def detect_date(front: str) -> str | None:
    """ISO date: the stated publication date, else the end of the inspection dates, else the first."""
    match = PUBLISHED_RE.search(front)
    if match:
        return _iso(*match.groups()[1:])
    for line in front.split("\n"):
        if re.search(r"inspection dates?", line, re.IGNORECASE):
            found = DATE_RE.findall(line)
            if found:
                return _iso(*found[-1])
    first = DATE_RE.search(front)
    return _iso(*first.groups()) if first else None


def _iso(day: str, month: str, year: str) -> str | None:
    try:
        return date(int(year), MONTHS.index(month.lower()) + 1, int(day)).isoformat()
    except ValueError:
        return None


def _place(title: str, front: str, kind: str) -> str | None:
    """The area named first in the title; else the title itself when an inspection is titled by
    its council's bare name ("Kirklees"); else the earliest place the front matter names."""
    return _first_place(title) or _bare_place(title, kind) or _first_place(front)


def _first_place(text: str) -> str | None:
    """The place a PLACE_PATTERNS match names earliest in the text."""
    found = []
    for pattern in PLACE_PATTERNS:
        match = re.search(pattern, text)
        if match:
            name = COUNCIL_WORDS.sub("", match.group(1).strip())
            if name:
                found.append((match.start(), name))
    return min(found)[1] if found else None


# what follows a council's name in its title ("Doncaster Metropolitan Borough", "Kent County",
# "Bristol, City of") or a board's ("Northbrook Local"): the place is the name alone, as a question
# says it ("the 2019 Oldham inspection")
COUNCIL_WORDS = re.compile(
    r"(?:,?\s*\b(?:Local|Regional|The|Metropolitan|Borough|City|County|District|Council|of))+$"
)
_BARE_PLACE = re.compile(r"[A-Z][\w'&-]*(?:[ -](?:and|of|upon|on|under|with|&|[A-Z][\w'&-]*)){0,5}")


def _bare_place(title: str, kind: str) -> str | None:
    """Inspection reports often carry just the council's name as their title."""
    if kind != "inspection" or not _BARE_PLACE.fullmatch(title):
        return None
    return COUNCIL_WORDS.sub("", title) or None

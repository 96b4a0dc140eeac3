"""Document -> [Passage]: whole paragraphs, short neighbours merged, long ones split at sentences.

A passage never crosses a section boundary and never exceeds the encoder's window: the text that is
embedded (a context line naming the document and section, then the passage) is counted with the
encoder's own tokenizer, special tokens included.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ingest.structure import Document, Paragraph
from ingest.text import sentence_spans

CONTEXT_CHARS = 160  # the context line is capped so the passage keeps most of the window
TokenCounter = Callable[[Sequence[str]], list[int]]


@dataclass(frozen=True)
class Passage:
    """A citable span of one section: text == document.text[char_start:char_end]."""

    passage_id: str
    doc_id: str
    text: str
    context: str
    labels: tuple[str, ...]
    section: str
    section_kind: str
    char_start: int
    char_end: int
    page_start: int | None
    page_end: int | None
    # the embed text's token count as cutting measured it (0: unknown); the encoder sorts by it
    tokens: int = field(default=0, compare=False)

    @property
    def embed_text(self) -> str:
        """What the encoder and the lexical index see: context line, then the passage."""
        return f"{self.context}\n{self.text}"

    @property
    def content_hash(self) -> str:
        """Hash of the embedded text: an unchanged hash means the stored vector is still right."""
        return hashlib.sha1(self.embed_text.encode("utf-8")).hexdigest()


def make_passages(
    doc: Document, count_tokens: TokenCounter, max_tokens: int = 256, merge_below: int = 48
) -> list[Passage]:
    """Cut a document into passages that fit `max_tokens` (special tokens included)."""
    passages: list[Passage] = []
    by_section: dict[int, list[Paragraph]] = {}
    for para in doc.paragraphs:
        by_section.setdefault(para.section, []).append(para)
    for section_index, paras in by_section.items():
        section = doc.sections[section_index]
        if section.kind == "back_matter":
            continue  # a publisher's colophon (ingest/structure.py): nothing to answer from
        path = " > ".join(section.path) if section.path else ""
        context = _context(doc, path)
        units = _units(doc, paras, context, count_tokens, max_tokens)
        # each unit's count includes the context line and the special tokens; a merged passage
        # has them once, and word-piece counts add up across the white space joining paragraphs
        overhead = count_tokens([f"{context}\n"])[0]
        for group in _merge(units, overhead, max_tokens, merge_below):
            tokens = sum(u.tokens for u in group) - (len(group) - 1) * overhead
            passages.append(_passage(doc, group, context, path, section.kind, tokens))
    return passages


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    labels: tuple[str, ...]
    part: int  # 0 = a whole paragraph, k = the k-th piece of a split one
    tokens: int


def _context(doc: Document, path: str) -> str:
    parts = [doc.title]
    if doc.place and doc.place.lower() not in doc.title.lower():
        parts.append(doc.place)
    if doc.date:
        parts.append(doc.date[:4])
    context = " · ".join(parts)
    if path:
        context += " — " + path.split(" > ")[-1]
    return context[:CONTEXT_CHARS]


def _units(
    doc: Document,
    paras: list[Paragraph],
    context: str,
    count: TokenCounter,
    max_tokens: int,
) -> list[_Unit]:
    texts = [f"{context}\n{doc.paragraph_text(p)}" for p in paras]
    sizes = count(texts)
    units: list[_Unit] = []
    for para, size in zip(paras, sizes, strict=True):
        if size <= max_tokens:
            units.append(_Unit(para.char_start, para.char_end, (para.label,), 0, size))
            continue
        pieces = _split(doc, para, context, count, max_tokens)
        units.extend(
            _Unit(s, e, (para.label,), k, n) for k, (s, e, n) in enumerate(pieces, start=1)
        )
    return units


def _split(
    doc: Document, para: Paragraph, context: str, count: TokenCounter, max_tokens: int
) -> list[tuple[int, int, int]]:
    """Greedy runs of whole sentences under the limit (words, for a sentence too long alone)."""
    base = para.char_start
    body = doc.paragraph_text(para)
    spans = [(base + s, base + e) for s, e in sentence_spans(body)]
    spans = [piece for span in spans for piece in _fit_span(doc, span, context, count, max_tokens)]
    pieces: list[tuple[int, int, int]] = []
    start, end = spans[0]
    for s, e in spans[1:]:
        size = count([f"{context}\n{doc.text[start:e]}"])[0]
        if size <= max_tokens:
            end = e
            continue
        pieces.append((start, end, count([f"{context}\n{doc.text[start:end]}"])[0]))
        start, end = s, e
    pieces.append((start, end, count([f"{context}\n{doc.text[start:end]}"])[0]))
    return pieces


def _fit_span(
    doc: Document, span: tuple[int, int], context: str, count: TokenCounter, max_tokens: int
) -> list[tuple[int, int]]:
    """A sentence that alone exceeds the window is cut between words."""
    start, end = span
    if count([f"{context}\n{doc.text[start:end]}"])[0] <= max_tokens:
        return [span]
    out: list[tuple[int, int]] = []
    cursor = start
    while cursor < end:
        stop = end
        while count([f"{context}\n{doc.text[cursor:stop]}"])[0] > max_tokens:
            cut = doc.text.rfind(" ", cursor, cursor + (stop - cursor) * 4 // 5)
            stop = cut if cut > cursor else cursor + (stop - cursor) * 4 // 5
        out.append((cursor, stop))
        cursor = stop
        while cursor < end and doc.text[cursor].isspace():
            cursor += 1
    return out


def _merge(
    units: list[_Unit], overhead: int, max_tokens: int, merge_below: int
) -> list[list[_Unit]]:
    """Group consecutive whole paragraphs while one side is short and the result still fits."""
    groups: list[list[_Unit]] = []
    for unit in units:
        if groups and unit.part == 0 and groups[-1][-1].part == 0:
            current = groups[-1]
            current_tokens = sum(u.tokens for u in current) - (len(current) - 1) * overhead
            unit_text = unit.tokens - overhead
            fits = current_tokens + unit_text <= max_tokens
            if fits and (current_tokens - overhead < merge_below or unit_text < merge_below):
                current.append(unit)
                continue
        groups.append([unit])
    return groups


def _passage(
    doc: Document, group: list[_Unit], context: str, path: str, kind: str, tokens: int
) -> Passage:
    first, last = group[0], group[-1]
    labels = tuple(dict.fromkeys(label for u in group for label in u.labels))
    pid = f"{doc.doc_id}#¶{labels[0]}"
    if len(labels) > 1:
        pid += f"-{labels[-1]}"
    if first.part:
        pid += f"[{first.part}]"
    start, end = first.start, last.end
    return Passage(
        passage_id=pid,
        doc_id=doc.doc_id,
        text=doc.text[start:end],
        context=context,
        labels=labels,
        section=path,
        section_kind=kind,
        char_start=start,
        char_end=end,
        page_start=doc.page_at(start),
        page_end=doc.page_at(max(start, end - 1)),
        tokens=tokens,
    )

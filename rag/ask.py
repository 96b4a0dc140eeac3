"""ask(): a question (and the conversation so far) in, an Answer with verified citations out."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ingest.embed import Encoder
from ingest.glossary import stamp as glossary_stamp
from ingest.index import PassageIndex, StoredPassage
from ingest.settings import Settings
from rag.answer import (
    REFUSE_BELOW,
    Answer,
    Citation,
    compose_extractive,
    lacks_reason,
    measure_evidence,
    misses_polar,
    refusal_text,
    term_weights,
)
from rag.counted import counted_answer, counted_asked
from rag.direct import PERIOD, PERIOD_ASKED
from rag.expect import (
    EXPANSION_ASKED,
    PSEUDONYM,
    asking_stems,
    asks_only_for_kind,
    expected_kind,
    gives_kind,
    missing_kind,
    quotes_unmet,
)
from rag.graded import (
    GRADE_NAMED,
    GRADE_QUESTION,
    graded_answer,
    graded_asked,
    grades_compared,
)
from rag.mentions import (
    missing_comparison,
    named_things,
    people,
    people_documents,
    proper_words,
    unknown_people,
)
from rag.parts import PART, part_passages
from rag.places import documents_of_years, newest_documents
from rag.query import (
    Query,
    asks_only,
    build_query,
    content_stems,
    subject_names,
    without_terms,
)
from rag.render import plural
from rag.rerank import RERANK_TOP, rerank
from rag.retrieve import (
    ASKING_GRADES,
    COUNT_TOP,
    DAY_ASKED,
    GRADE_ASKED,
    Candidate,
    Filters,
    Retrieval,
    arrange,
    asking_list,
    counted_noun,
    counts,
    day_asked,
    effective_filters,
    found_or_new,
    glossary_last,
    grade_rows,
    holds_reference,
    keep_clear_dense_best,
    put_first,
    recommendation_topic,
    recommendations_asked,
    report_passages,
    retrieve,
)
from rag.spelling import Respelled, known_acronyms, record_words, respell
from rag.stats import DocVocab, corpus_counts, summarise
from rag.summary import SUMMARY, library_asked, summary_passages, summary_unnamed

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

_STATS: dict[tuple[int, str], tuple[dict[str, int], int, DocVocab]] = {}
_NAMES: dict[tuple[int, str, str], tuple[frozenset[str], frozenset[str]]] = {}
# passages the lexical search reads for the letters a question asks the meaning of (a report
# spells an acronym out once and uses it many times), or for the person whose age it asks
LOOKUP_POOL = 200


def corpus_stats(index: PassageIndex) -> tuple[dict[str, int], int, DocVocab]:
    """Per index state: passages holding each stemmed term, passage count, each document's terms.

    Counted per document version and cached on disk (rag/stats.py): only new versions are read.
    """
    key = (id(index), index.stamp)
    if key not in _STATS:
        stats = summarise(corpus_counts(index))
        _STATS.clear()
        _STATS[key] = stats
    return _STATS[key]


def document_names(index: PassageIndex) -> tuple[frozenset[str], frozenset[str]]:
    """The words of the documents' titles, places and people, and the acronyms known, lower
    case, per index state and glossary (cached)."""
    key = (id(index), index.stamp, glossary_stamp())
    if key not in _NAMES:
        _NAMES.clear()
        records = index.documents()
        _NAMES[key] = (record_words(records), known_acronyms(records))
    return _NAMES[key]


# where a report says what period it covered: its terms of reference, else its introduction or
# its account of how it was done
SCOPE_SECTIONS = (frozenset(["terms_of_reference"]), frozenset(["introduction", "methodology"]))


def search(
    query: Query,
    index: PassageIndex,
    encoder: Encoder,
    filters: Filters | None = None,
    pool: int = 40,
    rerank_top: int = RERANK_TOP,
    shown: int = 10,
) -> tuple[Retrieval, dict[str, float]]:
    """The candidates an answer is drawn from, in order (retrieved, arranged, re-ranked; of the
    `shown` first, those giving the kind of answer asked for first; the numbered parts the
    question names first), and the IDF weights of the question's terms. `rerank_top=0` leaves
    the arranged order."""
    found = retrieve(query, index, encoder, filters, pool=pool)
    start = time.perf_counter()
    doc_freq, n_docs, _ = corpus_stats(index)
    weights = term_weights(query, doc_freq, n_docs)
    found.candidates = arrange(query, found.candidates, weights)
    if rerank_top:
        found.candidates = rerank(query, found.candidates, weights, rerank_top)
    if not query.theme and not query.compares:
        found.candidates = keep_clear_dense_best(found.candidates)
    found.candidates = glossary_last(query.question, found.candidates)
    if query.about:
        # "What did the overview say about the Child T review?": the report's passages that name
        # him first, those the search found in its order, then the others in the report's
        names = names_about(query)
        naming = (
            in_report_order(index, query.doc_ids, lambda p: names(p.text), found.candidates)
            if filters is None or filters.empty
            else [c for c in found.candidates if names(c.passage.text)]  # the user's filters hold
        )
        rank = {c.passage_id: i for i, c in enumerate(found.candidates)}
        naming.sort(key=lambda c: rank.get(c.passage_id, len(rank)))
        found.candidates = led_by(naming, found.candidates)
    kind = expected_kind(query.question)
    if kind is not None:
        # "How old was Mr S?": of the passages shown, those that give an age of Mr S come first
        # (only reordered among themselves, so what the premise checks read is unchanged)
        gives = gives_kind(query.question, kind)
        docs = case_docs(query, found.candidates[:shown])
        found.candidates = put_first(
            found.candidates,
            lambda c: c.passage.doc_id in docs and gives(c.passage.text),
            within=shown,
        )
        if kind.kind in ("author", "commissioner", "agencies") and len(query.doc_ids) == 1:
            # "Who wrote the Mr D review?": the report names its author wherever it does (its
            # title page, its introduction), however little those passages share with the words;
            # "Which agencies were involved in it?": it lists them where it says how it was done
            naming = in_report_order(
                index, query.doc_ids, lambda p: gives(p.text), found.candidates
            )
            found.candidates = led_by(naming, found.candidates)
        looked_up = looked_up_by(query, kind.kind)
        if looked_up:
            # "What does MARAC stand for?": of the passages that hold the letters, those that
            # spell them out, though they may say them once among many that use them; "How old
            # was Mr S?", asked of no document: those that give his age, wherever he is named
            found.candidates = led_by(
                giving(query, looked_up, index, filters, gives, found.candidates),
                found.candidates,
            )
    if PERIOD_ASKED.search(query.question) and len(query.doc_ids) == 1:
        # "Which years did the overview look at?": a report gives its period early, in its
        # introduction or terms of reference ("four reviews published between 2016 and 2021"),
        # in words that need not be the question's
        found.candidates = led_by(period_given(query, index, found.candidates), found.candidates)
    noun = None if query.theme or query.compares else counted_noun(query.question)
    if noun:
        # "How many teeth ...?": of the first passages, those that count teeth come first
        found.candidates = put_first(found.candidates, counts(noun), within=COUNT_TOP)
    day = None if query.theme or query.compares else day_asked(query.question)
    if day is not None:
        # "What happened on 12 May 2015?": the passages that give that day come first, those the
        # search found in its order, then those a lookup of the day finds
        said, pattern = day
        given = [c for c in found.candidates if pattern.search(c.passage.text)]
        looked = giving(query, said, index, filters, lambda text: bool(pattern.search(text)), given)
        found.candidates = led_by(led_by(given, looked), found.candidates)
    listed = [] if query.theme or query.compares else recommendations_asked(query, found.candidates)
    if listed:
        # "What needs to improve in Leeds?": Leeds's list comes first, all of it when the question
        # asks for no topic of it
        if not recommendation_topic(query):
            listed = whole_list(index, listed, found.candidates)
        found.candidates = led_by(listed, found.candidates)
    graded = [] if listed else grade_tables(query, index, found.candidates)
    if graded:
        # "What grade did Leeds get in 2022?": the report's table of grades comes first
        found.candidates = led_by(graded, found.candidates)
    summary = [] if listed or graded else summary_passages(query, index, found.candidates)
    if summary:
        # "Summarise the Child T review": its opening and its findings, in its order
        found.candidates = led_by(summary, found.candidates)
    part = [] if listed or graded or summary else part_passages(query, index, found.candidates)
    if part:
        # "What were the terms of reference of the Baby R review?": that section, in its order
        found.candidates = led_by(part, found.candidates)
    if query.references:
        # "What does Recommendation 4 say?": the passage that is Recommendation 4 comes first
        refs = query.references
        found.candidates = put_first(found.candidates, lambda c: holds_reference(c, refs))
    found.timings_ms["rank"] = round((time.perf_counter() - start) * 1000, 2)
    return found, weights


def lacks_period(query: Query, citations: Sequence[Citation]) -> bool:
    """The question asks what period a report covered and no quote gives a span of dates."""
    return bool(PERIOD_ASKED.search(query.question)) and not any(
        PERIOD.search(c.quote) for c in citations
    )


def lacks_grade(query: Query, citations: Sequence[Citation], index: PassageIndex) -> bool:
    """The question asks what grade an inspection gave ("What rating did Ofsted give York's
    youth offending service?"), every quote is an inspection's, and none gives a grade."""
    return (
        bool(GRADE_QUESTION.search(query.question))
        and bool(citations)
        and all(getattr(index.record(c.doc_id), "kind", None) == "inspection" for c in citations)
        and not any(GRADE_NAMED.search(c.quote) for c in citations)
    )


def period_given(
    query: Query, index: PassageIndex, candidates: Sequence[Candidate]
) -> list[Candidate]:
    """The first passage of the report asked that gives a span of dates where a report says what
    period it covered (SCOPE_SECTIONS, in that order), or none."""
    tier = {kind: i for i, kinds in enumerate(SCOPE_SECTIONS) for kind in kinds}

    def gives(passage: StoredPassage) -> bool:
        return passage.metadata.get("section_kind") in tier and bool(PERIOD.search(passage.text))

    # the report read once; the first of the first tier that has one (sorted() is stable)
    spans = in_report_order(index, query.doc_ids, gives, candidates)
    spans = sorted(spans, key=lambda c: tier[str(c.passage.metadata.get("section_kind"))])
    return spans[:1]


def looked_up_by(query: Query, kind: str) -> str | None:
    """What the passages that may give the kind asked for are looked up by: the letters asked
    the meaning of, or the person whose age a question asks, unless the person's name names
    the document."""
    if kind == "expansion":
        asked = EXPANSION_ASKED.search(query.question)
        return asked.group("acronym") if asked else None
    if kind == "age":
        # not the subject that names the document asked about ("How old was Child T ...?"): the
        # person named in the documents that name them ("How old was Mr S?")
        person = PSEUDONYM.search(query.question)
        return person.group(0) if person and person.group(0) not in query.names else None
    return None


def giving(
    query: Query,
    looked_up: str,
    index: PassageIndex,
    filters: Filters | None,
    gives: Callable[[str], bool],
    candidates: Sequence[Candidate],
) -> list[Candidate]:
    """Of the LOOKUP_POOL passages the lexical search finds for `looked_up`, those that give the
    kind of answer asked for, best first."""
    within = effective_filters(query, filters or Filters())
    select = None if within.empty else within.mask
    hits = index.lexical_search(looked_up, LOOKUP_POOL, select)
    return found_or_new([hit for hit, _ in hits if gives(hit.text)], candidates)


def of_people(query: Query, index: PassageIndex) -> Query:
    """A question that names people of a case ("Mr G", "Mr S") and no document asks about the
    documents that name them: "Was Mr G ever checked by the police?" is not answered by the
    police checks on Mr S."""
    if query.doc_ids:
        return query
    docs = people_documents(
        query.question,
        {s for r in index.documents() for s in subject_names(r)},
        lambda name: [(hit.doc_id, hit.text) for hit, _ in index.lexical_search(name, LOOKUP_POOL)],
    )
    return replace(query, doc_ids=docs, theme=False) if docs else query


def names_about(query: Query) -> Callable[[str], bool]:
    """Does a text name what the question asks a report about ("Child T", "T", "T's")?"""
    pattern = re.compile(
        "|".join(rf"(?<![\w’'-]){re.escape(name)}(?:['’]s)?(?![\w’'-])" for name in query.about)
    )
    return lambda text: bool(pattern.search(text))


def about_stems(query: Query) -> set[str]:
    """The stems of the names of what the question asks a report about."""
    return {word for name in query.about for word in content_stems(name)}


def narrowed(filters: Filters, doc_ids: Sequence[str]) -> Filters:
    """The filters with their documents narrowed to `doc_ids` (all of them when none is set)."""
    kept = [d for d in filters.doc_ids if d in doc_ids] if filters.doc_ids else list(doc_ids)
    return replace(filters, doc_ids=tuple(kept) or filters.doc_ids)


def led_by(front: Sequence[Candidate], candidates: Sequence[Candidate]) -> list[Candidate]:
    """`front` first, then the other candidates in their order."""
    ids = {c.passage_id for c in front}
    return [*front, *(c for c in candidates if c.passage_id not in ids)]


def in_report_order(
    index: PassageIndex,
    doc_ids: Sequence[str],
    keeps: Callable[[StoredPassage], bool],
    candidates: Sequence[Candidate],
) -> list[Candidate]:
    """The passages of the documents that pass `keeps`, in each report's order: as the
    candidates they are when the search found them, else as new ones scored 0."""
    kept = [p for doc_id in doc_ids for p in report_passages(index, doc_id) if keeps(p)]
    return found_or_new(kept, candidates)


def whole_list(
    index: PassageIndex, listed: Sequence[Candidate], candidates: Sequence[Candidate]
) -> list[Candidate]:
    """Every passage of the recommendations sections of the documents `listed` comes from, in
    the report's order: Recommendation 1 too, when the search found only the later ones."""
    docs = list(dict.fromkeys(c.passage.doc_id for c in listed))
    listing = in_report_order(
        index, docs, lambda p: p.metadata.get("section_kind") == "recommendations", candidates
    )
    return listing or list(listed)


def grade_tables(
    query: Query, index: PassageIndex, candidates: Sequence[Candidate]
) -> list[Candidate]:
    """For a question for the grades of one inspection (named, or else the first found): its
    passages whose rows grade what is asked, in the report's order; none when it asks for no
    grade or no row grades what it asks."""
    if query.theme or query.compares or not candidates or not GRADE_ASKED.search(query.question):
        return []
    docs = query.doc_ids or (candidates[0].passage.doc_id,)
    return in_report_order(index, docs, lambda p: bool(grade_rows(query, p.text)), candidates)


def shown_count(settings: Settings) -> int:
    """How many candidates an answer shows as its passages (and the premise checks read)."""
    return max(settings.top_k, 10)


# a day asked about as the day something happened ("on 5 May 2015"), not one end of a span
ON_DAY = re.compile(rf"\bon\s+(?:the\s+)?({DAY_ASKED.pattern})", re.I)


def unmet_premise(
    query: Query, candidates: Sequence[Candidate], index: PassageIndex, shown: int
) -> str | None:
    """Why the documents cannot answer, judged by what the question takes for granted: a person
    or named thing no document mentions, a kind of answer (money, a weight, a name) or a thing
    compared with (national figures) that no passage shown of the case asked about gives."""
    question = query.question
    names = people(question) + named_things(question) + proper_words(question)
    unknown = names and unknown_people(
        names,
        [r.title for r in index.documents()] + [c.passage.text for c in candidates],
        lambda name: [hit.text for hit, _ in index.lexical_search(name, 50)],
    )
    if unknown:
        return f"no document mentions {' or '.join(unknown)}"
    docs = case_docs(query, candidates[:shown])
    kind = expected_kind(question)
    texts = [
        c.passage.text
        for c in candidates[:shown]
        if c.passage.doc_id in docs
        and not (kind and kind.not_of and c.passage.metadata.get("kind") == kind.not_of)
    ]
    lacking = missing_kind(question, texts)
    if lacking:
        return f"the question asks for {lacking.what} and no passage found gives one"
    compared = missing_comparison(question, texts)
    if compared:
        return f"the question compares with {compared} and no passage found gives them"
    on_day = ON_DAY.search(question)
    day = day_asked(on_day.group(1)) if on_day and not (query.theme or query.compares) else None
    if day and not any(day[1].search(c.passage.text) for c in candidates):
        # "What happened on 5 May 2015?", where no passage gives that day
        return f"no passage found gives {day[0]}"
    return None


def without_kind_words(query: Query) -> Query:
    """The query less the words that ask for a kind of answer a passage shown gives ("what was
    her job" is answered by "worked as a pharmacy dispenser", which says no "job")."""
    found = asking_stems(query.question)
    return query if found is None else without_terms(query, found[1])


def case_docs(query: Query, candidates: Sequence[Candidate]) -> set[str]:
    """The documents a question asks about: those it names, or else those of the first two
    candidates; for a theme, every document found. The age of Baby R in her review does not
    answer how old J was."""
    if query.theme or not query.doc_ids:
        head = candidates if query.theme else candidates[:2]
        return {c.passage.doc_id for c in head}
    return set(query.doc_ids)


def refusal(question: str, shown: Sequence[Candidate], reason: str, unmet: str | None) -> Answer:
    """A refusal that lists the passages shown as possibly related; `unmet` is said when known."""
    return Answer(
        question,
        refusal_text(shown, why=unmet),
        [],
        refused=True,
        reason=reason,
        unmet=unmet,
        passages=list(shown),
    )


def ask(
    question: str,
    history: Sequence[str] = (),
    filters: Filters | None = None,
    *,
    index: PassageIndex,
    encoder: Encoder,
    settings: Settings | None = None,
    chat_model: BaseChatModel | None = None,
    refresh: bool = True,
) -> Answer:
    """Answer from the index: quotes with [n] markers, or a plain refusal with related passages.

    A misspelt word is first read as the library's nearest word (rag/spelling.py), and the
    answer's notes say so."""
    settings = settings or Settings()
    started = time.perf_counter()
    if refresh:
        index.refresh()
    respelled = Respelled(question)
    if settings.respell:
        held, (names, acronyms) = corpus_stats(index)[0], document_names(index)
        respelled = respell(question, held, names=names, acronyms=acronyms)
        history = tuple(respell(h, held, names=names, acronyms=acronyms).text for h in history)
    answer = _answered(respelled.text, history, filters, index, encoder, settings, chat_model)
    answer.question = question
    if respelled.changes:
        answer.notes = [str(respelled.note()), *answer.notes]
    answer.timings_ms["total"] = round((time.perf_counter() - started) * 1000, 2)
    return answer


def _answered(
    question: str,
    history: Sequence[str],
    filters: Filters | None,
    index: PassageIndex,
    encoder: Encoder,
    settings: Settings,
    chat_model: BaseChatModel | None,
) -> Answer:
    """ask(), once the question's spelling is settled."""
    started = time.perf_counter()
    query = of_people(build_query(question, index.documents(), history), index)
    if query.newest:
        # "in the most recent inspections": each place's newest document alone
        filters = narrowed(filters or Filters(), newest_documents(index.documents()))
    grades = graded_asked(query)
    if grades:
        # "Which councils were judged inadequate?": each report's own overall grade, not the
        # sentences that say "inadequate"
        graded = graded_answer(query, grades, index, filters or Filters(), settings.max_quotes)
        if graded is not None:
            graded.timings_ms = {"total": round((time.perf_counter() - started) * 1000, 2)}
            graded.evidence = 0.0 if graded.refused else 1.0  # each report's own word
            return graded
    compared = grades_compared(query, index, filters or Filters(), settings.max_quotes)
    if compared is not None:
        # "How was Kent rated in 2017 and 2022?": each report's own statement of its grade
        compared.timings_ms = {"total": round((time.perf_counter() - started) * 1000, 2)}
        compared.evidence = 1.0
        return compared
    label = counted_asked(query)
    counted = (
        counted_answer(query, label, index, filters or Filters(), settings.max_quotes)
        if label
        else None
    )
    if counted is not None:
        # "How many recommendations did the Ms K review make?": its numbered list, counted
        counted.timings_ms = {"total": round((time.perf_counter() - started) * 1000, 2)}
        counted.evidence = 1.0  # the review's own labels, not weighed
        return counted
    dated = documents_of_years(question, index.documents()) if query.theme else None
    if dated:
        # "What did the 2024 inspections say about private fostering?": those of 2024 alone
        filters = narrowed(filters or Filters(), dated)
    found, weights = search(
        query, index, encoder, filters, settings.candidate_pool, shown=shown_count(settings)
    )
    timings = dict(found.timings_ms)
    step = time.perf_counter()
    doc_vocab = corpus_stats(index)[2]
    shown = found.candidates[: shown_count(settings)]
    unmet = unmet_premise(query, found.candidates, index, len(shown))
    if dated is not None and not dated:
        # "What did the 2030 inspections say?": not the inspections of other years
        unmet = "no document in the library is of the year asked"
    if not unmet and library_asked(question):
        # "Which reviews are in the library?": no sentence says; the list of documents does
        held = plural(len(index.documents()), "document")
        unmet = (
            f"the question asks what the library holds, which no document says: it holds {held}, "
            "listed in the app's Library panel and by `reviewqa docs`"
        )
    if not unmet and shown and summary_unnamed(query):
        # "Summarise", "What are the key findings?": of which report? Not sentences saying "key"
        example = shown[0].passage.metadata.get("title", "")
        unmet = (
            f"the question asks for a summary and names no document (name one, e.g. “{example}”)"
        )
    judged = query if unmet else without_kind_words(query)
    listed = False  # the question asks a report it names for its recommendations, nothing more
    if shown and GRADE_ASKED.search(question) and grade_rows(query, shown[0].passage.text):
        # "How was York rated in 2017?" is answered by a row of grades, which says no "rated"
        judged = without_terms(judged, ASKING_GRADES)
    elif (
        shown
        and not query.references  # "What does Recommendation 1 say?" asks for one part of it
        and shown[0].passage_id in {c.passage_id for c in recommendations_asked(query, shown)}
    ):
        # nor does a list of what needs to improve say "improve", nor what the turn before asked
        judged = without_terms(judged, asking_list(query) | ASKING_GRADES)
        # "What did the Mr D review recommend?": once "recommend" is left out, "Mr" is the only
        # word left to weigh, and it only picked the report; its recommendations answer it whole
        listed = bool(query.doc_ids) and asks_only(query, asking_list(query) | ASKING_GRADES)
    measured = measure_evidence(judged, found.candidates, weights, found.best_dense, doc_vocab)
    strength = measured.score()
    # a report asked for as a whole is answered by its summary, which shares no word with "sum up"
    # (nor does its scope say "terms of reference", nor its methodology "carried out")
    summary = bool(shown) and shown[0].part in (SUMMARY, PART)
    # ... nor does a report's title page say "wrote" (the kind asked for is given: else unmet)
    # ... nor is there a word to weigh in what one report says of another, when it says it
    told = bool(shown) and bool(query.about) and names_about(query)(shown[0].passage.text)
    if query.about and not told and not unmet:
        # "What did the overview report say about Mr D?": the overview is of four other reviews
        titles = [r.title for r in index.documents() if r.doc_id in query.doc_ids]
        unmet = f"{' and '.join(titles) or 'the document asked'} does not mention {query.about[0]}"
    told_only = told and asks_only(query, about_stems(query))
    weighed = not (summary or listed or told_only or asks_only_for_kind(query))
    if unmet or weighed and (not query.terms or strength < REFUSE_BELOW):
        if unmet:
            reason = unmet
        elif not query.terms:
            reason = "no question terms"
        else:
            reason = f"weak evidence ({strength:.2f} < {REFUSE_BELOW})"
        answer = refusal(question, shown, reason, unmet)
    else:
        text, citations = compose_extractive(
            query, found.candidates, weights, settings.max_quotes, settings.top_k
        )
        answer = Answer(question, text, citations, passages=shown)
        # "how many" answered by sentences that hold no number answers something else, as does
        # "in which month" answered by "in 2017"
        unmet = quotes_unmet(question, [c.quote for c in citations])
        if unmet is None and lacks_reason(query, citations):
            # "why did the GP leave the surgery?" is not answered by what the GP did there
            unmet = "the question asks why and no sentence found gives a reason"
        elif unmet is None and lacks_period(query, citations):
            # "What time period did the Thornvale inspection cover?" is not answered by "a long
            # period of help": an inspection states no period it covered
            unmet = "the question asks for a period and no sentence found gives one"
        elif unmet is None and lacks_grade(query, citations, index):
            # "What rating did Ofsted give York's youth offending service?" is not answered by
            # what York's youth homeless scheme does
            unmet = "the question asks for a grade and no sentence found gives one"
        elif unmet is None and misses_polar(query, citations):
            # "was Mr S ever convicted of causing the injuries?" is not answered by his assault
            unmet = "the question asks yes or no and no sentence found speaks to most of it"
        if unmet:
            answer = refusal(question, shown, unmet, unmet)
        elif chat_model is not None and settings.answer_mode == "llm":
            from rag.llm import compose_with_llm

            answer = compose_with_llm(
                answer, query, found.candidates[: settings.top_k], chat_model, settings
            )
    timings["compose"] = round((time.perf_counter() - step) * 1000, 2)
    timings["total"] = round((time.perf_counter() - started) * 1000, 2)
    answer.timings_ms = timings
    answer.evidence = round(strength, 4)
    answer.focus = query.doc_ids
    answer.follow_up = query.follow_up
    return answer

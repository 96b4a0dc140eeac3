"""Question -> Query: which documents it names, whether it is a theme or a follow-up, what to search.

Many reports read alike, so passage similarity alone picks the wrong report. What is known about
each document (title, kind, place, year, pseudonyms) is matched against the question first, and a
question that names a document is answered from that document.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ingest.acronyms import library as library_acronyms
from ingest.glossary import mark, plain_spans
from ingest.glossary import stamp as glossary_stamp
from ingest.index import ABBREVIATION_PLURAL, DocRecord
from rag.places import (
    LATEST,
    RECENCY,
    dated_years,
    one_of_each_place,
    place_names,
    places_in,
)

# a year, as a question or a document gives it
YEARS = re.compile(r"\b(?:19|20)\d\d\b")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "involve",
        "involved",
        "involvement",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "said",
        "say",
        "says",
        "tell",
        "told",
        "find",
        "found",
        "conclude",
        "concluded",
        "concludes",
        "there",
    ]
)
# question words that carry no subject matter: "compare", "according to", "how much", "tell me
# something" (a question of "everything" is answered by no sentence that happens to say it; but
# "someone independent" is who is asked about: left as a term, its question is refused, not
# answered with sentences that miss it)
GENERIC = frozenset(
    [
        "according",
        "actually",
        "also",
        "any",
        "anything",
        "away",
        # courtesy: "I'd like to know what …", "Please list …", "Briefly, what …"
        "like",
        "please",
        "kindly",
        "briefly",
        # the asker's own "I'd", "we've" (not a negation such as "didn't", which tells what is
        # asked about)
        *(
            f"{who}{a}{v}"
            for who in ("i", "we")
            for a in "'’"
            for v in ("d", "m", "ve", "ll", "re")
        ),
        "come",
        "compare",
        "compared",
        "comparison",
        "deal",
        "dealt",
        "decide",
        "decided",
        "describe",
        "described",
        "did",
        "do",
        "does",
        "done",
        "due",
        "everything",
        "get",
        "gets",
        "getting",
        "give",
        "given",
        "go",
        "goes",
        "going",
        "gone",
        "got",
        "happen",
        "happened",
        "happens",
        "into",
        "kept",
        "know",
        "known",
        "left",
        "long",
        "look",
        "looked",
        "main",
        "make",
        "made",
        "many",
        "mean",
        "meant",
        "mention",
        "mentioned",
        "mentions",
        "much",
        "must",
        "name",
        "named",
        "need",
        "needed",
        "note",
        "noted",
        "often",
        "one",
        "ones",
        "onto",
        "part",
        "role",
        "say",
        "seen",
        "show",
        "showed",
        "something",
        "take",
        "taken",
        "thing",
        "things",
        "think",
        "took",
        "use",
        "used",
        "want",
        "way",
        "went",
        "whatever",
        "whether",
    ]
)
# words that point at the documents rather than at what is asked about them
DOC_WORDS = frozenset(
    [
        "review",
        "reviews",
        "report",
        "reports",
        "inspection",
        "inspections",
        "document",
        "documents",
        "case",
        "serious",
        "safeguarding",
        "practice",
        "adults",
        "adult",
        "domestic",
        "homicide",
        "overview",
        "independent",
        "local",
        "child",
        "children",
        "council",
        "authority",
        "board",
        "partnership",
        "ofsted",
        "scr",
        "cspr",
        "lcspr",
        "sar",
        "dhr",
    ]
)
# "Give me an overview of the Mr D case" asks for a summary, and names no overview report
AN_OVERVIEW = r"(?<!\ban )(?<!\ba )(?<!brief )(?<!quick )(?<!short )"
KIND_WORDS = {
    "scr": r"\bserious case reviews?\b|\bscrs?\b",
    "cspr": r"\bpractice reviews?\b|\bl?csprs?\b",
    "sar": r"\bsafeguarding adults? reviews?\b|\bsars?\b",
    "dhr": r"\bdomestic homicide reviews?\b|\bdhrs?\b",
    "inspection": r"\binspections?\b|\bofsted\b|\binspectors?\b",
    "overview": rf"{AN_OVERVIEW}\boverview\b|\bthematic\b",
}
# a word for a document, after a place that names one
DOCUMENT_WORD = r"(?:reviews?|inspections?|reports?|case|scrs?|l?csprs?|sars?|dhrs?|overview)\b"
# the words for a document that a kind of document is not called: an inspection is no review
# and tells of no one case; an overview of reviews is no case either
UNFIT = {"inspection": ("review", "case"), "overview": ("case",)}
# one document named by its kind alone ("according to the overview", "the DHR"): singular nouns
# for the document itself, not "inspectors" or "Ofsted", which name no one report
KIND_NAMES = {
    "scr": r"\bserious case review\b|\bscr\b",
    "cspr": r"\bpractice review\b|\bl?cspr\b",
    "sar": r"\bsafeguarding adults? review\b|\bsar\b",
    "dhr": r"\bdomestic homicide review\b|\bdhr\b",
    "inspection": r"\binspection\b",
    "overview": rf"{AN_OVERVIEW}\boverview\b",
}
THEME_CUES = re.compile(
    r"\b(the reviews|reviews|across|themes?|all the|the reports|(?:these|both|inspection|ofsted)"
    r" reports|reports (?:say|said|find|found)|the documents|inspectors"
    r"|inspections|what was said about|what was found|what was learned|lessons|generally|common"
    r"|recurr\w*|compare|comparison|conclude\w*"
    # "What did Ofsted find about children missing education?", of no one council: its reports
    r"|ofsted\s+(?:say|said|says|find|found|finds|report|reported|conclude|concluded))\b",
    re.IGNORECASE,
)
# a question put about a group in general, not about one case: its subject is a plural with no
# article, pronoun or name before it ("How well do councils respond ...", "Can care leavers get
# ...", "How were chronologies kept?"). "What did police records show" asks of one case's records.
GENERAL = re.compile(
    r"^(?i:(?:how(?:\s+well|\s+often|\s+far)?|what|why|where|when)?\s*"
    r"(?:do|did|does|are|is|can|could|should|were)\s+"
    r"(?!(?:the|a|an|this|that|these|those|it|its|they|their|there|he|she|his|her|we|you|any)\b))"
    r"(?:[a-z][\w-]*\s+){0,3}?(?:[a-z][\w-]*[a-z]s|children|people|staff|women|men)\s+[a-z]"
)
# a particular person of one case: "the mother's boyfriend", "the older sister"
ONE_CASE = re.compile(
    r"\bthe\s+(?:[\w-]+\s+){0,2}?(?:mother|father|baby|boy|girl|sister|brother|son|daughter"
    r"|partner|boyfriend|girlfriend|man|woman|grandmother|grandfather|aunt|uncle|tenant)\b"
)
# one document described, not named: "in the review of the 11-week-old girl with a fractured
# skull", "in the report that pulled together the lessons from four children's reviews". Its
# question is no theme, whatever it says of comparing or of reviews ("in the case of" is no case)
DESCRIBED = re.compile(
    r"\b(?:in|from|according\s+to|did|does|of|by)\s+the\s+(?:(?:[\w'’-]+\s+){0,5}?"
    r"(?:review|report|inspection|overview)|(?:[\w'’-]+\s+){1,5}?case)\s+"
    r"(?:of|into|about|on|concerning|that|which|where|for|in\s+which)\b",
    re.I,
)
# a question's opening clause, up to its comma: "In the review of the hoarder who died in a fire
# in his armchair,"
LEADING_CLAUSE = re.compile(r"\s*(?:in|according\s+to|from)\s+the\s+[^,?]{3,200}?,", re.I)
# words that can only point back, whatever the question's length: "those cases", "about them"
POINTS_BACK = re.compile(
    r"\b(?:those|these)\b|\b(?:about|of|to|with|for)\s+them\b"
    r"|\bthe\s+(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|next"
    r"|other|same)\s+(?:ones?|recommendations?)\b",
    re.I,
)
# "Which agency is responsible for the first one?" after "What did the Mr D review recommend?":
# a place in the list of recommendations the turn before asked for is that recommendation
ORDINAL = re.compile(
    r"\bthe\s+(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+"
    r"(?:one|recommendation)\b",
    re.I,
)
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
ORDINALS.append("tenth")
RECOMMENDATIONS_ASKED = re.compile(r"\brecommend", re.I)
# "Summarise the review", "What did the report recommend?": a document by a bare word for one
# points back to the document of the last turn when that is the kind of document the word names
# ("the inspection" is no review); "the review of the malnourished girl" describes a document of
# its own
THE_DOCUMENT = re.compile(
    r"\b(?:the|this)\s+(review|report|inspection|case|overview)\b"
    r"(?!s\b|['’]s\b|\s+(?:of|about|into|on|that|which|where|who|whose|in|for|by)\b)",
    re.I,
)
# someone or something of one case, named as known ("What did the school do?" after "What
# happened to Child T?" asks of T's school, not of whichever review says "school" most)
ONE_OF_THE_CASE = re.compile(
    r"\bthe\s+(?:school|nursery|college|gp|doctor|police|officers?|mother|mum|father|dad"
    r"|parents?|family|grandmother|aunt|uncle|social\s+worker|health\s+visitor|midwife"
    r"|nurse|hospital|paediatrician|housing\s+officer|landlord|fire\s+service|ambulance"
    r"|youth\s+justice\s+service|manager|neighbour|boyfriend|partner|perpetrator|victim"
    r"|children|baby|boy|girl|siblings|brother|sister)\b",
    re.I,
)
# a question that asks the turn before's question again of something else ("What about the
# Child M review?", "And in the Ms K case?")
SAME_FOR = re.compile(r"\s*(?:and\s+)?(?:what|how)\s+about\b|\s*and\b|\s*same\s+for\b", re.I)
ANAPHORA = re.compile(
    r"\b(that|this|these|those|it|its|they|them|their|he|she|his|her|him|there|the same|such)\b"
    r"|^(and|so|but|also|what about|how about|why|who)\b",
    re.IGNORECASE,
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:\.\d+)*")
# a numbered part of a report the question points at: "Recommendation 4", "finding 2", "para 10.3"
REFERENCE = re.compile(
    r"\b(recommendation|finding|paragraph|para)s?\s+(\d+(?:\.\d+)*)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Query:
    """A question made ready for retrieval."""

    question: str
    search_text: str
    doc_ids: tuple[str, ...] = ()
    theme: bool = False
    follow_up: bool = False
    # the question names two or more documents by different names ("the Mr D and Ms K reviews",
    # "Kent's 2017 and 2022 inspections"): each of them should be heard, not only the top one
    compares: bool = False
    terms: tuple[str, ...] = field(default=())
    # further texts searched alongside search_text: a follow-up on its own, a question without
    # the clause that names its document
    also_search: tuple[str, ...] = ()
    # numbered parts the question (or, for a follow-up, the turn it leans on) points at
    references: tuple[str, ...] = ()
    # stems of the names that named its documents ("coventry", "2022"): they pick the documents,
    # and say nothing of which sentence of them answers
    name_terms: tuple[str, ...] = ()
    # the names themselves, as the question says them ("Coventry", "2022", "Baby R")
    names: tuple[str, ...] = ()
    # "What did the overview say about the Child T review?": the names by which the question
    # calls the documents it asks about, not of ("Child T", "T"); the overview alone is asked
    about: tuple[str, ...] = ()
    # a theme asked of "the most recent inspections": of each place, its newest document alone
    newest: bool = False
    # plain words of an acronym -> the acronym: a passage that says "LGBTQ+" holds "gay"
    aliases: Mapping[str, str] = field(default_factory=dict, hash=False)

    def held(self, term: str, stems: Collection[str]) -> bool:
        """Whether stems hold a term of the question, as itself or as the acronym it is part of."""
        return term in stems or self.aliases.get(term, "\0") in stems


def without_terms(query: Query, drop: Collection[str]) -> Query:
    """The query with the terms in `drop` left out, unless that would leave none."""
    kept = tuple(t for t in query.terms if t not in drop)
    return replace(query, terms=kept) if kept and len(kept) < len(query.terms) else query


def asks_only(query: Query, words: Collection[str]) -> bool:
    """Are the question's terms, beyond the names that picked its documents, all in `words`
    (the words that ask for a kind of answer, for recommendations, or name what one report is
    asked about)? Then no word is left for the evidence to weigh."""
    return not set(query.terms) - set(words) - set(query.name_terms)


def references(text: str) -> tuple[str, ...]:
    """The numbered parts a text names, as "recommendation 4" or "paragraph 10.3"."""
    found = (
        f"{'paragraph' if kind.lower() == 'para' else kind.lower()} {number}"
        for kind, number in REFERENCE.findall(text)
    )
    return tuple(dict.fromkeys(found))


def listed_reference(question: str, previous: str) -> tuple[str, ...]:
    """The recommendation a follow-up names by its place ("the first one") in the list the turn
    before asked for ("What did the Mr D review recommend?"), as "recommendation 1"."""
    found = ORDINAL.search(question)
    if not found or not RECOMMENDATIONS_ASKED.search(previous):
        return ()
    return (f"recommendation {ORDINALS.index(found.group(1).lower()) + 1}",)


# "Which reviews talk about alcohol?" asks what they say: the talking is no part of what is asked
# ("Did anyone talk to Child M?" keeps it)
TALKS_ABOUT = re.compile(
    r"\b(?:talk|talks|talked|talking|speak|speaks|spoke|speaking)\s+(?=about\b)", re.I
)


def question_terms(text: str) -> list[str]:
    """A question's content terms, less a verb of talking about what it asks."""
    return content_terms(TALKS_ABOUT.sub("", text))


def content_terms(text: str) -> list[str]:
    """Lower-cased words that carry meaning (no stopwords, no words naming the documents)."""
    words = [_word(w) for w in WORD.findall(text)]
    return [
        w
        for w in words
        if len(w) > 1 and w not in STOPWORDS and w not in DOC_WORDS and w not in GENERIC
    ]


def content_stems(text: str) -> frozenset[str]:
    """The stems of a text's content terms."""
    return frozenset(stem(w) for w in content_terms(text))


def marked_stems(text: str) -> frozenset[str]:
    """The stemmed content terms of a passage's text, with the acronyms its plain words stand for
    (ingest/glossary.py): a passage that says "multi-agency safeguarding hub" holds "mash"."""
    return content_stems(mark(text))


def passage_stems(text: str) -> frozenset[str]:
    """marked_stems, remembered: one answer reads the same passages and sentences several times
    (re-ranking, the evidence, the quotes), and the next question often the same ones again.
    Bounded: 4,096 texts, a few tens of MB at most; kept per glossary."""
    return _remembered_stems(text, glossary_stamp())


@functools.lru_cache(maxsize=4096)
def _remembered_stems(text: str, glossary: str) -> frozenset[str]:
    return marked_stems(text)


def _word(word: str) -> str:
    """A word lower-cased, less a possessive "'s"; "GPs" is "GP", as on the lexical side (the
    stemmer keeps words of 3 letters)."""
    if ABBREVIATION_PLURAL.fullmatch(word):
        word = word[:-1]
    return re.sub(r"['’]s$", "", word.lower()).strip("'’-")


def stem(word: str) -> str:
    """A light suffix-stripper, enough to match 'supervised' with 'supervision', 'chronologies'
    with 'chronology', 'carried' with 'carry' and 'refuse' with 'refusing'."""
    for suffix in ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "ied", "es", "ed", "s"):
        if suffix == "s" and word.endswith("ss"):
            break  # "assess", "process", "address" are no plurals
        if suffix in ("ies", "ied") and word.endswith(suffix) and len(word) >= 6:
            # "policies" is "policy", "babies" "baby", "identified" "identify"
            return word[:-3] + "y"
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    # "refuse" is "refus", as "refused" and "refusing" are; "service" as "services" is
    return word[:-1] if word.endswith("e") and len(word) >= 5 else word


def subject_names(record: DocRecord) -> list[str]:
    """The pseudonyms a document is about ("Baby R"; a review may have several)."""
    return [s.strip() for s in record.subjects.split(",") if s.strip()]


def match_documents(text: str, records: Sequence[DocRecord]) -> tuple[str, ...]:
    """Documents the text names, by pseudonym, place, year and kind; best matches only."""
    return tuple(sorted(named_documents(text, records)))


def named_documents(text: str, records: Sequence[DocRecord]) -> dict[str, frozenset[str]]:
    """The best-matching documents the text names, each with the names that matched it.

    A pseudonym or a place names a document; so does its kind ("the overview", "the DHR") when it
    is the only document of that kind and the text names no place. A year the text gives counts
    for or against a document. Documents named by the same name compete: only the best match for
    that name is kept.
    """
    lowered = text.lower()
    years = set(YEARS.findall(text))
    kinds: dict[str, int] = {}
    for record in records:
        kinds[record.kind] = kinds.get(record.kind, 0) + 1
    # each distinct name is looked for once: a national library repeats places across documents
    in_text = places_in(lowered, {p for record in records for p in place_names(record.place)})
    subjects_in_text = {
        subject: names_subject(subject, text)
        for subject in {s for record in records for s in subject_names(record)}
    }
    letters_in_text = bare_letters(text)
    kinds_in_text = {
        kind: bool(KIND_WORDS.get(kind) and re.search(KIND_WORDS[kind], lowered)) for kind in kinds
    }
    # "Eastmere's most recent inspection" is Eastmere's, not the one inspection in the library
    place_named = any(in_text.values())
    # places the text names together with the kind of a document of that place
    placed_kinds = {
        place
        for record in records
        if kinds_in_text[record.kind]
        for place in place_names(record.place)
        if in_text[place]
    }
    scored: list[tuple[int, str, frozenset[str]]] = []
    # documents named only by a place the text tells of, not as a document ("sent from Kelderton")
    by_place_alone: set[str] = set()
    for record in records:
        score = 0
        names: set[str] = set()
        for subject in subject_names(record):
            if subjects_in_text[subject]:
                score += 4
                names.add(subject)
        if not names:
            # "J" and "L", as the review of Siblings J and L calls them
            named_letters = child_letters(record.subjects) & letters_in_text
            score += 3 * bool(named_letters)
            names |= named_letters
        kind_named = kinds_in_text[record.kind]
        for place in place_names(record.place):
            # "the Thornvale inspection" names Thornvale's inspection, not its other reviews
            # "the Thornvale case" is a review of a case, not Thornvale's inspection
            if _as_document(place, lowered) in UNFIT.get(record.kind, ()):
                continue
            if in_text[place] and (kind_named or place not in placed_kinds):
                score += 3
                names.add(place)
                break
        alone = KIND_NAMES.get(record.kind)
        if (
            not names
            and kinds[record.kind] == 1
            and alone
            and re.search(alone, lowered)
            # "Eastmere's inspection" is not the one inspection; "the (2022) overview" still is
            and (
                not place_named or re.search(rf"\bthe\s+(?:(?:19|20)\d\d\s+)?(?:{alone})", lowered)
            )
        ):
            score += 2
            names.add(record.kind)
        if not names:
            continue
        if years:
            year = dated_years(record) & years
            score += 2 if record.date[:4] in years else 1 if year else -2
            names |= year
        if kind_named:
            score += 1
        scored.append((score, record.doc_id, frozenset(names)))
        told_of = {p for p in place_names(record.place) if not _as_document(p, lowered)}
        if not kind_named and names <= years | told_of:
            by_place_alone.add(record.doc_id)
    # beside a document named as one (by its subject, its kind, or a place with a word for a
    # document: "the Child M review", "the overview", "Kelderton's inspection"), a place the text
    # only tells of names no document: "In the Child M review, ... sent from Kelderton?" and "How
    # are Kelderton's health visitors told, according to the overview?" ask one document
    if any(doc_id not in by_place_alone for _, doc_id, _ in scored):
        scored = [entry for entry in scored if entry[1] not in by_place_alone]
    # a document is dropped only for a better match on one of its own names: "Thornvale" names
    # both the Thornvale inspection and a Thornvale review, and "the Thornvale inspection" only
    # the first; "Baby R ... according to the overview" names two documents by different names
    best = {
        doc_id: names
        for score, doc_id, names in scored
        if not any(other > score and names & others for other, _, others in scored)
    }
    order = LATEST.search(lowered)
    if order and not years:
        return one_of_each_place(best, records, newest=order.group(1) is not None)
    return best


def names_subject(subject: str, text: str) -> bool:
    """Does the text name the pseudonym, typed in any case ("what happened to baby r")? Not
    "Child A" or "Baby I" in lower case: "was the child a victim" names no one."""
    if re.search(rf"\b{re.escape(subject)}\b", text):
        return True
    return subject[-1:].lower() not in ("a", "i") and bool(
        re.search(rf"\b{re.escape(subject)}\b", text, re.I)
    )


CHILD_LETTERS = re.compile(
    r"\b(?:Baby|Child|Children|Siblings?|Young Person)\s+([A-Z](?:\s*(?:,|and|&)\s*[A-Z])*)\b"
)


@functools.lru_cache(maxsize=4096)
def child_letters(subjects: str) -> frozenset[str]:
    """The letters by which a review calls the children it is about ("Siblings J and L" are "J"
    and "L", "Child T" is "T"); not "A" or "I", which are words."""
    return frozenset(
        letter
        for found in CHILD_LETTERS.findall(subjects)
        for letter in re.findall(r"[A-Z]", found)
        if letter not in "AI"
    )


# a word before a capital letter that makes it part of a name: "Mr L" is not the child L
NAMING_WORDS = re.compile(
    r"(?:Mrs?|Ms|Miss|Mx|Dr|Baby|Child(?:ren)?|Adult|Family|Person|Siblings?|Young|Plan|Section"
    r"|Part|Appendix|Annex|Schedule|Category|Tier|Level|Grade|Class|Type|Vitamin)"
)


def bare_letters(text: str) -> set[str]:
    """Capital letters standing alone as a name ("did J have", "T's father", "J and L"), not as
    part of one ("Mr L", "Section J") nor as an initial ("J. Smith")."""
    found = set()
    for match in re.finditer(r"(?<![\w.’'-])([A-Z])(?=['’]s\b|[^\w.’'-]|\.?\s*$)", text):
        before = re.search(r"(^|[.?!:]\s*)?(\S+)\s+$", text[: match.start()])
        if before is not None:
            word, opens = before.group(2), before.group(1) is not None
            if NAMING_WORDS.fullmatch(word) or (word[:1].isupper() and not opens):
                continue
        found.add(match.group(1))
    return found


def _as_document(place: str, lowered: str) -> str:
    """The word by which the text names the place as a document ("the Kelderton review" ->
    "review", "Kent's inspection" -> "inspection"), or "" when it does not."""
    found = re.search(
        rf"\b{re.escape(place)}(?:['’]s)?\s+(?:[\w-]+\s+){{0,2}}?({DOCUMENT_WORD})", lowered
    )
    return found.group(1).rstrip("s") if found else ""


def asked_part(question: str, named: dict[str, frozenset[str]]) -> tuple[str, ...]:
    """The question without the clause that names its document, when it has one ("In the
    Northbrook case of the 11-week-old baby, how many families ..." -> "how many families ...").

    Searched beside the whole question: a clause that describes the case matches the report's
    introduction, which tells the case, rather than the passage that answers."""
    # a child's letter ("When J and L's aunt rang ...") is what the clause is about, not a name
    # for the document
    said = [n for found in named.values() for n in found if len(n) > 1]
    if not said:
        return ()
    names = re.compile("|".join(rf"\b{re.escape(n)}\b" for n in said), re.IGNORECASE)
    head, sep, rest = question.partition(", ")
    if sep and names.search(head) and len(content_terms(rest)) >= 2:
        return (rest,)
    rest, sep, tail = question.rpartition(", ")
    if sep and names.search(tail) and len(content_terms(rest)) >= 2:
        return (f"{rest}?",)
    return ()


def without_names(question: str, named: dict[str, frozenset[str]]) -> str:
    """The question with the names of its documents left out ("How did the supervision findings
    in the Baby R review compare with those in the Thornvale inspection?" -> "How did the
    supervision findings in the review compare with those in the inspection?")."""
    names = sorted({n for found in named.values() for n in found}, key=len, reverse=True)
    if not names:
        return question
    pattern = re.compile("|".join(rf"\b{re.escape(n)}\b" for n in names), re.IGNORECASE)
    return " ".join(pattern.sub(" ", question).split())


# what is asked of a document as such (stems)
OF_A_DOCUMENT = frozenset(
    stem(w)
    for w in ["author", "authors", "wrote", "written", "writer", "chair", "chaired", "chairs"]
    + ["published", "publish", "publication", "agency", "agencies", "involved", "involve"]
    + ["contributed", "contribute", "recommendation", "recommendations", "recommend"]
    + ["recommended", "finding", "findings", "conclusion", "conclusions", "scope", "terms"]
    + ["reference", "period", "covered", "cover", "commissioned", "commission", "panel"]
    + ["members", "methodology", "method", "date", "dated", "lessons", "learning"]
    # what it found at fault or done well, or its summary: "What went wrong?", "What were the
    # strengths?", "What were the key findings?" after "How was Leeds rated in 2022?"
    + ["wrong", "mistakes", "errors", "failings", "failures", "shortcomings", "weaknesses"]
    + ["criticisms", "criticised", "critical", "strengths", "strength", "positives", "good"]
    + ["practice", "key", "main", "points", "messages", "learned", "learnt", "summary"]
    + ["improve", "improvement", "improvements", "better", "differently"]
)


def asks_of_a_document(question: str, own_terms: Sequence[str]) -> bool:
    """Does the question ask only what is asked of a document as such (who wrote it, which
    agencies took part, what it recommended), of no theme? Mid-conversation, naming none, it is
    of the document the turn before named: "Which agencies were involved?" after a question on
    the Ms K review's findings had been answered from Baby R's and Child T's."""
    stems = {stem(w) for w in own_terms}
    return bool(stems) and stems <= OF_A_DOCUMENT and not THEME_CUES.search(question)


def points_to(question: str, previous: str, records: Sequence[DocRecord]) -> bool:
    """Does the question point at the documents the previous turn named by a bare word for them
    ("Summarise the review" after a question about the Baby R review)?"""
    found = THE_DOCUMENT.search(question)
    named = named_documents(previous, records) if found else {}
    if found is None or not named:
        return False
    word = found.group(1).lower()
    kinds = {r.kind for r in records if r.doc_id in named}
    if word in ("inspection", "overview"):
        return kinds == {word}
    return all(word not in UNFIT.get(kind, ()) for kind in kinds)


# "what did X say about Y": X is the report asked, Y what it is asked about
SPEAKS_OF = re.compile(
    r"\b(?:say|said|says|find|found|finds|conclude[sd]?|note[sd]?|write|wrote|writes"
    r"|report(?:ed|s)?|tell|told|learn(?:ed|t|s)?)\s+(?:about|of|on|regarding|concerning|from)\s+",
    re.I,
)


def asked_of(
    question: str, records: Sequence[DocRecord]
) -> tuple[dict[str, frozenset[str]], tuple[str, ...]] | None:
    """The document a question asks what it says of another ("What did the overview say about
    the Child T review?", "What did the overview report find about Mr D?"), with the names by
    which a report may call the other: its subjects and their letters. None unless one document
    is named before the words of saying and others after them."""
    said = SPEAKS_OF.search(question)
    if said is None:
        return None
    speaker = named_documents(question[: said.start()], records)
    topic = named_documents(question[said.end() :], records)
    if len(speaker) != 1 or not topic or set(speaker) & set(topic):
        return None
    calls = {
        name
        for r in records
        if r.doc_id in topic
        for name in (*subject_names(r), *child_letters(r.subjects))
    }
    return speaker, tuple(sorted(calls))


# a leading clause that names the report a question asks: "According to the 2022 overview, ..."
ACCORDING = re.compile(r"^\s*(?:according\s+to|per)\s+([^,?]{3,80}),", re.I)


def according_to(question: str, records: Sequence[DocRecord]) -> dict[str, frozenset[str]]:
    """The one document a leading "According to …," clause names, or none."""
    found = ACCORDING.match(question)
    named = named_documents(found.group(1), records) if found else {}
    return named if len(named) == 1 else {}


def build_query(question: str, records: Sequence[DocRecord], history: Sequence[str] = ()) -> Query:
    """Resolve a question against the library and, for a follow-up, against earlier turns."""
    question = " ".join(question.split())
    named = named_documents(question, records)
    of = asked_of(question, records) if len(named) > 1 else None
    if of is not None:
        named = of[0]
    elif len(named) > 1 and (source := according_to(question, records)):
        # "According to the 2022 overview, when Northbrook checked after the Baby R review, ...":
        # the overview is asked; the review is what it speaks of
        named = source
    doc_ids = tuple(sorted(named))
    own_terms = question_terms(question)
    follow_up = False
    search_text = question
    said = {w for found in named.values() for n in found for w in content_terms(n)}
    if history and doc_ids and not set(own_terms) - said and SAME_FOR.match(question):
        # "What about in the Child M review?" after "What did the reviews say about supervision?":
        # the earlier question's matter, asked of the document named now (not of those it named)
        previous = without_names(history[-1], named_documents(history[-1], records))
        follow_up = True
        search_text = f"{previous} {question}"
    if history and not doc_ids:
        previous = history[-1]
        short = len(own_terms) <= 4
        # a follow-up leans on the last turn: it points back ("that", "they") and names no document
        # of its own. A standalone question keeps its own meaning: nothing is added to it.
        if (
            (ANAPHORA.search(question) and short)
            or POINTS_BACK.search(question)
            or points_to(question, previous, records)
            or (
                asks_of_a_document(question, own_terms) and bool(named_documents(previous, records))
            )
            or (
                short
                and bool(ONE_OF_THE_CASE.search(question))
                and not (THEME_CUES.search(question) or DESCRIBED.search(question))
                and len(named_documents(previous, records)) == 1
            )
        ):
            follow_up = True
            # "And in 2018?" after a question about Bexley's 2023 inspection: Bexley's of 2018
            # (a year the turn before did not give is of what happened: "in October 2016")
            years = YEARS.findall(question)
            if years and YEARS.search(previous):
                previous = " ".join([*YEARS.sub(" ", previous).split(), *years])
            named = named_documents(previous, records)
            doc_ids = tuple(sorted(named))
            search_text = f"{previous} {question}"
    theme = (
        not doc_ids
        and not DESCRIBED.search(question)
        and (
            bool(THEME_CUES.search(question))
            or (not follow_up and bool(GENERAL.match(question)) and not ONE_CASE.search(question))
        )
    )
    compares = len(set(named.values())) > 1
    # "the latest", "most recent" pick documents, and say nothing of what is asked
    order = LATEST.search(question.lower())
    naming = _recency_stems(order)
    terms = tuple(
        dict.fromkeys(t for t in (stem(w) for w in question_terms(search_text)) if t not in naming)
    )
    # a follow-up is searched both with the earlier question (for what "it" refers to) and on its
    # own (so the earlier question's words do not drown what is asked now); the lists are fused.
    # A question that names its document in a clause of its own is also searched without it.
    also: tuple[str, ...] = (question,) if follow_up else ()
    if not follow_up and named:
        also = asked_part(question, named)
        if compares and not also:
            also = (without_names(question, named),)
    refs = references(question) or (
        references(history[-1]) or listed_reference(question, history[-1]) if follow_up else ()
    )
    names = tuple(sorted({n for found in named.values() for n in found}))
    name_terms = tuple(
        sorted({stem(t) for n in names for t in content_terms(n)} | description_terms(question))
    )
    return Query(
        question,
        search_text,
        doc_ids,
        theme=theme,
        newest=bool(order and order.group(1) and theme),
        follow_up=follow_up,
        compares=compares,
        terms=terms,
        also_search=also,
        references=refs,
        name_terms=name_terms,
        names=names,
        about=of[1] if of is not None else (),
        aliases=aliases(search_text, library_acronyms(r.acronyms or "" for r in records)),
    )


def description_terms(question: str) -> frozenset[str]:
    """The stems of a leading clause that describes the one document asked about ("In the review
    of the 15-year-old boy stabbed in a Saltmere stairwell, why did ..."): like a document's
    name, they pick the report, and a sentence that says "stabbed" is no nearer the answer."""
    clause = LEADING_CLAUSE.match(question)
    if clause is None or not DESCRIBED.search(clause.group(0)):
        return frozenset()
    return content_stems(clause.group(0))


def naming_terms(question: str) -> set[str]:
    """The stems of the words that only pick documents, "the latest", "most recent": they say
    nothing of what is asked."""
    return _recency_stems(LATEST.search(question.lower()))


def _recency_stems(order: re.Match[str] | None) -> set[str]:
    return {stem(w) for w in content_terms(order.group(0)) if w in RECENCY} if order else set()


def aliases(text: str, learned: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """Each stemmed term of the text that is a plain word of an acronym -> the acronym's stem:
    "gay" -> "lgbtq", "mental", "capacity", "act" -> "mca"; or an everyday word for a report's
    term -> the stem of the term's last word: "care" of "left care" -> "leaver"
    (ingest/glossary.py); with `learned`, the acronyms the library spells out too."""
    found: dict[str, str] = {}
    for start, end, term in plain_spans(text, learned=learned):
        # a report's term stands for its last word: "left care" is held by "care leavers"
        said = content_terms(term.lower())
        for word in content_terms(text[start:end]):
            found.setdefault(stem(word), stem(said[-1]) if said else stem(term.lower()))
    return found

"""What a question takes for granted, checked before it is answered: the kind of answer it expects.

When it names one: a sum of money (of rent, when it says so), a weight or a height, a person's
age, name or job, who wrote or led the report, a named place or firm ("which GP surgery"), a
population, a count of other cases ("how many other children") or a total, a court's sentence,
verdict or an appeal, an amount of drink, what happened after the report ("has the audit been
done yet", "were the posts actually filled"), or what a person said ("what did T's sister tell
the review").
When no retrieved passage holds anything of that kind, the documents cannot answer it, however
well the passages match its words ("How much did the Child M review cost?" is answered by passages
about the Child M review only when one of them states an amount).

Only these kinds are checked: each is asked in a way that is plain to see and given in a way
that is plain to see. Numbers in general are not, since nearly every passage holds one. What a
question names (people, things, what it compares with) is checked in rag/mentions.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest import glossary, structure
from rag import speech
from rag.query import Query, asks_only, content_stems, passage_stems, stem

TITLES = (
    r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Professor|Prof|Councillor|Cllr|Sir|Dame|Judge|Sergeant|Inspector"
    r"|Detective|Reverend|Rev)"
)
SURNAME = r"[A-Z][a-z][A-Za-z'’-]*"
# capitalised words that open a sentence after a colon ("Recommendation 3: The Board should")
NOT_NAMES = r"(?:The|This|That|These|Those|A|An|All|Each|Every|Some|No|It|Its|In|On|For|To)"
# the pseudonyms of reviews: a word for the person and one capital letter
PSEUDONYM = re.compile(r"\b(?:Baby|Child|Mr|Mrs|Ms|Miss|Adult|Young Person)\s+[A-Z]\b")
# "What does MARAC stand for?": the letters (in capitals, as reports write them) whose words are
# asked for
EXPANSION_ASKED = re.compile(
    r"\b(?i:what)\s+(?i:does|did|do|is)\s+(?i:the\s+)?(?i:acronym\s+|abbreviation\s+)?"
    r"[\"'‘“]?(?P<acronym>[A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*\+?)[\"'’”]?\s+"
    r"(?i:stand\s+for|mean(?!\s+(?:for|to|that)\b)|short\s+for)\b"
)
CHILD_PSEUDONYM = re.compile(r"(?:Baby|Child)\s+([A-Z])")
# not after a title: "Mr T" is someone else than the child T
NOT_TITLED = "".join(rf"(?<!{t} )" for t in ("Mr", "Mrs", "Ms", "Miss", "Adult", "Person"))
# the places and firms a question may ask to have named, each with the words that name one like it
PLACE_CLASSES = (
    ("company", "firm", "supplier", "employer", "business", "shop", "bank", "ltd", "plc"),
    ("pharmacy", "chemist"),
    ("surgery", "practice", "health centre", "medical centre"),
    ("hospital", "infirmary", "clinic"),
    ("school", "academy", "college", "nursery", "university"),
    ("warehouse", "factory", "depot"),
    ("charity", "trust", "foundation"),
    # a centre of no kind said ("Kelderton Learning Centre") is no surgery
    ("centre",),
    # last: a name that ends in one of these may name a place of another kind
    ("street", "road", "avenue", "lane", "close", "crescent", "terrace", "drive", "estate"),
)
# the last word of a body's name
ORGANISATIONS = (
    "Board|Partnership|Service|Services|Police|Council|Trust|Team|Hub|Commissioner|Court|Group"
    "|Panel|Unit|Department|Authority|Agency|NHS"
)
# a body's name: two or more capitalised words ("Thornvale Recovery Service", "Orchard Lane
# Surgery"), "of" or "for" maybe between
BODY = rf"(?!{NOT_NAMES}\b){SURNAME}(?:\s+(?:(?:of|for)\s+)?{SURNAME})+"
PLACE_NEAR = 40  # characters between a name and the word saying its kind, at most
PLACE_WORDS = [word for words in PLACE_CLASSES for word in words if word not in ("ltd", "plc")]
# what a sum may be asked to be a sum of ("how much rent"), and the words that say it beside one
MONEY_NOUNS = (
    ("rent", "(?:rent|arrears)"),
    ("(?:arrears|debts?)", "(?:arrears|debt|owe|owing)"),
    ("fines?", "fine"),
    ("fees?", "(?:fee|charge)"),
    ("(?:salary|wages?|earn|earned|earning)", "(?:salar|wage|earn|paid)"),
    # money received ("how much was he paid"), not money spent ("how much did the council pay")
    (
        r"(?:was|were|is|are|get|gets|got|being)\s+(?:[\w'’-]+\s+){0,3}?paid",
        "(?:salar|wage|earn|paid)",
    ),
    ("(?:benefits?|universal credit)", "(?:benefit|universal credit|allowance)"),
    ("compensation", "compensat"),
    ("grants?", "grant"),
)
NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
# the person whose age is asked for: "how old was [Mr B], the tenant", "[the paternal aunt] who"
PERSON_ASKED = re.compile(
    r"\b(?:how\s+old|what\s+age)\s+(?:is|was|were)\s+(?P<p>[^,?]+?)"
    r"(?=\s+(?:when|who|whose|at|in|on|before|after|during|by|if|that)\b|\s*[,?]|\s*$)",
    re.I,
)
# counts as "two other children", "a further three cases", "14 in total"
COUNT_WORD = (
    r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many|no"
    r"|a further|a number of)"
)


@dataclass(frozen=True)
class Expected:
    """One kind of answer: how a question asks for it and how a passage gives it."""

    kind: str
    what: str  # for the refusal's reason: "the question asks for {what}"
    asks: re.Pattern[str]
    gives: re.Pattern[str]
    # what must stand in the same sentence as what is given: "role", the role whose holder's name
    # is asked for ("the lead member" is not answered by "Lead inspector: Jane Smith"); "place",
    # the kind of place asked for ("which school" is answered by "Kelderton Park Academy");
    # "person", the person whose age is asked for ("aged 27" of Mr S is no age of Mr B); "money",
    # what a sum is asked to be a sum of ("how much rent" is not answered by "owed people £600");
    # "offence", what a verdict is asked to be of ("convicted of causing her injuries"), in the
    # same passage
    near: str = ""
    # whether the words that ask for it say nothing of what is asked about: "what was her job"
    # is answered by "worked as a pharmacy dispenser", while "what did T's sister say" is
    # answered by words of hers
    only_asking: bool = True
    # a kind of document that never gives it: an inspection is Ofsted's own, commissioned by no
    # one, and its "services commissioned by the council" say nothing of who commissioned it
    not_of: str = ""


KINDS = (
    Expected(
        "money",
        "a sum of money",
        re.compile(
            # "pay" but not "pay attention": "how much attention did they pay" asks for no money
            r"\bhow much\b[^?]*\b(?:cost|costs|spend|spent|charge|charged|fund|funded"
            r"|budget|save|saved|worth)\b(?!-)|\bhow much (?:money|rent|debt|arrears)\b"
            r"|\bhow much\b(?![^?]*\b(?:attention|heed|regard|notice)\b)[^?]*"
            r"\b(?:owe|owed|owing|pay|paid|paying)\b"
            r"|\bwhat (?:was|is|were) the (?:cost|costs|budget|price|bill)\b(?!-)",
            re.I,
        ),
        re.compile(r"[£$€]\s?\d|\b\d[\d,.]*\s?(?:pounds|million|billion|bn)\b", re.I),
        near="money",
    ),
    Expected(
        "weight",
        "a weight",
        re.compile(
            r"\b(?:birth ?weight|how heavy|weighed)\b"
            r"|(?:['’]s|\bher|\bhis|\btheir)\s+(?:birth\s+)?weight\b",
            re.I,
        ),
        re.compile(
            r"\b\d+(?:[.,]\d+)?\s?(?:kg|kilos?|kilograms?|g|grams?|lbs?|pounds?|oz|ounces?)\b"
            r"|\b(?:per)?centiles?\b",
            re.I,
        ),
    ),
    Expected(
        "height",
        "a height",
        re.compile(r"\bhow tall\b|(?:['’]s|\bher|\bhis|\btheir)\s+height\b", re.I),
        # a centile is a height's only when the height is named before it: "her weight was on
        # the 25th centile, in line with her height" gives none
        re.compile(
            r"\b\d+(?:[.,]\d+)?\s?(?:cm|centimet(?:re|er)s?|met(?:re|er)s?|m|ft|feet|foot"
            r"|inch(?:es)?)\b|\bheight\b[^.;]{0,60}\b(?:per)?centiles?\b",
            re.I,
        ),
    ),
    Expected(
        "name",
        "a person's name",
        re.compile(
            r"\b(?:what|which)\s+(?:was|were|is|are)\s+the\s+names?\s+of\b"
            r"|\bwhat\s+(?:was|is)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}[\w-]+['’]s\s+(?:full\s+)?name\b"
            r"|\bwhat\s+(?:was|were|is|are)\s+(?:he|she|they)\s+called\b",
            re.I,
        ),
        # a title and a surname ("Professor Hale", not the pseudonym "Mr S"), "named Jane", or a
        # name after a colon ("Lead inspector: Jane Smith")
        re.compile(
            rf"\b{TITLES}\.?\s+{SURNAME}|\b(?:named|called)\s+{SURNAME}"
            # (not an agency's: "contributed: Kelderton Children's Social Care")
            rf"|:\s*(?!{NOT_NAMES}\b){SURNAME}\s+{SURNAME}(?<!['’]s)(?![\w'’-]|[ \t]+[A-Z][a-z])"
        ),
        near="role",
    ),
    Expected(
        "author",
        "who wrote, chaired or led the report",
        # "who wrote the Baby R review?", "who carried out the Mr D review?", "who led the
        # Thornvale inspection?": a report names its author, reviewer, chair or lead inspector.
        # Asked by a question of its own ("What did the inspectors who carried out the Leeds
        # inspection find?" asks for what they found)
        re.compile(
            r"(?:^|[,;:]\s*)(?:and\s+)?who\s+(?:wrote|authored|was\s+(?:the\s+)?"
            r"(?:independent\s+|lead\s+)?(?:author|reviewer|chair|inspector)\b"
            r"|(?:carried\s+out|conducted|led|chaired|undertook)\s+(?:the\s+)?"
            r"(?:[\w'’-]+\s+){0,5}?(?:review|report|overview|inspection|panel)\b)",
            re.I,
        ),
        # "Independent author: Dr Helen Marsh", "appointed Ms Ruth Adeyemi as the independent
        # author", "Lead inspector: Tracey Metcalfe" (a title and a surname, or a name after the
        # role and a colon: no pseudonym)
        re.compile(
            rf"\b(?i:author|reviewer|chair|inspector)s?\b[^.\n]{{0,80}}?\b{TITLES}\.?\s+{SURNAME}"
            rf"|\b{TITLES}\.?\s+{SURNAME}[^.\n]{{0,80}}?\b(?i:author|reviewer|chair|inspector)\b"
            rf"|\b(?i:author|reviewer|chair|inspector)s?:\s*(?!{NOT_NAMES}\b){SURNAME}\s+{SURNAME}"
        ),
        near="author",
    ),
    Expected(
        "commissioner",
        "who commissioned the report",
        # "Who commissioned the Child M review?": the board or partnership that did, where the
        # report says so ("a serious case review commissioned by Northbrook Local Safeguarding
        # Children Board") or says its chair decided the criteria for a review were met; "There
        # were some limitations." had been quoted for it
        re.compile(
            r"\bwho\s+(?:commissioned|ordered|asked\s+for)\b"
            r"|\bwhich\s+(?:board|partnership|body|organi[sz]ation)\s+commissioned\b"
            r"|\bcommissioned\s+by\s+whom\b",
            re.I,
        ),
        re.compile(
            r"\bcommissioned\s+by\b|\b(?:Board|Partnership)\s+commissioned\b"
            r"|\b(?:Board|Partnership)\b[^.\n]{0,80}?\b(?:decided|agreed|recommended)\b"
            r"[^.\n]{0,60}?\bcriteria\b"
        ),
        not_of="inspection",
    ),
    Expected(
        "agencies",
        "a list of the agencies involved",
        # "which agencies were involved in the Ms K review?", "what organisations contributed to
        # it?": a report lists them where it says how the review was done, in words that need
        # not be the question's ("Individual management reviews were requested from ...")
        re.compile(
            r"\b(?:which|what)\s+(?:other\s+)?(?:agencies|organi[sz]ations|services|bodies"
            r"|partners)\b[^?]*?\b(?:involved|contribut\w*|took\s+part|take\s+part"
            r"|participat\w*|had\s+contact|worked\s+with)\b",
            re.I,
        ),
        # three bodies by name in one list: "Sedgecombe Police, Orchard Lane Surgery (through the
        # Clinical Commissioning Group), Lantern Domestic Abuse Service, ... and ..."
        re.compile(
            rf"{BODY}(?:[^.;:]{{0,60}}?(?:,|;|\s+and)\s+(?:and\s+)?(?:the\s+)?{BODY}){{2,}}"
        ),
    ),
    Expected(
        "expansion",
        "what the letters stand for",
        # "What does MARAC stand for?", "what does the acronym IDVA mean?": read whole from the
        # sentences that spell the letters out (acronym_beside)
        EXPANSION_ASKED,
        re.compile(r"\A"),
        near="acronym",
    ),
    Expected(
        "age",
        "a person's age",
        # "how old was Mr B", "what age was the aunt" (not "until what age": that asks for a limit)
        re.compile(r"\b(?:how\s+old|what\s+age)\s+(?:is|was|were)\b", re.I),
        # "aged 27", "11 weeks old", "a 68-year-old man", "from the age of 13"
        re.compile(
            rf"\baged\s+(?:about\s+|around\s+)?\d+|\b(?:\d+|{NUMBER_WORDS})[\s-]"
            r"(?:years?|months?|weeks?|days?)[\s-]old\b|\bage\s+of\s+\d+",
            re.I,
        ),
        near="person",
    ),
    Expected(
        "job",
        "a person's job",
        re.compile(
            r"\b(?:what|which)\s+(?:was|is|were)\s+(?:[\w'’-]+\s+){0,3}(?:job|occupation"
            r"|profession|trade)\b|\bwhat\s+(?:job|work|occupation)\s+(?:did|does|do|had|has)\b"
            r"|\bwhat\s+did\s+[^?]{1,80}?\s+do\s+for\s+a\s+living\b",
            re.I,
        ),
        # "worked for 31 years as a compositor", "works shifts as a care assistant", "by trade"
        re.compile(
            r"\b(?:worked|works|working|employed)\s+(?:[\w-]+\s+){0,2}?(?:as|at|for)\b"
            r"|\bjob\s+(?:as|at|with)\b"
            r"|\boccupation\b|\bby\s+trade\b|\b(?:was|is)\s+(?:unemployed|retired|self-employed)\b"
            r"|\b(?:his|her|their)\s+job\b",
            re.I,
        ),
    ),
    Expected(
        "population",
        "a population",
        re.compile(
            r"\b(?:what|how\s+large|how\s+big)\s+(?:is|was|were)\s+the\s+population\b"
            r"|\bhow\s+many\s+(?:people|residents|inhabitants)\s+(?:live|lived)\b",
            re.I,
        ),
        re.compile(
            r"\bpopulation\b[^.;]{0,60}\d|\d[\d,.]*\s*(?:million\s+)?(?:people|residents"
            r"|inhabitants)\b",
            re.I,
        ),
    ),
    Expected(
        "place",
        "the name of a place or firm",
        # "which energy company", "which GP surgery", "which school": one named place, not a kind
        # of agency ("which agency has to report back" is answered by "the Board")
        re.compile(rf"\bwhich\s+(?:[\w-]+\s+){{0,2}}?(?:{'|'.join(PLACE_WORDS)})\b(?!s)", re.I),
        # capitalised words: "Eastmere General Hospital", "Northgate Energy Ltd"
        re.compile(rf"\b(?!{NOT_NAMES}\b){SURNAME}(?:\s+(?:(?:of|for|and)\s+)?{SURNAME})+"),
        near="place",
    ),
    Expected(
        "organisation",
        "an organisation",
        # "which organisations is that recommendation aimed at", "which agency has to report back"
        re.compile(
            r"\bwhich\s+(?:[\w-]+\s+){0,2}?(?:organi[sz]ations?|agenc(?:y|ies)|bod(?:y|ies)"
            r"|partners)\b",
            re.I,
        ),
        # a body by its name: "the Board", "Kelderton Safeguarding Children Partnership"
        re.compile(rf"\b(?:[A-Z][\w'’-]+\s+(?:(?:of|for|and)\s+)?){{0,6}}(?:{ORGANISATIONS})\b"),
    ),
    Expected(
        "sentence",
        "a court's sentence",
        re.compile(
            r"\bwhat\s+(?:sentences?|punishments?|penalt(?:y|ies))\b|\bsentenced\s+to\s+what\b"
            r"|\bhow\s+long\s+(?:was|were|did)\b[^?]*\b(?:jailed|imprisoned|sentenced|in\s+prison)\b",
            re.I,
        ),
        # "sentenced to life imprisonment", "a sentence of 18 months' imprisonment suspended",
        # "a community order", "jailed for six years"
        re.compile(
            r"\bsentenced\s+to\b|\bsentence\s+of\b|\bimprisonment\b|\bjailed\b"
            r"|\b(?:custodial|suspended|prison|life)\s+sentence\b|\bcommunity\s+order\b"
            r"|\bdetention\s+(?:and\s+training\s+)?order\b|\b(?:conditional|absolute)\s+discharge\b",
            re.I,
        ),
    ),
    Expected(
        "appeal",
        "an appeal to a court",
        # "did Mr L appeal against his conviction?": told only where a report speaks of an appeal
        # (a conviction or a sentence tells nothing of one)
        re.compile(
            r"\b(?:did|has|have|had|was|were|is|will)\b[^?]*"
            r"\b(?:appeal(?:ed|s)?|lodged?\s+an?\s+appeal)\b",
            re.I,
        ),
        re.compile(r"\bappeal", re.I),
    ),
    Expected(
        "verdict",
        "a verdict",
        re.compile(
            r"\bwhat\s+(?:was\s+the\s+)?verdict\b|\b(?:was|were)\b[^?]*\b(?:ever\s+)?convicted\b"
            r"|\b(?:was|were)\b[^?]*\bfound\s+guilty\b",
            re.I,
        ),
        re.compile(
            # a plea of guilty convicts; one of not guilty is no verdict
            r"\bconvicted\b|\bacquitted\b|\bfound\s+(?:not\s+)?guilty\b|\bpleaded\s+guilty\b|\bverdict\b",
            re.I,
        ),
        near="offence",
    ),
    Expected(
        "aftermath",
        "an account of what happened after the report",
        # "did she go on to complete it", "has the audit been done yet", "within six months of
        # the review being published": what followed the report, which it can tell only when it
        # says what has happened since ("is it embedded yet" asks how things stood when written);
        # "were the posts funded from April actually filled?" asks whether what was planned came
        # about (a question that asks what, how or when "actually" happened asks no such thing)
        re.compile(
            r"\b(?:go|went|gone)\s+on\s+to\b|\b(?:has|have)\b[^?]*\byet\b|\bsince\s+then\b"
            r"|^\s*(?:did|do|does|has|have|had|was|were|is|are)\b[^?]*\bactually\b"
            # "did the board agree to the review the case recommended", "did Kelderton meet the
            # June 2023 deadline": whether a recommendation was taken up, which came after
            r"|^\s*(?:did|has|have|had)\b[^?]*\b(?:agreed?\s+to|accept(?:ed)?|meet|met"
            r"|implement(?:ed)?|act(?:ed)?\s+on)\b[^?]*\b(?:recommend\w*|deadlines?)\b"
            r"|\b(?:after|since|of)\s+(?:the|this)\s+(?:[\w'’-]+\s+){0,3}?(?:review|report|inspection)"
            r"\s+(?:was\s+|being\s+)?(?:published|completed)\b",
            re.I,
        ),
        re.compile(
            r"\bsince\s+(?:the|this|these|that)\s+(?:reviews?|reports?|inspections?)\b"
            r"|\b(?:has|have|had)\s+since\b|\bsubsequently\b|\bat\s+the\s+time\s+of\s+writing\b"
            r"|\bsince\s+then\b|\bfollowing\s+(?:the|this)\s+(?:review|report)\b"
            r"|\b(?:in|by)\s+response\s+to\s+(?:the|this)\s+(?:review|recommendation)",
            re.I,
        ),
    ),
    Expected(
        "drink",
        "an amount of alcohol",
        re.compile(r"\bhow\s+(?:many|much)\s+(?:units|drinks|pints|cans|bottles)\b", re.I),
        re.compile(
            rf"\b(?:\d+(?:\.\d+)?|{NUMBER_WORDS}|several|a\s+few)\s+(?:[\w-]+\s+)?"
            r"(?:units|drinks|pints|cans|bottles)\b",
            re.I,
        ),
    ),
    Expected(
        "count",
        "a count of other cases",
        # "how many other children", "how many more": cases beyond the one reviewed
        re.compile(r"\bhow\s+many\s+(?:other|more|further)\b", re.I),
        # "two other children", "no further cases", "three more" (not "no referral waits more
        # than"), "a total of 14" (the others among them)
        re.compile(
            rf"\b{COUNT_WORD}\s+(?:[\w-]+\s+)?(?:other|further|additional)\b"
            rf"|\b{COUNT_WORD}\s+more\b(?!\s+than)|\ba\s+total\s+of\s+\d",
            re.I,
        ),
    ),
    Expected(
        "total",
        "a total",
        # "how many reviews ... in total": all of them, not the few more some passage adds
        # ("four additional social work posts" is no count of all the social workers)
        re.compile(r"\bhow\s+many\b[^?]*\b(?:in\s+total|altogether|to\s+date|so\s+far)\b", re.I),
        re.compile(
            r"\ba\s+total\s+of\s+\d|\b\d[\d,]*\s+(?:[\w-]+\s+){0,3}?(?:in\s+total|altogether)\b"
            r"|\b(?:in\s+total|altogether)[^.;]{0,40}\b\d",
            re.I,
        ),
    ),
    Expected(
        "said",
        "what that person said",
        # "What did the Police and Crime Commissioner tell the review?", "What did Child 1's
        # father think of ...?": a person's words, given where a sentence names the person before
        # a verb of saying (rag/speech.py)
        speech.SAID_ASKED,
        speech.SAYS,
        near="speaker",
        only_asking=False,
    ),
)
# the role whose holder's name is asked for: "the name of [Thornvale's] [lead member] for ..."
ROLE = re.compile(
    r"\bnames?\s+of\s+(?:the\s+)?(?:[\w-]+['’]s?\s+)?(?P<a>(?:[\w-]+\s+){0,3}?[\w-]+)"
    r"(?=\s+(?:who|whom|whose|that|which|at|in|for|on|of|from|when|with|to)\b|\s*[?,.]|\s*$)"
    r"|\b(?:the\s+)?(?P<b>(?:[\w-]+\s+){0,2}?[\w-]+)['’]s\s+(?:full\s+)?name\b",
    re.I,
)
# what has a name but is no person: "the name of the practice model" is not checked for a name
# what has a name but is no person, as the last word of what is asked for: "the name of the
# practice model" is not checked for a person's name ("the team manager" still is)
THING_HEADS = frozenset(
    (
        "model",
        "framework",
        "approach",
        "programme",
        "scheme",
        "tool",
        "policy",
        "protocol",
        "procedure",
        "system",
        "project",
        "initiative",
        "strategy",
        "service",
        "team",
        "unit",
        "panel",
        "board",
        "partnership",
        "school",
        "academy",
        "hospital",
        "surgery",
        "practice",
        "company",
        "firm",
        "organisation",
        "charity",
        "agency",
        "centre",
        "court",
    )
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def expected_kind(question: str) -> Expected | None:
    """The kind of answer the question asks for, when it is one of KINDS."""
    # the kind asked for first: "What is the name of the lead who phoned about Child M's weight?"
    # asks for a name, not a weight
    asked = [
        (found.start(), n) for n, kind in enumerate(KINDS) if (found := kind.asks.search(question))
    ]
    kind = KINDS[min(asked)[1]] if asked else None
    words = role_words(question) if kind is not None and kind.near == "role" else []
    if words and words[-1] in THING_HEADS:
        return None  # "the name of the practice model" asks for no person's name
    if kind is not None and kind.near == "speaker" and speech.speaker(question) is None:
        return None  # "what did Bexley council say" asks what its report says
    return kind


def asks_only_for_kind(query: Query) -> bool:
    """Does the question ask the documents it names for a kind of answer and nothing more ("Who
    wrote the overview report?"), or what letters stand for (of no document)? Once a passage
    shown gives that kind, no word of it is left for the evidence to weigh: "wrote" is in no
    report that names its author."""
    found = asking_stems(query.question)
    if found is None or not (query.doc_ids or found[0].kind == "expansion"):
        return False
    return asks_only(query, found[1])


def asking_stems(question: str) -> tuple[Expected, frozenset[str]] | None:
    """The kind of answer the question asks for and the stems of its words that only ask for it
    ("what was her job": "job"); None when it asks for no kind, or for one whose asking words
    say what is asked about ("what did T's sister say": her words, of her)."""
    kind = expected_kind(question)
    asked = kind.asks.search(question) if kind and kind.only_asking else None
    if kind is None or asked is None:
        return None
    return kind, content_stems(asked.group(0))


# a question that asks for a number of things, an amount, a length of time or how often
NUMBER_ASKED = re.compile(r"\bhow\s+(many|much|long|often)\b", re.I)
# a number in figures that is no year and no time of day ("2016" and "10am" count nothing), or
# in words
GIVES_NUMBER = (
    r"(?<![\d.,])(?!(?:19|20)\d\d\b)\d[\d,.]*(?!\d|[.:]?\d*\s?(?:am|pm)\b)"
    rf"|\b(?:{NUMBER_WORDS}|thirteen|fourteen|fifteen|sixteen|twenty|thirty|forty|fifty|hundred"
    r"|thousand|half|none)\b"
)
# a rate or an average, which counts nothing: "an average of 19 children per social worker",
# "12 visits a year"; and a question that asks for one ("how many children does each worker have")
RATE = re.compile(
    r"\b(?:an\s+)?average\s+(?:of\s+)?[\d.,]+"
    r"|(?<![\d.,])[\d.,]+(?:\s+[\w-]+){0,3}?"
    # "a week later" places a time, and counts no rate
    r"\s+(?:per\s+[\w-]+|each\b|an?\s+(?:day|week|fortnight|month|year)\b(?!\s+(?:later|earlier)))",
    re.I,
)
RATE_ASKED = re.compile(
    r"\b(?:each|per|every|average|caseloads?|a\s+(?:day|week|month|year))\b", re.I
)
# an age, which answers how old and nothing else: "aged three years and nine months", "the age of
# 21", "a 15-year-old"
AGE = re.compile(
    rf"\b(?:aged?|age\s+of)\s+(?:\d+|{NUMBER_WORDS}|thirteen|fourteen|fifteen|sixteen|seventeen"
    rf"|eighteen|nineteen|twenty|twenty-\w+)(?:\s+(?:years?|months?)(?:\s+and\s+\w+\s+months?)?)?"
    r"|\b\d+[- ]years?[- ]olds?\b",
    re.I,
)
# a number that says how often: in figures, or in words before what it counts ("four times",
# "on three occasions", "two of the five visits")
OFTEN_NUMBER = (
    r"(?<![\d.,])(?!(?:19|20)\d\d\b)\d[\d,.]*"
    rf"|\b(?:{NUMBER_WORDS}|thirteen|fourteen|fifteen|sixteen|twenty|thirty|forty|fifty|half|none)"
    r"\s+(?:[\w-]+\s+)?(?:times|occasions|visits|sessions|meetings|out\s+of|of)\b"
)
# what else answers "how long" and "how often": "for a year", "every month", "twice", "daily"
GIVES_AS_WELL = {
    "long": r"|\b(?:a|an|a\s+few|several)\s+(?:hours?|days?|weeks?|months?|years?)\b",
    "often": r"|\b(?:once|twice|never|every|daily|weekly|fortnightly|monthly|annually)\b",
}


def quotes_lack_number(question: str, quotes: Sequence[str]) -> bool:
    """The question asks how many, how much, how long or how often, and not one sentence the
    answer would quote gives a number (in figures or words; or, for how long and how often, a
    span or a frequency in words)."""
    asked = NUMBER_ASKED.search(question)
    if asked is None:
        return False
    how = asked.group(1).lower()
    # how often is a count of times, not any number word: "see in one place" says not how often
    number = OFTEN_NUMBER if how == "often" else GIVES_NUMBER
    gives = re.compile(number + GIVES_AS_WELL.get(how, ""), re.I)
    # an age counts nothing but years of age: "after the age of 21" says not how many are helped;
    # nor does a rate count how many there are ("an average of 19 children per social worker"
    # says not how many children are on plans), unless a rate is what is asked
    rate = how == "many" and not RATE_ASKED.search(question)
    # ... nor does a day of a month count anything ("On 21 November 2015 a neighbour called the
    # police" says not how many times they were called)
    dated = [re.sub(DAY_OF_MONTH, " ", q) if how == "many" else q for q in quotes]
    return not any(
        gives.search(RATE.sub(" ", AGE.sub(" ", q)) if rate else AGE.sub(" ", q)) for q in dated
    )


# capitalised, so that "may" the verb is no month; "Sept" as Ofsted writes it
MONTHS = "|".join(month.capitalize() for month in structure.MONTHS)
MONTH = rf"(?:{MONTHS}|Sept)"
YEAR = r"\b(?:19|20)\d\d\b"
DAY_OF_MONTH = (
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}\b|\b{MONTH}\s+\d{{1,2}}\b"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
)
WEEKDAY = r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
# "when did", "and by when", "since when": a question asking when (not "how old was she when
# she was admitted", a clause); "on what date", "which month", "what year" (not "year group")
TIME_ASKED = re.compile(
    r"\b(?:what|which)\s+(?:exact\s+|precise\s+)?(date|day|month|year)\b(?![-’']|\s+group)"
    r"|\b(when)\s+(?:did|does|do|was|were|is|are|will|would|had|has|have|should|must|could)\b"
    r"|\b(?:by|since|until)\s+(when)\b",
    re.I,
)
# what gives each: a date gives its month and year too; "when" takes any mark of time, a span
# ("within three months", "five weeks later"), a season, a time of day or a word that places an
# event against another ("after", "before", "following")
GIVES_TIME = {
    "date": rf"{DAY_OF_MONTH}|{WEEKDAY}",
    "day": rf"{DAY_OF_MONTH}|{WEEKDAY}",
    "month": rf"\b{MONTH}\b",
    "year": YEAR,
}
GIVES_TIME["when"] = (
    rf"{YEAR}|\b{MONTH}\b|{WEEKDAY}|\b\d{{1,2}}[.:]\d\d\b|\b\d{{1,2}}\s?(?:am|pm)\b"
    r"|\b(?:spring|summer|autumn|winter|yesterday|today|tomorrow|ago|later|earlier|previously"
    r"|recently|now|currently|then|after|before|following|during|within|until|since|once|when"
    r"|by\s+the\s+time|at\s+the\s+time|at\s+birth|aged?|age\s+of)\b"
)


def quotes_lack_time(question: str, quotes: Sequence[str]) -> str | None:
    """What the question asks for when it asks when (a date, a month, a year or a time), if not
    one sentence the answer would quote gives it: "in 2017" does not say in which month."""
    asked = TIME_ASKED.search(question)
    if asked is None:
        return None
    kind = next(group for group in asked.groups() if group).lower()
    gives = re.compile(GIVES_TIME[kind], re.I if kind == "when" else 0)
    if any(gives.search(q) for q in quotes):
        return None
    return "a time" if kind == "when" else f"a {kind}"


# "when is the next inspection due", "when will they publish the next overview report": an event
# after the report, which it tells of only when it speaks of the next one or of what will happen
EVENTS = (
    r"(?:inspection|review|report|overview|visit|meeting|conference|audit|assessment|plan"
    r"|hearing|trial|election)s?"
)
NEXT_ASKED = re.compile(rf"\bnext\s+(?:[\w-]+\s+){{0,2}}?({EVENTS})\b", re.I)
FUTURE = re.compile(
    r"\b(?:next|will|shall|due|planned|scheduled|forthcoming|upcoming|intends?|expected)\b", re.I
)


def quotes_lack_next(question: str, quotes: Sequence[str]) -> str | None:
    """The event the question asks the next one of ("inspection"), if not one sentence the answer
    would quote speaks of it and of what is to come: "on the next working day" is no next
    inspection, nor is the date of this one."""
    asked = NEXT_ASKED.search(question)
    if asked is None:
        return None
    event = stem(asked.group(1).lower())
    for quote in quotes:
        words = {stem(w.lower()) for w in re.findall(r"[A-Za-z]+", quote)}
        if event in words and FUTURE.search(quote):
            return None
    return asked.group(1).lower()


def quotes_unmet(question: str, quotes: Sequence[str]) -> str | None:
    """Why the sentences an answer would quote do not answer the question, if they do not: it
    asks for a number, a time or the next of an event, and none gives it."""
    if quotes_lack_number(question, quotes):
        return "the question asks for a number and no sentence found gives one"
    time = quotes_lack_time(question, quotes)
    if time:
        return f"the question asks for {time} and no sentence found gives one"
    event = quotes_lack_next(question, quotes)
    if event:
        return f"the question asks about the next {event} and no sentence found speaks of one"
    return None


def missing_kind(question: str, texts: Sequence[str]) -> Expected | None:
    """The kind the question asks for, when none of the texts gives anything of that kind."""
    kind = expected_kind(question)
    if kind is None:
        return None
    gives = gives_kind(question, kind)
    return None if any(gives(text) for text in texts) else kind


def gives_kind(question: str, kind: Expected) -> Callable[[str], bool]:
    """Does a text give the kind of answer the question asks for (beside what must stand near)?"""
    beside = NEAR[kind.near](question) if kind.near else None

    def gives(text: str) -> bool:
        if beside is None:
            return bool(kind.gives.search(text))
        if kind.near in PASSAGE_WIDE:
            return any(beside(text, given, "") for given in kind.gives.finditer(text))
        parts = SENTENCE_END.split(text)
        return any(
            beside(part, given, parts[i - 1] if i else "")
            for i, part in enumerate(parts)
            for given in kind.gives.finditer(part)
        )

    return gives


# what must stand beside what a sentence gives: the sentence, the match and the sentence before
# it -> does it count
Beside = Callable[[str, "re.Match[str]", str], bool]


def _anywhere(pattern: re.Pattern[str] | None) -> Beside | None:
    """The pattern anywhere in the sentence."""
    if pattern is None:
        return None
    return lambda part, _given, _before: bool(pattern.search(part))


def place_beside(question: str) -> Beside | None:
    """A place of the kind asked for: its name ends in a word for that kind ("Riverside
    Surgery"), or the sentence says that kind beside it and the name ends in no word for another
    kind ("Harbourside University Hospital" names no GP surgery)."""
    own = next(
        (
            words
            for words in PLACE_CLASSES
            if re.search(rf"\bwhich\s+(?:[\w-]+\s+){{0,2}}?(?:{'|'.join(words)})\b", question, re.I)
        ),
        None,
    )
    if own is None:
        return None
    said = re.compile(rf"\b(?:{'|'.join(own)})\b", re.I)
    # many places take a street's name ("Orchard Lane Surgery", "Harbour Lane" for a practice)
    others = {word for words in PLACE_CLASSES[:-1] for word in words} - set(own)

    def names_one(part: str, given: re.Match[str], _before: str) -> bool:
        name = given.group(0).lower()
        if any(name == kind or name.endswith(f" {kind}") for kind in own):
            return True
        # "Riverside, the family's GP practice": the kind said beside the name, not anywhere in
        # a list of agencies that ends "... and T's general practice"
        return name.split()[-1] not in others and any(
            abs(kind.start() - given.start()) <= PLACE_NEAR for kind in said.finditer(part)
        )

    return names_one


def person_beside(question: str) -> Beside | None:
    """The person whose age is asked for, in the sentence that gives an age. A pseudonym must
    come before an age given as "aged 9", with no other person between: "Ms K's son, aged 9,
    whose father is Mr N" gives no age of Mr N."""
    found = PERSON_ASKED.search(question)
    if not found:
        return None
    person = found.group("p")
    named = PSEUDONYM.search(person)
    if not named:
        words = re.sub(r"['’]s\b", "", person).split()
        return _anywhere(
            re.compile(rf"\b{re.escape(stem(words[-1].lower())[:5])}", re.I) if words else None
        )
    who = re.compile(rf"\b{re.escape(named.group(0))}\b")
    child = CHILD_PSEUDONYM.fullmatch(named.group(0))
    if child:
        # a review calls its child by the letter alone too ("Child T, or T"; "- T: the subject
        # of the review, aged 15"), never "Mr T" for the child
        letter = child.group(1)
        who = re.compile(rf"{NOT_TITLED}\b(?:(?:Baby|Child)\s+)?{letter}\b(?![.’'-]\w)")

    def of_person(part: str, given: re.Match[str], _before: str) -> bool:
        if not given.group(0).lower().startswith("aged"):
            return bool(who.search(part))
        before = list(who.finditer(part, 0, given.start()))
        between = part[before[-1].end() : given.start()] if before else ""
        # another person between ends it, unless named as whose ("Mr N, Ms K's partner, aged 41")
        return bool(before) and not any(
            not between[m.end() :].startswith(("'s", "’s")) for m in PSEUDONYM.finditer(between)
        )

    return of_person


def money_beside(question: str) -> Beside | None:
    """What a sum asked for is a sum of, when the question names it ("how much rent"): a sum
    counts only in a sentence that says it."""
    for asked, said in MONEY_NOUNS:
        if re.search(rf"\b{asked}\b", question, re.I):
            pattern = re.compile(rf"\b{said}", re.I)
            return lambda part, _given, _before: bool(pattern.search(part))
    return None


def role_words(question: str) -> list[str]:
    """The words of the role whose holder's name is asked for ("lead", "member")."""
    found = ROLE.search(question)
    return (found.group("a") or found.group("b")).lower().split() if found else []


def role_beside(question: str) -> Beside | None:
    """The role a name is asked for (the stem of its last word, "member") in the sentence."""
    words = role_words(question)
    return _anywhere(re.compile(rf"\b{re.escape(stem(words[-1])[:5])}", re.I) if words else None)


# the role a question about who wrote or led a report asks for, and the roles a name given for it
# may hold: the chair of a review's panel is not its author ("Who chaired the Child M review
# panel?" is not answered by "Independent author: Ms Ruth Adeyemi")
AUTHOR_ROLES = (
    (re.compile(r"\bchair", re.I), re.compile(r"chair", re.I)),
    (re.compile(r"\binspect", re.I), re.compile(r"inspector", re.I)),
    (re.compile(r"", re.I), re.compile(r"author|reviewer", re.I)),
)


def author_beside(question: str) -> Beside | None:
    """A name given in the role the question asks for: a chair for "who chaired", an inspector
    for an inspection, else an author or reviewer."""
    held = next(role for asked, role in AUTHOR_ROLES if asked.search(question))
    return lambda _part, given, _before: bool(held.search(given.group(0)))


def acronym_beside(question: str) -> Beside | None:
    """A sentence that spells out the letters asked for: in the words the glossary knows for them
    ("multi-agency risk assessment conference"), or before them in brackets ("Thornvale Recovery
    Service (TRS)"), or after them and a colon ("MARAC: Multi-Agency Risk Assessment Conference")."""
    found = EXPANSION_ASKED.search(question)
    if not found:
        return None
    letters = found.group("acronym")
    written = re.compile(
        rf"\(\s*{re.escape(letters)}s?\s*\)|\b{re.escape(letters)}s?\s*[:–—-]\s*[A-Z][a-z]"
    )

    def spelled(part: str, _given: re.Match[str], _before: str) -> bool:
        known = any(term == letters for _, _, term in glossary.plain_spans(part, concepts=False))
        return known or bool(written.search(part))

    return spelled


# what a verdict is asked to be of: "convicted of causing Baby R's injuries"
OFFENCE_ASKED = re.compile(
    r"\b(?:convicted|found\s+(?:not\s+)?guilty|acquitted)\s+of\s+(?P<offence>[^?]+)", re.I
)


def offence_beside(question: str) -> Beside | None:
    """The offence a verdict is asked of, in the passage that gives one ("Mr L was charged with
    the murder of Ms K … He pleaded not guilty. … he was convicted on 20 December 2017"): a
    conviction for assault tells nothing of one for causing a baby's injuries. Names ("Baby R")
    are no offence."""
    found = OFFENCE_ASKED.search(question)
    if not found:
        return None
    lowered = " ".join(w for w in found.group("offence").split() if not w[:1].isupper())
    offence = content_stems(lowered)
    if not offence:
        return None

    def of_offence(text: str, _given: re.Match[str], _before: str) -> bool:
        return bool(offence & passage_stems(text))

    return of_offence


# ... and those that may stand anywhere in its passage, not only in the sentence or the one before
PASSAGE_WIDE = frozenset(["offence"])
# Expected.near: what must stand beside what a passage gives, read from the question
NEAR: dict[str, Callable[[str], Beside | None]] = {
    "acronym": acronym_beside,
    "author": author_beside,
    "role": role_beside,
    "place": place_beside,
    "person": person_beside,
    "money": money_beside,
    "speaker": speech.says_before,
    "offence": offence_beside,
}

"""Which sentence answers a question directly: the one that gives the kind of answer asked for.

"How old was Mr S?" is answered by "aged 27", "how many teeth" by "eight teeth", "why" by a
sentence that gives a reason, "how long" by a duration, "when" by a date, "what did she say" by
her words. The extractive composer leads with such a sentence when the passages it quotes from
hold one; retrieval and refusal do not read these.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rag.expect import MONTHS, expected_kind, gives_kind
from rag.retrieve import count_pattern, counted_noun, day_asked

SMALL_NUMBER = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|several|a few|many)"
)
# what gives a reason, for "why"
REASON = re.compile(
    r"\bbecause\b|\bas a result\b|\bdue to\b|\bowing to\b|\bthe reasons?\b|\bso that\b"
    r"|\bon the (?:basis|grounds)\b|\bmeant that\b|\bresult(?:ed)? in\b"
    # what did lead to it, not what would have: "should have led to a high-risk grading"
    r"|(?<!would have )(?<!should have )(?<!could have )(?<!might have )\bled to\b"
    # a belief, a judgement or a rule acted on: "believing that the social worker would already
    # be aware", "the steering group judged that a further approach would cause distress", "in
    # line with the team's procedure at the time"; what a thing caused or required ("This gap
    # has required children's services to provide ...")
    r"|\bbelieving\b|\b(?:believed|thinking|assuming|assumed|judged|considered) that\b"
    r"|\bin line with\b|\b(?:has|have|had) required\b|\bcaused\b"
    # a person's own account of why, given to the review: "The GP told the review that Ms K had
    # said she felt safe and did not want anything done"
    # (to the review or its panel: "She told the lead reviewer that she had reported T missing
    # every time" is what T's mother did, not why anyone acted)
    r"|\b(?:told|explained\s+to)\s+the\s+(?:review|panel)\s+that\b"
    # what a cause was: "the most probable cause was an unattended candle"
    r"|\bcauses?\s+(?:was|were|is|are|of)\b",
    re.I,
)
# "was it ever done?": a sentence that says it never was answers it
EVER_ASKED = re.compile(
    r"^\s*(?:\w+\W+){0,8}?(?:was|were|did|has|have|had|is|are|does|do)\b[^?]*\bever\b", re.I
)
NEVER = re.compile(
    r"\bnever\b|\bat no (?:point|time|stage)\b|\bat any (?:point|time|stage)\b|\bnot once\b"
    r"|\bon no occasion\b",
    re.I,
)
# "What period did the Ms K review cover?", "which dates did it look at?": a span of dates, not a
# sentence that speaks of "the period under review"
PERIOD_ASKED = re.compile(
    r"\b(?:what|which)\s+(?:time\s+)?(?:period|dates|time\s*span|time\s*frame|years)\b"
    r"[^?]*\b(?:cover|covered|covers|consider|considered|span|spanned|look\s+at|looked\s+at"
    r"|examine|examined)\b",
    re.I,
)
DATE = rf"(?:\d{{1,2}}\s+)?(?:{MONTHS})?\s*(?:19|20)\d\d\b"
# "from 1 September 2015 to 12 April 2017", "between 2016 and 2021", "2019-2021", and "from 1
# June 2013, the month in which L was born, to 14 November 2017" (not "in December 2020 and
# January 2021": two times, no span)
PERIOD = re.compile(
    rf"\bbetween\s+{DATE}\s+and\s+{DATE}|\b{DATE}\s*(?:to|until|-|–)\s*{DATE}"
    rf"|\bfrom\s+{DATE},[^.;]{{0,120}}?,\s*(?:to|until)\s+{DATE}"
)
# what happened on a day, asked
HAPPENED_ASKED = re.compile(
    r"\bwhat\s+(?:happened|occurred|took\s+place|went\s+on|was\s+done)\b", re.I
)
# (what the question asks, how a sentence gives it); the type asked first in the question wins
ANSWER_TYPES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (
        re.compile(r"\bwhy\b|\bwhat (?:was the reason|caused|made)\b|\bfor what reason\b", re.I),
        REASON,
    ),
    (
        re.compile(r"\bhow long\b|\bfor how many (?:days|weeks|months|years)\b", re.I),
        re.compile(
            rf"\b{SMALL_NUMBER}\s+(?:more\s+|further\s+|whole\s+)?"
            r"(?:days?|weeks?|months?|years?|hours?|minutes?)\b",
            re.I,
        ),
    ),
    (
        re.compile(r"\bhow often\b|\bhow frequently\b", re.I),
        re.compile(
            rf"\bevery\s+(?:{SMALL_NUMBER}\s+)?(?:days?|weeks?|months?|years?)\b"
            r"|\b(?:daily|weekly|fortnightly|monthly|annually|yearly|once|twice)\b"
            rf"|\b{SMALL_NUMBER}\s+times\b|\bon\s+{SMALL_NUMBER}\s+occasions\b",
            re.I,
        ),
    ),
    (
        # "when did ...", not "how many were in care when inspectors visited"
        re.compile(
            r"\bwhen\s+(?:and\s+\w+\s+)?(?:did|was|were|is|are|had|has|have|does|do|will|should)\b"
            r"|\bby when\b|\bwhat date\b"
            r"|\bwhich year\b|\bin what year\b",
            re.I,
        ),
        re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS})\b|\b(?:{MONTHS})\s+\d{{4}}\b|\bin\s+\d{{4}}\b"),
    ),
    (PERIOD_ASKED, PERIOD),
    (
        # "How far did reliance on agency social workers differ between the four areas?", "how
        # did the share vary across the region?": a range, not a sentence on the matter alone
        re.compile(
            r"\bhow\s+(?:far|much|widely)?\s*(?:did|does|do|has|have)\b[^?]*"
            r"\b(?:differ|vary|varied|range|ranged)\b",
            re.I,
        ),
        re.compile(
            r"\b(?:ranged?|ranging|varied|varying|varies)\s+(?:\w+\s+){0,2}?from\b"
            r"|\bfrom\s+[\d.,]+\s*(?:%|per\s*cent)?[^.;]{0,40}?\bto\s+[\d.,]+"
            r"|\bbetween\s+[\d.,]+\s*(?:%|per\s*cent)?\s+and\s+[\d.,]+",
            re.I,
        ),
    ),
    (EVER_ASKED, NEVER),
    (
        re.compile(r"\bwhat did\b[^?]*\b(?:say|said|tell|told|describe|write|wrote)\b", re.I),
        re.compile(r"[\"“][^\"”]{3,}[\"”]|\b(?:said|told|described|wrote) that\b"),
    ),
)


def direct_test(question: str) -> Callable[[str], bool] | None:
    """Does a sentence answer the question directly: give the kind of answer asked for, count
    what is counted, or give the reason, duration, frequency, date or words asked for? None when
    the question asks for nothing of the kind."""
    kind = expected_kind(question)
    typed = answer_type(question)
    if kind is not None:
        given = gives_kind(question, kind)
        if kind.kind == "said" and typed is not None:
            # a sentence read alone may give the words as "she said ..." (of the one the
            # sentence before names), or the person's words as "the coroner recorded ..."
            return lambda sentence: given(sentence) or bool(typed.search(sentence))
        if kind.near == "offence":
            # read alone, a sentence may give the verdict on an offence the sentence before
            # names ("charged with murder. … he was convicted on 20 December 2017")
            return lambda sentence: bool(kind.gives.search(sentence))
        return given
    day = day_asked(question) if HAPPENED_ASKED.search(question) else None
    if day is not None:
        # "What happened on 4 September 2015?": the sentence that opens with that day ("On 4
        # September 2015 Baby R ... was taken ..."), not one that names it among others
        opens = re.compile(
            rf"^\W*(?:(?:on|by|at|early\s+on|late\s+on)\s+)?(?:the\s+)?(?:{day[1].pattern})", re.I
        )
        return lambda sentence: bool(opens.search(sentence))
    noun = counted_noun(question)
    if noun:
        counted = count_pattern(noun)
        return lambda sentence: bool(counted.search(sentence))
    if typed is None:
        return None
    return lambda sentence: bool(typed.search(sentence))


def answer_type(question: str) -> re.Pattern[str] | None:
    """What a sentence gives to answer the reason, duration, frequency, date or words the
    question asks for (the first asked), if it asks for one."""
    asked = [
        (found.start(), n)
        for n, (asks, _) in enumerate(ANSWER_TYPES)
        if (found := asks.search(question))
    ]
    return ANSWER_TYPES[min(asked)[1]][1] if asked else None

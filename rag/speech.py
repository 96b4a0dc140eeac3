"""What a person said: "What did T's younger sister tell the review?" asks for her words.

A report gives them in a sentence where she comes before a verb of saying ("Sibling 1 said",
"she told", "J described"). When no passage shown has such a sentence, the report does not say
what she said, however much it says about her (rag/expect.py refuses the question).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rag.query import stem

# words that make the one asked a report, not a person: "what did the review say about ..."
# asks what the report says, which any passage of it does; a pronoun is someone of the turn
# before ("what did she say?"), whom the question does not name
NOT_SPEAKERS = (
    r"reviews?|reports?|inspections?|inspectors?|overview|audit|documents?|it|they|he|she|we"
    r"|you|i|them|ofsted|authors?|reviewers?|panel|board|findings|conclusions|recommendations"
    r"|evidence|records?|files?|notes|chronology|letters?|emails?|messages?|minutes|plans?"
    r"|assessments?|referrals?|study|studies|research|data|figures|statistics"
)
# "what did [Child 1's father] think of ...": one to seven words, none of them NOT_SPEAKERS
SAID_ASKED = re.compile(
    rf"\bwhat\s+did\s+(?P<who>(?:(?!(?:{NOT_SPEAKERS})\b)[\w'’-]+\s+){{1,7}}?)"
    r"(?:tell|say|think|feel|describe|want|wish|hope|make\s+of)\b",
    re.I,
)
# a verb of saying, thinking or wanting, as a report writes what someone said
SAYS = re.compile(
    r"\b(?:told|tells?|said|says|saying|describ(?:ed|es|ing)|thought|thinks|felt|feels"
    r"|believ(?:ed|es)|explain(?:ed|s)|recall(?:ed|s)|remember(?:ed|s)|want(?:ed|s)"
    r"|wish(?:ed|es)|hoped|hopes|complain(?:ed|s)|disclos(?:ed|es)|wrote|writes|stated|states"
    r"|spoke|speaks|commented|mentioned|admitted|denied|claimed|insisted|expressed|asked"
    r"|recorded|noted|concluded)\b",
    re.I,
)
# a pseudonym: "Child M", "Mr S", the child's letter alone ("T"), not its possessive ("T's father")
NOT_TITLED = "".join(rf"(?<!{t} )" for t in ("Mr", "Mrs", "Ms", "Miss"))
NAMED = re.compile(r"\b(?:(?:Baby|Child|Mr|Mrs|Ms|Miss)\s+)?([A-Z])\b(?!['’]\w)")
PERSON_TITLE = re.compile(r"(?:Mr|Mrs|Ms|Miss)\s+[A-Z]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# roles a report may give with "she" or "he" in the next sentence
SHE = _words(
    "sister mother mum gran granny grandma grandmother aunt daughter girl woman wife niece"
)
HE = _words("father dad brother son boy man husband uncle nephew grandfather grandad")
# a child of the family asked of by role, in a question that names no one: "the older sister"
# may be the "J" a report writes of
CHILD_ROLES = _words("sister brother sibling son daughter child girl boy")
# the last word of who a question may ask the words of: a person by role, not a council or an
# agency ("what did Bexley council say about caseloads" asks what the report says of it)
PEOPLE = (
    SHE
    | HE
    | CHILD_ROLES
    | _words(
        """parent parents children baby grandparent cousin partner boyfriend girlfriend neighbour
        friend friends family families person people youngster youngsters teenager teenagers
        carer carers leaver leavers worker workers visitor nurse midwife doctor gp paediatrician
        consultant teacher teachers lead dsl mentor assistant officer officers sergeant constable
        detective manager managers supervisor leader leaders chair chairman chairwoman
        commissioner coroner adviser advisers advisor advisors advocate practitioner
        practitioners professional professionals therapist psychologist psychiatrist clinician
        judge councillor member members staff colleague colleagues pupil pupils student students
        tenant landlord victim perpetrator suspect witness witnesses"""
    )
)
# one capital letter as a child's pseudonym: not "I", nor the article "A"
LETTER = r"\b(?![IA]\b)[A-Z]\b(?!['’]\w)"
# anyone a question names: a pseudonym, possessive or not ("T's", "Child 1's")
NAMES_ANYONE = re.compile(
    r"\b(?:Baby|Child|Mr|Mrs|Ms|Miss|Sibling)\s+[A-Z0-9]\b|\b(?![IA]\b)[A-Z]\b"
)


def speaker(question: str) -> tuple[re.Pattern[str], str | None] | None:
    """How a sentence names the person a question asks what they said: their pseudonym, the stem
    of the last word of their role ("sister") or, for a child of the family asked of by role in
    a question that names no one, any child's letter ("the older sister" may be "J"); and the
    pronoun ("she", "he") that may stand for them after a sentence that names them, when their
    role says which (either, for a pseudonym). None when the question asks no person's words."""
    asked = SAID_ASKED.search(question)
    if asked is None:
        return None
    who = re.split(r"\s+(?:in|of|at|from|who|whom|on|with)\s+", asked.group("who").strip())[0]
    named = NAMED.fullmatch(re.sub(r"^(?i:the)\s+", "", who))
    if named:
        # a pseudonym says no sex: "she" or "he" after a sentence that names them
        if PERSON_TITLE.match(named.group(0)):
            return re.compile(rf"\b{re.escape(named.group(0))}\b"), "she|he"
        # "Child T", "T": the child by the letter alone too, never "Mr T"
        letter = named.group(1)
        return re.compile(rf"{NOT_TITLED}\b(?:(?:Baby|Child)\s+)?{letter}\b(?!['’]\w)"), "she|he"
    words = who.split()
    head = re.sub(r"['’]s$", "", words[-1]).lower()
    if head.isdigit() and len(words) > 1:  # "Sibling 1"
        return re.compile(rf"\b{re.escape(words[-2])}\s+{head}\b", re.I), None
    if head not in PEOPLE:
        return None
    # the stem's first five letters ("siste", "commi"); a word of three letters whole, so that
    # "man" is not "many" nor "boy" "boyfriend"
    root = stem(head)[:5]
    ways = [rf"(?i:\b{re.escape(root)}s?\b)" if len(root) <= 3 else rf"(?i:\b{re.escape(root)})"]
    if head in CHILD_ROLES and not NAMES_ANYONE.search(question):
        ways.append(LETTER)
    pronoun = "she" if head in SHE else "he" if head in HE else None
    return re.compile("|".join(ways)), pronoun


def says_before(question: str) -> Callable[[str, re.Match[str], str], bool] | None:
    """For Expected.near: does the sentence name the person asked of before its verb of saying,
    or stand for them by a pronoun after a sentence that names them ("The author met the
    mother once. She told the author ...")?"""
    found = speaker(question)
    if found is None:
        return None
    who, pronoun = found
    stands_for = re.compile(rf"\b(?i:{pronoun})\b") if pronoun else None

    def says(part: str, given: re.Match[str], before: str) -> bool:
        if who.search(part, 0, given.start()):
            return True
        return bool(stands_for and stands_for.search(part, 0, given.start()) and who.search(before))

    return says

"""Questions that ask for a kind of answer (money, a measurement, a name) and passages that give one."""

from __future__ import annotations

import pytest

from rag.expect import (
    asks_only_for_kind,
    expected_kind,
    gives_kind,
    missing_kind,
    quotes_lack_next,
    quotes_lack_number,
    quotes_lack_time,
    quotes_unmet,
)
from rag.query import Query


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much did the Child M serious case review cost the board?", "money"),
        ("How much did Thornvale spend on agency social workers in 2022?", "money"),
        ("What was the cost of the review?", "money"),
        ("What was Baby R's birth weight?", "weight"),
        ("What was Child M's height when she was admitted?", "height"),
        ("What was the name of the paediatric consultant?", "name"),
        ("What were the names of the foster carers?", "name"),
        ("What was the social worker's name?", "name"),
        # the name of a thing, not of a person: not checked
        ("What is the name of Thornvale's practice model, and when was it launched?", None),
        ("What is the name of the school that T attended?", None),
        ("What is the name of the team manager?", "name"),
        ("Which energy company supplied Mr D's meter?", "place"),
        ("Which GP surgery was T registered with?", "place"),
        # a list of agencies, or an agency, is not one named place: it is a body, by its name
        ("Which organisations is that recommendation aimed at?", "organisation"),
        ("Which agency has to report back on it, and by when?", "organisation"),
        ("What was Mr S's job at the time of Baby R's injuries?", "job"),
        ("How much rent did the family owe?", "money"),
        ("How much did T say he owed?", "money"),
        ("How much attention did they pay to the father?", None),
        ("How old is Mr B, the tenant in Saltmere?", "age"),
        ("What age was the paternal aunt who became the guardian?", "age"),
        ("Which household bill does the council cover, and until what age?", None),
        ("What job did Mr L do before he was convicted?", "job"),
        ("What is the population of the Wessex Vale region?", "population"),
        ("How many other children in Kelderton were exploited through the line?", "count"),
        ("How many reviews has the partnership commissioned in total?", "total"),
        ("What did Mr S, the partner of the care leaver, do for a living?", "job"),
        ("What sentence was Mr S given at his trial?", "sentence"),
        ("How long was Mr L jailed for?", "sentence"),
        ("How many units of alcohol a day was the mother drinking?", "drink"),
        ("How much did the mother drink each day?", None),
        # the kind asked for first: a name, though the question goes on to a weight
        ("What is the name of the lead who phoned about Child M's weight?", "name"),
        ("What verdict was reached at the trial of the two men?", "verdict"),
        ("Was Mr S ever convicted of causing Baby R's injuries?", "verdict"),
        ("On which street was the block of flats?", "place"),
        # what followed the report, not how things stood when it was written
        ("Did the mother go on to complete her alcohol treatment?", "aftermath"),
        ("Has the audit of DASH compliance been done yet?", "aftermath"),
        (
            "Did the board adopt it within six months of the Mr D review being published?",
            "aftermath",
        ),
        # whether what was planned came about ("actually" in a question asking yes or no)
        ("Were the extra posts funded from April 2023 actually filled?", "aftermath"),
        ("How often did a manager actually go through the case with her?", None),
        # whether a recommendation was taken up, or its deadline met
        (
            "Did the Kelderton board agree to the joint review that the Eastmere case recommended?",
            "aftermath",
        ),
        ("Did Kelderton meet the June 2023 deadline for sharing notifications?", "aftermath"),
        ("Did the mother agree to the referral?", None),
        ("Has the council met its recruitment targets?", None),
        ("What sentences did the two men receive at their trial?", "sentence"),
        ("Did Mr L appeal against his murder conviction?", "appeal"),
        # what letters stand for, written in capitals
        ("What does MARAC stand for?", "expansion"),
        ("What does the acronym IDVA mean?", "expansion"),
        ("What does the MASH mean for families?", None),
        ("What does Ofsted mean by good?", None),
        # who wrote or led a report, asked by a question (or a clause) of its own
        ("Who wrote the Baby R review?", "author"),
        ("In the Mr D review, who was the independent reviewer?", "author"),
        ("Who carried out the 2017 York inspection?", "author"),
        ("What did the inspectors who carried out the 2022 Leeds inspection find?", None),
        # the board or partnership that commissioned a report
        ("Who commissioned the Child M review?", "commissioner"),
        ("Which board commissioned the Mr D review?", "commissioner"),
        ("Which services were commissioned by the council?", None),
        # the agencies a review drew on, listed by name
        ("Which agencies were involved in the Ms K review?", "agencies"),
        ("What organisations contributed to it?", "agencies"),
        ("Which agency has to report back?", "organisation"),
        ("Which services did the family use?", None),
        ("Who carried out the health visitor's assessment?", None),
        ("Has the mother appealed?", "appeal"),
        ("Is it embedded in assessments and plans yet?", None),
        ("On what date did the CPS agree to the report being published?", None),
        # asked in other ways, or not for these kinds: no expectation
        ("How much weight did the panel give to the child's views?", None),
        ("How much contact did the health visitor have with the family?", None),
        ("What did the inspection say about the cost-of-living crisis?", None),
        ("What is the cost-of-living crisis doing to families?", None),
        ("How much attention did professionals pay to the father?", None),
        ("Who made that decision, and did a manager check it?", None),
        ("How many police call-outs were there in 2015?", None),
        ("How did the police respond to the job centre's referral?", None),
        ("What proportion of the population of care leavers is in education?", None),
        # a person's words; not what a report says, nor the words of someone of the turn before
        ("What did T's younger sister tell the review?", "said"),
        ("What did Child 1's father think of how agencies handled things?", "said"),
        ("What did the reviews say about supervision?", None),
        ("What did the 2023 Bexley inspection say about the MASH?", None),
        ("What did it say needed to improve?", None),
        ("What did she say?", None),
        ("What did young people tell inspectors about their placements?", "said"),
        # a council or an agency asked of stands for its report
        ("What did Bexley council say about caseloads?", None),
    ],
)
def test_the_kind_of_answer_a_question_asks_for(question: str, kind: str | None) -> None:
    found = expected_kind(question)

    assert (found.kind if found else None) == kind


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        ("How much did the review cost?", "The review was commissioned in May 2018.", "money"),
        ("How much did the review cost?", "The review cost £12,500 in all.", None),
        ("How much did the council spend?", "It spent 2.4 million pounds on agency staff.", None),
        ("What was Baby R's birth weight?", "Baby R was born at 36 weeks in 2015.", "weight"),
        ("What was Child M's height?", "On admission she weighed 15.1 kilograms.", "height"),
        ("What was Child M's height?", "She was 98 cm tall.", None),
        ("What was Baby R's birth weight?", "She weighed 2.1 kg at birth.", None),
        ("What was Baby R's birth weight?", "Her weight fell below the 2nd centile.", None),
        ("What was the name of the reviewer?", "Mr S told the reviewer nothing.", "name"),
        ("What was the name of the reviewer?", "The review was led by Professor Hale.", None),
        ("What was the name of the reviewer?", "Lead reviewer: Jane Whitfield", None),
        ("What was the name of the reviewer?", "Recommendation 3: The Board should act.", "name"),
        # an agency's name after a colon is no person's
        (
            "What was the name of the worker?",
            "The agencies contributed: Kelderton Children's Social Care and its worker.",
            "name",
        ),
        ("What was the name of the worker?", "Allocated worker: Jane Okafor, since May.", None),
        # the role asked about stands before "whom" as before "who"
        (
            "What was the name of the youth worker whom T trusted?",
            "The lead reviewer, Mr Simon Grey, wrote the report.",
            "name",
        ),
        (
            "What was the name of the youth worker whom T trusted?",
            "Mr Grey, his youth worker.",
            None,
        ),
        ("What was the name of the reviewer?", "A reviewer named Morris wrote it.", None),
        # the role must stand in the sentence that gives the name
        (
            "What is the name of Thornvale's lead member?",
            "Lead inspector: Ms Marian Colley",
            "name",
        ),
        ("What is the name of the lead inspector?", "Lead inspector: Ms Marian Colley", None),
        (
            "What was Child M's height?",
            "Her weight was on the 25th centile, like her height.",
            "height",
        ),
        ("What was Child M's height?", "Her height was on the 9th centile.", None),
        ("What was Mr D's job?", "He had worked for 31 years as a compositor.", None),
        (
            "What was the father's job?",
            "Father: aged 33, who worked night shifts at a warehouse;",
            None,
        ),
        ("What was Mr S's job?", "Mr S had a temper and was not assessed.", "job"),
        ("What is the population of Sedgecombe?", "The posts cover a population of 260,000.", None),
        ("What is the population of Sedgecombe?", "Sedgecombe had 2.5 IDVA posts.", "population"),
        ("How many other children were exploited?", "T was exploited by the K2 line.", "count"),
        ("How many other children were exploited?", "Two other children were identified.", None),
        (
            "How many other children were exploited?",
            "No referral waits more than ten days.",
            "count",
        ),
        ("How many reviews in total?", "It has made no progress in total.", "total"),
        ("How many reviews in total?", "It has commissioned 6 reviews in total.", None),
        ("How many reviews in total?", "It has commissioned a total of 6 reviews.", None),
        # more of something is no total of it
        ("How many social workers in total?", "It funded four additional posts.", "total"),
        ("How many other reviews?", "It has commissioned a total of 6 reviews.", None),
        # a sum of what the question names ("rent"), when it names one
        ("How much rent did the family owe?", 'T said he "owed people" about £600.', "money"),
        ("How much rent did the family owe?", "They had rent arrears of £1,240.", None),
        ("How much did T say he owed?", 'T said he "owed people" about £600.', None),
        # money received: "was he paid", beside "paid", not what he owed
        (
            "How much was he paid for each trip?",
            'He "owed people" £600 and was scared of what would happen if he did not pay.',
            "money",
        ),
        ("How much was he paid for each trip?", "He was paid £50 for each trip.", None),
        # a past conviction is no verdict
        ("Was Mr S ever convicted?", "In 2011 he had a conviction for assault.", "verdict"),
        ("Was Mr L convicted?", "He was convicted on 20 December 2017.", None),
        # a verdict on the offence asked of, named anywhere in its passage; a plea of not guilty
        # is no verdict
        (
            "Was Mr Q convicted of causing the baby's injuries?",
            "In 2011 he was convicted of assault against a former partner.",
            "verdict",
        ),
        (
            "Was Mr Q found guilty of murder?",
            "Mr Q was charged with the murder of Ms P. He pleaded not guilty. After a trial he was"
            " convicted on 2 May 2018.",
            None,
        ),
        ("Was Mr Q found guilty?", "Mr Q was charged. He pleaded not guilty.", "verdict"),
        ("On which street was the flat?", "The flat was in Ashgrove Court, Saltmere.", "place"),
        ("On which street was the flat?", "The flat was on Harbour Road in Saltmere.", None),
        (
            "Has the audit been done yet?",
            "The review asks the police for an audit of DASH compliance.",
            "aftermath",
        ),
        (
            "Has the audit been done yet?",
            "Since the reviews, each area has introduced a chronology requirement.",
            None,
        ),
        # a sentence passed by a court; a measure of drink
        (
            "What sentence was Mr S given?",
            "Mr S was charged. The trial is listed for June.",
            "sentence",
        ),
        ("What sentence was Mr L given?", "He was sentenced to life imprisonment.", None),
        # an author, reviewer or inspector by name, not by a role alone
        ("Who wrote the Baby R review?", "Independent author: Dr Helen Marsh", None),
        ("Who led the York inspection?", "Lead inspector: Tracey Metcalfe", None),
        ("Who wrote the review?", "The Board appointed Ms Ruth Adeyemi as the author.", None),
        ("Who wrote the review?", "The author could not speak to the mother.", "author"),
        ("Who chaired the review panel?", "The chair met Mr S twice.", "author"),
        # in the role asked: a panel's chair is not its author, an inspection's lead is its
        # inspector
        ("Who chaired the review panel?", "Independent author: Ms Ruth Adeyemi", "author"),
        ("Who chaired the review?", "Independent chair and author: Mr David Lowe", None),
        ("Who wrote the review?", "Independent chair and author: Mr David Lowe", None),
        ("Who wrote the review?", "Chair of the panel: Ms Ruth Adeyemi", "author"),
        ("Who led the 2023 Bexley inspection?", "Independent author: Ms Ruth Adeyemi", "author"),
        # three bodies by name in one list, not one body nor a word for them all
        (
            "Which agencies were involved?",
            "Reports came from Ravensholme Homes, Castlegate Surgery and Ravensholme Police.",
            None,
        ),
        (
            "Which agencies were involved?",
            "Each agency that had contact with Mr D sent Ravensholme Police a chronology.",
            "agencies",
        ),
        # letters spelled out in the glossary's words, in brackets or after a colon
        ("What does MARAC stand for?", "- MARAC: Multi-Agency Risk Assessment Conference", None),
        ("What does MARAC stand for?", "It went to the risk assessment conference (MARAC).", None),
        (
            "What does MARAC stand for?",
            "She was referred to the multi-agency risk assessment conference.",
            None,
        ),
        ("What does MARAC stand for?", "The case was not heard at MARAC.", "expansion"),
        ("What does TRS stand for?", "Thornvale Recovery Service (TRS) did not tell them.", None),
        ("What does TRS stand for?", "TRS did not tell them.", "expansion"),
        # a conviction or a sentence tells nothing of an appeal against it
        (
            "Did Mr L appeal against his conviction?",
            "Mr L was convicted of murder and sentenced to life imprisonment.",
            "appeal",
        ),
        ("Did Mr L appeal against his conviction?", "His appeal was dismissed in 2018.", None),
        (
            "Were the posts actually filled?",
            "Four extra posts were funded from April 2023.",
            "aftermath",
        ),
        ("How many units a day did she drink?", "She drank heavily every day.", "drink"),
        ("How many units a day did she drink?", "She drank about 20 units a day.", None),
        # an age, in a sentence that names the person asked about
        ("How old was Mr S?", "- Mr S: Mother's partner from early 2015, aged 27;", None),
        # a review calls its child by the letter alone too ("Child T, or T"), never "Mr T"
        ("How old was Child T?", "- T: the subject of the review, aged 15 at the time;", None),
        ("How old was Child T?", "- Mr T: T's uncle, aged 41;", "age"),
        ("How old was Baby R?", "When she was 11 weeks old, R was taken in.", None),
        ("How old is Mr B?", "- Mr S: Mother's partner, aged 27. Mr B lived alone.", "age"),
        ("How old was Baby R then?", "When she was 11 weeks old, Baby R was taken in.", None),
        ("How old is the aunt who became guardian?", "- Mother: aged 29;", "age"),
        ("How old was the mother?", "- Mother: aged 29;", None),
        # "aged 9" is the age of who comes before it, not of a pseudonym after it
        ("How old is Mr N?", "- Child 1: Ms K's son, aged 9, whose father is Mr N;", "age"),
        ("How old is Mr N?", "- Mr N: the father of Child 1, aged 41;", None),
        ("How old is Mr N?", "- Mr N, Ms K's partner, aged 41;", None),
        ("How old is Mr N?", "- Ms K's partner Mr N, a 41-year-old roofer;", None),
        # a named place, in a sentence that names a place of that kind
        ("Which school did T attend?", "T was excluded from Kelderton Park Academy.", None),
        ("Which school did T attend?", "The school excluded T. The Board met.", "place"),
        ("Which pharmacy did Ms K work at?", "She spoke to Ms K's line manager.", "place"),
        ("Which company supplied the meter?", "Northgate Energy Ltd fitted the meter.", None),
        # a hospital is no GP surgery, even in a sentence that says "surgery"
        (
            "Which GP surgery was T registered with?",
            "He had surgery at Harbourside University Hospital.",
            "place",
        ),
        ("Which GP surgery was T registered with?", "T was registered at Quayside Surgery.", None),
        (
            "Which GP surgery was T registered with?",
            "His GP practice, Harbour Lane, had not seen him.",
            None,
        ),
        ("Which GP surgery was T registered with?", "He saw Riverside Health Centre.", None),
        # a list of agencies that ends with a practice names no practice: the names stand far
        # from the word, and a learning centre is no health centre
        (
            "Which GP surgery was T registered with?",
            "The agencies: Kelderton Learning Centre, the pupil referral unit; Compass Youth, the"
            " charity commissioned to provide return home interviews; and T's general practice.",
            "place",
        ),
        ("What did the review say about supervision?", "Nothing of any kind.", None),
        # a body by its name, not a kind of service
        ("Which agency has to report back?", "The Board should report by June.", None),
        (
            "Which organisations is it aimed at?",
            "It asks Eastmere Community Health NHS Trust to act.",
            None,
        ),
        ("Which organisations is it aimed at?", "The service should act sooner.", "organisation"),
        # a person's words: the person named before a verb of saying, not after it
        (
            "What did the Police and Crime Commissioner tell the review about the waiting list?",
            "The Police and Crime Commissioner should review the capacity of the service.",
            "said",
        ),
        (
            "What did the Police and Crime Commissioner tell the review about the waiting list?",
            "The Police and Crime Commissioner told the panel that funding was short.",
            None,
        ),
        ("What did the coroner say about the fire?", "The family told the coroner.", "said"),
        ("What did Mr S tell the police?", "Mr L told the police nothing.", "said"),
        # a role of three letters is a word of its own: "many" is no man
        ("What did the man tell the police?", "Many officers told the family nothing.", "said"),
        ("What did the man tell the police?", "The man told officers he lived there.", None),
        ("What did Mr S tell the police?", "Mr S told officers he was visiting.", None),
        # a pseudonym says no sex: "he" or "she" after a sentence that names him
        (
            "What did Mr S tell the police?",
            "Officers spoke to Mr S at the flat. He told them he was visiting.",
            None,
        ),
        ("What did Sibling 1 tell the school?", "Sibling 1 said she was hungry.", None),
        ("What did Sibling 1 tell the school?", "Sibling 2 said she was hungry.", "said"),
        # "she" stands for the mother after a sentence that names her, not after one about T
        (
            "What did their mother say about the social workers?",
            "The author met the mother in April 2018. She told the author that they kept changing.",
            None,
        ),
        (
            "What did T's younger sister tell the review?",
            "T met the reviewer twice. He said she came back when she said she would.",
            "said",
        ),
        # a child of the family asked of by role, in a question naming no one, may be her letter
        (
            "What did the older sister tell school staff?",
            "In November 2016 J told the school learning mentor that her mother was asleep.",
            None,
        ),
        (
            "What did T's older sister tell school staff?",
            "In November 2016 J told the school learning mentor that her mother was asleep.",
            "said",
        ),
    ],
)
def test_a_kind_is_missing_only_when_no_text_gives_one(
    question: str, text: str, missing: str | None
) -> None:
    found = missing_kind(question, ["An unrelated passage about schools.", text])

    assert (found.kind if found else None) == missing


def test_a_text_gives_an_age_only_beside_the_person_asked_about() -> None:
    question = "How old was Mr S when Baby R was injured?"
    kind = expected_kind(question)
    assert kind is not None

    gives = gives_kind(question, kind)

    assert gives("Baby R was seen. Mr S, aged 27, was her partner.")
    assert not gives("Mr S was her partner. Mr B, aged 27, was a neighbour.")
    assert not gives("Mr S was her partner from early 2015.")


@pytest.mark.parametrize(
    ("question", "quotes", "lacks"),
    [
        # a time of day and a year count nothing
        ("How many cases does the adviser carry?", ["The meeting is held at 10am daily."], True),
        ("How many plans were there?", ["In 2016 the plans drifted."], True),
        ("How many plans were there?", ["In 2016 there were more than 60 plans."], False),
        ("How many teeth were removed?", ["She needed eight teeth removed."], False),
        ("How much rent was owed?", ["Arrears had reached £1,240."], False),
        # a span or a frequency in words answers how long and how often, not how many
        ("How long did T wait?", ["He waited for a few weeks."], False),
        ("How long did T wait?", ["He was referred to the service."], True),
        ("How often was she supervised?", ["Supervision took place monthly."], False),
        ("How many visits were made?", ["Visits took place monthly."], True),
        # a day of a month counts nothing
        ("How many times were the police called?", ["On 21 November 2015 a call was made."], True),
        ("How many times were the police called?", ["Police were called 3 times."], False),
        # how often is a count of times: "in one place" is none (a wrong answer in session 23)
        ("How often was the child seen?", ["No worker could see in one place."], True),
        ("How often was the case discussed?", ["It was discussed on only four occasions."], False),
        (
            "How often was the child seen alone?",
            ["She was seen alone in 33 of the 40 cases."],
            False,
        ),
        ("How often did they meet?", ["Two of the five meetings were cancelled."], False),
        # an age counts years of age, not the people or months asked about
        (
            "How many young people does each adviser support?",
            ["Help lasts to the age of 21."],
            True,
        ),
        (
            "How many months did the order last?",
            ["L, then aged three years and nine months."],
            True,
        ),
        ("How many children were there?", ["Three children aged 2 and 5 lived there."], False),
        # a rate or an average counts no one, unless a rate is asked for
        (
            "How many children were on protection plans?",
            ["Caseloads are at an average of 19 children per social worker."],
            True,
        ),
        ("How many care leavers are in touch?", ["Advisers carry 21 young people each."], True),
        ("How many visits were made?", ["She was visited 12 times a year."], True),
        ("How many children were seen?", ["Three children were seen a week later."], False),
        (
            "How many children does each social worker have?",
            ["Caseloads are at an average of 19 children per social worker."],
            False,
        ),
        ("How many visits were there?", ["There were 3 visits per month, 40 in all."], False),
        # not a question about a number at all
        ("What did the review find?", ["Nothing was recorded."], False),
        # any quote of the answer may give it
        ("How many children?", ["The family moved.", "Three children lived there."], False),
    ],
)
def test_an_answer_to_how_many_must_quote_a_number(
    question: str, quotes: list[str], lacks: bool
) -> None:
    assert quotes_lack_number(question, quotes) is lacks


@pytest.mark.parametrize(
    ("question", "quotes", "lacks"),
    [
        # a year does not say in which month, nor a month on what date
        ("In which month did the chair leave her post?", ["The chair left in 2017."], "a month"),
        ("In which month did the chair leave her post?", ["She left in June 2017."], None),
        ("On what date was he charged?", ["He was charged in December 2015."], "a date"),
        ("On what exact date was he charged?", ["He was charged on 3 December 2015."], None),
        ("By what date must it be published?", ["It is due by 30 September 2016."], None),
        ("What year did the audit start?", ["The audit started in March."], "a year"),
        ("What year did the audit start?", ["The audit started in 2019."], None),
        # "may" the verb is no month
        ("Which month was the visit?", ["Visits may be made at any time."], "a month"),
        # "when" takes any mark of time; a clause with "when" asks nothing of the kind
        ("When did Eastmere receive the records?", ["They came on 14 September 2016."], None),
        ("When was the report shared?", ["The report was shared widely."], "a time"),
        ("And by when?", ["It should report within three months."], None),
        ("How old was Child M when she was admitted?", ["She was weighed."], None),
        ("Which year group was T in?", ["T was in a pupil referral unit."], None),
        ("What day-to-day help did she get?", ["She had a carer."], None),
    ],
)
def test_an_answer_to_when_must_quote_the_time_asked_for(
    question: str, quotes: list[str], lacks: str | None
) -> None:
    assert quotes_lack_time(question, quotes) == lacks


@pytest.mark.parametrize(
    ("question", "quotes", "lacks"),
    [
        # "the next working day" and the dates of this inspection say nothing of the next one
        (
            "When is the next full inspection due?",
            ["Children are seen by 9am on the next working day.", "It ran from 6 to 17 March."],
            "inspection",
        ),
        ("When is the next full inspection due?", ["The next inspection is due in 2026."], None),
        ("When will they publish the next overview report?", ["Published: 2022"], "overview"),
        ("When will they publish the next report?", ["A further report will follow."], None),
        # not about the next of an event
        ("What happened the next day?", ["Nothing was recorded."], None),
    ],
)
def test_a_question_about_the_next_event_needs_a_sentence_about_it(
    question: str, quotes: list[str], lacks: str | None
) -> None:
    assert quotes_lack_next(question, quotes) == lacks


def test_the_unmet_reason_names_what_the_quotes_lack() -> None:
    assert quotes_unmet("How many visits?", ["She visited."]) == (
        "the question asks for a number and no sentence found gives one"
    )
    assert quotes_unmet("In which month did she leave?", ["She left in 2017."]) == (
        "the question asks for a month and no sentence found gives one"
    )
    assert quotes_unmet("When is the next audit?", ["The audit was done in 2019."]) == (
        "the question asks about the next audit and no sentence found speaks of one"
    )
    assert quotes_unmet("How many visits?", ["She visited twice, 3 times."]) is None


def test_a_question_asks_only_for_a_kind_when_no_other_word_is_left() -> None:
    def query(question: str, terms: tuple[str, ...], names: tuple[str, ...]) -> Query:
        return Query(question, question, doc_ids=("d",), terms=terms, name_terms=names)

    assert asks_only_for_kind(query("Who wrote the overview report?", ("wrot",), ()))
    assert asks_only_for_kind(
        query("In the Ms K review, what was her job?", ("ms", "job"), ("ms",))
    )
    # what her job had to do with it is more than her job
    assert not asks_only_for_kind(
        query("What was her job, and did it matter?", ("job", "matter"), ())
    )
    assert not asks_only_for_kind(query("What did the review find?", ("find",), ()))
    # asked of no document: what letters stand for, but no other kind
    assert asks_only_for_kind(Query("What does MARAC stand for?", "q", terms=("marac", "stand")))
    assert not asks_only_for_kind(Query("Who wrote it?", "q", terms=("wrot",)))

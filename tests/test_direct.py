import pytest

from rag.direct import direct_test


@pytest.mark.parametrize(
    ("question", "direct", "indirect"),
    [
        (
            "Why did Eastmere's first assessment judge the risk of neglect to be low?",
            "It rated the risk as low, because its author did not know about the history.",
            "The assessment rated the risk of neglect as low.",
        ),
        # a belief acted on is a reason; what should have followed is none
        (
            "Why didn't the adviser tell the social worker?",
            "She did not pass it on, believing that the social worker already knew.",
            "Had she passed it on, the case should have led to a strategy discussion.",
        ),
        (
            "Why was the referral closed?",
            "In line with the team's procedure, the referral was closed after two attempts.",
            "The referral was closed on 12 June 2019.",
        ),
        # an account given to the review is one; what someone told the lead reviewer they did
        # is none
        (
            "Why did the GP not refer Ms K?",
            "The GP told the review that Ms K had said she felt safe.",
            "She told the lead reviewer that she had reported T missing every time.",
        ),
        (
            "How long was the boy left without any schooling after the exclusion?",
            "T had no education provision for six weeks after the exclusion.",
            "On 14 November 2019 T was permanently excluded.",
        ),
        (
            "How often did the social worker receive supervision?",
            "She had supervision only every 10 weeks instead of monthly.",
            "Supervision records were brief.",
        ),
        # whether it was ever done: a sentence saying it never was
        (
            "Was Ms K's case ever referred to MARAC?",
            "No referral was made to the Sedgecombe MARAC at any point.",
            "A case could be referred to MARAC on any of three grounds.",
        ),
        (
            "In the Mr D review, did anyone ever assess his capacity?",
            "His capacity was never assessed.",
            "His capacity was assessed by the GP in 2018.",
        ),
        (
            "In the Child M review, when did Eastmere receive the full case records?",
            "The full records were received on 14 September 2016.",
            "The records were never read in full.",
        ),
        (
            "What did Child M say when the teaching assistant asked about the bread?",
            'She said "it\'s for later because I have my tea after everyone".',
            "A teaching assistant found bread in her coat pocket.",
        ),
        (
            "How many teeth did the older child need taken out?",
            "J needed eight teeth removed under general anaesthetic.",
            "J had severe dental decay.",
        ),
        # a span of dates, not the period named
        (
            "What period did the Ms K review cover?",
            "The review considered the period from 1 September 2015 to 12 April 2017.",
            "No professional spoke to either child during the period under review.",
        ),
        (
            "Which years did the overview look at?",
            "It draws on four reviews published between 2016 and 2019.",
            "The overview was published in 2022.",
        ),
        # two times are no span
        (
            "What period did the Child T review cover?",
            "The review considered the period from 1 September 2018, when T started Year 8, to 11"
            " February 2021.",
            "His case manager was absent in December 2020 and January 2021.",
        ),
        # how far something differed: a range
        (
            "How far did reliance on agency social workers differ between the four areas?",
            "In 2022, the proportion of agency social workers ranged from 14% in Northbrook to 29%.",
            "Each area has agreed the pay rates for agency social workers.",
        ),
        (
            "How did the share of agency staff vary across the region?",
            "Agency staff made up between 14% and 29% of social workers.",
            "Agency staff were used in every area.",
        ),
        # what happened on a day: the sentence that opens with it, not one naming it among others
        (
            "What happened on 4 September 2015?",
            "On 4 September 2015 Baby R, then six weeks old, was taken to the surgery.",
            "There were two points, the call-out on 2 June 2015 and the check on 4 September 2015.",
        ),
        (
            "What happened on the 4th of September?",
            "4 September 2015: the six-week check at Millbrook Surgery.",
            "The bruise on 4 September may have had an innocent explanation.",
        ),
        (
            "How old was Mr S when Baby R was injured?",
            "Mr S, aged 27, was Mother's partner.",
            "Mr S was Mother's partner.",
        ),
    ],
)
def test_a_sentence_answers_directly_when_it_gives_what_is_asked_for(
    question: str, direct: str, indirect: str
) -> None:
    gives = direct_test(question)

    assert gives is not None
    assert gives(direct)
    assert not gives(indirect)


def test_the_kind_asked_for_first_decides_and_a_plain_question_asks_for_none() -> None:
    when_and_why = direct_test("When and why was Child T excluded?")

    assert when_and_why is not None
    assert when_and_why("He was excluded on 14 November 2019.")
    assert not when_and_why("He was excluded because he carried a knife.")
    assert direct_test("What did the review find about supervision?") is None
    assert direct_test("What did inspectors find when they visited?") is None

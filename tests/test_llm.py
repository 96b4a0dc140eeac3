"""The optional LLM composer, driven by langchain's fake chat models (no real LLM in tests)."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from ingest.embed import Encoder
from ingest.index import PassageIndex
from ingest.settings import Settings
from rag.answer import Answer
from rag.ask import ask
from rag.llm import LLMSettingsError, load_chat_model

QUESTION = "In the Baby R review, how often did the allocated social worker receive supervision?"
LLM = Settings(answer_mode="llm", llm_timeout_s=2)


def llm_answer(index: PassageIndex, encoder: Encoder, model, settings: Settings = LLM) -> Answer:  # type: ignore[no-untyped-def]
    return ask(QUESTION, index=index, encoder=encoder, settings=settings, chat_model=model)


def test_cited_supported_sentences_pass_and_the_rest_are_flagged(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    reply = (
        "The allocated social worker had supervision only every 10 weeks instead of monthly [1]. "
        "The Board later banned agency staff from the county [1]. "
        "Mother had moved flats twice [9]. "
        "No passage supports this sentence."
    )

    answer = llm_answer(
        corpus_index, encoder, GenericFakeChatModel(messages=iter([AIMessage(content=reply)]))
    )

    assert answer.mode == "llm"
    assert [(c.n, c.passage_id) for c in answer.citations] == [(1, "baby-r#¶10.13")]
    assert answer.citations[0].quote in answer.citations[0].passage_text
    assert "supervision" in answer.citations[0].quote
    assert answer.text.startswith(
        "The allocated social worker had supervision only every 10 weeks instead of monthly. [1]"
    )
    assert answer.unverified == [
        "The Board later banned agency staff from the county.",
        "Mother had moved flats twice.",
        "No passage supports this sentence.",
    ]
    assert "[9]" not in answer.text
    assert answer.text.count("*(unverified)*") == 3


def test_a_question_refused_for_its_missing_number_is_not_sent_to_the_model(
    corpus_index: PassageIndex, encoder: Encoder
) -> None:
    question = (
        "In the Thornvale inspection, how many cases does the independent domestic violence"
        " adviser who attends the daily domestic abuse triage meeting carry?"
    )
    # a reply the checks would pass: a sentence of the first passage shown, cited
    reply = "A daily domestic abuse triage meeting is held in the MASH at 10am [1]."
    model = GenericFakeChatModel(messages=iter([AIMessage(content=reply)]))

    answer = ask(question, index=corpus_index, encoder=encoder, settings=LLM, chat_model=model)

    assert answer.refused and answer.mode == "extractive" and answer.citations == []
    assert answer.reason == "the question asks for a number and no sentence found gives one"


@pytest.mark.parametrize(
    ("model", "note"),
    [
        (
            GenericFakeChatModel(
                messages=iter([AIMessage(content="Supervision was fine. Nobody worried.")])
            ),
            "cited nothing it could be checked against",
        ),
        (FakeListChatModel(responses=["too slow [1]."], sleep=5), "did not answer within 2 s"),
        (GenericFakeChatModel(messages=iter([])), "the language model failed (StopIteration"),
    ],
    ids=["no-citations", "timeout", "error"],
)
def test_a_failing_model_falls_back_to_the_extractive_answer_and_says_so(
    corpus_index: PassageIndex,
    encoder: Encoder,
    model,
    note: str,  # type: ignore[no-untyped-def]
) -> None:
    extractive = ask(QUESTION, index=corpus_index, encoder=encoder, settings=Settings())

    answer = llm_answer(corpus_index, encoder, model)

    assert answer.mode == "extractive"
    assert answer.text == extractive.text
    assert [c.passage_id for c in answer.citations] == [c.passage_id for c in extractive.citations]
    assert len(answer.notes) == 1 and note in answer.notes[0]
    assert answer.notes[0].startswith("Showing quoted sentences instead:")


def test_llm_mode_without_a_model_name_is_a_clear_error() -> None:
    with pytest.raises(LLMSettingsError, match="needs REVIEWQA_LLM_MODEL"):
        load_chat_model(Settings(answer_mode="llm"))

"""The Streamlit page, run headless with AppTest against a real index (a private copy per test)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import pytest
from streamlit.testing.v1 import AppTest

from ingest.index import PassageIndex
from rag.export import source_label
from rag.feedback import FEEDBACK_FILE, FeedbackStore
from rag.render import escape_markdown, markdown_literal
from tests.conftest import ROOT

SUPERVISION = "How often was the Baby R social worker supervised?"
CHILD_Z = """# Serious Case Review: Child Z

Published 3 May 2021

## 1 Introduction

1.1 This review concerns Child Z, aged four, who lived with her grandmother in Westbury.

## 2 Findings

2.1 The review found that the lighthouse keeper's referral of March 2020 was never recorded by the
duty team, so no assessment of Child Z's home followed it.
"""


@pytest.fixture
def index_dir(corpus_index: PassageIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the corpus index (answers write an audit trail; uploads add documents)."""
    assert corpus_index.cache_dir is not None
    target = tmp_path / "index"
    shutil.copytree(corpus_index.cache_dir, target)
    monkeypatch.setenv("REVIEWQA_INDEX_DIR", str(target))
    return target


def open_app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def ask_app(app: AppTest, question: str) -> AppTest:
    app.chat_input[0].set_value(question).run()
    assert not app.exception
    return app


def html_bodies(app: AppTest) -> list[str]:
    return [h.value for h in app.html if not h.value.lstrip().startswith("<style>")]


def cards(app: AppTest) -> list[str]:
    return [body for body in html_bodies(app) if 'class="rq-card"' in body]


def library_caption(app: AppTest) -> str:
    return next(c.value for c in app.sidebar.caption if c.value.endswith("passages"))


def cited_docs(app: AppTest) -> set[str]:
    return {c.doc_id for c in app.session_state["turns"][-1].answer.citations}


def test_library_lists_the_ingested_documents(index_dir: Path) -> None:
    app = open_app()

    assert not app.exception
    assert library_caption(app) == "8 documents, 583 passages"
    library = app.sidebar.get("html")[-1].value
    assert library.startswith(
        '<ul class="rq-library"><li><div class="rq-card-title">Domestic Homicide Review: Ms K</div>'
        '<div class="rq-meta">Domestic homicide review · '
    )
    assert library.count("<li>") == 8
    assert library.count("Serious case review · ") == 3
    assert [b.label for b in app.main.button] == [
        "What was said about supervision?",
        "What did the reviews find about information sharing?",
        "What was recommended about the voice of the child?",
    ]


def test_an_empty_library_says_how_to_fill_it(tmp_path: Path) -> None:
    app = open_app()

    assert not app.exception
    assert "is empty" in app.info[0].value
    assert not app.chat_input


def test_first_run_builds_the_library_from_the_corpus_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "child-z.md").write_text(CHILD_Z, encoding="utf-8")
    monkeypatch.setenv("REVIEWQA_CORPUS_DIR", str(corpus))

    app = open_app()

    assert not app.exception
    assert (
        app.info[0].value == "First run: building the library from 1 document in the corpus folder."
    )
    bar = app.get("progress")[0]
    assert bar.value == 100
    assert bar.proto.text.startswith("Library built: 1 document, 3 passages in ")
    assert library_caption(app) == "1 document, 3 passages"
    assert app.chat_input


def test_a_question_is_answered_with_source_cards(index_dir: Path) -> None:
    app = ask_app(open_app(), SUPERVISION)

    answer = app.session_state["turns"][0].answer
    assert not answer.refused
    first = answer.citations[0]
    assert (first.doc_id, first.paragraph, first.page) == ("baby-r", "10.13", 8)
    body = html_bodies(app)[0]
    assert body.startswith('<div class="rq-answer"><p>The allocated social worker had supervision')
    assert '<span class="rq-ref">[1]</span>' in body
    assert len(cards(app)) == len(answer.citations)
    assert (
        '<div class="rq-card-title"><span class="rq-ref">[1]</span> Serious Case Review: Baby R (2016)</div>'
        '<div class="rq-meta">Serious case review · 10 Analysis &gt; Management oversight and '
        "supervision · ¶10.13 · p.8</div>"
    ) in cards(app)[0]
    assert f"<mark>{first.quote}</mark>" in cards(app)[0]
    assert [e.label for e in app.expander] == ["Show the surrounding text"] * len(answer.citations)
    context = app.expander[0].get("html")[0].value
    assert (
        '<div class="rq-context-para rq-cited"><span class="rq-meta">¶10.13 · p.8</span>' in context
    )
    assert "¶10.12" in context and "¶10.14" in context
    originals = [b for b in app.get("download_button") if b.label == "Original (PDF)"]
    assert len(originals) == len(answer.citations)
    assert [m.name for m in app.chat_message] == ["user", "assistant"]


def test_an_unanswerable_question_is_refused_with_related_passages(index_dir: Path) -> None:
    app = ask_app(open_app(), "What is the recipe for banana bread?")

    answer = app.session_state["turns"][0].answer
    assert answer.refused
    box = html_bodies(app)[0]
    assert box.startswith(
        '<div class="rq-refusal"><p class="rq-refusal-head">The documents do not appear to answer '
        "this question.</p><p>Possibly related:</p><ul><li>"
    )
    assert box.count("<li>") == 3
    assert "**Sources**" not in [m.value for m in app.markdown]
    assert len(cards(app)) == 3  # the related passages, inside the expander
    assert [e.label for e in app.expander] == ["Read the possibly related passages"]


def test_a_misspelt_question_is_answered_and_says_what_it_read(index_dir: Path) -> None:
    app = ask_app(open_app(), "How often was the Baby R social worker supervsed?")

    answer = app.session_state["turns"][0].answer
    assert not answer.refused
    assert (answer.citations[0].doc_id, answer.citations[0].paragraph) == ("baby-r", "10.13")
    note = "Read “supervsed” as “supervised”: no document uses the word as typed."
    assert escape_markdown(note) in [c.value for c in app.caption]  # shown as written
    assert answer.question == "How often was the Baby R social worker supervsed?"


def test_a_refusal_says_what_the_documents_do_not_hold_when_it_knows(index_dir: Path) -> None:
    app = ask_app(
        open_app(), "What did the serious case review into Baby Q find about co-sleeping?"
    )

    assert html_bodies(app)[0].startswith(
        '<div class="rq-refusal"><p class="rq-refusal-head">The documents do not appear to answer '
        "this question: no document mentions Baby Q.</p><p>Possibly related:</p><ul><li>"
    )


def test_filters_change_the_cited_documents(index_dir: Path) -> None:
    app = ask_app(open_app(), "What was said about supervision?")
    assert len(cited_docs(app)) > 2

    app.multiselect(key="filter_docs").set_value(["mr-d"])
    ask_app(app, "What was said about supervision?")
    assert cited_docs(app) == {"mr-d"}

    app.multiselect(key="filter_docs").set_value([])
    app.multiselect(key="filter_kinds").set_value(["dhr"])
    ask_app(app, "What was said about risk assessment?")
    assert cited_docs(app) == {"ms-k"}


def test_document_markup_renders_as_text(index_dir: Path) -> None:
    app = ask_app(open_app(), "What did the message with call me say?")

    bodies = "".join(html_bodies(app))
    assert "&lt;b&gt;call me&lt;/b&gt;" in bodies
    assert "[click here](http://example.invalid)" in bodies  # as text in the passage, no link
    assert "<b>" not in bodies and "<a " not in bodies and "<img" not in bodies


def test_export_holds_every_quote_as_markdown_and_docx(index_dir: Path) -> None:
    app = ask_app(open_app(), SUPERVISION)
    ask_app(app, "What was said about supervision?")

    export = app.session_state["export"]
    answers = [t.answer for t in app.session_state["turns"]]
    citations = [c for a in answers for c in a.citations]
    assert export["md"].startswith("# Questions to the review documents\n")
    for c in citations:
        assert (
            f"[{c.n}] {markdown_literal(source_label(c))}\n\n> {markdown_literal(c.quote)}\n"
            in (export["md"])
        )
    word = [p.text for p in docx.Document(io.BytesIO(export["docx"])).paragraphs]
    assert "1. How often was the Baby R social worker supervised?" in word
    assert [c.quote for c in citations] == [t for t in word if t in {c.quote for c in citations}]
    buttons = {b.label: b for b in app.get("download_button")}
    assert not buttons["Markdown"].proto.disabled and not buttons["Word"].proto.disabled


def test_an_uploaded_file_is_ingested_and_can_be_asked(index_dir: Path) -> None:
    app = open_app()
    app.file_uploader[0].upload("child-z.md", CHILD_Z.encode(), "text/markdown").run()
    app.button(key="add_uploads").click().run()

    assert not app.exception
    assert [s.value for s in app.success] == [escape_markdown("child-z.md was added (3 passages).")]
    assert library_caption(app) == "9 documents, 586 passages"
    assert (index_dir / "uploads" / "child-z.md").read_text(encoding="utf-8") == CHILD_Z
    ask_app(app, "What happened to the lighthouse keeper's referral?")
    assert cited_docs(app) == {"child-z"}


def test_a_corrupt_upload_is_refused_in_one_sentence_and_changes_nothing(index_dir: Path) -> None:
    app = open_app()
    app.file_uploader[0].upload(
        "broken.pdf", b"%PDF-1.7\n1 0 obj <<>> garbage", "application/pdf"
    ).run()
    app.button(key="add_uploads").click().run()

    assert not app.exception
    assert [e.value for e in app.error] == [
        escape_markdown("broken.pdf was not added: not a readable PDF (corrupt or truncated).")
    ]
    assert library_caption(app) == "8 documents, 583 passages"
    assert list((index_dir / "uploads").iterdir()) == []


def test_feedback_is_stored_with_the_question_answer_and_citations(index_dir: Path) -> None:
    app = ask_app(open_app(), SUPERVISION)
    app.feedback[0].set_value(0).run()
    app.text_input[0].input("Paragraph 10.13 is the right one.").run()

    records = FeedbackStore(index_dir / FEEDBACK_FILE).answers()
    assert len(records) == 1
    record = records[0]
    answer = app.session_state["turns"][0].answer
    assert (record.question, record.answer, record.refused) == (SUPERVISION, answer.text, False)
    assert [c["quote"] for c in record.citations] == [c.quote for c in answer.citations]
    assert record.citations[0]["passage_id"] == "baby-r#¶10.13"
    assert (record.rating, record.comment) == ("down", "Paragraph 10.13 is the right one.")


def test_an_example_question_is_asked_and_new_conversation_clears_it(index_dir: Path) -> None:
    app = open_app()
    app.button(key="example-0").click().run()

    assert app.session_state["turns"][0].answer.question == "What was said about supervision?"
    assert not app.session_state["turns"][0].answer.refused
    assert "What was said about supervision?" not in [b.label for b in app.main.button]

    app.button(key="new_conversation").click().run()
    assert app.session_state["turns"] == []
    assert not app.chat_message

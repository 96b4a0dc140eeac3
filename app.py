"""reviewqa in the browser: ask the review documents a question, see where every quote comes from."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import streamlit as st

from ingest import glossary
from ingest.embed import Backend, Encoder, encoder_name, load_encoder
from ingest.index import DocRecord, PassageIndex, encoder_mismatch, open_client
from ingest.pipeline import find_files, ingest_paths
from ingest.settings import Settings, get_settings
from ingest.structure import Document
from rag.answer import Answer, Citation, titled
from rag.ask import ask
from rag.export import RELATED_SHOWN, conversation_docx, conversation_markdown
from rag.feedback import FEEDBACK_FILE, FeedbackStore
from rag.render import (
    answer_html,
    citation_card_html,
    context_html,
    context_paragraphs,
    escape_markdown,
    kind_name,
    library_html,
    passage_card_html,
    plural,
    refusal_html,
)
from rag.retrieve import Filters
from rag.uploads import UPLOAD_DIR, Upload, add_uploads, describe, ingest_options

MODES = {"extractive": "Verbatim quotes", "llm": "Written by a language model"}
EXAMPLES = (
    "What was said about supervision?",
    "What did the reviews find about information sharing?",
    "What was recommended about the voice of the child?",
)
UPLOAD_TYPES = ["pdf", "docx", "html", "htm", "md", "markdown", "txt"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIME = {"pdf": "application/pdf", "docx": DOCX, "html": "text/html", "md": "text/markdown"}
PDF_LINK_MAX_BYTES = 20_000_000  # larger PDFs get the download only, not an in-browser link
STYLE = Path(__file__).with_name("app.css")


@dataclass
class Turn:
    """One question of the conversation, its answer and its row in the audit trail."""

    answer: Answer
    record_id: int | None


# --- cached resources ----------------------------------------------------------------------------


@st.cache_resource(show_spinner="Preparing the search…")
def get_encoder(
    device: str, batch_size: int | None, backend: Backend, cache_dir: Path | None
) -> Encoder:
    """The packaged embedding model, loaded once per process."""
    return load_encoder(device, batch_size, backend, cache_dir)


@st.cache_resource(show_spinner="Opening the index…")
def get_index(settings: Settings) -> PassageIndex:
    """One index per process, shared by every session."""
    return PassageIndex(
        open_client(settings),
        settings.collection,
        cache_dir=settings.index_dir,
        ef_search=settings.hnsw_ef_search,
    )


@st.cache_resource(show_spinner=False)
def get_store(path: Path) -> FeedbackStore:
    """The audit trail and feedback file."""
    return FeedbackStore(path)


@st.cache_resource(show_spinner=False)
def get_build_lock(index_dir: Path) -> threading.Lock:
    """Held while one session builds the first index, so two sessions never build it twice."""
    return threading.Lock()


@st.cache_resource(show_spinner=False, max_entries=32)
def get_document(_index: PassageIndex, doc_id: str, version: str) -> Document | None:
    """A stored parsed document, for context views (keyed by version: a re-ingest is seen)."""
    return _index.document(doc_id)


def encoder_for(settings: Settings) -> Encoder:
    """The embedding model the settings ask for."""
    return get_encoder(
        settings.device,
        settings.embed_batch_size,
        settings.encoder_backend,
        settings.model_cache_dir,
    )


@st.cache_resource(show_spinner="Loading the language model…")
def get_chat_model(settings: Settings) -> Any:
    """The chat model REVIEWQA_LLM_MODEL names."""
    from rag.llm import load_chat_model

    return load_chat_model(settings)


# --- session state and callbacks -----------------------------------------------------------------


def init_state() -> None:
    """Seed the conversation and the widgets' helpers."""
    st.session_state.setdefault("turns", [])
    st.session_state.setdefault("conversation", uuid.uuid4().hex)
    st.session_state.setdefault("upload_round", 0)


def start_new_conversation() -> None:
    """Forget the conversation (the audit trail keeps it)."""
    st.session_state.turns = []
    st.session_state.conversation = uuid.uuid4().hex
    st.session_state.pop("export", None)


def ask_example(question: str) -> None:
    """An example question was clicked: ask it on this run."""
    st.session_state.pending = question


def save_feedback(store: FeedbackStore, record_id: int, key: str) -> None:
    """Write the thumbs and comment of one answer into the audit trail."""
    thumbs = st.session_state.get(f"rating-{key}")
    rating = None if thumbs is None else ("up" if thumbs == 1 else "down")
    store.record_feedback(record_id, rating, st.session_state.get(f"comment-{key}") or "")
    st.toast("Thank you: your feedback was saved.")


# --- the library: first build, sidebar, uploads --------------------------------------------------


class ProgressBar:
    """An st.progress bar fed by the ingest pipeline's (event, amount) callback."""

    def __init__(self, total_files: int, verb: str) -> None:
        self.total = max(total_files, 1)
        self.verb = verb
        self.files = 0
        self.passages = 0
        self.bar = st.progress(0.0, text=self._text())

    def _text(self) -> str:
        return f"{self.verb}: {self.files} of {self.total} files, {self.passages} passages indexed"

    def update(self, event: str, amount: int) -> None:
        if event == "file":
            self.files += amount
        else:
            self.passages += amount
        self.bar.progress(min(self.files / self.total, 1.0), text=self._text())

    def done(self, text: str) -> None:
        self.bar.progress(1.0, text=text)


def build_first_index(settings: Settings, index: PassageIndex) -> None:
    """An empty library on first run: index the bundled corpus, with a progress bar."""
    folder = settings.corpus_dir
    files = find_files([folder]).files if folder.is_dir() else []
    if not files:
        return
    with get_build_lock(settings.index_dir):
        index.refresh()
        if index.documents():  # another session built it while this one waited
            return
        st.info(
            f"First run: building the library from {plural(len(files), 'document')} in the corpus folder."
        )
        encoder = encoder_for(settings)
        bar = ProgressBar(len(files), "Indexing")
        report = ingest_paths(
            [folder], index, encoder, ingest_options(settings, encoder), bar.update
        )
        bar.done(
            f"Library built: {plural(len(index.documents()), 'document')}, "
            f"{plural(index.count(), 'passage')} in {report.seconds:.0f} s"
        )
    for result in report.failed:
        st.error(escape_markdown(describe(result)))


def render_library(index: PassageIndex) -> None:
    """The documents in the library, with kind, date and passage counts."""
    records = index.documents()
    st.subheader("Library")
    st.caption(f"{plural(len(records), 'document')}, {plural(index.count(), 'passage')}")
    # a long library scrolls inside its own box rather than pushing the uploader out of sight
    with st.container(height=420 if len(records) > 10 else "content", border=False):
        st.html(library_html(records))


def section_name(kind: str) -> str:
    """A section kind as a label ("terms_of_reference" -> "Terms of reference")."""
    return kind.replace("_", " ").capitalize()


def choose(label: str, options: list[str], show: Any, none: str, key: str) -> tuple[str, ...]:
    """A multiselect where choosing nothing means everything."""
    return tuple(st.multiselect(label, options, format_func=show, placeholder=none, key=key))


def render_filters(index: PassageIndex) -> Filters:
    """Which documents, kinds and sections answers may quote."""
    titles = {r.doc_id: titled(r.title, r.date) for r in index.documents()}
    kinds = sorted({r.kind for r in index.documents()})
    sections = index.section_kinds()
    st.subheader("Search in")
    return Filters(
        doc_ids=choose("Documents", list(titles), titles.get, "All documents", "filter_docs"),
        kinds=choose("Kind of document", kinds, kind_name, "All kinds", "filter_kinds"),
        section_kinds=choose(
            "Kind of section", sections, section_name, "All sections", "filter_sections"
        ),
    )


def render_answer_mode(settings: Settings) -> str:
    """Extractive answers, or LLM-written ones when a chat model is configured."""
    available = bool(settings.llm_model)
    default = settings.answer_mode if available else "extractive"
    mode = st.radio(
        "Answers",
        list(MODES),
        index=list(MODES).index(default),
        format_func=MODES.__getitem__,
        disabled=not available,
        key="answer_mode",
    )
    if not available:
        st.caption("No language model is configured, so every answer is made of verbatim quotes.")
    return str(mode) if available else "extractive"


def render_uploads(settings: Settings, index: PassageIndex) -> None:
    """Add documents: each file ingested with a progress bar, each failure one plain sentence."""
    st.subheader("Add documents")
    files = st.file_uploader(
        "PDF, Word, HTML, Markdown or text files",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=f"upload-{st.session_state.upload_round}",
    )
    if st.button("Add to the library", disabled=not files, key="add_uploads"):
        encoder = encoder_for(settings)
        bar = ProgressBar(len(files or []), "Adding")
        report = add_uploads(
            [Upload(f.name, f.getvalue()) for f in files or []],
            settings.index_dir / UPLOAD_DIR,
            index,
            encoder,
            ingest_options(settings, encoder),
            bar.update,
        )
        st.session_state.upload_notes = [(r.status == "failed", describe(r)) for r in report.files]
        st.session_state.upload_round += 1  # a fresh, empty uploader
        st.rerun()
    for failed, note in st.session_state.pop("upload_notes", []):
        (st.error if failed else st.success)(escape_markdown(note))


def conversation_exports(answers: list[Answer]) -> dict[str, Any]:
    """The conversation as Markdown and DOCX, made again only when it has grown."""
    key = (st.session_state.conversation, len(answers))
    export = st.session_state.get("export")
    if export is None or export["key"] != key:
        export = {
            "key": key,
            "md": conversation_markdown(answers),
            "docx": conversation_docx(answers),
        }
        st.session_state.export = export
    return dict(export)


def render_conversation_tools(answers: list[Answer]) -> None:
    """New conversation, and the conversation exported as Markdown and DOCX."""
    st.button(
        "New conversation",
        on_click=start_new_conversation,
        icon=":material/add:",
        key="new_conversation",
    )
    st.caption("Export the conversation with its sources and quotes")
    export = conversation_exports(answers) if answers else {"md": "", "docx": b""}
    row = st.container(horizontal=True)
    for label, data, name, mime in (
        ("Markdown", export["md"], "reviewqa-conversation.md", MIME["md"]),
        ("Word", export["docx"], "reviewqa-conversation.docx", DOCX),
    ):
        row.download_button(
            label,
            data,
            file_name=name,
            mime=mime,
            disabled=not answers,
            on_click="ignore",
            icon=":material/download:",
        )


# --- answers and source cards --------------------------------------------------------------------


def pdf_page_url(path: Path, page: int, key: str) -> str | None:
    """A URL that opens the PDF at a page (Streamlit's media store), where it can be served."""
    try:
        from streamlit import runtime

        if path.stat().st_size > PDF_LINK_MAX_BYTES or not runtime.exists():
            return None
        url = runtime.get_instance().media_file_mgr.add(str(path), MIME["pdf"], key)
    except (OSError, RuntimeError):
        return None
    return f"{url}#page={page}"


def render_original(record: DocRecord | None, page: int | None, key: str) -> None:
    """Download the original file; a PDF also opens at the cited page."""
    path = Path(record.source) if record else None
    if record is None or path is None or not path.is_file():
        st.caption("The original file is not available on this computer.")
        return
    row = st.container(horizontal=True)
    row.download_button(
        f"Original ({record.format.upper()})",
        path.read_bytes,  # read only when clicked
        file_name=path.name,
        mime=MIME.get(record.format, "application/octet-stream"),
        on_click="ignore",
        key=f"{key}-original",
        icon=":material/download:",
    )
    url = pdf_page_url(path, page, f"{key}-pdf") if record.format == "pdf" and page else None
    if url:
        row.link_button(f"Open at page {page}", url, icon=":material/open_in_new:")


def render_context(index: PassageIndex, record: DocRecord | None, labels: list[str]) -> None:
    """The cited paragraph with its neighbours from the stored clean text."""
    doc = get_document(index, record.doc_id, record.version) if record else None
    paragraphs = context_paragraphs(doc, labels) if doc else []
    if not paragraphs:
        st.caption("The surrounding text is not available.")
        return
    st.html(context_html(paragraphs))


def render_source_card(index: PassageIndex, c: Citation, key: str) -> None:
    """One citation: where it stands, the passage with the quote highlighted, context, original."""
    record = index.record(c.doc_id)
    with st.container(border=True):
        st.html(citation_card_html(c, record.kind if record else ""))
        with st.expander("Show the surrounding text"):
            render_context(index, record, [c.paragraph])
        render_original(record, c.page, key)


def render_related(index: PassageIndex, answer: Answer, key: str) -> None:
    """A refusal: a distinct box naming the possibly related passages, which can be read."""
    related = [cand.passage for cand in answer.passages[:RELATED_SHOWN]]
    st.html(refusal_html(related, answer.unmet))
    if related:
        with st.expander("Read the possibly related passages"):
            for i, passage in enumerate(related):
                st.html(passage_card_html(passage))
                page = passage.metadata.get("page_start")
                render_original(index.record(passage.doc_id), page, f"{key}-related-{i}")


def render_answer(index: PassageIndex, store: FeedbackStore, turn: Turn, key: str) -> None:
    """The assistant's side of a turn: answer or refusal, sources, feedback."""
    answer = turn.answer
    if answer.refused:
        render_related(index, answer, key)
    else:
        st.html(answer_html(answer.text))
    # what was read ("Read “supervison” as “supervision”"), of a refusal too
    for note in answer.notes:
        st.caption(escape_markdown(note))
    if not answer.refused:
        st.markdown("**Sources**")
        for c in answer.citations:
            render_source_card(index, c, f"{key}-{c.n}")
    if turn.record_id is not None:
        render_feedback(store, turn.record_id, key)


def render_feedback(store: FeedbackStore, record_id: int, key: str) -> None:
    """Thumbs up or down, then an optional comment."""
    callback = partial(save_feedback, store, record_id, key)
    rating = st.feedback("thumbs", key=f"rating-{key}", on_change=callback)
    if rating is not None:
        st.text_input(
            "Comment (optional)",
            key=f"comment-{key}",
            on_change=callback,
            placeholder="What was right or wrong with this answer?",
        )


def render_question(question: str) -> None:
    """The user's side of a turn."""
    with st.chat_message("user"):
        st.markdown(escape_markdown(question))


def answer_question(
    question: str, filters: Filters, mode: str, settings: Settings, index: PassageIndex
) -> Answer:
    """Ask the index, with the conversation's earlier questions as history."""
    history = [turn.answer.question for turn in st.session_state.turns]
    chat_model = None
    if mode == "llm":
        try:
            chat_model = get_chat_model(settings)
        except Exception as exc:  # a misconfigured model must not stop the quotes
            st.warning(
                escape_markdown(f"The language model is not available ({exc}); quoting instead.")
            )
    return ask(
        question,
        history,
        filters,
        index=index,
        encoder=encoder_for(settings),
        settings=settings.model_copy(update={"answer_mode": mode}),
        chat_model=chat_model,
    )


def handle_question(
    question: str,
    filters: Filters,
    mode: str,
    settings: Settings,
    index: PassageIndex,
    store: FeedbackStore,
) -> None:
    """Answer a new question, record it in the audit trail, show it, add it to the conversation."""
    render_question(question)
    with st.chat_message("assistant"):
        try:
            with st.spinner("Searching the reviews…"):
                answer = answer_question(question, filters, mode, settings, index)
        except Exception as exc:  # one plain sentence, never a traceback, for a board member
            st.error(escape_markdown(f"The question could not be answered: {exc}"))
            return
        try:
            record_id: int | None = store.record_answer(
                answer, st.session_state.conversation, filters
            )
        except Exception:  # the answer still counts; only the audit row is missing
            record_id = None
            st.caption("This answer could not be written to the audit trail.")
        turn = Turn(answer, record_id)
        st.session_state.turns.append(turn)
        render_answer(
            index, store, turn, f"{st.session_state.conversation}-{len(st.session_state.turns)}"
        )


def render_empty_state() -> None:
    """What the page is for, and example questions to click."""
    st.markdown(
        "Ask a question about the safeguarding reviews in the library. Every answer is built from "
        "sentences quoted word for word, and each quote names its review, section, paragraph and "
        "page, so you can check it. When the documents do not answer, reviewqa says so."
    )
    st.caption("Try one of these:")
    for i, example in enumerate(EXAMPLES):
        st.button(example, key=f"example-{i}", on_click=ask_example, args=(example,))


def main() -> None:
    """The page: sidebar (conversation, filters, library, uploads) and the chat."""
    st.set_page_config(page_title="reviewqa", page_icon="📑")
    st.html(STYLE)
    settings = get_settings()
    init_state()
    st.title("reviewqa")
    st.caption("Questions over safeguarding reviews, answered with quotes you can check.")
    try:
        glossary.use(settings.glossary_file)
    except glossary.GlossaryError as exc:
        st.error(f"The glossary cannot be read: {exc}.")
        st.stop()
    index = get_index(settings)
    index.refresh()
    if not index.documents():
        build_first_index(settings, index)
    problem = encoder_mismatch(index, encoder_name(settings.encoder_backend))
    if problem:
        st.error(f"This library cannot be searched with these settings: {problem}.")
        st.stop()
    store = get_store(settings.index_dir / FEEDBACK_FILE)
    tools = st.sidebar.container()
    with st.sidebar:
        filters = render_filters(index) if index.documents() else Filters()
        mode = render_answer_mode(settings)
        render_library(index)
        render_uploads(settings, index)
    if not index.documents():
        st.info(
            f"The library at {escape_markdown(str(settings.index_dir))} is empty. Add review "
            "documents with **Add documents** in the sidebar, or run `reviewqa ingest PATH`."
        )
    else:
        # chat_input sits at the bottom of the page wherever it is called; read it first so the
        # empty state is not drawn above a question that is about to be answered
        typed = st.chat_input("Ask a question about the reviews")
        question = (typed or st.session_state.pop("pending", None) or "").strip()
        turns: list[Turn] = st.session_state.turns
        if not turns and not question:
            render_empty_state()
        for i, turn in enumerate(turns, 1):
            render_question(turn.answer.question)
            with st.chat_message("assistant"):
                render_answer(index, store, turn, f"{st.session_state.conversation}-{i}")
        if question:
            handle_question(question, filters, mode, settings, index, store)
    with tools:
        render_conversation_tools([turn.answer for turn in st.session_state.turns])
    if index.documents():  # load the model now, after the page is drawn, not on the first question
        encoder_for(settings)


main()

"""reviewqa in the browser: the library of ingested review documents (chat arrives with issue 4)."""

from __future__ import annotations

import streamlit as st

from ingest.index import PassageIndex, open_client
from ingest.settings import Settings, get_settings

KIND_NAMES = {
    "scr": "Serious case review",
    "cspr": "Child safeguarding practice review",
    "sar": "Safeguarding adults review",
    "dhr": "Domestic homicide review",
    "inspection": "Inspection report",
    "overview": "Overview report",
    "other": "Other",
}


@st.cache_resource(show_spinner="Opening the index…")
def get_index(settings: Settings) -> PassageIndex:
    """One index per process, shared by every session."""
    return PassageIndex(open_client(settings), settings.collection, cache_dir=settings.index_dir)


def main() -> None:
    """Render the library page."""
    st.set_page_config(page_title="reviewqa", page_icon="📑", layout="wide")
    settings = get_settings()
    st.title("reviewqa")
    st.caption("Questions over safeguarding reviews, answered with citations you can check.")
    index = get_index(settings)
    index.refresh()
    records = index.documents()
    if not records:
        st.info(
            f"The library at `{settings.index_dir}` is empty. Add documents with "
            "`reviewqa ingest PATH` (or `make run`, which indexes the bundled corpus)."
        )
        return
    st.subheader(f"Library: {len(records)} documents, {index.count()} passages")
    st.dataframe(
        [
            {
                "Title": r.title,
                "Kind": KIND_NAMES.get(r.kind, r.kind),
                "Date": r.date or "",
                "Place": r.place or "",
                "Passages": r.passages,
                "Format": r.format.upper(),
            }
            for r in records
        ],
        hide_index=True,
        width="stretch",
    )


main()

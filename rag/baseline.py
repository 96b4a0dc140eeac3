"""The naive langchain-tutorial pipeline, for comparison in the same run: RecursiveCharacterTextSplitter
(1000/200) over each document's text, the same encoder, Chroma similarity top-k, never refuses."""

from __future__ import annotations

import time
import uuid
from typing import Any

from ingest.embed import Encoder
from ingest.index import PassageIndex
from rag.evaluate import Item, Retrieved, Runner

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200


def naive_runner(index: PassageIndex, encoder: Encoder, k: int) -> Runner:
    """Chunk every indexed document the tutorial way and return a runner over that store."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document as LCDocument
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    chunks: list[LCDocument] = []
    for record in index.documents():
        doc = index.document(record.doc_id)
        if doc is None:
            continue
        source = LCDocument(page_content=doc.text, metadata={"doc_id": doc.doc_id})
        chunks.extend(splitter.split_documents([source]))
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    store = Chroma(
        collection_name=f"naive-{uuid.uuid4().hex[:8]}",
        embedding_function=encoder,
        client=client,
        collection_metadata={"hnsw:space": "cosine"},
    )
    ids = [f"chunk-{i}" for i in range(len(chunks))]
    batch = client.get_max_batch_size()
    for start in range(0, len(chunks), batch):
        store.add_documents(chunks[start : start + batch], ids=ids[start : start + batch])

    def run(item: Item) -> dict[str, Any]:
        started = time.perf_counter()
        hits = store.similarity_search(item.user_input, k=max(k, 10))
        latency = (time.perf_counter() - started) * 1000
        retrieved = [
            Retrieved(f"{h.metadata.get('doc_id')}#chunk{i}", h.page_content)
            for i, h in enumerate(hits)
        ]
        return {
            "retrieved": retrieved,
            "response": hits[0].page_content if hits else "",
            "refused": False,
            "latency_ms": latency,
        }

    return run

"""The one Settings object: every tunable of reviewqa, read from REVIEWQA_* variables or .env."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration; only entry points (the CLI, app.py) build it and pass it down."""

    model_config = SettingsConfigDict(env_prefix="REVIEWQA_", env_file=".env", extra="ignore")

    index_dir: Path = Path(".reviewqa")
    corpus_dir: Path = Path("corpus/documents")
    collection: str = Field(default="passages", min_length=3, max_length=40)
    chroma_host: str | None = None
    chroma_port: int = 8000
    max_file_mb: float = Field(default=100.0, gt=0)
    device: str = "cpu"
    encoder_backend: Literal["torch", "onnx", "onnx-int8"] = "torch"
    model_cache_dir: Path | None = None  # ONNX exports; default $XDG_CACHE_HOME/reviewqa/models
    embed_batch_size: int | None = Field(default=None, ge=1)  # default 32; on CUDA by memory
    max_tokens: int = Field(default=256, ge=32, le=512)
    merge_below_tokens: int = Field(default=48, ge=0)
    top_k: int = Field(default=5, ge=1)
    candidate_pool: int = Field(default=40, ge=1)
    hnsw_ef_search: int = Field(default=400, ge=1)  # see ingest/index.py EF_SEARCH
    max_quotes: int = Field(default=6, ge=1)
    # a misspelt question word read as the library's nearest word, with a note (rag/spelling.py)
    respell: bool = True
    # more acronyms and terms, one per line "TERM: plain words | other words" (ingest/glossary.py)
    glossary_file: Path | None = None
    answer_mode: Literal["extractive", "llm"] = "extractive"
    llm_model: str | None = None
    llm_base_url: str | None = None
    llm_timeout_s: float = Field(default=60.0, gt=0)


def get_settings() -> Settings:
    """Settings from the environment and .env, read afresh (cheap) so a changed env is seen."""
    return Settings()

"""The audit trail of what was asked and answered, with readers' feedback, in a local SQLite file.

One row per answer, written when the answer is shown; a thumbs rating and comment, when given,
are written into that row. The file lives in the index folder, next to what it audits.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from rag.answer import Answer
from rag.retrieve import Filters

FEEDBACK_FILE = "feedback.sqlite3"
Rating = Literal["up", "down"]
SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at TEXT NOT NULL,
    conversation TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    refused INTEGER NOT NULL,
    mode TEXT NOT NULL,
    filters TEXT NOT NULL,
    citations TEXT NOT NULL,
    rating TEXT CHECK (rating IN ('up', 'down')),
    comment TEXT,
    feedback_at TEXT
)
"""


@dataclass(frozen=True)
class AnswerRecord:
    """One row of the audit trail."""

    id: int
    asked_at: str
    conversation: str
    question: str
    answer: str
    refused: bool
    mode: str
    filters: dict[str, Any]
    citations: list[dict[str, Any]]
    rating: Rating | None
    comment: str | None
    feedback_at: str | None


class FeedbackStore:
    """Answers and their feedback in one SQLite file; a connection per call, so any thread may use it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            yield db

    def record_answer(
        self, answer: Answer, conversation: str, filters: Filters | None = None
    ) -> int:
        """Write an answer as shown (question, text, citations with quotes); return its id."""
        citations = [
            {k: v for k, v in asdict(c).items() if k != "passage_text"} for c in answer.citations
        ]
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO answers (asked_at, conversation, question, answer, refused, mode,"
                " filters, citations) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    conversation,
                    answer.question,
                    answer.text,
                    int(answer.refused),
                    answer.mode,
                    json.dumps(asdict(filters or Filters()), ensure_ascii=False),
                    json.dumps(citations, ensure_ascii=False),
                ),
            )
            return int(cursor.lastrowid or 0)

    def record_feedback(self, answer_id: int, rating: Rating | None, comment: str = "") -> None:
        """Set (or clear) the rating and comment of an answer."""
        with self._connect() as db:
            cursor = db.execute(
                "UPDATE answers SET rating = ?, comment = ?, feedback_at = ? WHERE id = ?",
                (rating, comment.strip() or None, _now(), answer_id),
            )
        if cursor.rowcount != 1:
            raise KeyError(f"no answer {answer_id} in {self.path}")

    def get(self, answer_id: int) -> AnswerRecord | None:
        """One answer by id."""
        rows = self._select("WHERE id = ?", (answer_id,))
        return rows[0] if rows else None

    def answers(self, conversation: str | None = None) -> list[AnswerRecord]:
        """Every answer (of one conversation, or of all), oldest first."""
        if conversation is None:
            return self._select("", ())
        return self._select("WHERE conversation = ?", (conversation,))

    def _select(self, where: str, params: tuple[Any, ...]) -> list[AnswerRecord]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute(f"SELECT * FROM answers {where} ORDER BY id", params).fetchall()
        return [
            AnswerRecord(
                **{
                    **dict(row),
                    "refused": bool(row["refused"]),
                    "filters": json.loads(row["filters"]),
                    "citations": json.loads(row["citations"]),
                }
            )
            for row in rows
        ]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

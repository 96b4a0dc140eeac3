"""Benchmark results are written beside earlier ones, never over them."""

from __future__ import annotations

import json
from pathlib import Path

from bench.ingest import save_result


def test_a_second_result_of_the_same_day_gets_a_new_name(tmp_path: Path) -> None:
    first = save_result(tmp_path / "results", "ask-corpus-2026-11-27", {"p50_ms": 28.9})
    second = save_result(tmp_path / "results", "ask-corpus-2026-11-27", {"p50_ms": 27.0})

    assert [first.name, second.name] == [
        "ask-corpus-2026-11-27.json",
        "ask-corpus-2026-11-27-2.json",
    ]
    assert json.loads(first.read_text()) == {"p50_ms": 28.9}
    assert json.loads(second.read_text()) == {"p50_ms": 27.0}

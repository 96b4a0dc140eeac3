"""The `reviewqa` command line: the ingest/docs contract, exit codes and the bad-input matrix."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rag.cli import main
from tests.conftest import CORPUS
from tests.docs import write_image_only_pdf, write_pdf

REVIEWQA = Path(sys.executable).parent / "reviewqa"


@pytest.fixture
def baby_r(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The test's index holds the Baby R review alone (its output read and dropped)."""
    shutil.copy(CORPUS / "baby-r.pdf", tmp_path)
    main(["ingest", str(tmp_path / "baby-r.pdf")])
    capsys.readouterr()


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code = main([*args, "--json"])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_ingest_then_docs_follow_the_json_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CORPUS / "baby-r.pdf", docs)
    shutil.copy(CORPUS / "ms-k.html", docs)

    code, report, err = run_json(capsys, "ingest", str(docs), "--index", str(tmp_path / "ix"))

    assert code == 0 and err == ""
    assert sorted(report) == ["embedded", "files", "seconds"]
    assert report["files"] == [
        {"path": str(docs / "baby-r.pdf"), "status": "added", "passages": 71, "error": None},
        {"path": str(docs / "ms-k.html"), "status": "added", "passages": 83, "error": None},
    ]
    assert report["embedded"] == 154
    code, listing, _ = run_json(capsys, "docs", "--index", str(tmp_path / "ix"))
    assert code == 0
    assert listing == {
        "documents": [
            {
                "doc_id": "ms-k",
                "title": "Domestic Homicide Review: Ms K",
                "kind": "dhr",
                "date": "2019-01-30",
                "source": str(docs / "ms-k.html"),
                "passages": 83,
            },
            {
                "doc_id": "baby-r",
                "title": "Serious Case Review: Baby R",
                "kind": "scr",
                "date": "2016-03-14",
                "source": str(docs / "baby-r.pdf"),
                "passages": 71,
            },
        ]
    }


def make_bad_files(folder: Path) -> dict[str, str]:
    """Every kind of bad input, with the one-line reason each must get."""
    folder.mkdir(parents=True, exist_ok=True)
    good = write_pdf(folder / "tmp.pdf", [[("b", "1.1 Text of the report.")]]).read_bytes()
    (folder / "tmp.pdf").unlink()
    (folder / "truncated.pdf").write_bytes(good[: len(good) // 3])
    write_pdf(folder / "encrypted.pdf", [[("b", "1.1 Secret.")]], encrypt="pw")
    (folder / "empty.txt").write_bytes(b"")
    write_image_only_pdf(folder / "scanned.pdf")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "big.md").write_text("1.1 A large document. " * 5000, "utf-8")
    (folder / "broken-link.docx").symlink_to(folder / "missing.docx")
    return {
        "truncated.pdf": "not a readable PDF (corrupt or truncated)",
        "encrypted.pdf": "encrypted PDF: it needs a password to open",
        "empty.txt": "empty file",
        "scanned.pdf": "no extractable text (image-only PDF?); OCR is not supported",
        "junk.txt": "binary data, not text",
        "big.md": "file is 0.1 MB, over the 0.05 MB limit",
        "broken-link.docx": "cannot read file: No such file or directory",
    }


def test_bad_files_fail_one_by_one_and_the_rest_is_ingested(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWQA_MAX_FILE_MB", "0.05")
    folder = tmp_path / "in"
    expected = make_bad_files(folder)
    shutil.copy(CORPUS / "thornvale-inspection.md", folder)
    (folder / "notes-cp1252.txt").write_bytes(
        "1.1 The café visit – on Monday – was missed.\n".encode("cp1252")
    )
    xlsx = tmp_path / "table.xlsx"
    xlsx.write_bytes(b"PK\x03\x04")

    code, report, err = run_json(
        capsys, "ingest", str(folder), str(xlsx), str(tmp_path / "nope.pdf")
    )

    assert code == 1
    failed = {Path(f["path"]).name: f["error"] for f in report["files"] if f["status"] == "failed"}
    assert failed == {
        **expected,
        "table.xlsx": "unsupported file type '.xlsx' (supported: docx, htm, html, markdown, md, pdf, txt)",
        "nope.pdf": "no such file or folder",
    }
    ok = {Path(f["path"]).name: f["status"] for f in report["files"] if f["status"] != "failed"}
    assert ok == {"thornvale-inspection.md": "added", "notes-cp1252.txt": "added"}
    lines = err.strip().splitlines()
    assert len(lines) == len(failed)
    assert all(line.startswith("reviewqa: ") for line in lines)
    assert "Traceback" not in err


def test_a_folders_readme_is_passed_over_with_a_note_unless_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the shared Ofsted folder's README.md ("Ofsted inspection reports of …") had been indexed as
    # a 222nd inspection
    folder = tmp_path / "in"
    (folder / "2016").mkdir(parents=True)
    shutil.copy(CORPUS / "thornvale-inspection.md", folder)
    (folder / "README.md").write_text("# Ofsted inspection reports\n\nThe files here.\n", "utf-8")
    (folder / "2016" / "Licence.txt").write_text("Open Government Licence v3.0\n", "utf-8")
    (folder / "readme-review.md").write_text("# A review named readme\n\n1.1 Text.\n", "utf-8")

    code, report, err = run_json(capsys, "ingest", str(folder))

    assert code == 0
    assert [(Path(f["path"]).name, f["status"]) for f in report["files"]] == [
        ("readme-review.md", "added"),
        ("thornvale-inspection.md", "added"),
    ]
    assert err.splitlines() == [
        f"reviewqa: {folder / '2016' / 'Licence.txt'}: passed over as the folder's own note; "
        "name it to ingest it",
        f"reviewqa: {folder / 'README.md'}: passed over as the folder's own note; "
        "name it to ingest it",
    ]

    code, report, err = run_json(capsys, "ingest", str(folder), str(folder / "README.md"))

    assert code == 0
    assert (
        err
        == f"reviewqa: {folder / '2016' / 'Licence.txt'}: passed over as the folder's own note; name it to ingest it\n"
    )
    assert {Path(f["path"]).name: f["status"] for f in report["files"]} == {
        "readme-review.md": "unchanged",
        "thornvale-inspection.md": "unchanged",
        "README.md": "added",
    }


def test_a_file_that_turns_bad_keeps_its_earlier_passages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "baby-r.pdf"
    shutil.copy(CORPUS / "baby-r.pdf", path)
    run_json(capsys, "ingest", str(path))
    path.write_bytes(path.read_bytes()[:5000])

    code, report, _ = run_json(capsys, "ingest", str(path))
    _, listing, _ = run_json(capsys, "docs")

    assert code == 1
    assert report["files"][0]["status"] == "failed"
    assert [(d["doc_id"], d["passages"]) for d in listing["documents"]] == [("baby-r", 71)]


def test_usage_errors_exit_2_and_the_real_script_prints_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "REVIEWQA_INDEX_DIR": str(tmp_path / "ix")}

    usage = subprocess.run([str(REVIEWQA), "ingest"], capture_output=True, text=True, env=env)
    bad = subprocess.run(
        [str(REVIEWQA), "ingest", str(tmp_path / "missing.pdf")],
        capture_output=True,
        text=True,
        env=env,
    )
    empty = subprocess.run([str(REVIEWQA), "docs"], capture_output=True, text=True, env=env)

    assert usage.returncode == 2 and "usage: reviewqa ingest" in usage.stderr
    assert bad.returncode == 1
    assert (
        bad.stderr.splitlines()[0]
        == f"reviewqa: {tmp_path / 'missing.pdf'}: no such file or folder"
    )
    assert "Traceback" not in bad.stderr + empty.stderr
    assert empty.returncode == 0
    assert empty.stdout.startswith("no documents in ")


def test_settings_choose_the_index_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWQA_INDEX_DIR", str(tmp_path / "from-env"))
    note = tmp_path / "note.md"
    note.write_text("# Note\n\n1.1 A short note.\n", "utf-8")

    run_json(capsys, "ingest", str(note))

    assert (tmp_path / "from-env" / "chroma").is_dir()
    assert not (tmp_path / "index").exists()


def test_ask_json_follows_the_contract(baby_r: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_json(
        capsys, "ask", "How often was the social worker supervised in the Baby R review?"
    )

    assert code == 0
    assert sorted(out) == ["answer", "citations", "passages", "reason", "refused", "timings_ms"]
    first = out["citations"][0]
    assert sorted(first) == [
        "doc_id",
        "n",
        "page",
        "paragraph",
        "passage_id",
        "quote",
        "section",
        "text",
        "title",
    ]
    assert (first["n"], first["passage_id"], first["page"]) == (1, "baby-r#¶10.13", 8)
    assert first["quote"] in first["text"]
    assert sorted(out["passages"][0]) == ["passage_id", "score", "text"]
    assert {"embed", "dense", "lexical", "total"} <= set(out["timings_ms"])


def test_ask_in_a_terminal_lists_numbered_sources(
    baby_r: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["ask", "How often was the social worker supervised in the Baby R review?"])

    out = capsys.readouterr().out
    assert code == 0
    assert (
        "\nSources:\n[1] Serious Case Review: Baby R (2016) · 10 Analysis > Management oversight and supervision · ¶10.13, p.8\n"
        in out
    )


def test_a_glossary_file_that_cannot_be_read_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "glossary.txt"
    bad.write_text("TRS Thornvale Recovery Service\n", "utf-8")
    monkeypatch.setenv("REVIEWQA_GLOSSARY_FILE", str(bad))

    assert main(["ask", "Anything?"]) == 2

    err = capsys.readouterr().err
    assert err.startswith(f"reviewqa: error: {bad}, line 1: expected 'TERM: plain words")
    assert len(err.splitlines()) == 1


def test_ask_rejects_a_bad_filter_and_an_empty_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "Anything?", "--filter", "colour=red"]) == 2
    assert "bad filter 'colour=red'" in capsys.readouterr().err
    assert main(["ask", "Anything?"]) == 2
    assert "is empty: run `reviewqa ingest PATH` first" in capsys.readouterr().err


def test_ask_names_the_documents_when_a_filter_names_none_of_them(
    baby_r: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "What was said about supervision?", "--filter", "doc=child-m"]) == 2

    err = capsys.readouterr().err
    assert err == "reviewqa: error: no document 'child-m' in the index; there are: baby-r\n"


@pytest.mark.parametrize("question", ["", "   "])
def test_ask_rejects_an_empty_question_in_one_line(
    question: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", question]) == 2

    err = capsys.readouterr().err
    assert err.startswith("reviewqa: error: the question is empty: ask it in words")
    assert len(err.splitlines()) == 1

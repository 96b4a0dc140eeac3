"""The QA test sets: every gold quote stands in its documents, and CI's quality floors hold."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ingest.embed import Encoder
from ingest.glossary import ACRONYM, GLOSSARY, VARIANTS
from ingest.index import DocRecord, PassageIndex, record_of
from ingest.load import load_file
from ingest.pipeline import file_slug, ingest_paths
from ingest.structure import build_document
from ingest.text import collapse
from rag.cli import main
from rag.evaluate import Item, accepted, load_testset
from rag.query import build_query
from tests.conftest import CORPUS, make_client, shared_ofsted, shared_ofsted_documents

QA = Path(__file__).resolve().parent / "qa"
# Floors sit a little under the level reached (see README "Quality"); they only ever go up,
# save an answered rate lowered where an answer that did not answer became a refusal (session 19,
# twice, each named at its floor): a wrong answer is worse than none, and the rate counts it as
# answered.
# quote_recall_at_k and mrr count a gold quote's alternatives (other spans that say the same);
# the strict_ metrics do not, so what listing alternatives gained cannot hide a loss.
CORPUS_FLOORS = [
    "quote_recall_at_k=0.83",
    "strict_recall_at_k=0.83",
    "hit_at_k=0.92",
    "mrr=0.80",
    "strict_mrr=0.75",
    "quote_verified_rate=1.0",
    # 0.97 until session 19, whose rate check refused an item answered with a caseload rate
    "answered_rate=0.96",
    "refusal_recall=0.96",
    "answer_recall=0.65",
    "first_quote_gold=0.53",
]
# written after the premise checks of rag/expect.py, blind to them and to the other sets' items;
# since session 7 no longer held out for refusals: the kinds "sentence", "drink", "total" and the
# money, place and age refinements were drawn from its unrefused items; since session 8 not for
# retrieval either: the counted-noun ordering came from its misses
HELDOUT_FLOORS = [
    "quote_recall_at_k=0.90",
    "strict_recall_at_k=0.90",
    "hit_at_k=0.90",
    "mrr=0.83",
    "strict_mrr=0.83",
    "quote_verified_rate=1.0",
    "answered_rate=0.95",
    "refusal_recall=0.95",
    "answer_recall=0.84",
    "first_quote_gold=0.70",
]
# written after session 5's changes, blind to the system and to the other sets; not tuned on item
# by item (its aggregate figures were read for every change of sessions 10 and 11, and one of its
# questions was seen in session 11, in a diff of answers that changed; its unrefused items were
# read in sessions 15, 16 and 18)
BLIND_FLOORS = [
    "quote_recall_at_k=0.97",
    "strict_recall_at_k=0.97",
    "hit_at_k=0.97",
    "mrr=0.81",
    "strict_mrr=0.80",
    "quote_verified_rate=1.0",
    "answered_rate=0.95",
    "refusal_recall=0.90",
    "answer_recall=0.80",
    "first_quote_gold=0.65",
]
# written in session 7 by helpers who saw only the source documents (2 fact and 6 unanswerable
# questions per document; two overview items dropped because other reviews answer them); a
# development set: its first run gave refusal recall 0.229, and checks have been drawn from it since
DEV_FLOORS = [
    "quote_recall_at_k=0.90",
    "strict_recall_at_k=0.90",
    "hit_at_k=0.90",
    "mrr=0.90",
    "strict_mrr=0.90",
    "quote_verified_rate=1.0",
    "answered_rate=0.95",
    "refusal_recall=0.90",
    "answer_recall=0.90",
    "first_quote_gold=0.85",
]
# written in session 9 by a helper who saw only the source documents (one quote per document that
# speaks to each of 12 theme topics the corpus set does not ask about); used since only to reject
# changes (a term-coverage weighting that gained on the corpus themes lost here)
THEMES_FLOORS = [
    "quote_recall_at_k=0.45",
    "strict_recall_at_k=0.30",
    "hit_at_k=0.80",
    "mrr=0.72",
    "strict_mrr=0.50",
    "quote_verified_rate=1.0",
    "answered_rate=0.90",
    "answer_recall=0.22",
    "first_quote_gold=0.30",
]
OFSTED_FLOORS = [
    "quote_recall_at_k=0.90",
    "strict_recall_at_k=0.81",
    "hit_at_k=0.97",
    "mrr=0.79",
    "strict_mrr=0.71",
    "quote_verified_rate=1.0",
    "answered_rate=0.97",
    "refusal_recall=0.80",
    "answer_recall=0.50",
    "first_quote_gold=0.52",
]
# questions in plain words about passages that use an acronym (session 10, written blind to the
# code; since then tuned on: the number check of rag/expect.py came from their unrefused items,
# the document-naming rules of rag/query.py from their misses, the day lookup of session 22 from
# plain-corpus-09)
CORPUS_PLAIN_FLOORS = [
    "quote_recall_at_k=0.95",
    "mrr=0.90",
    "quote_verified_rate=1.0",
    "answered_rate=0.95",
    "refusal_recall=0.45",
    "answer_recall=0.95",
    "first_quote_gold=0.75",
]
OFSTED_PLAIN_FLOORS = [
    "quote_recall_at_k=0.95",
    "mrr=0.83",
    "quote_verified_rate=1.0",
    "answered_rate=0.95",
    "refusal_recall=0.45",
    "answer_recall=0.90",
    "first_quote_gold=0.80",
]

# questions in everyday words, sharing few words with the passage that answers (session 11, each
# written by a helper who saw only the documents). The first pair's first run was read item by
# item and the report's terms of ingest/glossary.py CONCEPTS were written after; the second pair
# ("2") came after those and is held out: only its aggregate figures had been read until session
# 16, which read corpus-reworded2's misses before its changes and took no word from them, and
# session 17, which read both sets' refused and missed items; none of its landed changes came from
# them (the everyday words it tried from them were dropped); session 21's everyday words came
# from the first pair's misses, with the second pair's aggregate figures read. The answered
# rate is low by design of the refusal model, which weighs the question's words (README)
CORPUS_REWORDED_FLOORS = [
    "quote_recall_at_k=0.65",
    "mrr=0.55",
    "quote_verified_rate=1.0",
    "answered_rate=0.65",
    "refusal_recall=0.35",
]
CORPUS_REWORDED2_FLOORS = [
    "quote_recall_at_k=0.80",
    "mrr=0.58",
    "quote_verified_rate=1.0",
    # 0.70 until session 19, whose "what made …?" check refused an item answered with no reason
    "answered_rate=0.65",
    "refusal_recall=0.75",
    "answer_recall=0.55",
    "first_quote_gold=0.50",
]
OFSTED_REWORDED_FLOORS = [
    "quote_recall_at_k=0.62",
    "mrr=0.55",
    "quote_verified_rate=1.0",
    "answered_rate=0.33",
    "refusal_recall=0.75",
]
OFSTED_REWORDED2_FLOORS = [
    "quote_recall_at_k=0.50",
    "mrr=0.38",
    "quote_verified_rate=1.0",
    "answered_rate=0.35",
    "refusal_recall=0.75",
    "answer_recall=0.45",
    "first_quote_gold=0.33",
]


def texts(paths: list[Path]) -> dict[str, str]:
    return {p.name: collapse(build_document(load_file(p, 10**9), p.stem).text) for p in paths}


def assert_quotes_stand(item: Item, documents: dict[str, str]) -> None:
    """Each gold quote stands in one of the documents, and its alternatives in the same one."""
    for group in accepted(item):
        quote, *alternatives = (collapse(span) for span in group)
        homes = [name for name, text in documents.items() if quote in text]
        assert homes, (item.id, quote)
        for alternative in alternatives:
            assert alternative != quote and any(alternative in documents[h] for h in homes), (
                item.id,
                alternative,
            )


def test_the_corpus_set_has_the_promised_mix_and_every_quote_is_in_a_document() -> None:
    items = load_testset(QA / "corpus.jsonl")
    documents = texts(sorted(CORPUS.iterdir()))

    counts: dict[str, int] = {}
    for item in items:
        counts[item.category] = counts.get(item.category, 0) + 1
        assert_quotes_stand(item, documents)
    assert len(items) >= 100
    assert counts["fact"] >= 45 and counts["theme"] >= 15 and counts["multi_doc"] >= 10
    assert counts["follow_up"] >= 10 and counts["unanswerable"] >= 20
    assert all(item.history for item in items if item.category == "follow_up")


@pytest.mark.parametrize(
    ("name", "facts", "unanswerable"), [("corpus-heldout", 3, 3), ("corpus-blind", 4, 3)]
)
def test_the_blind_sets_cover_every_document_and_their_quotes_stand_in_it(
    name: str, facts: int, unanswerable: int
) -> None:
    items = load_testset(QA / f"{name}.jsonl")
    documents = texts(sorted(CORPUS.iterdir()))

    for item in items:
        assert_quotes_stand(item, documents)
    for stem in (p.stem for p in CORPUS.iterdir()):
        mine = [i for i in items if i.id.startswith(f"{stem}-")]
        assert (
            sorted(i.category for i in mine) == ["fact"] * facts + ["unanswerable"] * unanswerable
        )
    assert all(i.answerable == (i.category == "fact") for i in items)


def test_the_theme_set_asks_across_reviews_and_its_quotes_stand_in_them() -> None:
    items = load_testset(QA / "corpus-themes.jsonl")
    documents = texts(sorted(CORPUS.iterdir()))

    assert len(items) == 12
    for item in items:
        assert item.category == "theme" and item.answerable and not item.history
        assert len(item.reference_contexts) >= 3
        assert_quotes_stand(item, documents)


def test_the_dev_set_covers_every_document_and_its_quotes_stand_in_it() -> None:
    items = load_testset(QA / "corpus-dev.jsonl")
    documents = texts(sorted(CORPUS.iterdir()))

    for item in items:
        assert_quotes_stand(item, documents)
    for stem in (p.stem for p in CORPUS.iterdir()):
        mine = [i.category for i in items if i.id.startswith(f"{stem}-")]
        assert mine.count("fact") == 2 and mine.count("unanswerable") >= 4, stem
    assert all(i.answerable == (i.category == "fact") for i in items)


@pytest.mark.parametrize(("name", "facts"), [("corpus-plain", 14), ("ofsted-plain", 16)])
def test_the_plain_words_sets_ask_without_the_letters_their_quotes_use(
    name: str, facts: int
) -> None:
    items = load_testset(QA / f"{name}.jsonl")

    assert [i.category for i in items] == ["fact"] * facts + ["unanswerable"] * 4
    for item in items:
        assert len(item.extra["source_files"]) == 1 and not item.history
        for quote in item.reference_contexts:
            letters = set(ACRONYM.findall(quote)) & (set(GLOSSARY) | set(VARIANTS))
            assert not letters & set(ACRONYM.findall(item.user_input)), item.id
    if name == "corpus-plain":
        documents = texts(sorted(CORPUS.iterdir()))
        for item in items:
            assert_quotes_stand(item, {n: documents[n] for n in item.extra["source_files"]})


@pytest.mark.parametrize("name", ["corpus-reworded", "corpus-reworded2"])
def test_the_reworded_sets_name_one_document_each_and_their_quotes_stand_in_it(name: str) -> None:
    items = load_testset(QA / f"{name}.jsonl")
    documents = texts(sorted(CORPUS.iterdir()))

    assert [i.category for i in items] == ["fact"] * 20 + ["unanswerable"] * 5
    assert {n for i in items for n in i.extra["source_files"]} == set(documents)
    for item in items:
        assert len(item.extra["source_files"]) == 1 and not item.history
        assert_quotes_stand(item, {n: documents[n] for n in item.extra["source_files"]})


@pytest.mark.shared_corpus
def test_the_ofsted_set_quotes_stand_in_the_named_reports() -> None:
    folder = shared_ofsted()
    names = (QA / "ofsted_reports.txt").read_text().split()
    items = [
        item
        for name in ("ofsted", "ofsted-plain", "ofsted-reworded", "ofsted-reworded2")
        for item in load_testset(QA / f"{name}.jsonl")
    ]
    documents = texts([folder / name for name in names])

    assert len(names) == 15 and len(items) >= 110
    for item in items:
        sources = item.extra.get("source_files", names)
        assert_quotes_stand(item, {name: documents[name] for name in sources})


@pytest.mark.shared_corpus
def test_every_ofsted_question_names_its_own_report_among_all_221() -> None:
    # the sets are answered from an index of 15 reports, where a place names at most three; a
    # board's library holds every report, and most councils have two or three
    records = [record_of(doc, "v", 1) for doc in shared_ofsted_documents()]
    wrong, asked = [], 0
    for name in ("ofsted", "ofsted-plain", "ofsted-reworded", "ofsted-reworded2"):
        for item in load_testset(QA / f"{name}.jsonl"):
            sources = item.extra.get("source_files")
            if not sources or item.category == "theme":
                continue
            asked += 1
            named = build_query(item.user_input, records, item.history).doc_ids
            if named != tuple(sorted(file_slug(Path(source)) for source in sources)):
                wrong.append((item.id, named))

    assert len(records) == 221 and asked == 107
    assert wrong == []


def test_each_council_s_latest_and_earliest_inspection_is_named_among_all_221() -> None:
    # a council is the manifest's; its reports may call it by two names ("East Riding of
    # Yorkshire" in 2017 and 2020, "East Riding" in 2023), and a question may use either
    records = [record_of(doc, "v", 1) for doc in shared_ofsted_documents()]
    with (shared_ofsted() / "manifest.csv").open(encoding="utf-8") as rows:
        council = {
            file_slug(Path(row["file"])): row["local_authority"] for row in csv.DictReader(rows)
        }
    groups: dict[str, list[DocRecord]] = {}
    for record in records:
        groups.setdefault(council[record.doc_id], []).append(record)
    several = {name: docs for name, docs in groups.items() if len(docs) > 1}
    wrong, asked = [], 0
    for docs in several.values():
        newest = max(docs, key=lambda r: r.date).doc_id
        oldest = min(docs, key=lambda r: r.date).doc_id
        for place in sorted({r.place for r in docs if r.place}):
            for question, expected in (
                (f"What did the latest {place} inspection say about care leavers?", newest),
                (f"What did {place}'s most recent Ofsted report find?", newest),
                (f"What did the earliest {place} inspection say about care leavers?", oldest),
            ):
                asked += 1
                named = build_query(question, records).doc_ids
                if named != (expected,):
                    wrong.append((question, named))

    assert len(several) >= 80 and asked >= 240
    assert wrong == []


def test_a_place_names_no_council_whose_name_it_is_only_part_of() -> None:
    records = [record_of(doc, "v", 1) for doc in shared_ofsted_documents()]

    def named(place: str) -> set[str]:
        query = build_query(f"What did the {place} inspections say about care leavers?", records)
        return {doc_id.rsplit("-", 3)[0] for doc_id in query.doc_ids}

    # "Lincolnshire" and "Gloucestershire" are councils of their own
    assert named("North East Lincolnshire") == {"north-east-lincolnshire"}
    assert named("South Gloucestershire") == {"south-gloucestershire"}
    assert named("Lincolnshire") == {"lincolnshire"}
    # one council, two names
    assert named("Hull") == named("Kingston upon Hull") == {"kingston-upon-hull"}
    assert named("Hammersmith and Fulham") == named("Hammersmith & Fulham")


def test_ci_floors_on_the_corpus_set(
    corpus_index: PassageIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    assert corpus_index.cache_dir is not None
    args = ["eval", str(QA / "corpus.jsonl"), "--index", str(corpus_index.cache_dir), "--json"]

    code = main(args + [f"--min={floor}" for floor in CORPUS_FLOORS])

    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert json.loads(captured.out)["n_items"] >= 100


@pytest.mark.parametrize(
    ("name", "floors", "n_items"),
    [
        ("corpus-heldout", HELDOUT_FLOORS, 48),
        ("corpus-blind", BLIND_FLOORS, 56),
        ("corpus-dev", DEV_FLOORS, 62),
        ("corpus-themes", THEMES_FLOORS, 12),
        ("corpus-plain", CORPUS_PLAIN_FLOORS, 18),
        ("corpus-reworded", CORPUS_REWORDED_FLOORS, 25),
        ("corpus-reworded2", CORPUS_REWORDED2_FLOORS, 25),
    ],
)
def test_ci_floors_on_the_blind_sets(
    corpus_index: PassageIndex,
    capsys: pytest.CaptureFixture[str],
    name: str,
    floors: list[str],
    n_items: int,
) -> None:
    assert corpus_index.cache_dir is not None
    args = ["eval", str(QA / f"{name}.jsonl"), "--index", str(corpus_index.cache_dir), "--json"]

    code = main(args + [f"--min={floor}" for floor in floors])

    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert json.loads(captured.out)["n_items"] == n_items


@pytest.mark.shared_corpus
@pytest.mark.slow
def test_ci_floors_on_the_ofsted_set(
    tmp_path: Path, encoder: Encoder, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = shared_ofsted()
    staged = tmp_path / "ofsted"
    staged.mkdir()
    for name in (QA / "ofsted_reports.txt").read_text().split():
        (staged / name).symlink_to(folder / name)
    index = PassageIndex(
        make_client(tmp_path / "ix" / "chroma"), "passages", cache_dir=tmp_path / "ix"
    )
    assert not ingest_paths([staged], index, encoder).failed
    for name, floors in (
        ("ofsted", OFSTED_FLOORS),
        ("ofsted-plain", OFSTED_PLAIN_FLOORS),
        ("ofsted-reworded", OFSTED_REWORDED_FLOORS),
        ("ofsted-reworded2", OFSTED_REWORDED2_FLOORS),
    ):
        args = ["eval", str(QA / f"{name}.jsonl"), "--index", str(tmp_path / "ix"), "--json"]

        code = main(args + [f"--min={floor}" for floor in floors])

        captured = capsys.readouterr()
        assert code == 0, (name, captured.err)

"""Large imports set the items indexes aside and rebuild them; a cancel puts them back."""

import json

import pytest

from app.core.cancel import Cancelled, CancelToken, run_to_end
from app.core.records import ImportSettings
from app.importers import bulk_load, item_writer
from app.importers.pipeline import import_files


def index_sql(case) -> set:
    return set(case.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items'"))


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(bulk_load, "MIN_BYTES", 1)  # treat the test's small log as a large import


@pytest.fixture
def many_rows(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text(
        "".join(
            json.dumps({"timestamp": 1767225600 + i, "account": f"a{i % 7}", "prompt": f"row {i}"}) + "\n"
            for i in range(3000)
        )
    )
    return path


def test_indexes_are_rebuilt_exactly_and_used(case, many_rows, small_threshold):
    before = index_sql(case)
    stages = []
    report = run_to_end(import_files(case, [many_rows], ImportSettings()), lambda p: stages.append(p.stage))
    assert report.totals["imported"] == 3000
    assert "Indexing the new items for listing" in stages  # the indexes really were set aside
    assert index_sql(case) == before
    assert case.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    plan = " ".join(r[-1] for r in case.conn.execute("EXPLAIN QUERY PLAN SELECT id FROM items WHERE account = 'a3'"))
    assert "items_account" in plan


def test_cancelled_large_import_keeps_every_index(case, many_rows, small_threshold):
    before = index_sql(case)
    token = CancelToken()

    def cancel_while_writing(progress):
        if progress.stage.startswith("Importing") and progress.records >= 2000:
            token.cancel()

    with pytest.raises(Cancelled):
        run_to_end(import_files(case, [many_rows], ImportSettings(), token), cancel_while_writing)
    assert index_sql(case) == before
    assert case.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 0


def test_an_import_smaller_than_the_case_keeps_indexes(case, many_rows, monkeypatch):
    monkeypatch.setattr(bulk_load, "MIN_BYTES", 1)
    monkeypatch.setattr(bulk_load, "BYTES_PER_ROW_GUESS", 10**9)  # the import looks tiny next to the case
    run_to_end(import_files(case, [many_rows], ImportSettings()))
    assert bulk_load.set_indexes_aside(case.conn, 10**6) == []


def test_duplicates_are_caught_while_the_dedup_index_is_set_aside(case, tmp_path, small_threshold, monkeypatch):
    monkeypatch.setattr(item_writer, "BATCH", 100)  # copies turn up batches after their first

    def log(name, numbers):
        path = tmp_path / name
        path.write_text(
            "".join(json.dumps({"timestamp": 1767225600 + i, "prompt": f"row {i}"}) + "\n" for i in numbers)
        )
        return path

    # Rows 0-49 twice in a.jsonl: two events each. Rows 250-299 of b.jsonl: copies of a.jsonl's.
    first, second = log("a.jsonl", [*range(300), *range(50)]), log("b.jsonl", range(250, 500))
    report = run_to_end(import_files(case, [first, second], ImportSettings()))  # one operation, two files
    assert [(f.read, f.imported, f.duplicates) for f in report.files] == [(350, 350, 0), (250, 200, 50)]
    later = run_to_end(import_files(case, [log("c.jsonl", range(400, 600))], ImportSettings()))
    assert (later.totals["imported"], later.totals["duplicates"]) == (100, 100)  # against committed rows
    assert case.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 650
    assert "items_dedup" in {name for name, _sql in index_sql(case)}

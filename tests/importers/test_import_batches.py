"""The item writer's batches: duplicates across them, text indexed as they go, failures and changed files."""

import json
import threading

import pytest

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers import item_writer
from app.importers.pipeline import import_files
from app.store.verify import verify_case


def rows(count: int) -> list[bytes]:
    return [
        json.dumps(
            {"timestamp": 1767225600 + i, "account": f"a{i % 5}", "prompt": f"request {i}", "response": "é" * (i % 40)}
        ).encode()
        + b"\n"
        for i in range(count)
    ]


def test_rows_of_an_earlier_file_repeated_in_later_batches_are_duplicates_of_their_rows(case, tmp_path, monkeypatch):
    monkeypatch.setattr(item_writer, "BATCH", 50)  # many batches: the copies come batches after the first
    first = rows(333)
    log, rotated = tmp_path / "api.jsonl", tmp_path / "rotated.jsonl"
    log.write_bytes(b"".join(first))
    rotated.write_bytes(b"".join(first[100:] + first[:7] + rows(340)[333:]))
    report = run_to_end(import_files(case, [log, rotated], ImportSettings()))
    totals = report.totals
    assert (totals["read"], totals["imported"], totals["duplicates"]) == (333 + 233 + 7 + 7, 340, 240)
    linked = case.conn.execute(
        "SELECT d.locator, i.locator FROM duplicates d JOIN items i ON i.id = d.first_item_id"
    ).fetchall()
    assert len(linked) == 240
    for duplicate, original in linked:  # the copy at line 1 is the row of line 101, and so on
        line, first_line = json.loads(duplicate)["line"], json.loads(original)["line"]
        assert first_line == (line + 100 if line <= 233 else line - 233)
    assert run_to_end(verify_case(case)).ok


def _case_counts(case) -> tuple:
    one = lambda sql: case.conn.execute(sql).fetchone()[0]  # noqa: E731
    return (
        one("SELECT count(*) FROM sources"),
        one("SELECT count(*) FROM source_chunks"),
        one("SELECT count(*) FROM items"),
        one("SELECT count(*) FROM item_bodies"),
        one("SELECT count(*) FROM items_fts_docsize"),
        one("SELECT count(*) FROM audit"),
    )


def test_text_indexed_while_rows_are_written_is_all_searchable(case, tmp_path, monkeypatch):
    monkeypatch.setattr(item_writer, "BATCH", 40)
    monkeypatch.setattr(item_writer, "INDEX_STEP", 100)  # the writer's thread indexes as it goes
    log = tmp_path / "api.jsonl"
    log.write_bytes(b"".join(rows(1000)))
    report = run_to_end(import_files(case, [log], ImportSettings()))
    assert report.totals["imported"] == 1000
    for n in (0, 99, 100, 517, 999):  # the first step, either side of a step, the tail after the last
        found = case.conn.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH ?", (f'"request {n}"',))
        assert [row[0] for row in found] == [n + 1]
    assert run_to_end(verify_case(case)).ok


def test_an_error_on_the_writers_thread_fails_the_import_and_changes_nothing(case, tmp_path, monkeypatch):
    monkeypatch.setattr(item_writer, "BATCH", 40)
    before = _case_counts(case)
    real = item_writer.ItemWriter._insert_many
    calls = []

    def failing(self, table, columns, rows_):
        calls.append(table)
        if len(calls) > 5:
            raise OSError("disk full")
        return real(self, table, columns, rows_)

    monkeypatch.setattr(item_writer.ItemWriter, "_insert_many", failing)
    log = tmp_path / "api.jsonl"
    log.write_bytes(b"".join(rows(400)))
    with pytest.raises(OSError, match="disk full"):
        run_to_end(import_files(case, [log], ImportSettings()))
    assert _case_counts(case) == before
    assert not [t for t in threading.enumerate() if t.name.startswith("casefile-writer")]


def test_a_file_changed_after_it_was_stored_is_not_imported(case, tmp_path):
    log = tmp_path / "api.jsonl"
    original = b"".join(rows(50))
    log.write_bytes(original)
    before = _case_counts(case)
    operation = import_files(case, [log], ImportSettings())
    progress = next(operation)
    assert progress.stage.startswith("Storing")  # the whole (small) file is stored and hashed
    log.write_bytes(original.replace(b"request 7", b"request X"))  # same size, other bytes
    with pytest.raises(OSError, match="changed while it was being imported"):
        run_to_end(operation)
    assert _case_counts(case) == before


def test_a_big_imports_write_ahead_log_is_cut_back_at_the_next_change(case_path, tmp_path, monkeypatch):
    """The log of a large import does not stay beside the case at its full size."""
    from app.store import annotations, case_file

    monkeypatch.setattr(case_file, "WAL_KEPT_BYTES", 256 * 1024)  # as 64 MiB is to a million rows
    log = tmp_path / "api.jsonl"
    log.write_bytes(
        b"".join(
            json.dumps({"timestamp": 1767225600 + i, "prompt": f"request {i} " * 400}).encode() + b"\n"
            for i in range(5000)
        )
    )  # 20 MB: SQLite checkpoints after 1,000 pages
    wal = case_path.with_name(case_path.name + "-wal")
    with case_file.CaseFile.open(case_path, operator="tester") as case:
        reader = case_file.CaseFile.open(case_path)  # the GUI's own connection stays open meanwhile
        run_to_end(import_files(case, [log], ImportSettings()))
        assert wal.stat().st_size > 16 * 1024 * 1024
        annotations.tag_items(case, [1], "AEO")
        assert wal.stat().st_size <= 256 * 1024
        assert reader.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 5000
        reader.close()

"""A large import into a case nobody else has open writes straight into the case file.

Its pages skip the write-ahead log (no copy after the commit); everything else stays as
it was: duplicates are found against the case's earlier items, a cancel puts the case
back, and the case is in WAL mode again afterwards. With the case open elsewhere the
import runs through the WAL, and the other reader keeps reading meanwhile.
"""

import json
import sqlite3

import pytest

from app.core.cancel import Cancelled, CancelToken, run_to_end
from app.core.records import ImportSettings
from app.importers import bulk_load
from app.importers.pipeline import import_files
from app.store.case_file import CaseFile, case_info
from app.store.verify import verify_case


@pytest.fixture
def any_import_is_large(monkeypatch):
    monkeypatch.setattr(bulk_load, "MIN_BYTES", 1)
    monkeypatch.setattr(bulk_load, "BYTES_PER_ROW_GUESS", 1)  # even into a case that holds more rows


def write_log(path, numbers):
    text = "harvested completion " * 40
    path.write_text(
        "".join(
            json.dumps({"timestamp": 1767225600 + i, "account": f"a{i % 7}", "prompt": f"row {i} {text}"}) + "\n"
            for i in numbers
        )
    )
    return path


def wal_bytes(case) -> int:
    wal = case.path.with_name(case.path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def import_watching(case, paths, token=None, on_progress=None):
    """Run an import; the journal modes and WAL sizes seen while its rows were written."""
    seen = []

    def watch(progress):
        if progress.stage.startswith("Importing"):
            seen.append((case.conn.execute("PRAGMA journal_mode").fetchone()[0], wal_bytes(case)))
        if on_progress:
            on_progress(progress)

    report = run_to_end(import_files(case, paths, ImportSettings(), token), watch)
    return report, seen


def verified(case) -> bool:
    return run_to_end(verify_case(case)).ok


def test_a_large_import_writes_past_the_log_and_the_case_returns_to_wal(case, tmp_path, any_import_is_large):
    report, seen = import_watching(case, [write_log(tmp_path / "a.jsonl", range(4000))])
    assert report.totals["imported"] == 4000
    assert seen and {mode for mode, _ in seen} == {"delete"}
    assert max(size for _, size in seen) == 0  # not one page went through the write-ahead log
    assert case.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert case.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    hits = case.conn.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH 'harvested'").fetchone()[0]
    assert hits == 4000
    assert verified(case)


def test_duplicates_of_the_cases_items_are_found_past_the_log(case, tmp_path, any_import_is_large):
    run_to_end(import_files(case, [write_log(tmp_path / "a.jsonl", range(3000))], ImportSettings()))
    # Rows 2000-2999 again: copies of items the case already holds, found without a second connection.
    report, seen = import_watching(case, [write_log(tmp_path / "b.jsonl", range(2000, 5000))])
    assert {mode for mode, _ in seen} == {"delete"}
    assert (report.totals["imported"], report.totals["duplicates"]) == (2000, 1000)
    assert case.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 5000
    assert verified(case)


def test_a_cancelled_direct_import_leaves_the_case_as_it_was(case, tmp_path, any_import_is_large):
    run_to_end(import_files(case, [write_log(tmp_path / "a.jsonl", range(1000))], ImportSettings()))
    before, size_before = case_info(case), case.path.stat().st_size
    token = CancelToken()

    def cancel_late(progress):
        if progress.stage.startswith("Importing") and progress.records >= 3000:
            token.cancel()

    with pytest.raises(Cancelled):
        import_watching(case, [write_log(tmp_path / "b.jsonl", range(1000, 6000))], token, cancel_late)
    assert case_info(case) == before
    assert case.path.stat().st_size == size_before  # the pages written past the end are gone too
    assert case.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert not case.path.with_name(case.path.name + "-journal").exists()
    assert verified(case)


def test_with_the_case_open_elsewhere_the_import_goes_through_the_log(case, tmp_path, any_import_is_large):
    run_to_end(import_files(case, [write_log(tmp_path / "a.jsonl", range(500))], ImportSettings()))
    reader = sqlite3.connect(str(case.path))  # a window's connection, idle once it has read
    try:
        assert reader.execute("SELECT count(*) FROM items").fetchone()[0] == 500
        counts_meanwhile = []

        def read_meanwhile(progress):
            if progress.stage.startswith("Importing"):
                counts_meanwhile.append(reader.execute("SELECT count(*) FROM items").fetchone()[0])

        report, seen = import_watching(case, [write_log(tmp_path / "b.jsonl", range(500, 4500))], None, read_meanwhile)
        assert report.totals["imported"] == 4000
        assert {mode for mode, _ in seen} == {"wal"}
        assert max(size for _, size in seen) > 0
        assert counts_meanwhile and set(counts_meanwhile) == {500}  # the reader saw the case as committed
        assert reader.execute("SELECT count(*) FROM items").fetchone()[0] == 4500
    finally:
        reader.close()


def test_a_second_opening_during_a_direct_import_is_told_the_case_is_busy(case, tmp_path, any_import_is_large):
    attempts = []

    def open_meanwhile(progress):
        if progress.stage.startswith("Importing") and not attempts:
            try:
                CaseFile.open(case.path).close()
                attempts.append("opened")
            except Exception as exc:  # noqa: BLE001 (what a second window would show)
                attempts.append(exc)

    import_watching(case, [write_log(tmp_path / "a.jsonl", range(4000))], None, open_meanwhile)
    assert len(attempts) == 1 and "another program is changing it" in str(attempts[0])
    CaseFile.open(case.path).close()  # and opens once the import is done

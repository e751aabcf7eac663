"""A large import started from the window: the window lets go of the case while the import
writes straight into it (app.store.direct_writes), and opens it again afterwards.

A small import leaves the window's case open (it goes through the write-ahead log, and
the table can be read all along).
"""

import pytest

from app.importers import bulk_load
from app.ui.import_wizard_run import RunPage
from window_helpers import open_window, write_log

ROWS, ADDED = 300, 20_000  # enough rows for the import to report progress while it writes


@pytest.fixture
def window(qtbot, tmp_path, case_path):
    with open_window(qtbot, tmp_path, case_path, ROWS) as win:
        yield win


def items_in(window) -> int:
    return window.case.conn.execute("SELECT count(*) FROM items").fetchone()[0]


def run_import(qtbot, window, path, monkeypatch):
    """Drive the wizard; what the window and the case files looked like while rows were written."""
    during = []
    shown = RunPage._on_progress
    journal = window.case_path.with_name(window.case_path.name + "-journal")

    def look(page, progress):
        if progress.stage.startswith("Importing") and not during:
            during.append((window.case is None, journal.exists(), window.statusBar().currentMessage()))
        shown(page, progress)

    monkeypatch.setattr(RunPage, "_on_progress", look)
    wizard = window.window_actions.open_import([path])
    wizard.next()
    with qtbot.waitSignal(wizard.import_finished, timeout=60000) as finished:
        wizard.next()
    return during, finished.args[0].totals["items_created"]


def test_a_large_import_sets_the_case_aside_and_opens_it_again(qtbot, tmp_path, window, monkeypatch):
    monkeypatch.setattr(bulk_load, "MIN_BYTES", 1)
    monkeypatch.setattr(bulk_load, "BYTES_PER_ROW_GUESS", 1)
    path, before = window.case_path, items_in(window)
    during, added = run_import(qtbot, window, write_log(tmp_path / "more.jsonl", ADDED), monkeypatch)
    [(aside, journal, message)] = during
    assert aside and journal  # closed in the window, and written past the log
    assert message == "The case is closed while the import writes into it."
    assert window.case is not None and window.case.path == path
    qtbot.waitUntil(lambda: window.model.rowCount() == before + added > before, timeout=30000)
    assert window.statusBar().currentMessage() == ""
    assert window.case.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_cancelled_large_import_opens_the_case_again_as_it_was(qtbot, tmp_path, window, monkeypatch):
    monkeypatch.setattr(bulk_load, "MIN_BYTES", 1)
    monkeypatch.setattr(bulk_load, "BYTES_PER_ROW_GUESS", 1)
    before = items_in(window)
    wizard = window.window_actions.open_import([write_log(tmp_path / "more.jsonl", 50_000)])
    wizard.next()
    with qtbot.waitSignal(wizard.import_cancelled, timeout=60000):
        wizard.next()
        qtbot.waitUntil(lambda: window.case is None, timeout=30000)
        wizard.run_page.cancel_import()
    assert window.case is not None
    qtbot.waitUntil(lambda: window.model.rowCount() == before, timeout=30000)


def test_a_small_import_keeps_the_case_open_in_the_window(qtbot, tmp_path, window, monkeypatch):
    before = items_in(window)
    during, added = run_import(qtbot, window, write_log(tmp_path / "more.jsonl", ADDED), monkeypatch)
    [(aside, journal, _message)] = during
    assert not aside and not journal
    qtbot.waitUntil(lambda: window.model.rowCount() == before + added > before, timeout=30000)

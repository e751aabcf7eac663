"""A case of a million log rows: the window opens, jumps to the last row and selects all
without loading the rows; slow counts and bulk tags run on a worker; the process stays small.

How fast each of these is, is measured in bench/bench_gui_table.py, never here: a test
with a wall-clock limit fails on a busy machine.
"""

import pytest
from PySide6.QtCore import Qt

from app.store.item_query import ItemFilter
from app.ui import evidence_model
from app.ui.evidence_model import COLUMN
from app.ui.main_window import MainWindow
from app.ui.task_runner import return_memory_to_os, running_tasks
from ui_big_case import build_big_case

ROWS = 1_000_000


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 1e6


@pytest.fixture(scope="session")
def million_case(tmp_path_factory):
    return build_big_case(tmp_path_factory.mktemp("big") / "million.casefile", ROWS)


def _paint(qapp, window):
    qapp.processEvents()
    window.table.viewport().repaint()


def _last_visible_row(window) -> int:
    viewport = window.table.viewport()
    return window.table.rowAt(viewport.height() - 2)


def _jump_to_end(qapp, window) -> None:
    window.model._clear_cache()  # an honest jump: nothing near the end is cached
    window.table.scrollToTop()
    _paint(qapp, window)
    window.table.scrollToBottom()
    _paint(qapp, window)


def test_a_million_rows_open_jump_and_select_all_without_loading_them(qtbot, qapp, million_case):
    return_memory_to_os()  # what building the case freed is not the window's growth
    base = rss_mb()
    window = MainWindow(million_case)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    # on a busy machine the count may exceed the GUI budget and arrive from a worker
    qtbot.waitUntil(lambda: window.model.rowCount() == ROWS, timeout=60000)
    _paint(qapp, window)
    assert window.model.index(0, COLUMN["title"]).data().endswith("request 1")
    assert window.model.pages_cached() <= 2  # the first screen read one page, not the table

    _jump_to_end(qapp, window)
    assert _last_visible_row(window) == ROWS - 1
    assert window.model.index(ROWS - 1, COLUMN["title"]).data().endswith(f"request {ROWS}")
    assert window.model.pages_cached() <= 3  # the end is read by keyset, not by fetching what lies before

    window.table.scrollTo(window.model.index(654_321, 0))
    _paint(qapp, window)  # where that page starts is found here, or on a worker when slower than the budget
    qtbot.waitUntil(lambda: window.model.item_id(654_321) is not None, timeout=60000)
    assert window.model.item_id(654_321) == 654_322  # ids follow time in this case

    cached = window.model.pages_cached()
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _paint(qapp, window)
    assert window.count_label.text() == f"{ROWS:,} shown · {ROWS:,} selected"
    assert window.model.pages_cached() <= cached + 1  # selecting all loads no rows
    # background counting (the timeline dock) holds its own connection's page cache until done
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=60000)
    growth = rss_mb() - base
    assert growth < 100, f"the process grew by {growth:.0f} MB"


def test_a_slow_filter_is_counted_off_the_gui_thread(qtbot, million_case, monkeypatch):
    window = MainWindow(million_case)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=60000)
    # However fast this machine is, the filter's count must not fit the GUI's budget here.
    monkeypatch.setattr(evidence_model, "GUI_BUDGET_S", 0.0)
    busy = []
    window.model.busy_changed.connect(busy.append)
    with qtbot.waitSignal(window.model.count_changed, timeout=60000) as blocker:
        window.filters.apply_filter(ItemFilter(tags_none=["HOT"], accounts=["org-halcyon-ai"]))
        assert not blocker.signal_triggered  # the GUI thread came back before the count
        assert busy == [True] and running_tasks() >= 1
    assert blocker.args == [ROWS // 4]
    assert window.model.rowCount() == ROWS // 4
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=60000)


def test_tagging_a_select_all_of_a_million_rows(qtbot, million_case):
    """Ctrl+A then a tag key: the ids come from SQL by range, the write runs on a worker."""
    window = MainWindow(million_case)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() == ROWS, timeout=5000)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(window.items_changed, timeout=120000) as blocker:
        window.tagger.tag("CONFIDENTIAL")
        assert not blocker.signal_triggered and running_tasks() >= 1  # the write went to a worker
    assert window.case.conn.execute("SELECT count(*) FROM tags WHERE code = 'CONFIDENTIAL'").fetchone()[0] == ROWS
    assert window.undo_stack.count() == 1
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=60000)

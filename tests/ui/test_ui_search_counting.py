"""A search shows its first page at once and its count later; the count is cancelled when the
query changes; clearing a search shows the earlier view at once; a bulk tag of a select-all
reads its ids on the worker. (Timings: bench/run.py, never here.)"""

import sqlite3
import threading

import pytest

from app.store import item_pages
from app.store.case_file import CaseFile
from app.store.item_query import ItemFilter
from app.ui import tag_commands
from app.ui.evidence_model import PAGE
from app.ui.task_runner import TaskRunner, running_tasks
from window_helpers import open_window

ROWS = 600


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "search.casefile"
    CaseFile.create(path, "Search", operator="tester").close()
    with open_window(qtbot, tmp_path, path, ROWS) as window:
        qtbot.waitUntil(lambda: running_tasks() == 0 and window.model.rowCount() == ROWS, timeout=20000)
        yield window
        qtbot.waitUntil(lambda: running_tasks() == 0, timeout=20000)


@pytest.fixture
def slow_counts(monkeypatch):
    """Counts too slow for the GUI thread; on a worker they wait for the gate to open."""
    gate = threading.Event()
    real = item_pages.count

    def count(conn, window):
        if threading.current_thread() is threading.main_thread():
            raise sqlite3.OperationalError("interrupted")  # what the GUI budget's interrupt raises
        gate.wait(30)
        return real(conn, window)

    monkeypatch.setattr(item_pages, "count", count)
    yield gate
    gate.set()


@pytest.fixture
def runners(monkeypatch):
    """Every worker started and every one cancelled (spied on, still run)."""
    seen = {"started": [], "cancelled": []}
    start, cancel = TaskRunner.start, TaskRunner.cancel
    monkeypatch.setattr(TaskRunner, "start", lambda self: (seen["started"].append(self), start(self))[1])
    monkeypatch.setattr(TaskRunner, "cancel", lambda self: (seen["cancelled"].append(self), cancel(self))[1])
    return seen


def _hits(window, search: str) -> int:
    where, params = ItemFilter(search=search).where()
    return window.case.conn.execute(f"SELECT count(*) FROM items WHERE {where}", params).fetchone()[0]


def test_first_page_before_the_count_and_a_stale_count_is_cancelled(qtbot, window, slow_counts, runners):
    model = window.model
    window.filters.apply_filter(ItemFilter(search="proof"))
    # The first page is shown at once, ordered as the table is; the count is still coming.
    assert model.rowCount() == PAGE and model.counting
    assert window.count_label.text() == "Counting..."
    assert [model.row(r)["ts_us"] for r in range(PAGE)] == sorted(model.row(r)["ts_us"] for r in range(PAGE))
    first_count = runners["started"][-1]
    assert running_tasks() >= 1

    window.filters.apply_filter(ItemFilter(search="proof NOT 5*"))  # the query changes
    assert first_count in runners["cancelled"]
    assert model.rowCount() == PAGE and model.counting
    slow_counts.set()
    qtbot.waitUntil(lambda: running_tasks() == 0 and not model.counting, timeout=20000)
    expected = _hits(window, "proof NOT 5*")
    assert PAGE < expected < ROWS  # the stale count (every row) was dropped
    assert model.rowCount() == expected
    assert window.count_label.text().startswith(f"{expected:,} shown")
    assert model.row(expected - 1) is not None


def test_clearing_a_search_shows_the_earlier_view_without_asking_the_case(qtbot, window):
    model = window.model
    model.row(ROWS - 1)  # a page far down is cached too
    before = (model.rowCount(), model.pages_cached(), model.row(0)["id"])
    window.filters.apply_filter(ItemFilter(search="step"))
    qtbot.waitUntil(lambda: running_tasks() == 0 and not model.counting, timeout=20000)
    statements = []
    window.case.conn.set_trace_callback(statements.append)
    try:
        window.filters.apply_filter(ItemFilter())
        after = (model.rowCount(), model.pages_cached(), model.row(0)["id"])
    finally:
        window.case.conn.set_trace_callback(None)
    assert after == before
    assert [s for s in statements if "FROM items" in s] == []


def test_a_write_forgets_the_earlier_views(qtbot, window, monkeypatch):
    """After a write the earlier view is read again, not shown from before the write."""
    monkeypatch.setattr(tag_commands, "BACKGROUND_IDS", 10_000)
    window.filters.apply_filter(ItemFilter(search="step"))
    window.table.select_rows([0, 1])
    code = window.case.taxonomy()[0].code
    window.tagger.tag(code)
    window.filters.apply_filter(ItemFilter())
    tagged = {window.model.row(r)["id"]: window.model.row(r)["tags"] for r in range(ROWS)}
    assert sum(1 for tags in tagged.values() if code in tags) == 2


def test_a_select_all_is_read_and_tagged_on_the_worker(qtbot, window, monkeypatch):
    monkeypatch.setattr(tag_commands, "BACKGROUND_IDS", 10)
    window.table.selectAll()
    statements = []
    window.case.conn.set_trace_callback(statements.append)
    code = window.case.taxonomy()[0].code
    try:
        with qtbot.waitSignal(window.items_changed, timeout=20000) as blocker:
            window.tagger.tag(code)
            assert not blocker.signal_triggered and running_tasks() >= 1  # the write went to a worker
            reads_on_gui = [s for s in statements if "SELECT items.id FROM items" in s or "INSERT INTO tags" in s]
    finally:
        window.case.conn.set_trace_callback(None)
    assert reads_on_gui == []  # neither the million ids nor the write touched the GUI thread's connection
    tagged = window.case.conn.execute("SELECT count(*) FROM tags WHERE code = ?", (code,)).fetchone()[0]
    assert tagged == ROWS
    assert window.undo_stack.count() == 1


def test_a_write_recounts_a_slow_count_on_the_worker_and_the_table_shrinks_to_it(
    qtbot, window, slow_counts, monkeypatch
):
    """After a write the rows shown are read again at once; a count too slow for the GUI
    thread is taken on a worker and the table shrinks (or grows) to it, without a reset."""
    monkeypatch.setattr(tag_commands, "BACKGROUND_IDS", 10_000)
    code = window.case.taxonomy()[0].code
    model = window.model
    slow_counts.set()  # the worker's counts answer at once; the GUI thread's are still too slow
    window.table.selectAll()
    with qtbot.waitSignal(window.items_changed, timeout=20000):
        window.tagger.tag(code)
    window.filters.apply_filter(ItemFilter(tags_any=[code]))
    qtbot.waitUntil(lambda: running_tasks() == 0 and not model.counting, timeout=20000)
    assert model.rowCount() == ROWS
    resets = []
    model.modelReset.connect(lambda: resets.append(True))
    window.table.select_rows(range(100))
    with qtbot.waitSignal(window.items_changed, timeout=20000):
        window.tagger.untag(code)
    assert window.count_label.text() == "Counting..."  # the count after the write comes from the worker
    qtbot.waitUntil(lambda: running_tasks() == 0 and window.count_label.text() != "Counting...", timeout=20000)
    assert model.rowCount() == ROWS - 100
    assert resets == []
    assert all(code in model.row(r)["tags"] for r in range(model.rowCount()))


def test_a_far_jump_too_slow_for_the_gui_thread_is_found_on_a_worker(qtbot, window, monkeypatch):
    """Dragging to the middle of a long search result: the rows there are found on a worker
    and painted when found; the GUI thread never counts its way there."""
    real = item_pages.key_at

    def key_at(conn, window, position, total):
        if threading.current_thread() is threading.main_thread():
            raise sqlite3.OperationalError("interrupted")  # too slow for the GUI budget
        return real(conn, window, position, total)

    model = window.model
    window.filters.apply_filter(ItemFilter(search="proof"))
    qtbot.waitUntil(lambda: running_tasks() == 0 and not model.counting, timeout=20000)
    expected = [r[0] for r in window.case.conn.execute(_listing_sql(window))]
    monkeypatch.setattr(item_pages, "key_at", key_at)
    middle = 2 * 200 + 57  # page 2: where it starts is not known from the pages read so far
    assert model.row(middle) is None  # not yet: a worker is finding where its page starts
    changed = []
    model.dataChanged.connect(lambda first, last: changed.append((first.row(), last.row())))
    qtbot.waitUntil(lambda: model.row(middle) is not None, timeout=20000)
    assert model.row(middle)["id"] == expected[middle]
    assert any(first <= middle <= last for first, last in changed)  # the view was told to paint them


def _listing_sql(window) -> str:
    order = window.model.window.order_by()
    hits = "SELECT rowid FROM items_fts WHERE items_fts MATCH 'proof'"
    return f"SELECT items.id FROM items WHERE items.id IN ({hits}) ORDER BY {order}"

"""The review batch flow in the window: make from the selection or the table, open, Next Unreviewed
(F8) through the batch, progress in the status bar and the dock, reviewed status saved and audited,
undo of a mark, and the reviewer name from Settings recorded as who reviewed."""

import pytest
from PySide6.QtCore import Qt

from app.store import audit, review_batches
from app.store.case_file import CaseFile
from app.ui import settings as S
from app.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, review_case_path):
    settings = S.Settings()
    settings.set(S.OPERATOR_NAME, "Rita Reviewer")
    win = MainWindow(review_case_path, settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _make(window, name, size, from_selection=True):
    dialog = window.batches.make_batch()
    dialog.name.setText(name)
    dialog.size.setValue(size)
    (dialog.from_selection if from_selection else dialog.from_listed).setChecked(True)
    dialog.accept()
    return dialog


def _statuses(path, batch_id):
    with CaseFile.open(path) as case:
        ids = review_batches.batch_item_ids(case.conn, batch_id)
        return {i: review_batches.review_status(case.conn, batch_id, i)["reviewed_by"] for i in ids}


def test_make_open_and_review_a_batch_with_next_unreviewed(qtbot, window, review_case_path):
    feature = window.batches
    window.table.setFocus()
    window.table.select_rows(range(0, 8))
    chosen = window.selected_item_ids()
    _make(window, "First pass", 3)
    # The first batch is opened: the table lists it, the dock lists every batch with progress.
    assert feature.dock.isVisible()
    assert feature.panel.list.topLevelItemCount() == 3
    assert [feature.panel.list.topLevelItem(i).text(2) for i in range(3)] == ["0 of 3"] * 2 + ["0 of 2"]
    assert window.model.rowCount() == 3
    assert feature.status.text() == "Batch First pass 1: 0 of 3 (0%) reviewed"
    with CaseFile.open(review_case_path) as case:
        batch_id = review_batches.batches(case.conn)[0]["id"]
        first_three = review_batches.batch_item_ids(case.conn, batch_id)
    assert set(first_three) <= set(chosen)

    seen = []
    for step in range(3):  # F8: nothing current yet -> go to the first; then mark and move on
        qtbot.keyClick(window.table, Qt.Key.Key_F8)
        seen.append(window.current_item_id())
        assert window.detail.item["id"] == seen[-1]  # what is shown is what is current
        assert feature.status.text() == f"Batch First pass 1: {step} of 3 ({step * 100 // 3}%) reviewed"
    assert sorted(seen) == sorted(first_three)
    qtbot.keyClick(window.table, Qt.Key.Key_F8)  # marks the last; none left
    assert feature.status.text() == "Batch First pass 1: 3 of 3 (100%) reviewed"
    assert "is reviewed" in window.statusBar().currentMessage()
    assert feature.panel.list.topLevelItem(0).text(2) == "3 of 3"
    # Saved in the case, by the reviewer name set in Settings, and audited as such.
    assert set(_statuses(review_case_path, batch_id).values()) == {"Rita Reviewer"}
    with CaseFile.open(review_case_path) as case:
        reviews = [e for e in audit.entries(case.conn) if e["action"] == "batch.review"]
    assert len(reviews) == 3 and {e["actor"] for e in reviews} == {"Rita Reviewer"}
    assert "reviewed by Rita Reviewer" in feature.panel.item_status.text()

    # Ctrl+Z unmarks the last one marked; the progress follows.
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert feature.status.text() == "Batch First pass 1: 2 of 3 (66%) reviewed"
    assert list(_statuses(review_case_path, batch_id).values()).count(None) == 1

    # Show All Items lets go of the batch; the filter panel's own filter stays in force.
    feature.panel.close_button.click()
    assert window.model.rowCount() == 46 and feature.status.text() == ""


def test_next_unreviewed_follows_the_table_order_and_wraps(qtbot, window):
    feature = window.batches
    _make(window, "Everything", 100, from_selection=False)
    assert window.model.rowCount() == 46
    window.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    window.table.selectRow(10)
    start = window.current_item_id()
    moved = feature.next_unreviewed()
    assert moved == window.model.item_id(11)  # start was marked; the next row down is next
    window.table.selectRow(45)
    assert feature.next_unreviewed() == window.model.item_id(0)  # past the end: wrap to the top
    assert review_batches.review_status(window.case.conn, feature.open_batch, start)["reviewed_by"]


def test_the_family_of_a_selected_attachment_joins_its_batch(qtbot, window):
    with_parent = [r for r in range(window.model.rowCount()) if window.model.row(r)["parent_id"]]
    window.table.select_rows(with_parent)
    _make(window, "Attachments", 10)
    rows = [window.model.row(r) for r in range(window.model.rowCount())]
    kinds = sorted(r["kind"] for r in rows)
    assert kinds == ["attachment", "email"]  # the email came with its attachment


def test_assign_and_delete_a_batch(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    _make(window, "To assign", 100, from_selection=False)
    feature = window.batches
    batch_id = feature.open_batch
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Bob Barrister", True))
    feature.panel.assign_button.click()
    assert feature.panel.list.topLevelItem(0).text(1) == "Bob Barrister"
    feature.delete(batch_id, confirm=False)
    assert feature.panel.list.topLevelItemCount() == 0
    assert feature.open_batch is None and window.model.rowCount() == 46


def test_next_unreviewed_without_an_open_batch_says_what_to_do(window):
    assert window.batches.next_unreviewed() is None
    assert "Open a review batch first" in window.statusBar().currentMessage()


def test_shift_f8_marks_the_selection_then_unmarks_it(qtbot, window, review_case_path):
    feature = window.batches
    _make(window, "All", 100, from_selection=False)
    window.table.setFocus()
    window.table.select_rows([2, 3, 4])
    qtbot.keyClick(window.table, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert feature.status.text() == "Batch All: 3 of 46 (6%) reviewed"
    qtbot.keyClick(window.table, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)  # all were: unmark
    assert feature.status.text() == "Batch All: 0 of 46 (0%) reviewed"

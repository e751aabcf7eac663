"""The evidence table keeps what the user sees and what a key tags the same."""

from PySide6.QtCore import QUrl, Qt

from app.store.case_file import CaseFile
from app.store.item_query import ItemFilter
from app.ui.evidence_model import COLUMN
from window_helpers import import_paths, write_log

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _tags(path, code):
    with CaseFile.open(path) as case:
        return {r[0] for r in case.conn.execute("SELECT item_id FROM tags WHERE code = ?", (code,))}


def _narrow(qtbot, window):
    """A window narrower than the table's columns, so the table can scroll sideways."""
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: window.table.horizontalScrollBar().maximum() > 0)


def test_ctrl_end_selects_the_last_row_and_the_key_tags_it(qtbot, review_window, review_case_path):
    window = review_window
    _narrow(qtbot, window)
    last = window.model.rowCount() - 1
    window.table.setFocus()
    window.table.selectRow(2)
    qtbot.keyClick(window.table, Qt.Key.Key_End, CTRL)
    last_id = window.model.item_id(last)
    assert window.selected_item_ids() == [last_id]
    assert window.detail.item["id"] == last_id
    assert window.table.horizontalScrollBar().value() == 0  # the Time column stays in view
    assert window.table.currentIndex().column() == COLUMN["time"]
    qtbot.keyClick(window.table, Qt.Key.Key_1)
    assert _tags(review_case_path, window.taxonomy.quick_codes[0]) == {last_id}
    qtbot.keyClick(window.table, Qt.Key.Key_Home, CTRL)
    assert window.selected_item_ids() == [window.model.item_id(0)]


def test_shift_ctrl_end_extends_the_selection_to_the_last_row(qtbot, review_window):
    window = review_window
    window.table.setFocus()
    window.table.selectRow(40)
    qtbot.keyClick(window.table, Qt.Key.Key_End, CTRL | SHIFT)
    rows = window.model.rowCount()
    assert window.table.selected_ranges() == [(40, rows - 1)]
    assert window.detail.item["id"] == window.model.item_id(rows - 1)


def test_sorting_keeps_the_selection(qtbot, review_window):
    window = review_window
    window.table.setFocus()
    window.table.select_rows([3, 7, 30])
    window.table.setCurrentIndex(window.model.index(7, 0))
    window.table.select_rows([3, 7, 30])
    chosen, current = set(window.selected_item_ids()), window.model.item_id(7)
    window.table.sortByColumn(COLUMN["kind"], Qt.SortOrder.DescendingOrder)
    assert window.model.window.sort == "kind"
    assert set(window.selected_item_ids()) == chosen
    assert window.current_item_id() == current


def test_clear_filters_scrolls_the_table_back_to_the_left(qtbot, review_window):
    window = review_window
    _narrow(qtbot, window)
    window.filters.apply_filter(ItemFilter(kinds=["log_entry"]))
    bar = window.table.horizontalScrollBar()
    bar.setValue(bar.maximum())
    next(a for a in window.menu("View").actions() if a.text() == "&Clear Filters").trigger()
    assert window.model.rowCount() == 46 and bar.value() == 0


def test_an_import_and_refresh_bring_new_sources_and_custodians_into_the_lists(qtbot, review_window, tmp_path):
    window = review_window
    combo = window.filters.custodian_combo
    assert combo.findText("Outside counsel") < 0
    import_paths(window.case_path, [write_log(tmp_path / "late.jsonl", 5)], custodian="Outside counsel")
    window.refresh_everything()  # View > Refresh; an import from the wizard ends the same way
    assert combo.findText("Outside counsel") >= 0
    assert any(
        "late.jsonl" in window.filters.source_combo.itemText(i) for i in range(window.filters.source_combo.count())
    )
    window.filters.apply_filter(ItemFilter(custodians=["Outside counsel"]))
    assert window.model.rowCount() == 5


def _email_and_attachment(window):
    rows = [window.model.row(r) for r in range(window.model.rowCount())]
    email = next(r for r in rows if r["title"] == "Harvest plan")
    attachment = next(r for r in rows if r["kind"] == "attachment")
    return email["id"], attachment["id"]


def test_an_attachment_link_moves_the_selection_to_the_attachment(qtbot, review_window, review_case_path):
    window = review_window
    email, attachment = _email_and_attachment(window)
    window.filters.apply_filter(ItemFilter(kinds=["email"]))  # the attachment is not listed
    window.table.setFocus()
    window.table.select_item(email)
    assert window.detail.item["id"] == email
    window.detail.text_view.anchorClicked.emit(QUrl(f"item:{attachment}"))
    assert window.detail.item["id"] == attachment
    assert window.selected_item_ids() == [attachment] and window.current_item_id() == attachment
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_2)
    assert _tags(review_case_path, window.taxonomy.quick_codes[1]) == {attachment}


def test_an_import_from_the_wizard_brings_its_custodian_into_the_filters(qtbot, review_window, tmp_path):
    window = review_window
    wizard = window.window_actions.open_import([write_log(tmp_path / "wizard.jsonl", 7)])
    wizard.next()  # the log's fields are mapped on the next page
    wizard.mapping_page.custodian.setText("Platform API gateway")
    with qtbot.waitSignal(wizard.import_finished, timeout=60000):
        wizard.next()
    combo = window.filters.custodian_combo
    assert combo.findText("Platform API gateway") >= 0
    assert any(
        "wizard.jsonl" in window.filters.source_combo.itemText(i) for i in range(window.filters.source_combo.count())
    )

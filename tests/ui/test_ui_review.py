"""Reviewing a real case: counts, filters, search, keyboard tagging with undo/redo, notes."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.timestamps import TimestampParser
from app.store import annotations, audit
from app.store.case_file import CaseFile
from app.store.item_query import ItemFilter
from app.ui.evidence_model import COLUMN
from app.ui.main_window import MainWindow

ITEMS = 46  # 40 log rows (1 malformed line quarantined) + 2 emails, 1 attachment, output, document, image
TOS_COMPETE = "TOS-COMPETE-TRAIN"  # the first category: key 1


@pytest.fixture
def window(review_window):
    return review_window


def _rows(window):
    return window.model.rowCount()


def _tags_in_case(path, code):
    with CaseFile.open(path) as case:
        return {r[0] for r in case.conn.execute("SELECT item_id FROM tags WHERE code = ?", (code,))}


def test_the_table_shows_every_item_of_the_case(window):
    assert _rows(window) == ITEMS
    assert f"{ITEMS} items" in window.windowTitle()
    assert window.count_label.text().startswith(f"{ITEMS} shown")
    first = window.model.row(0)
    assert first["kind"] == "document"  # 2025-01-01: the earliest item
    # a naive log time is marked as assumed
    assumed = [window.model.index(r, 0).data() for r in range(_rows(window)) if window.model.row(r)["ts_assumed"]]
    assert assumed and all(text.endswith(" ?") for text in assumed)


def test_select_three_tag_by_key_undo_redo(qtbot, window, review_case_path):
    window.table.setFocus()
    window.table.select_rows([1, 2, 3])
    ids = window.selected_item_ids()
    assert len(ids) == 3
    qtbot.keyClick(window.table, Qt.Key.Key_1)
    assert _tags_in_case(review_case_path, TOS_COMPETE) == set(ids)
    assert TOS_COMPETE in window.model.index(2, COLUMN["tags"]).data()
    assert window.selected_item_ids() == ids  # the selection survives the write

    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _tags_in_case(review_case_path, TOS_COMPETE) == set()
    assert window.model.index(2, COLUMN["tags"]).data() == ""
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert _tags_in_case(review_case_path, TOS_COMPETE) == set(ids)

    with CaseFile.open(review_case_path) as case:
        actions = [e["action"] for e in audit.entries(case.conn)]
    assert actions[-3:] == ["tag", "untag", "tag"]


def test_pressing_the_key_again_untags_and_undo_restores(qtbot, window, review_case_path):
    window.table.setFocus()
    window.table.select_rows([5, 6])
    qtbot.keyClick(window.table, Qt.Key.Key_3)
    code = window.taxonomy.quick_codes[2]
    assert len(_tags_in_case(review_case_path, code)) == 2
    qtbot.keyClick(window.table, Qt.Key.Key_3)
    assert _tags_in_case(review_case_path, code) == set()
    window.undo_stack.undo()
    assert len(_tags_in_case(review_case_path, code)) == 2


def test_a_note_is_added_and_undone(qtbot, window, review_case_path):
    window.table.setFocus()
    window.table.selectRow(4)
    item_id = window.current_item_id()
    qtbot.keyClicks(window.taxonomy.note_edit, "Key rotation pattern; compare with invoice")
    qtbot.keyClick(window.taxonomy.note_edit, Qt.Key.Key_Return)
    with CaseFile.open(review_case_path) as case:
        notes = [n["text"] for n in annotations.item_notes(case, item_id)]
        assert notes == ["Key rotation pattern; compare with invoice"]
    assert "Key rotation pattern" in window.detail.annotations_label.text()
    window.undo_stack.undo()
    with CaseFile.open(review_case_path) as case:
        assert annotations.item_notes(case, item_id) == []
    window.undo_stack.redo()
    with CaseFile.open(review_case_path) as case:
        assert len(annotations.item_notes(case, item_id)) == 1


def test_filter_by_tag_any_all_none(qtbot, window):
    window.table.select_rows([0, 1, 2])
    window.tagger.tag(TOS_COMPETE)
    window.filters.apply_filter(ItemFilter(tags_any=[TOS_COMPETE]))
    assert _rows(window) == 3
    window.filters.apply_filter(ItemFilter(tags_none=[TOS_COMPETE]))
    assert _rows(window) == ITEMS - 3
    # the widgets show the filter: the tag is ticked and the mode is "none"
    assert window.filters.tag_mode.currentData() == "none"


def test_filter_by_date_in_the_display_zone(qtbot, window):
    parse = TimestampParser("Europe/London").parse
    window.set_date_filter(parse("2025-03-03T00:00:00Z").utc_us, parse("2025-03-04T00:00:00Z").utc_us)
    titles = {window.model.row(r)["title"] for r in range(_rows(window))}
    assert {"Harvest plan", "Re: Harvest plan"} <= titles
    assert window.filters.from_check.isChecked() and window.filters.to_check.isChecked()
    day_start, day_end = parse("2025-03-03T00:00:00Z").utc_us, parse("2025-03-04T00:00:00Z").utc_us
    assert all(day_start <= window.model.row(r)["ts_us"] < day_end for r in range(_rows(window)))


def test_search_and_plain_words_for_a_bad_query(qtbot, window):
    window.filters.search_edit.setText("rotate keys")
    qtbot.keyClick(window.filters.search_edit, Qt.Key.Key_Return)
    assert _rows(window) == 1 and window.model.row(0)["title"] == "Harvest plan"
    window.table.selectRow(0)
    assert window.detail.highlight_count() >= 2  # "rotate" and "keys" highlighted in the body
    window.filters.search_edit.setText("keys AND")  # an operator with nothing after it
    qtbot.keyClick(window.filters.search_edit, Qt.Key.Key_Return)
    assert window.filters.search_error.isVisible()
    assert "could not be understood" in window.filters.search_error.text()
    assert _rows(window) == 1  # the last good result stays


def test_saved_search_round_trip(qtbot, window, review_case_path, monkeypatch):
    window.filters.apply_filter(ItemFilter(kinds=["email"]))
    window._save_search("Emails only", window.current_filter())
    window.filters.clear()
    assert _rows(window) == ITEMS
    index = window.filters.saved_combo.findText("Emails only")
    window.filters.saved_combo.setCurrentIndex(index)
    window.filters.saved_combo.activated.emit(index)
    assert _rows(window) == 2
    with CaseFile.open(review_case_path) as case:
        assert [e["action"] for e in audit.entries(case.conn)][-1] == "search.save"


def test_sorting_by_time_descending_and_by_account(qtbot, window):
    window.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert window.model.row(_rows(window) - 1)["kind"] == "document"
    window.table.sortByColumn(COLUMN["account"], Qt.SortOrder.AscendingOrder)
    accounts = [window.model.row(r)["account"] or "" for r in range(_rows(window))]
    assert accounts == sorted(accounts)


def test_layout_is_remembered(qtbot, review_case_path):
    first = MainWindow(review_case_path)
    qtbot.addWidget(first)
    first.show()
    first.resize(780, 560)  # within the offscreen screen (800x800): restored geometry is kept within it
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, first.layout_docks.coding_dock)
    first.resizeDocks([first.layout_docks.filters_dock], [280], Qt.Orientation.Horizontal)
    QApplication.processEvents()  # the dock layout applies the new sizes
    size, filters_width = first.size(), first.layout_docks.filters_dock.width()
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert second.size() == size
    assert second.dockWidgetArea(second.layout_docks.coding_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    qtbot.waitUntil(lambda: second.layout_docks.filters_dock.width() == filters_width)
    assert second.settings.recent_cases()[0].endswith("review.casefile")


def test_select_all_tags_in_the_background_and_undoes(qtbot, window, review_case_path, monkeypatch):
    """A select-all above the threshold is tagged on a worker thread, then undone exactly."""
    import app.ui.tag_commands as tag_commands

    monkeypatch.setattr(tag_commands, "BACKGROUND_IDS", 10)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert window.table.selected_count() == ITEMS
    with qtbot.waitSignal(window.items_changed, timeout=20000):
        window.tagger.tag("HOT")
    assert len(_tags_in_case(review_case_path, "HOT")) == ITEMS
    assert window.undo_stack.count() == 1
    with qtbot.waitSignal(window.items_changed, timeout=20000):
        window.undo_stack.undo()  # on a worker too, behind a modal progress dialog
    assert _tags_in_case(review_case_path, "HOT") == set()
    with qtbot.waitSignal(window.items_changed, timeout=20000):
        window.undo_stack.redo()
    assert len(_tags_in_case(review_case_path, "HOT")) == ITEMS


def test_gui_entry_points_open_the_case(qtbot, review_case_path, monkeypatch, cli):
    """`casefile gui CASE` and `python -m app CASE` show the main window with the case's name."""
    from PySide6.QtWidgets import QApplication

    shown = []
    monkeypatch.setattr(
        QApplication,
        "exec",
        lambda self: (
            shown.extend(
                w.windowTitle() for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
            )
            or 0
        ),
    )
    code, _out, _err = cli("gui", review_case_path)
    assert code == 0
    assert any(title.startswith("Northwind v. Riverbend Labs") for title in shown)
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.close()


def test_filter_by_kind_source_custodian_and_account(qtbot, window):
    window.filters.apply_filter(ItemFilter(kinds=["email"]))
    assert _rows(window) == 2
    window.filters.apply_filter(ItemFilter(custodians=["Legal"]))
    assert {window.model.row(r)["kind"] for r in range(_rows(window))} == {"document"}
    window.filters.apply_filter(ItemFilter(accounts=["org-northwind"]))
    assert _rows(window) == 10
    source = window.filters.source_combo
    source.setCurrentIndex(source.findText("api-access.jsonl", Qt.MatchFlag.MatchStartsWith))
    window.filters.account_edit.clear()
    window.filters.emit_filter()
    assert _rows(window) == 40


def test_the_operator_from_settings_is_recorded_in_the_audit_log(qtbot, review_case_path):
    from app.ui import settings as S

    S.Settings().set(S.OPERATOR_NAME, "J. Paralegal")
    win = MainWindow(review_case_path)
    qtbot.addWidget(win)
    win.table.select_rows([0])
    win.tagger.tag("HOT")
    with CaseFile.open(review_case_path) as case:
        last = list(audit.entries(case.conn))[-1]
    assert (last["action"], last["actor"]) == ("tag", "J. Paralegal")

"""The review menu's actions and the saved-search buttons do what they say, and nothing without a choice."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.store.case_file import CaseFile
from window_helpers import open_window

ROWS = 40


@pytest.fixture
def window(qtbot, tmp_path, case_path):
    with open_window(qtbot, tmp_path, case_path, ROWS) as win:
        yield win


def action(window, menu, text):
    return next(a for a in window.menu(menu).actions() if a.text().replace("&", "") == text)


def tagged(window, code: str) -> int:
    with CaseFile.open(window.case_path) as case:
        return case.conn.execute("SELECT count(*) FROM tags WHERE code = ?", (code,)).fetchone()[0]


def choose_category(window, code: str) -> None:
    tree = window.taxonomy.tree
    every = tree.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive)
    tree.setCurrentItem(next(item for item in every if item.data(0, Qt.ItemDataRole.UserRole) == code))


def test_tag_and_untag_selected_use_the_category_chosen_in_the_tag_panel(qtbot, window):
    window.table.selectAll()
    choose_category(window, "HOT")
    action(window, "Evidence", "Tag Selected With Current Category").trigger()
    assert tagged(window, "HOT") == ROWS
    action(window, "Evidence", "Untag Selected").trigger()
    assert tagged(window, "HOT") == 0


def test_tag_selected_with_no_category_chosen_changes_nothing(qtbot, window):
    window.table.selectAll()
    window.taxonomy.tree.setCurrentItem(None)
    made = []
    window.items_changed.connect(lambda: made.append("a change"))
    action(window, "Evidence", "Tag Selected With Current Category").trigger()
    action(window, "Evidence", "Untag Selected").trigger()
    assert made == [] and window.undo_stack.count() == 0


def test_delete_removes_the_saved_search_shown_and_never_the_placeholder(qtbot, window):
    window.filters.save_requested.emit("everything", window.current_filter())
    combo = window.filters.saved_combo
    combo.setCurrentIndex(0)  # "Saved searches", a label
    delete = next(b for b in window.filters.findChildren(QPushButton) if b.text() == "Delete")
    delete.click()
    assert combo.findText("everything") > 0
    combo.setCurrentIndex(combo.findText("everything"))
    delete.click()
    assert combo.findText("everything") < 0

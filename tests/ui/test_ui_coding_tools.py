"""Coding: keys for categories beyond nine (defaults, user-assigned, shown, clashes refused), the
compact checkbox layout, the notes list (edit and delete audited, times in the case's zone, undo),
and the reviewer name from Settings recorded as the audit operator."""

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from app.store import annotations, audit
from app.store.case_file import CaseFile
from app.ui import settings as S
from app.ui.settings_dialog import SettingsDialog


@pytest.fixture
def window(review_window):
    return review_window


def _tags(path, item_id):
    with CaseFile.open(path) as case:
        return {t["code"] for t in annotations.item_tags(case, item_id)}


def _beyond_nine(window):
    quick = window.taxonomy.quick_codes
    return [c for c in window.case.taxonomy() if c.code not in quick]


def _key_shown(window, code):
    tree = window.taxonomy.tree
    found = tree.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive, 1)
    return next(i.text(0) for i in found if i.data(0, Qt.ItemDataRole.UserRole) == code)


def test_categories_beyond_nine_have_keys_shown_in_the_panel(qtbot, window, review_case_path):
    tenth = _beyond_nine(window)[0]
    assert window.category_keys.keys[tenth.code] == "Alt+1"
    assert _key_shown(window, tenth.code) == QKeySequence("Alt+1").toString(QKeySequence.SequenceFormat.NativeText)
    window.table.setFocus()
    window.table.selectRow(4)
    item_id = window.current_item_id()
    qtbot.keyClick(window.table, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert tenth.code in _tags(review_case_path, item_id)
    qtbot.keyClick(window.table, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # again: untag
    assert tenth.code not in _tags(review_case_path, item_id)


def test_the_user_assigns_a_key_which_is_kept_and_used(qtbot, window, review_case_path):
    beyond = _beyond_nine(window)
    last = beyond[-1]
    dialog = window.category_keys.edit()
    dialog.edits[last.code].setKeySequence(QKeySequence("Alt+Q"))
    dialog.edits[beyond[0].code].clear()
    dialog.accept()
    assert S.Settings().get(S.CATEGORY_KEYS)[last.code] == "Alt+Q"
    assert beyond[0].code not in window.category_keys.keys
    assert _key_shown(window, last.code)
    window.table.setFocus()
    window.table.selectRow(2)
    item_id = window.current_item_id()
    qtbot.keyClick(window.table, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
    assert last.code in _tags(review_case_path, item_id)
    qtbot.keyClick(window.table, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # taken away: does nothing
    assert beyond[0].code not in _tags(review_case_path, item_id)


def test_a_key_that_clashes_is_refused_in_plain_words(window):
    beyond = _beyond_nine(window)
    dialog = window.category_keys.edit()
    dialog.edits[beyond[3].code].setKeySequence(QKeySequence("Ctrl+G"))
    dialog.edits[beyond[4].code].setKeySequence(QKeySequence("Alt+1"))  # the default of beyond[0]
    dialog.edits[beyond[5].code].setKeySequence(QKeySequence("5"))
    dialog.accept()
    assert dialog.isVisible()
    text = dialog.problem.text()
    assert "Ctrl+G is the key of Go to Item..." in text
    assert "Alt+1 is given to both" in text
    assert "5 is kept for the first nine categories" in text


def test_compact_checkboxes_show_and_change_the_items_coding(qtbot, window, review_case_path):
    window.compact_coding.action.setChecked(True)
    grid = window.compact_coding.grid
    assert grid.isVisible() and not window.taxonomy.tree.isVisible()
    assert len(grid.boxes) == len(window.case.taxonomy())
    first = window.taxonomy.quick_codes[0]
    assert grid.boxes[first].text().startswith("1  ")
    window.table.selectRow(3)
    item_id = window.current_item_id()
    grid.boxes[first].click()
    assert first in _tags(review_case_path, item_id)
    window.table.selectRow(4)
    assert not grid.boxes[first].isChecked()
    window.table.selectRow(3)
    assert grid.boxes[first].isChecked()
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not grid.boxes[first].isChecked() and first not in _tags(review_case_path, item_id)
    assert S.Settings().get(S.CODING_CHECKBOXES) is True


def test_notes_listed_edited_deleted_audited_in_the_cases_zone(qtbot, window, review_case_path):
    panel = window.notes_panel
    window.table.selectRow(0)
    item_id = window.current_item_id()
    panel.new_note.setText("first thought")
    panel.add_button.click()
    assert panel.list.topLevelItemCount() == 1
    row = panel.list.topLevelItem(0)
    with CaseFile.open(review_case_path) as case:
        (note,) = annotations.item_notes(case, item_id)
    assert row.text(2) == "first thought"
    assert not row.text(0).endswith("Z") and row.text(0)[-6:] in ("+00:00", "+01:00")  # Europe/London
    panel.list.setCurrentItem(row)
    panel.edit_current("second thought")
    assert panel.list.topLevelItem(0).text(2) == "second thought"
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the edit
    assert panel.list.topLevelItem(0).text(2) == "first thought"
    panel.list.setCurrentItem(panel.list.topLevelItem(0))
    panel.delete_current(confirm=False)
    assert panel.list.topLevelItemCount() == 0
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the delete
    assert [panel.list.topLevelItem(0).text(2)] == ["first thought"]
    with CaseFile.open(review_case_path) as case:
        actions = [(e["action"], json.loads(e["details"]).get("text")) for e in audit.entries(case.conn)]
    assert actions[-5:] == [
        ("note.add", "first thought"),
        ("note.edit", "second thought"),
        ("note.edit", "first thought"),
        ("note.delete", None),
        ("note.add", "first thought"),
    ]
    assert note["id"]


def test_the_reviewer_name_set_in_settings_is_the_audit_operator(qtbot, window, review_case_path):
    dialog = SettingsDialog(window.settings, window)
    assert "Reviewer name" in dialog.operator_label.text()
    assert dialog.operator.placeholderText().startswith(S.default_operator())
    dialog.operator.setText("Ada Advocate")
    dialog.accept()
    window.window_actions._settings_saved()
    window.table.setFocus()
    window.table.selectRow(1)
    qtbot.keyClick(window.table, Qt.Key.Key_1)
    with CaseFile.open(review_case_path) as case:
        last = list(audit.entries(case.conn))[-1]
    assert (last["action"], last["actor"]) == ("tag", "Ada Advocate")
    # Work on a worker thread (a big tag, an import) opens its case with the same name.
    assert window.settings.operator() == "Ada Advocate"

"""Keys and actions a reviewer relies on: one action per shortcut, the key tags what is shown."""

from collections import defaultdict

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

from app.store.case_file import CaseFile
from app.ui.tag_commands import TagCommand

WINDOW_WIDE = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


def _tags(path, code):
    with CaseFile.open(path) as case:
        return {r[0] for r in case.conn.execute("SELECT item_id FROM tags WHERE code = ?", (code,))}


def test_no_two_actions_share_a_shortcut(review_window):
    """Every action of the window (menus, toolbar, docks, feature views): a shared key does nothing."""
    owners = defaultdict(list)
    for action in review_window.findChildren(QAction):
        if action.shortcutContext() in WINDOW_WIDE:
            for key in action.shortcuts():
                owners[key.toString(QKeySequence.SequenceFormat.PortableText)].append(action.text())
    for shortcut in review_window.findChildren(QShortcut):
        if shortcut.context() in WINDOW_WIDE:
            owners[shortcut.key().toString(QKeySequence.SequenceFormat.PortableText)].append(shortcut.objectName())
    shared = {key: names for key, names in owners.items() if key and len(names) > 1}
    assert shared == {}
    assert len(owners) > 15  # the actions were found


def test_ctrl_t_tags_the_selection_with_the_current_category(qtbot, review_window, review_case_path):
    window = review_window
    code = window.taxonomy.quick_codes[1]
    item = next(
        window.taxonomy.tree.topLevelItem(0).child(i)
        for i in range(window.taxonomy.tree.topLevelItem(0).childCount())
        if window.taxonomy.tree.topLevelItem(0).child(i).data(0, Qt.ItemDataRole.UserRole) == code
    )
    window.taxonomy.tree.setCurrentItem(item)
    window.table.setFocus()
    window.table.select_rows([2, 3])
    ids = set(window.selected_item_ids())
    qtbot.keyClick(window.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert _tags(review_case_path, code) == ids
    assert not window.window_actions.timeline_dock.isVisible()


def test_file_menu_has_import_above_quit(review_window):
    texts = [a.text().replace("&", "") for a in review_window.menu("File").actions() if not a.isSeparator()]
    assert texts[-1] == "Quit"
    assert texts.index("Import...") < texts.index("Quit")


def test_after_undo_the_status_bar_says_what_the_case_is_now(qtbot, review_window, review_case_path):
    window = review_window
    window.table.setFocus()
    window.table.select_rows([4])
    code = window.taxonomy.quick_codes[0]
    qtbot.keyClick(window.table, Qt.Key.Key_1)
    assert window.statusBar().currentMessage() == f"1 item tagged {code}"
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _tags(review_case_path, code) == set()
    assert window.statusBar().currentMessage() == f"Undone: 1 item no longer tagged {code}"
    window.undo_stack.redo()
    assert window.statusBar().currentMessage() == f"1 item tagged {code}"


def test_counts_are_in_plain_english(review_window):
    command = TagCommand(None, "PRIV", [7])
    assert command.text() == "Tag 1 item PRIV" and "(s)" not in command.text()
    assert " 1 items" not in review_window.status_label.text() and "sources" in review_window.status_label.text()

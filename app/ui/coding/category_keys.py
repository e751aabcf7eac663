"""Keys for categories beyond the first nine: Alt+1 ... Alt+9 by default, any key the user
gives in Evidence > Category Keys... (kept per user in Settings, by category code).

Keys 1-9 stay the tag panel's (the first nine top-level categories). A key here toggles its
category on the selected items from the table or the tag panel, exactly as 1-9 do, and
is shown in the tag panel's Key column.
"""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
)

from app.ui import settings as S

DEFAULT_KEYS = tuple(f"Alt+{n}" for n in range(1, 10))
RESERVED = {str(n) for n in range(1, 10)}  # the tag panel's own keys


def default_keys(categories, quick_codes) -> dict[str, str]:
    """The first nine categories without a number key get Alt+1 ... Alt+9, in taxonomy order."""
    rest = [c.code for c in categories if c.code not in quick_codes]
    return dict(zip(rest, DEFAULT_KEYS))


def effective_keys(categories, quick_codes, chosen: dict) -> dict[str, str]:
    """{code: key}: the defaults with the user's choices laid over ("" removes a key)."""
    known = {c.code for c in categories} - set(quick_codes)
    keys = default_keys(categories, quick_codes)
    keys.update({code: key for code, key in chosen.items() if code in known})
    return {code: key for code, key in keys.items() if key}


def window_shortcuts(window) -> dict[str, str]:
    """{portable key text: action text} of the window's menu actions (a category key must not clash)."""
    taken = {}
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            if not sequence.isEmpty():
                taken[sequence.toString(QKeySequence.SequenceFormat.PortableText)] = action.text().replace("&", "")
    return taken


def clashes(keys: dict[str, str], taken: dict[str, str], names: dict[str, str]) -> list[str]:
    """Plain sentences for each key given twice, kept by the tag panel, or used by a menu action."""
    problems, seen = [], {}
    for code, key in keys.items():
        if key in RESERVED:
            problems.append(f"{key} is kept for the first nine categories (given to {names.get(code, code)}).")
        elif key in taken:
            problems.append(f"{key} is the key of {taken[key]} (given to {names.get(code, code)}).")
        elif key in seen:
            problems.append(f"{key} is given to both {names.get(seen[key], seen[key])} and {names.get(code, code)}.")
        seen.setdefault(key, code)
    return problems


class CategoryKeysDialog(QDialog):
    """Every category with its key; edit one by clicking it and pressing the keys."""

    def __init__(self, categories, quick_codes, keys: dict[str, str], taken: dict[str, str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Category keys")
        self.taken = taken
        self.names = {c.code: c.name for c in categories}
        self.rows = [c for c in categories if c.code not in quick_codes]
        self.table = QTableWidget(len(self.rows), 2)
        self.table.setHorizontalHeaderLabels(["Category", "Key"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.edits: dict[str, QKeySequenceEdit] = {}
        for row, category in enumerate(self.rows):
            name = QTableWidgetItem(f"{category.name}  ({category.code})")
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, name)
            edit = QKeySequenceEdit(QKeySequence(keys.get(category.code, "")))
            edit.setMaximumSequenceLength(1)
            edit.setClearButtonEnabled(True)
            self.table.setCellWidget(row, 1, edit)
            self.edits[category.code] = edit
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet("color: #a00")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Keys 1–9 tag with the first nine categories; give any other category a key here."))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def keys(self) -> dict[str, str]:
        """{code: key text} as edited ("" for a category left without a key)."""
        return {
            code: edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
            for code, edit in self.edits.items()
        }

    def accept(self) -> None:
        problems = clashes({c: k for c, k in self.keys().items() if k}, self.taken, self.names)
        if problems:
            self.problem.setText(" ".join(problems))
            return
        super().accept()


class CategoryKeys:
    def __init__(self, window):
        self.window = window
        self.keys: dict[str, str] = {}
        self.shortcuts: list[QShortcut] = []
        self.dialog: CategoryKeysDialog | None = None
        window.add_menu_action("Evidence", "Category &Keys...", self.edit)
        window.case_changed.connect(lambda _path: self.apply())
        window.changes_made.connect(lambda changes: self.apply() if changes.taxonomy else None)
        self.apply()

    def categories(self):
        return self.window.case.taxonomy() if self.window.case else []

    def apply(self) -> None:
        """Bind the keys and show them in the tag panel's Key column."""
        window = self.window
        quick = window.taxonomy.quick_codes
        self.keys = effective_keys(self.categories(), quick, window.settings.get(S.CATEGORY_KEYS))
        for shortcut in self.shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self.shortcuts = []
        taken = window_shortcuts(window)
        for code, key in self.keys.items():
            if key in taken or key in RESERVED:
                continue  # never an ambiguous key: the menu action keeps it
            for widget in (window.table, window.taxonomy.tree):
                shortcut = QShortcut(QKeySequence(key), widget, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(lambda c=code: self._toggle(c))
                self.shortcuts.append(shortcut)
        self._label_tree()

    def _toggle(self, code: str) -> None:
        if self.window.case is not None:
            self.window.tagger.toggle(code)

    def _label_tree(self) -> None:
        tree = self.window.taxonomy.tree
        found = QTreeWidgetItemIterator(tree)
        while found.value():
            item = found.value()
            code = item.data(0, Qt.ItemDataRole.UserRole)
            if code in self.keys:
                item.setText(0, QKeySequence(self.keys[code]).toString(QKeySequence.SequenceFormat.NativeText))
            found += 1

    def edit(self) -> CategoryKeysDialog:
        window = self.window
        taken = window_shortcuts(window)
        dialog = CategoryKeysDialog(self.categories(), window.taxonomy.quick_codes, self.keys, taken, window)
        dialog.accepted.connect(lambda: self.save(dialog.keys()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def save(self, keys: dict[str, str]) -> None:
        """Keep the user's keys (all of them, so a default taken away stays away) and bind them."""
        self.window.settings.set(S.CATEGORY_KEYS, keys)
        self.window.settings.sync()
        self.apply()


def install(window) -> CategoryKeys:
    window.category_keys = CategoryKeys(window)
    return window.category_keys

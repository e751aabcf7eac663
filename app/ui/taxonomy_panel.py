"""The tagging panel: the case's taxonomy by group, keys 1-9, tag / untag / note.

Keys 1-9 toggle the first nine categories on the selected items (shown in the Key
column); double-click or Enter toggles any category. Notes go on the current item.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

GROUP_NAMES = {
    "TOS": "Terms of Service",
    "CLAIMS": "Claims and their elements",
    "FACTS": "Facts",
    "HANDLING": "Handling (privilege, confidentiality)",
}
QUICK_KEYS = 9


class TaxonomyPanel(QWidget):
    toggle_requested = Signal(str)  # category code: tag the selection, or untag if all have it
    tag_requested = Signal(str)
    untag_requested = Signal(str)
    note_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("taxonomyPanel")
        self.quick_codes: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.hint = QLabel("Keys 1–9 or double-click tag the selection; again untags.", wordWrap=True)
        self.hint.setToolTip(
            "Select items in the table, then press the key of a category (Key column) or double-click it "
            "to tag them; press it again to untag. Ctrl+Z undoes."
        )
        self.tree = QTreeWidget(objectName="taxonomyTree")
        self.tree.setHeaderLabels(["Key", "Category"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.tree.itemActivated.connect(self._on_activated)
        self.tag_button = QPushButton("Tag selected")
        self.untag_button = QPushButton("Untag selected")
        self.tag_button.clicked.connect(lambda: self._emit_for_current(self.tag_requested))
        self.untag_button.clicked.connect(lambda: self._emit_for_current(self.untag_requested))
        self.note_edit = QLineEdit(placeholderText="A note on the current item", objectName="noteEdit")
        self.note_edit.returnPressed.connect(self._emit_note)
        note_button = QPushButton("Add note")
        note_button.clicked.connect(self._emit_note)
        self.note_row = _row((self.note_edit, 1), (note_button, 0))
        layout.addWidget(self.hint)
        layout.addWidget(self.tree, 1)
        layout.addWidget(_row((self.tag_button, 1), (self.untag_button, 1)))
        layout.addWidget(self.note_row)
        self.pages: QTabWidget | None = None  # made when a notes list joins (hold_notes)
        self.notes_widget: QWidget | None = None

    def hold_notes(self, widget: QWidget) -> None:
        """The item's notes (a list to read, edit and delete them) as a second page of the panel.

        A page, not a strip under the tree: the categories keep their rows at 1366x768.
        Whatever the panel holds (and what features added to it) becomes the Categories
        page; the list has its own field for a new note, so the panel's note line goes."""
        layout = self.layout()
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        while layout.count():
            stretch, item = layout.stretch(0), layout.takeAt(0)
            if item.widget() is self.note_row:
                self.note_row.hide()
            elif item.widget() is not None:
                box.addWidget(item.widget(), stretch)
        self.pages = QTabWidget(objectName="codingPages", documentMode=True)
        self.pages.addTab(page, "Categories")
        self.pages.addTab(widget, "Notes")
        layout.addWidget(self.pages, 1)
        self.notes_widget = widget

    def set_categories(self, categories) -> None:
        """Fill the tree from the case's taxonomy (app.core.taxonomy.Category list)."""
        self.tree.clear()
        self.quick_codes = [c.code for c in categories if c.parent is None][:QUICK_KEYS]
        groups: dict[str, QTreeWidgetItem] = {}
        parents: dict[str, QTreeWidgetItem] = {}
        for category in categories:
            group = groups.get(category.group)
            if group is None:
                group = groups[category.group] = QTreeWidgetItem(
                    self.tree, ["", GROUP_NAMES.get(category.group, category.group)]
                )
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.setExpanded(True)
            item = QTreeWidgetItem(parents.get(category.parent, group), [self.key_of(category.code), category.name])
            item.setData(0, Qt.ItemDataRole.UserRole, category.code)
            item.setToolTip(1, f"{category.code}: {category.description}")
            parents[category.code] = item
        self.tree.expandAll()

    def key_of(self, code: str) -> str:
        return str(self.quick_codes.index(code) + 1) if code in self.quick_codes else ""

    def current_code(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _on_activated(self, item, _column) -> None:
        code = item.data(0, Qt.ItemDataRole.UserRole)
        if code:
            self.toggle_requested.emit(code)

    def _emit_for_current(self, signal) -> None:
        code = self.current_code()
        if code:
            signal.emit(code)

    def _emit_note(self) -> None:
        text = self.note_edit.text().strip()
        if text:
            self.note_requested.emit(text)
            self.note_edit.clear()


def _row(*widgets) -> QWidget:
    """Widgets side by side, as one widget of the panel (so that hold_notes can move it)."""
    row = QWidget()
    box = QHBoxLayout(row)
    box.setContentsMargins(0, 0, 0, 0)
    for widget, stretch in widgets:
        box.addWidget(widget, stretch)
    return row

"""View > Compact Coding Checkboxes: the tag panel's categories as a dense grid of checkboxes.

Each box shows a category with its key and is ticked when the current item carries it;
ticking tags the selected items, unticking untags them (undoable, as in the tree). The
choice of layout is the user's (Settings). The grid sits in the tag panel in place of its
tree; the tree's buttons and note line stay.
"""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QScrollArea, QWidget

from app.store import annotations
from app.ui import settings as S
from app.ui.taxonomy_panel import GROUP_NAMES

COLUMNS = 2


class CodingCheckboxes(QScrollArea):
    def __init__(self, window):
        super().__init__()
        self.setObjectName("codingCheckboxes")
        self.window = window
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.boxes: dict[str, QCheckBox] = {}
        self._groups: list[tuple[QLabel, list[QCheckBox]]] = []
        self._columns = 0
        self._showing = False  # set while boxes are ticked to show the item (not a user's click)

    def rebuild(self) -> None:
        """One box per category, grouped as in the taxonomy, keys from the tag panel's Key column."""
        categories = self.window.case.taxonomy() if self.window.case else []
        keys = self._keys()
        self.boxes, self._groups = {}, []
        for category in categories:
            if not self._groups or self._groups[-1][0].property("group") != category.group:
                title = QLabel(f"<b>{GROUP_NAMES.get(category.group, category.group)}</b>")
                title.setProperty("group", category.group)
                self._groups.append((title, []))
            key = keys.get(category.code)
            box = QCheckBox(f"{key}  {category.name}" if key else category.name)
            box.setToolTip(f"{category.code}: {category.description}")
            box.toggled.connect(lambda on, code=category.code: self._clicked(code, on))
            self._groups[-1][1].append(box)
            self.boxes[category.code] = box
        self._columns = 0
        self._lay_out()
        self.show_item(self.window.current_item_id() if self.window.case else None)

    def _fitting_columns(self) -> int:
        widest = max((box.sizeHint().width() for box in self.boxes.values()), default=1)
        return max(1, min(COLUMNS, self.viewport().width() // max(widest, 1)))

    def _lay_out(self) -> None:
        """As many columns as the widest box allows in the width there is (one when narrow)."""
        columns = self._fitting_columns()
        if columns == self._columns and self.widget() is not None:
            return
        self._columns = columns
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(2, 2, 2, 2)
        grid.setVerticalSpacing(0)
        row = 0
        for title, boxes in self._groups:
            grid.addWidget(title, row, 0, 1, columns)
            row += 1
            for number, box in enumerate(boxes):
                grid.addWidget(box, row + number // columns, number % columns)
            row += (len(boxes) + columns - 1) // columns
        grid.setRowStretch(row, 1)
        self.setWidget(grid_widget)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self.boxes:
            self._lay_out()

    def _keys(self) -> dict[str, str]:
        """{code: key text} as the tag panel's Key column shows it (1-9 and the assigned keys)."""
        keys = {}
        tree = self.window.taxonomy.tree
        stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            code = item.data(0, Qt.ItemDataRole.UserRole)
            if code and item.text(0):
                keys[code] = item.text(0)
            stack += [item.child(i) for i in range(item.childCount())]
        return keys

    def show_item(self, item_id: int | None) -> None:
        """Tick the categories the item carries."""
        codes = set()
        if item_id is not None and self.window.case is not None:
            codes = {t["code"] for t in annotations.item_tags(self.window.case, item_id)}
        self._showing = True
        try:
            for code, box in self.boxes.items():
                box.setChecked(code in codes)
                box.setEnabled(item_id is not None)
        finally:
            self._showing = False

    def _clicked(self, code: str, on: bool) -> None:
        if self._showing:
            return
        (self.window.tagger.tag if on else self.window.tagger.untag)(code)


class CompactCoding:
    def __init__(self, window):
        self.window = window
        self.grid = CodingCheckboxes(window)
        panel = window.taxonomy
        layout = panel.layout()
        layout.insertWidget(layout.indexOf(panel.tree) + 1, self.grid, 1)
        self.action = QAction("Compact Coding &Checkboxes", window, checkable=True)
        self.action.toggled.connect(self.set_compact)
        window.menu("View").addAction(self.action)
        window.case_changed.connect(lambda _path: self.grid.rebuild())
        window.current_item_changed.connect(self.grid.show_item)
        window.changes_made.connect(self._changes_made)
        self.action.setChecked(window.settings.get(S.CODING_CHECKBOXES))
        self.set_compact(self.action.isChecked())

    def set_compact(self, on: bool) -> None:
        self.window.taxonomy.tree.setVisible(not on)
        self.grid.setVisible(on)
        self.window.settings.set(S.CODING_CHECKBOXES, on)
        if on:
            self.grid.rebuild()

    def _changes_made(self, changes) -> None:
        if changes.taxonomy:
            self.grid.rebuild()
        elif changes.tags:
            self.grid.show_item(self.window.current_item_id())


def install(window) -> CompactCoding:
    window.compact_coding = CompactCoding(window)
    return window.compact_coding

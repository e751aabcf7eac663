"""Exhibits made by hand: create one from selected items, rename it, reorder its items.

An exhibit is an ordered group of items cited as one thing. Every change goes through
`app.store.annotations` (audited in the same transaction). Writes on the GUI thread
take the writer lock without waiting: while an import runs, the user is told to wait.
"""

from contextlib import contextmanager

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.timestamps import format_utc_us
from app.store import annotations
from app.store.item_lookups import item_summary
from app.store.errors import CaseFileError
from app.ui.error_dialog import show_error
from app.ui.task_runner import WRITE_LOCK, try_write_lock
from app.core.wording import plural

BUSY = "Another operation (an import or an export) is writing to the case; try again when it has finished."


class WriteRefused(Exception):
    pass


@contextmanager
def gui_write(parent):
    """Hold the writer lock for a short GUI-thread write; a refusal is shown, never waited on."""
    if not try_write_lock():
        show_error(parent, BUSY)
        raise WriteRefused(BUSY)
    try:
        yield
    except CaseFileError as exc:
        show_error(parent, str(exc))
        raise WriteRefused(str(exc)) from exc
    finally:
        WRITE_LOCK.release()


def item_label(conn, item_id: int) -> str:
    row = item_summary(conn, item_id)
    if row is None:
        return f"#{item_id} (missing)"
    kind, ts_us, title = row
    when = (format_utc_us(ts_us) or "undated")[:19].replace("T", " ")
    return f"#{item_id}  {when}  {kind}  {title or ''}"[:160]


class ExhibitDialog(QDialog):
    """Title and description of a new exhibit."""

    def __init__(self, count: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Make exhibit")
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Harvesting run of 3 March from org-harvest-01")
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("What this exhibit shows (optional)")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.title.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        form = QFormLayout(self)
        form.addRow(QLabel(f"An exhibit of {count:,} selected item{'s' if count != 1 else ''}."))
        form.addRow("Title:", self.title)
        form.addRow("Description:", self.description)
        form.addRow(buttons)
        self.resize(520, 260)


def create_exhibit_from(parent, case, item_ids, title: str, description: str | None) -> int | None:
    """Create the exhibit (audited); None when refused (the reason was shown)."""
    try:
        with gui_write(parent):
            return annotations.create_exhibit(case, title.strip(), item_ids, description or None)
    except WriteRefused:
        return None


class ExhibitsPanel(QWidget):
    """The case's exhibits; the selected one's items in order, with Up / Down / Remove."""

    exhibits_changed = Signal()

    def __init__(self, case=None, parent=None):
        super().__init__(parent)
        self.case = case
        self.exhibit_list = QListWidget()
        self.exhibit_list.currentItemChanged.connect(lambda *_: self._show_exhibit())
        self.items_list = QListWidget()
        self.items_list.setDragDropMode(QListWidget.DragDropMode.InternalMove)  # drag to reorder, too
        self.items_list.model().rowsMoved.connect(  # saved after the drop has finished with the list
            lambda *_: QTimer.singleShot(0, lambda: self._update(item_ids=self.item_order()))
        )
        self.title = QLineEdit()
        self.description = QLineEdit()
        self.membership = QLabel()
        self.membership.setWordWrap(True)
        detail = QWidget()
        form = QFormLayout(detail)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Title:", self.title)
        form.addRow("Description:", self.description)
        form.addRow(self.items_list)
        form.addRow(
            self._buttons(
                (
                    ("Up", lambda: self.move_item(-1)),
                    ("Down", lambda: self.move_item(1)),
                    ("Remove item", self.remove_item),
                )
            )
        )
        form.addRow(self._buttons((("Save title", self.save_title), ("Delete exhibit", self.delete_current))))
        splitter = QSplitter(Qt.Orientation.Vertical)  # narrow enough for a side dock
        splitter.addWidget(self.exhibit_list)
        splitter.addWidget(detail)
        splitter.setSizes([160, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(self.membership)
        self.reload()

    @staticmethod
    def _buttons(entries) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, slot in entries:
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        return row

    def sizeHint(self) -> QSize:
        return QSize(380, 560)

    def set_case(self, case) -> None:
        self.case = case
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        current = select_id or self.current_exhibit_id()
        self.exhibit_list.clear()
        for exhibit in annotations.exhibits(self.case) if self.case else []:
            entry = QListWidgetItem(f"{exhibit['title']}  ({plural(len(exhibit['item_ids']), 'item')})")
            entry.setData(Qt.ItemDataRole.UserRole, exhibit["id"])
            self.exhibit_list.addItem(entry)
            if exhibit["id"] == current:
                self.exhibit_list.setCurrentItem(entry)
        self._show_exhibit()

    def current_exhibit_id(self) -> int | None:
        entry = self.exhibit_list.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry else None

    def item_order(self) -> list[int]:
        return [self.items_list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.items_list.count())]

    def _show_exhibit(self) -> None:
        self.items_list.clear()
        exhibit_id = self.current_exhibit_id()
        if exhibit_id is None or self.case is None:
            self.title.clear()
            self.description.clear()
            return
        exhibit = annotations.exhibit(self.case, exhibit_id)
        self.title.setText(exhibit["title"])
        self.description.setText(exhibit["description"] or "")
        for item_id in exhibit["item_ids"]:
            entry = QListWidgetItem(item_label(self.case.conn, item_id))
            entry.setData(Qt.ItemDataRole.UserRole, item_id)
            self.items_list.addItem(entry)

    def show_item_membership(self, item_id: int | None) -> None:
        """Say which exhibits the current item belongs to."""
        if item_id is None or self.case is None:
            self.membership.clear()
            return
        found = annotations.exhibits_of_item(self.case, item_id)
        names = ", ".join(f"“{e['title']}”" for e in found)
        self.membership.setText(f"Item #{item_id} is in: {names}." if found else f"Item #{item_id} is in no exhibit.")

    # -- changes (each one audited) ------------------------------------------------------

    def _update(self, **changes) -> bool:
        exhibit_id = self.current_exhibit_id()
        if exhibit_id is None:
            return False
        try:
            with gui_write(self):
                annotations.update_exhibit(self.case, exhibit_id, **changes)
        except WriteRefused:
            return False
        self.reload(exhibit_id)
        self.exhibits_changed.emit()
        return True

    def move_item(self, step: int) -> None:
        row = self.items_list.currentRow()
        order = self.item_order()
        if row < 0 or not 0 <= row + step < len(order):
            return
        order[row], order[row + step] = order[row + step], order[row]
        if self._update(item_ids=order):
            self.items_list.setCurrentRow(row + step)

    def remove_item(self) -> None:
        row = self.items_list.currentRow()
        order = self.item_order()
        if row >= 0 and len(order) > 1:
            del order[row]
            self._update(item_ids=order)

    def save_title(self) -> None:
        if self.title.text().strip():
            self._update(title=self.title.text().strip(), description=self.description.text().strip() or None)

    def delete_current(self) -> None:
        exhibit_id = self.current_exhibit_id()
        if exhibit_id is None:
            return
        try:
            with gui_write(self):
                annotations.delete_exhibit(self.case, exhibit_id)
        except WriteRefused:
            return
        self.reload()
        self.exhibits_changed.emit()

"""The Batches dock: every review batch with its reviewer and progress; open, assign, delete."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.list_tree import column_list

HEADERS = ("Batch", "Reviewer", "Progress")


def progress_text(reviewed: int, total: int) -> str:
    share = f" ({reviewed * 100 // total}%)" if total else ""
    return f"{reviewed:,} of {total:,}{share}"


class BatchesPanel(QWidget):
    open_requested = Signal(int)  # batch id
    close_requested = Signal()
    make_requested = Signal()
    next_requested = Signal()
    assign_requested = Signal(int)
    delete_requested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("batchesPanel")
        self.open_batch: int | None = None
        self.list = column_list("batchesList", HEADERS, stretch=1)
        self.list.itemActivated.connect(lambda item, _c: self.open_requested.emit(self._id(item)))
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        self.make_button = QPushButton("Make Batch...")
        self.open_button = QPushButton("Open")
        self.close_button = QPushButton("Show All Items")
        self.next_button = QPushButton("Next Unreviewed (F8)")
        self.next_button.setToolTip("Mark the current item reviewed and go to the next unreviewed item of the batch")
        self.assign_button = QPushButton("Assign...")
        self.delete_button = QPushButton("Delete")
        self.make_button.clicked.connect(self.make_requested)
        self.open_button.clicked.connect(lambda: self._emit_for_current(self.open_requested))
        self.close_button.clicked.connect(self.close_requested)
        self.next_button.clicked.connect(self.next_requested)
        self.assign_button.clicked.connect(lambda: self._emit_for_current(self.assign_requested))
        self.delete_button.clicked.connect(lambda: self._emit_for_current(self.delete_requested))
        self.item_status = QLabel(objectName="batchItemStatus", wordWrap=True)
        self.empty = QLabel(
            "No review batches yet. Select items (or filter the table), then Make Batch...", wordWrap=True
        )
        # Two buttons a row: the dock stays usable when narrow (1366x768 at 200%).
        buttons = QGridLayout()
        order = (self.next_button, self.make_button, self.open_button, self.close_button)
        for number, button in enumerate((*order, self.assign_button, self.delete_button)):
            buttons.addWidget(button, number // 2, number % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.item_status)
        self._enable()

    def set_batches(self, batches: list[dict], open_batch: int | None) -> None:
        """List the batches (app.store.review_batches.batches), marking the open one in bold."""
        current = self.current_batch()
        self.open_batch = open_batch
        self.list.clear()
        for b in batches:
            done = f"{b['reviewed']:,} of {b['total']:,}"
            item = QTreeWidgetItem(self.list, [b["name"], b["reviewer"] or "unassigned", done])
            item.setData(0, Qt.ItemDataRole.UserRole, b["id"])
            item.setToolTip(0, f"Made by {b['who']}; {b['total']:,} items, families kept together")
            item.setToolTip(1, b["reviewer"] or "unassigned")
            item.setToolTip(2, progress_text(b["reviewed"], b["total"]) + " reviewed")
            if b["id"] == open_batch:
                font = item.font(0)
                font.setBold(True)
                for column in range(len(HEADERS)):
                    item.setFont(column, font)
            if b["id"] in (current, open_batch):
                self.list.setCurrentItem(item)
        self.empty.setVisible(not batches)
        self._enable()

    def current_batch(self) -> int | None:
        item = self.list.currentItem()
        return self._id(item) if item else None

    def _id(self, item) -> int:
        return int(item.data(0, Qt.ItemDataRole.UserRole))

    def _emit_for_current(self, signal) -> None:
        batch_id = self.current_batch()
        if batch_id is not None:
            signal.emit(batch_id)

    def _enable(self) -> None:
        chosen = self.current_batch() is not None
        for button in (self.open_button, self.assign_button, self.delete_button):
            button.setEnabled(chosen)
        self.close_button.setEnabled(self.open_batch is not None)
        self.next_button.setEnabled(self.open_batch is not None)

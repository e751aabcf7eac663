"""Dragging the evidence table's selected items onto a fact.

The table's model offers no drag itself; an event filter on its viewport starts one
when the user presses on a selected row and moves past the drag distance (Qt keeps a
multi-row selection on such a press until release, so the selection is what moves).
The ids come from the window's selection by range (no row is loaded for them).
"""

import json

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QApplication

ITEM_IDS_MIME = "application/x-casefile-item-ids"


def item_ids_mime(item_ids) -> QMimeData:
    mime = QMimeData()
    ids = [int(i) for i in item_ids]
    mime.setData(ITEM_IDS_MIME, json.dumps(ids).encode("ascii"))
    mime.setText(", ".join(map(str, ids)))
    return mime


def item_ids_of(mime: QMimeData) -> list[int]:
    """The item ids a drop carries (none when it is not a drag of items)."""
    if not mime.hasFormat(ITEM_IDS_MIME):
        return []
    try:
        return [int(i) for i in json.loads(bytes(mime.data(ITEM_IDS_MIME)).decode("ascii"))]
    except (ValueError, TypeError):
        return []


class ItemDragStarter(QObject):
    """Starts a drag of the selected items from the evidence table."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.table = window.table
        self._pressed_at = None
        self.table.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            index = self.table.indexAt(event.position().toPoint())
            selected = index.isValid() and self.table.selectionModel().isSelected(index)
            self._pressed_at = event.position().toPoint() if selected and not event.modifiers() else None
        elif kind == QEvent.Type.MouseButtonRelease:
            self._pressed_at = None
        elif kind == QEvent.Type.MouseMove and self._pressed_at is not None:
            if not event.buttons() & Qt.MouseButton.LeftButton:
                self._pressed_at = None
            elif (event.position().toPoint() - self._pressed_at).manhattanLength() >= QApplication.startDragDistance():
                self._pressed_at = None
                self.start_drag()
                return True
        return False

    def start_drag(self) -> None:
        ids = self.window.selected_item_ids()
        if not ids:
            return
        drag = QDrag(self.table)
        drag.setMimeData(item_ids_mime(ids))
        drag.exec(Qt.DropAction.CopyAction)

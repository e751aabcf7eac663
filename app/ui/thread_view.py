"""View > Threads: emails (and chat messages) grouped by conversation.

Choosing a conversation lists only its items in the table, in time order, over what the
filter panel says (app/ui/review_scope.py); "Show All Items" lets go. The list is read
when the dock is shown and after an import.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.timestamps import resolve_zone
from app.store.threads import threads
from app.ui.list_tree import column_list
from app.ui.evidence_model import format_time
from app.ui.review_scope import scope_of

HEADERS = ("Conversation", "Items", "From", "To")


class ThreadView(QWidget):
    def __init__(self, window):
        super().__init__()
        self.setObjectName("threadView")
        self.window = window
        self.scope = scope_of(window)
        self.list = column_list("threadList", HEADERS)
        self.list.itemActivated.connect(lambda item, _c: self.open(item.data(0, Qt.ItemDataRole.UserRole)))
        self.list.itemClicked.connect(lambda item, _c: self.open(item.data(0, Qt.ItemDataRole.UserRole)))
        self.summary = QLabel(wordWrap=True)
        self.all_button = QPushButton("Show All Items")
        self.all_button.clicked.connect(self.show_all)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.all_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self.stale = True

    def reload(self) -> None:
        case = self.window.case
        listed = threads(case.conn) if case else []
        zone = resolve_zone(self.window.display_zone())
        chosen = (self.scope.fields("thread") or {}).get("thread_id")
        self.list.clear()
        for t in listed:
            count, noun = (t["emails"], "email") if t["emails"] else (t["items"], "item")
            kind = f"{count:,} {noun}{'s' if count != 1 else ''}"
            item = QTreeWidgetItem(
                self.list,
                [
                    (t["subject"] or "(no subject)").replace("\n", " ")[:200],
                    kind,
                    format_time(t["first_us"], zone)[:10],  # the day; the time in the tooltip
                    format_time(t["last_us"], zone)[:10],
                ],
            )
            item.setToolTip(2, format_time(t["first_us"], zone))
            item.setToolTip(3, format_time(t["last_us"], zone))
            item.setData(0, Qt.ItemDataRole.UserRole, t["thread_id"])
            item.setToolTip(0, f"Conversation {t['thread_id']}: {t['items']} items")
            if t["thread_id"] == chosen:
                self.list.setCurrentItem(item)
        count = len(listed)
        self.summary.setText(f"{count:,} conversation{'s' if count != 1 else ''}" if case else "")
        self.all_button.setEnabled(chosen is not None)
        self.stale = False

    def open(self, thread_id: str) -> None:
        """List only this conversation's items, in time order."""
        self.scope.narrow("thread", thread_id=thread_id)
        self.all_button.setEnabled(True)

    def show_all(self) -> None:
        self.scope.release("thread")
        self.list.clearSelection()
        self.all_button.setEnabled(False)


def install(window) -> ThreadView:
    view = ThreadView(window)
    dock = window.add_dock("Threads", view, Qt.DockWidgetArea.LeftDockWidgetArea)
    view.dock = dock

    def refresh(*_args) -> None:
        view.stale = True
        if dock.isVisible():
            view.reload()

    def case_changed(_path) -> None:
        view.scope.release("thread")
        refresh()

    dock.visibilityChanged.connect(lambda visible: view.reload() if visible and view.stale else None)
    window.case_changed.connect(case_changed)
    window.changes_made.connect(lambda changes: refresh() if changes.items else None)
    window.thread_view = view
    return view

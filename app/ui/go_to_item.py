"""Edit > Go to Item (Ctrl+G): an item by its id or by a Bates number of a production.

The item becomes the table's current, selected row (so a key press codes what is shown).
When the filters or an open batch or thread hide it, they are cleared first, and the
status bar says so.
"""

from PySide6.QtWidgets import QInputDialog

from app.store.go_to import find_item
from app.ui.review_scope import scope_of
from app.ui.table_navigation import select_item

GO_TO_KEY = "Ctrl+G"


class GoToItem:
    def __init__(self, window):
        self.window = window
        self.action = window.add_menu_action("Edit", "&Go to Item...", self.ask, GO_TO_KEY)

    def ask(self) -> None:
        text, ok = QInputDialog.getText(
            self.window, "Go to item", "Item number, or a Bates number of a production (e.g. CASE0000123):"
        )
        if ok:
            self.go_to(text)

    def go_to(self, text: str) -> int | None:
        """Select the item `text` names; returns its id (None: not found, said in the status bar)."""
        window = self.window
        if window.case is None:
            return None
        found = find_item(window.case.conn, text)
        if found.item_id is None:
            window.statusBar().showMessage(found.message, 8000)
            return None
        message = found.message
        if not select_item(window, found.item_id):
            window.filters.clear()
            scope_of(window).release_all()
            select_item(window, found.item_id)
            message += " The filters were cleared to show it."
        window.statusBar().showMessage(message, 8000)
        return found.item_id


def install(window) -> GoToItem:
    window.go_to_item = GoToItem(window)
    return window.go_to_item

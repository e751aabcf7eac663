"""The review table's column chooser: right-click the header to show IP address, API key,
model, tokens, status, custodian and the Bates cite of the latest production.

The choice is the user's (kept in Settings, not in the case). Columns the store can sort
(IP, API key, model, custodian: app/store/item_pages.SORTS) sort by a click on the header,
on the server like the others, so paging stays keyset-correct; tokens, status and the
Bates cite are read per page (from a row's fields and the production's records) and do
not sort.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from app.ui import settings as S
from app.ui.evidence_model import COLUMN, COLUMNS, OPTIONAL_COLUMNS, SORTABLE

OPTIONAL_WIDTH = 130


class ColumnChooser:
    def __init__(self, window):
        self.window = window
        self.header = window.table.horizontalHeader()
        self.header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.header.customContextMenuRequested.connect(self._menu_at)
        self.menu: QMenu | None = None  # the last menu shown (tests look at it)
        self.show_only(window.settings.get(S.TABLE_COLUMNS))

    def shown(self) -> list[str]:
        return [name for name in OPTIONAL_COLUMNS if not self.header.isSectionHidden(COLUMN[name])]

    def show_only(self, names) -> None:
        """Show these optional columns (and hide the others); saved for this user."""
        wanted = [n for n in OPTIONAL_COLUMNS if n in set(names)]
        table = self.window.table
        for name in OPTIONAL_COLUMNS:
            column = COLUMN[name]
            was_hidden = self.header.isSectionHidden(column)
            table.setColumnHidden(column, name not in wanted)
            if was_hidden and name in wanted and table.columnWidth(column) < 40:
                table.setColumnWidth(column, OPTIONAL_WIDTH)
        self.window.model.show_columns(wanted)
        self.window.settings.set(S.TABLE_COLUMNS, wanted)

    def set_shown(self, name: str, visible: bool) -> None:
        current = set(self.shown())
        self.show_only(current | {name} if visible else current - {name})

    def build_menu(self) -> QMenu:
        menu = QMenu(self.window.table)
        labels = dict(COLUMNS)
        for name in OPTIONAL_COLUMNS:
            text = labels[name] + ("" if name in SORTABLE else "  (not sortable)")
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(name in self.shown())
            action.setData(name)
            action.toggled.connect(lambda visible, n=name: self.set_shown(n, visible))
        self.menu = menu
        return menu

    def _menu_at(self, point) -> None:
        self.build_menu().popup(self.header.mapToGlobal(point))


def install(window) -> ColumnChooser:
    window.column_chooser = ColumnChooser(window)
    return window.column_chooser

"""The review table's column chooser: right-click the header to show IP address, API key,
model, tokens, status, custodian and the Bates cite of the latest production.

The choice is the user's (kept in Settings, not in the case). Every one sorts by a click on
its header, in the store (app/store/item_pages.SORTS), so paging stays keyset-correct.
Tokens and status live in log rows' fields, which SQL cannot read: the first sort by
either reads them once into the case on a worker thread, with progress and Cancel
(app/store/item_usage.py); the first sort by IP, API key or model builds the index that
serves it (item_pages.SORT_INDEXES). The table is sorted again when that is done.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from app.core.case_changes import CaseChanges
from app.store.item_pages import make_sort_index, sort_index_missing
from app.store.item_usage import index_usage, needs_indexing
from app.ui import settings as S
from app.ui.evidence_model import COLUMN, COLUMNS, OPTIONAL_COLUMNS

USAGE = {COLUMN["tokens"], COLUMN["status"]}  # sorted once their values are read into the case

OPTIONAL_WIDTH = 130


class ColumnChooser:
    def __init__(self, window):
        self.window = window
        self.header = window.table.horizontalHeader()
        self.header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.header.customContextMenuRequested.connect(self._menu_at)
        self.menu: QMenu | None = None  # the last menu shown (tests look at it)
        self.indexing = None  # the TaskRunner reading tokens and status, while it runs
        self.header.sortIndicatorChanged.connect(self._sorted)
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
            action = menu.addAction(labels[name])
            action.setCheckable(True)
            action.setChecked(name in self.shown())
            action.setData(name)
            action.toggled.connect(lambda visible, n=name: self.set_shown(n, visible))
        self.menu = menu
        return menu

    def _preparation(self, column: int):
        """(operation, title) that must run before this sort is right and fast, or None."""
        conn = self.window.case.conn
        if column in USAGE:
            return (index_usage, "Reading tokens and status") if needs_indexing(conn) else None
        name = COLUMNS[column][0]
        if sort_index_missing(conn, name):
            return lambda case, token: make_sort_index(case, name, token), f"Preparing to sort by {name}"
        return None

    def _sorted(self, column: int, order) -> None:
        """A sort that needs values read or an index built: do that on a worker, then sort again."""
        window = self.window
        if window.case is None or self.indexing is not None:
            return
        preparation = self._preparation(column)
        if preparation is None:
            return
        runner = window.run_task(preparation[0], preparation[1], writes=True, changes=CaseChanges())
        self.indexing = runner

        def done(_result) -> None:
            self.indexing = None
            window.model.sort(self.header.sortIndicatorSection(), self.header.sortIndicatorOrder())

        runner.finished.connect(done)
        runner.failed.connect(lambda *_: setattr(self, "indexing", None))
        runner.cancelled.connect(lambda *_: setattr(self, "indexing", None))

    def _menu_at(self, point) -> None:
        self.build_menu().popup(self.header.mapToGlobal(point))


def install(window) -> ColumnChooser:
    window.column_chooser = ColumnChooser(window)
    return window.column_chooser

"""A read-only table model over an SQL query, fetched a page at a time when rows are shown."""

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

MAX_PAGES_KEPT = 50


class PagedTableModel(QAbstractTableModel):
    """Subclasses give COLUMNS, `count()` and `fetch(offset, limit)` (rows in display order).

    Nothing is counted in __init__ (a subclass's `count()` would run before the subclass
    has set itself up): the count is taken the first time a view asks for the rows.
    """

    COLUMNS: tuple[str, ...] = ()
    PAGE = 200

    def __init__(self, parent=None):
        super().__init__(parent)
        self._pages: dict[int, list[tuple]] = {}
        self._total: int | None = None  # counted when first asked for

    def count(self) -> int:
        raise NotImplementedError

    def fetch(self, offset: int, limit: int) -> list[tuple]:
        raise NotImplementedError

    @property
    def total(self) -> int:
        if self._total is None:
            self._total = self.count()
        return self._total

    def reload(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._total = None
        self.endResetModel()

    def row(self, row: int) -> tuple:
        page = row // self.PAGE
        if page not in self._pages:
            if len(self._pages) > MAX_PAGES_KEPT:
                self._pages.clear()
            self._pages[page] = self.fetch(page * self.PAGE, self.PAGE)
        return self._pages[page][row % self.PAGE]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent=QModelIndex()) -> int:
        return len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

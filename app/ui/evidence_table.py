"""The evidence table view: rows of the windowed model, selection kept as row ranges.

Two Qt behaviours are linear in the row count and are switched off here: the header
asks the selection model, for every section it paints, whether the whole column is
selected (QItemSelectionModel::isColumnSelected walks every row: ~8 s after a
select-all of a million rows), so the headers get their own empty selection model;
and per-row heights, so rows have one fixed height.
"""

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from app.store.item_pages import RowSelection
from app.ui.evidence_model import EvidenceTableModel

COLUMN_WIDTHS = (168, 76, 140, 260, 150, 150)  # in COLUMNS order; Time follows the font (below)
WIDEST_TIME = "2025-03-03 10:15:00 +05:30 ?"
# A sort keeps the selected rows when finding them is one quick pass (a few hundred ids over
# at most this many rows); else it keeps the current row (and a select-all stays one).
KEPT_ACROSS_SORT, KEPT_WITHIN_ROWS = 500, 200_000
ROW_ENDS = {
    QAbstractItemView.CursorAction.MoveHome: 0,
    QAbstractItemView.CursorAction.MoveEnd: -1,
}
Select = QItemSelectionModel.SelectionFlag


class EvidenceTable(QTableView):
    current_item_changed = Signal(object)  # item id or None
    selection_count_changed = Signal(int)

    def __init__(self, model: EvidenceTableModel, parent=None):
        super().__init__(parent)
        self.setObjectName("evidenceTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSortingEnabled(True)
        self.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.setColumnWidth(column, width)
        self.setColumnWidth(0, self.fontMetrics().horizontalAdvance(WIDEST_TIME) + 16)
        self._detach_headers_from_selection()
        self._kept: tuple[list[int] | None, int | None] = (None, None)
        model.modelReset.connect(self._detach_headers_from_selection)
        model.modelReset.connect(lambda: self.current_item_changed.emit(None))
        model.about_to_sort.connect(self._remember_selection)
        model.sorted.connect(self._restore_selection)

    def _detach_headers_from_selection(self) -> None:
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSelectionModel(QItemSelectionModel(self.model(), header))

    def setSelectionModel(self, selection_model) -> None:  # noqa: N802 (Qt override)
        super().setSelectionModel(selection_model)
        selection_model.currentRowChanged.connect(self._on_current_row_changed)
        selection_model.selectionChanged.connect(lambda *_: self.selection_count_changed.emit(self.selected_count()))
        self._detach_headers_from_selection()

    def _on_current_row_changed(self, current, _previous) -> None:
        self.current_item_changed.emit(self.model().item_id(current.row()) if current.isValid() else None)

    # -- selection as ranges -------------------------------------------------------------

    def selected_ranges(self) -> list[tuple[int, int]]:
        """Selected rows as merged (first, last) ranges; never one entry per row."""
        spans = sorted((r.top(), r.bottom()) for r in self.selectionModel().selection())
        merged: list[list[int]] = []
        for top, bottom in spans:
            if merged and top <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], bottom)
            else:
                merged.append([top, bottom])
        return [(a, b) for a, b in merged]

    def selected_count(self) -> int:
        return sum(b - a + 1 for a, b in self.selected_ranges())

    def selected_ids(self) -> list[int]:
        """Ids of the selected items (a select-all of a million rows reads ids, not rows)."""
        ids: list[int] = []
        for first, last in self.selected_ranges():
            ids += self.model().ids_in_rows(first, last)
        return ids

    def selection(self) -> RowSelection:
        """The selection as ranges of the listing shown: ids are read where the work runs."""
        model = self.model()
        return RowSelection(model.window, tuple(self.selected_ranges()), model.rowCount(), not model.counting)

    def current_item_id(self) -> int | None:
        index = self.currentIndex()
        return self.model().item_id(index.row()) if index.isValid() else None

    # -- keys: what the key tags is what the user sees --------------------------------------

    def moveCursor(self, action, modifiers):  # noqa: N802 (Qt override)
        """Home / End (with or without Ctrl) go to the first / last row and stay in the column:
        Qt's Ctrl+End goes to the last column too, scrolling the Time column out of view."""
        if action in ROW_ENDS and self.model().rowCount():
            column = max(0, self.currentIndex().column())
            return self.model().index(ROW_ENDS[action] % self.model().rowCount(), column)
        return super().moveCursor(action, modifiers)

    def selectionCommand(self, index, event=None):  # noqa: N802 (Qt override)
        """Ctrl+Home / Ctrl+End select the row they go to (Shift with them extends the selection);
        Qt moves only the current row for them, leaving the selection -- what a key tags -- behind."""
        if (
            event is not None
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Home, Qt.Key.Key_End)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            extend = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            return (Select.SelectCurrent if extend else Select.ClearAndSelect) | Select.Rows
        return super().selectionCommand(index, event)

    # -- the selection across a sort, and an item shown from a link -------------------------

    def _remember_selection(self) -> None:
        count, total = self.selected_count(), self.model().rowCount()
        if total and count == total:
            self._kept = (None, self.current_item_id())  # a select-all stays one
            return
        keep = count <= KEPT_ACROSS_SORT and total <= KEPT_WITHIN_ROWS
        self._kept = (self.selected_ids() if keep else [], self.current_item_id())

    def _restore_selection(self) -> None:
        ids, current = self._kept
        self._kept = (None, None)
        if ids is None:
            self.selectAll()
        rows = sorted(self.model().rows_of(ids or []).values())
        selection = QItemSelection()
        for row in rows:
            selection.select(self.model().index(row, 0), self.model().index(row, self.model().columnCount() - 1))
        if rows:
            self.selectionModel().select(selection, Select.Select)
        current_row = self.model().row_of(current) if current is not None else None
        if current_row is not None:
            index = self.model().index(current_row, 0)
            flag = Select.NoUpdate if rows or ids is None else Select.ClearAndSelect | Select.Rows
            self.selectionModel().setCurrentIndex(index, flag)
            self.scrollTo(index)

    def select_item(self, item_id: int) -> bool:
        """Make an item the current and only selected row (False when the filter does not list it)."""
        row = self.model().row_of(item_id)
        if row is None:
            return False
        index = self.model().index(row, max(0, self.currentIndex().column()))
        self.selectionModel().setCurrentIndex(index, Select.ClearAndSelect | Select.Rows)
        self.scrollTo(index)
        return True

    def scroll_to_start_column(self) -> None:
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())

    def select_rows(self, rows) -> None:
        """Select the given row numbers (tests and 'select in table' actions)."""
        model = self.model()
        self.selectionModel().clearSelection()
        for row in rows:
            self.selectionModel().select(
                model.index(row, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            )

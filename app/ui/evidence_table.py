"""The evidence table view: rows of the windowed model, selection kept as row ranges.

Two Qt behaviours are linear in the row count and are switched off here: the header
asks the selection model, for every section it paints, whether the whole column is
selected (QItemSelectionModel::isColumnSelected walks every row: ~8 s after a
select-all of a million rows), so the headers get their own empty selection model;
and per-row heights, so rows have one fixed height.
"""

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from app.store.item_pages import RowSelection
from app.ui.evidence_model import EvidenceTableModel

COLUMN_WIDTHS = (178, 78, 170, 330, 150, 150)  # in COLUMNS order


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
        self._detach_headers_from_selection()
        model.modelReset.connect(self._detach_headers_from_selection)
        model.modelReset.connect(lambda: self.current_item_changed.emit(None))

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

    def select_rows(self, rows) -> None:
        """Select the given row numbers (tests and 'select in table' actions)."""
        model = self.model()
        self.selectionModel().clearSelection()
        for row in rows:
            self.selectionModel().select(
                model.index(row, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            )

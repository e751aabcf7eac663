"""The Facts view: the case's chronology as a table (date, fact, status, elements, evidence).

Add, edit and delete with undo (Edit > Undo); items dragged from the evidence table
onto a fact, or sent with Evidence > Add Selection to Fact..., become its evidence.
Dropped on the empty part of the table, they start a new fact.
"""

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.store import case_facts
from app.store.item_query import ItemFilter
from app.ui.facts.fact_dialog import FactDialog
from app.ui.facts.item_drag import item_ids_of

COLUMNS = ("Date", "Fact", "Status", "Elements", "Evidence")
DISPLAY = Qt.ItemDataRole.DisplayRole


class FactsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.facts: list[case_facts.Fact] = []

    def set_facts(self, facts) -> None:
        self.beginResetModel()
        self.facts = list(facts)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.facts)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return len(COLUMNS)

    def headerData(self, section, orientation, role=DISPLAY):  # noqa: N802 (Qt override)
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        fact = self.facts[index.row()]
        if role == DISPLAY:
            return self.text(fact, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Fact {fact.id}: {fact.statement}" + (f"\nWitness: {fact.witness}" if fact.witness else "")
        return None

    @staticmethod
    def text(fact: case_facts.Fact, column: int) -> str:
        if column == 0:
            return fact.date_text or "undated"
        if column == 1:
            return fact.statement
        if column == 2:
            return fact.status
        if column == 3:
            return ", ".join(fact.elements)
        return f"{len(fact.items)} item(s)" if fact.items else "none"

    def fact_at(self, row: int) -> case_facts.Fact | None:
        return self.facts[row] if 0 <= row < len(self.facts) else None


class FactsTable(QTableView):
    """The chronology table; accepts items dragged from the evidence table."""

    items_dropped = Signal(object, object)  # fact id (None: a new fact), item ids

    def __init__(self, model: FactsModel, parent=None):
        super().__init__(parent)
        self.setObjectName("factsTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 175), (2, 90), (3, 220), (4, 80)):
            self.setColumnWidth(column, width)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if item_ids_of(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt override)
        ids = item_ids_of(event.mimeData())
        if not ids:
            event.ignore()
            return
        fact = self.model().fact_at(self.indexAt(event.position().toPoint()).row())
        event.acceptProposedAction()
        self.items_dropped.emit(fact.id if fact else None, ids)


class FactsView(QWidget):
    def __init__(self, window, editor, parent=None):
        super().__init__(parent)
        self.setObjectName("factsView")
        self.window = window
        self.editor = editor
        self.model = FactsModel(self)
        self.table = FactsTable(self.model, self)
        self.table.items_dropped.connect(self.items_dropped)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.summary = QLabel()
        self.summary.setObjectName("factsSummary")
        buttons = QHBoxLayout()
        for text, slot, name in (
            ("&Add Fact...", self.add_fact, "addFact"),
            ("&Edit...", self.edit_selected, "editFact"),
            ("&Delete", self.delete_selected, "deleteFact"),
            ("Show E&vidence", self.show_evidence, "showFactEvidence"),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

    def refresh(self) -> None:
        case = self.window.case
        facts = case_facts.list_facts(case.conn) if case else []
        selected = self.selected_fact()
        self.model.set_facts(facts)
        unproven = sum(1 for f in facts if not f.items)
        counts = f"{len(facts)} fact(s), {unproven} without evidence. " if facts else "No facts yet. "
        self.summary.setText(counts + "Drag items from the evidence table onto a fact to add them as its evidence.")
        if selected is not None:
            self.select_fact(selected.id)

    def selected_fact(self) -> case_facts.Fact | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.fact_at(rows[0].row()) if rows else None

    def select_fact(self, fact_id: int) -> None:
        for row, fact in enumerate(self.model.facts):
            if fact.id == fact_id:
                self.table.selectRow(row)
                return

    def add_fact(self, item_ids=()) -> int | None:
        if self.window.case is None:
            return None
        dialog = FactDialog(self, self.window.case, item_ids=item_ids)
        if dialog.exec() != FactDialog.DialogCode.Accepted:
            return None
        fact_id = self.editor.add(dialog.values())
        if fact_id is not None:
            self.select_fact(fact_id)
        return fact_id

    def edit_selected(self) -> None:
        fact = self.selected_fact()
        if fact is None:
            return
        dialog = FactDialog(self, self.window.case, fact)
        if dialog.exec() == FactDialog.DialogCode.Accepted:
            self.editor.edit(fact.id, dialog.values())

    def delete_selected(self) -> None:
        fact = self.selected_fact()
        if fact is None:
            return
        answer = QMessageBox.question(
            self, "Delete Fact", f"Delete fact {fact.id}?\n\n{fact.statement}\n\n(Edit > Undo brings it back.)"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.editor.delete(fact.id)

    def show_evidence(self) -> None:
        """List the selected fact's evidence in the evidence table (Clear Filters lists all again)."""
        fact = self.selected_fact()
        if fact is not None and fact.items:
            self.window.filters.filter_changed.emit(ItemFilter(item_ids=list(fact.items)))

    def items_dropped(self, fact_id, item_ids) -> None:
        if fact_id is None:
            self.add_fact(item_ids)
        else:
            self.editor.link(fact_id, item_ids)
            self.select_fact(fact_id)

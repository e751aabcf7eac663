"""The case's canary strings and lab names (add, remove: audited) and what the last run found."""

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.case_changes import CaseChanges
from app.store import provenance_links as store

FOUND_COLUMNS = ("Item", "What", "Found as written", "How", "Looked for")


class TermList(QGroupBox):
    """One kind of term: a list, a line to add one, Remove."""

    def __init__(self, window, kind: str, title: str, placeholder: str):
        super().__init__(title)
        self.window, self.kind = window, kind
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setMinimumHeight(30)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.returnPressed.connect(self.add)
        add, remove = QPushButton("Add"), QPushButton("Remove")
        add.clicked.connect(self.add)
        remove.clicked.connect(self.remove)
        for widget in (self.edit, add, remove):
            row.addWidget(widget)
        layout.addLayout(row)

    def reload(self) -> None:
        self.list.clear()
        if self.window.case is not None:
            self.list.addItems(store.terms(self.window.case.conn, self.kind))

    def add(self) -> None:
        text = self.edit.text()
        if not text.strip() or self.window.case is None:
            return
        if self.window.tagger.context.write(lambda case: store.add_term(case, self.kind, text), CaseChanges()):
            self.edit.clear()
        self.reload()

    def remove(self) -> None:
        current = self.list.currentItem()
        if current is None or self.window.case is None:
            return
        text = current.text()
        self.window.tagger.context.write(lambda case: store.remove_term(case, self.kind, text), CaseChanges())
        self.reload()


class MarksTab(QWidget):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        layout = QHBoxLayout(self)
        terms = QVBoxLayout()
        self.canaries = TermList(window, "canary", "Canary strings planted in our responses", "a canary string")
        self.lab_names = TermList(
            window, "lab_name", "Our names (the lab, its models) for self-identification", "e.g. Northwind AI"
        )
        terms.addWidget(self.canaries)
        terms.addWidget(self.lab_names)
        hint = QLabel("Trace Outputs again to look for what you added; double-click a find to show its item.")
        hint.setWordWrap(True)
        terms.addWidget(hint)
        layout.addLayout(terms, 1)
        self.found = QTableWidget(0, len(FOUND_COLUMNS))
        self.found.setHorizontalHeaderLabels(FOUND_COLUMNS)
        self.found.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.found.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.found.verticalHeader().hide()
        self.found.horizontalHeader().setStretchLastSection(True)
        self.found.cellDoubleClicked.connect(self._show_item)
        layout.addWidget(self.found, 2)

    def reload(self) -> None:
        self.canaries.reload()
        self.lab_names.reload()
        marks = store.marks(self.window.case.conn) if self.window.case is not None else []
        self.found.setRowCount(len(marks))
        for row, mark in enumerate(marks):
            what = "canary" if mark["kind"] == "canary" else "self-identification"
            for column, value in enumerate((str(mark["item_id"]), what, mark["found"], mark["how"], mark["term"])):
                self.found.setItem(row, column, QTableWidgetItem(value))
        self.found.resizeColumnsToContents()

    def _show_item(self, row: int, _column: int) -> None:
        cell = self.found.item(row, 0)
        if cell is not None:
            self.window.show_item(int(cell.text()))

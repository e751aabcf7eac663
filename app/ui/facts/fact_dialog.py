"""The dialog that adds or edits one fact: statement, date, status, elements, evidence."""

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
)

from app.core.fact_dates import parse_fact_date
from app.core.timestamps import TimestampError
from app.store.case_facts import STATUSES, Fact, claim_codes

DATE_HINT = "2026-03-18, or 2026-03-01 to 2026-03-10; empty = undated"


def parse_ids(text: str) -> list[int]:
    """Item ids typed as '12, 15 18': the numbers, in order, each once."""
    return list(dict.fromkeys(int(n) for n in re.findall(r"\d+", text or "")))


def join_ids(ids) -> str:
    return ", ".join(str(i) for i in ids)


class FactDialog(QDialog):
    def __init__(self, parent, case, fact: Fact | None = None, item_ids=()):
        super().__init__(parent)
        self.case = case
        self.setWindowTitle(f"Edit Fact {fact.id}" if fact else "Add Fact")
        self.setObjectName("factDialog")
        fact = fact or Fact(0, "", items=list(item_ids))
        form = QFormLayout()
        self.statement = QPlainTextEdit(fact.statement)
        self.statement.setPlaceholderText("What happened, in one or two sentences")
        self.statement.setTabChangesFocus(True)
        self.statement.setMaximumHeight(self.fontMetrics().height() * 4 + 12)
        self.date = QLineEdit(fact.date_text)
        self.date.setPlaceholderText(DATE_HINT)
        self.status = QComboBox()
        self.status.addItems(STATUSES)
        self.status.setCurrentText(fact.status)
        self.elements = QListWidget()
        self.elements.setObjectName("factElements")
        self._fill_elements(set(fact.elements))
        self.items = QLineEdit(join_ids(fact.items))
        self.items.setPlaceholderText("item ids, e.g. 12, 15, 18")
        self.witness = QLineEdit(fact.witness)
        self.opposing = QPlainTextEdit(fact.opposing)
        self.opposing.setTabChangesFocus(True)
        self.opposing.setMaximumHeight(self.fontMetrics().height() * 3 + 12)
        self.opposing_items = QLineEdit(join_ids(fact.opposing_items))
        self.findings = QLineEdit(", ".join(fact.findings))
        self.findings.setPlaceholderText("finding references, separated by commas")
        form.addRow("&Statement", self.statement)
        form.addRow("&Date", self.date)
        form.addRow("S&tatus", self.status)
        form.addRow("&Elements", self.elements)
        form.addRow("E&vidence items", self.items)
        form.addRow("&Findings", self.findings)
        form.addRow("&Witness", self.witness)
        form.addRow("&Opposing evidence", self.opposing)
        form.addRow("Opposing &items", self.opposing_items)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a40000")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def _fill_elements(self, chosen: set[str]) -> None:
        codes = claim_codes(self.case.conn)
        for category in self.case.taxonomy():
            if category.code not in codes:
                continue
            label = f"{category.name} ({category.code})"
            if category.parent:
                label = f"    {label}"  # under its claim, listed just above it
            entry = QListWidgetItem(label)
            entry.setData(Qt.ItemDataRole.UserRole, category.code)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if category.code in chosen else Qt.CheckState.Unchecked)
            self.elements.addItem(entry)

    def chosen_elements(self) -> list[str]:
        found = []
        for row in range(self.elements.count()):
            entry = self.elements.item(row)
            if entry.checkState() == Qt.CheckState.Checked:
                found.append(entry.data(Qt.ItemDataRole.UserRole))
        return found

    def values(self) -> dict:
        """The keyword arguments of case_facts.add_fact / update_fact."""
        return {
            "statement": self.statement.toPlainText().strip(),
            "date": self.date.text().strip(),
            "status": self.status.currentText(),
            "elements": self.chosen_elements(),
            "items": parse_ids(self.items.text()),
            "opposing_items": parse_ids(self.opposing_items.text()),
            "findings": [f.strip() for f in self.findings.text().split(",") if f.strip()],
            "witness": self.witness.text().strip(),
            "opposing": self.opposing.toPlainText().strip(),
        }

    def accept(self) -> None:
        """Refuse in the dialog what the case would refuse, so nothing typed is lost."""
        if not self.statement.toPlainText().strip():
            self.error.setText("A fact needs a statement (what happened).")
            return
        try:
            parse_fact_date(self.date.text(), self.case.timezone)
        except TimestampError as exc:
            self.error.setText(f"{exc} Write it as {DATE_HINT}.")
            return
        super().accept()

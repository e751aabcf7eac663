"""The Proof view: claims and their elements as rows, the facts and exhibits under each.

An element with no evidence stands out in words ("NO EVIDENCE" in its row, bold, with
a warning icon), not by colour alone. Cites come from the production chosen at the top
(by default the latest), from its own records: an item not in it says "not produced".
Double-click a cite to show its item. The chart and chronology export from here.
"""

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.export.productions import list_productions
from app.export.proof_chart import element_heading
from app.export.proof_rows import NO_EVIDENCE, TAGGED, ProofChart, build_proof
from app.store.production_cites import cites_for_items

ITEM_ROLE = Qt.ItemDataRole.UserRole
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Claim, element, fact", "Status", "Our evidence (exhibit, Bates)", "Witness", "Opposing evidence")
MISSING_BACKGROUND = QColor(255, 235, 205)


class ProofView(QWidget):
    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.setObjectName("proofView")
        self.window = window
        self.chart: ProofChart | None = None
        self.production = QComboBox()
        self.production.setObjectName("proofProduction")
        self.production.currentIndexChanged.connect(lambda _i: self.refresh(keep_production=True))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("proofSummary")
        self.tree = QTreeWidget()
        self.tree.setObjectName("proofTree")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        self.tree.itemDoubleClicked.connect(self._open_item)
        for column, width in enumerate((350, 100, 235, 120)):
            self.tree.setColumnWidth(column, width)
        self.export_chart = QPushButton("Export Proof &Chart...")
        self.export_chart.setObjectName("exportProofChart")
        self.export_chronology = QPushButton("Export C&hronology...")
        self.export_chronology.setObjectName("exportChronology")
        top = QHBoxLayout()
        top.addWidget(QLabel("Cites from:"))
        top.addWidget(self.production, 1)
        top.addWidget(self.export_chart)
        top.addWidget(self.export_chronology)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)

    def production_id(self) -> int | None:
        return self.production.currentData()

    def _fill_productions(self, conn) -> None:
        chosen = self.production.currentData()
        self.production.blockSignals(True)
        self.production.clear()
        productions = list_productions(conn) if conn is not None else []
        for production in reversed(productions):  # the latest first: the default
            label = f"Production {production['id']}: {production.get('title') or 'untitled'}"
            self.production.addItem(label, production["id"])
        self.production.addItem("No production (every item: not produced)", None)
        index = self.production.findData(chosen) if chosen is not None else 0
        self.production.setCurrentIndex(max(index, 0))
        self.production.blockSignals(False)

    def refresh(self, keep_production: bool = False) -> None:
        case = self.window.case
        if not keep_production:
            self._fill_productions(case.conn if case else None)
        self.tree.clear()
        if case is None:
            self.chart = None
            self.summary.setText("")
            return
        self.chart = build_proof(case.conn, self.production_id())
        missing = self.chart.unproven
        self.summary.setText(
            f"{len(missing)} of {len(self.chart.elements)} elements have no evidence."
            if missing
            else f"Every one of the {len(self.chart.elements)} elements has evidence."
        )
        cites = cites_for_items(case.conn, self.production_id(), [i for e in self.chart.elements for i in e.item_ids])
        claims: dict[str, QTreeWidgetItem] = {}
        for element in self.chart.elements:
            claim = claims.get(element.claim_code)
            if claim is None:
                claim = claims[element.claim_code] = QTreeWidgetItem(
                    self.tree, [f"{element.claim_name} ({element.claim_code})"]
                )
                _bold(claim)
            self._add_element(claim, element, cites)
        self.tree.expandAll()

    def _add_element(self, claim: QTreeWidgetItem, element, cites) -> None:
        heading = f"{element.name} - NO EVIDENCE" if not element.has_evidence else element.name
        row = QTreeWidgetItem(claim, [heading, element.status_summary()])
        row.setData(0, CODE_ROLE, element.code)
        row.setToolTip(0, element_heading(element))
        if not element.has_evidence:
            row.setText(2, NO_EVIDENCE.upper())
            row.setIcon(0, self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            row.setToolTip(0, f"{element_heading(element)}: nothing cited proves this element yet.")
            for column in range(len(COLUMNS)):
                row.setBackground(column, QBrush(MISSING_BACKGROUND))
            _bold(row)
        for cited in element.facts:
            fact = cited.fact
            date = fact.date_text or "undated"
            child = QTreeWidgetItem(
                row,
                [f"{date}: {fact.statement}", fact.status, _evidence(cited), fact.witness, "; ".join(cited.opposing)],
            )
            child.setToolTip(0, fact.statement)
            for item_id in fact.items:
                self._cite_row(child, item_id, cites)
        if element.tagged_ids:
            tagged = QTreeWidgetItem(row, [TAGGED, "", f"{len(element.tagged_ids)} item(s)"])
            for item_id in element.tagged_ids:
                self._cite_row(tagged, item_id, cites)

    @staticmethod
    def _cite_row(parent: QTreeWidgetItem, item_id: int, cites) -> None:
        cite = cites.get(item_id)
        text = cite.text() if cite is not None else "not produced"
        row = QTreeWidgetItem(parent, [f"Item {item_id}", "", text])
        row.setData(0, ITEM_ROLE, item_id)
        row.setToolTip(0, "Double-click to show the item")

    def _open_item(self, row: QTreeWidgetItem, _column: int) -> None:
        item_id = row.data(0, ITEM_ROLE)
        if item_id is not None:
            self.window.show_item(int(item_id))

    def element_rows(self) -> dict[str, QTreeWidgetItem]:
        """{element code: its row} (tests and the screenshot look at them)."""
        found = {}
        for c in range(self.tree.topLevelItemCount()):
            claim = self.tree.topLevelItem(c)
            for e in range(claim.childCount()):
                row = claim.child(e)
                found[row.data(0, CODE_ROLE)] = row
        return found


def _evidence(cited) -> str:
    """A fact's row: how much it cites (the cites are its child rows)."""
    if not cited.evidence:
        return NO_EVIDENCE
    findings = len(cited.fact.findings)
    return f"{len(cited.fact.items)} item(s)" + (f", {findings} finding(s)" if findings else "")


def _bold(row: QTreeWidgetItem) -> None:
    font = QFont(row.font(0))
    font.setBold(True)
    row.setFont(0, font)

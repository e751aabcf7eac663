"""The quarantine list: input that could not be read as evidence, kept verbatim.

Each row shows its source file, where in it (line, byte offset, or the importer's own
locator), the reason and the raw text. Rows are fetched a page at a time, so a
quarantine of a million malformed lines opens as fast as one of ten.
"""

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout

from app.core.records import describe_locator as describe_place
from app.store.case_file import CaseFile
from app.store.quarantine_rows import quarantined_count, quarantined_rows
from app.ui.paged_table_model import PagedTableModel
from app.core.wording import plural

COLUMNS = ("Source", "Where", "Reason", "Raw text")
RAW_SHOWN = 500  # characters of the raw text shown in the table; the tooltip shows more


def describe_locator(locator_json: str) -> str:
    """'line 12 (byte 3,407)' for line-based input, else the locator's own keys."""
    try:
        locator = json.loads(locator_json)
    except ValueError:
        return locator_json
    if isinstance(locator, dict) and "line" in locator:
        text = f"line {locator['line']:,}"
        return text + (f" (byte {locator['byte_offset']:,})" if "byte_offset" in locator else "")
    if isinstance(locator, dict):
        return describe_place(locator)  # 'the whole file', 'member logs/a.jsonl', ...
    return str(locator)


def raw_text(raw) -> str:
    if raw is None:
        return ""
    return raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)


class QuarantineModel(PagedTableModel):
    """Quarantined records of some sources (all when none given), by id, a page at a time."""

    COLUMNS = COLUMNS

    def __init__(self, conn, source_ids=None, parent=None):
        self.conn = conn
        self.source_ids = list(source_ids or [])
        super().__init__(parent)

    def count(self) -> int:
        return quarantined_count(self.conn, self.source_ids)

    def fetch(self, offset: int, limit: int) -> list[tuple]:
        """(source name, where, reason, raw text) rows."""
        return [
            (name or f"source {sid}", describe_locator(locator), reason, raw_text(raw))
            for _id, sid, name, locator, reason, raw in quarantined_rows(self.conn, self.source_ids, offset, limit)
        ]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self.row(index.row())[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return value[:RAW_SHOWN].replace("\n", "⏎") if index.column() == 3 else value
        if role == Qt.ItemDataRole.ToolTipRole and index.column() >= 2:
            return value[:5000]
        return None


class QuarantineView(QDialog):
    """A dialog listing quarantined records; opens its own read connection."""

    def __init__(self, case_path, source_ids=None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Quarantined records")
        self.case = CaseFile.open(case_path)
        self.model = QuarantineModel(self.case.conn, source_ids, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 180)
        self.table.setColumnWidth(1, 160)
        self.table.setColumnWidth(2, 280)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"{plural(self.model.total, 'record')} could not be read as evidence. They are kept "
                "verbatim in the case and counted in every reconciliation."
            )
        )
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(980, 480)

    def done(self, result: int) -> None:
        self.case.close()
        super().done(result)

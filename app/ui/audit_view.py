"""The audit log as a table (seq, when, who, action, details), read a page at a time.

Every change to the case is an entry, hash-chained to the one before; this view only
reads them. Selecting a row shows its full details and hashes below the table.
"""

import json

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QPlainTextEdit, QSplitter, QTableView, QVBoxLayout

from app.store.audit import entries_page, entry_count
from app.store.case_file import CaseFile
from app.ui.paged_table_model import PagedTableModel

COLUMNS = ("Seq", "When (UTC)", "Who", "Action", "Details")
SUMMARY_KEYS = (
    "file",
    "title",
    "code",
    "exhibit_id",
    "item_ids",
    "note",
    "text",
    "ok",
    "problems",
    "counts",
    "name",
    "pdf",
)


def summarise(action: str, details_json: str) -> str:
    """One readable line from an entry's details: the keys a person looks for first."""
    try:
        details = json.loads(details_json)
    except ValueError:
        return details_json[:200]
    if not isinstance(details, dict):
        return str(details)[:200]
    parts = []
    for key in SUMMARY_KEYS:
        if key in details and details[key] not in (None, "", []):
            parts.append(f"{key}: {_short(details[key])}")
    return "; ".join(parts) or _short(details)


def _short(value) -> str:
    if isinstance(value, list) and len(value) > 6:
        return f"{len(value):,} ({', '.join(map(str, value[:5]))}, …)"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:120] + "…"


class AuditModel(PagedTableModel):
    """Audit entries oldest first; rows are fetched in pages when they are shown."""

    COLUMNS = COLUMNS
    PAGE = 500

    def __init__(self, conn, parent=None):
        self.conn = conn
        super().__init__(parent)

    def count(self) -> int:
        return entry_count(self.conn)

    def fetch(self, offset: int, limit: int) -> list[tuple]:
        """(seq, ts_utc, actor, host, action, details, prev_hash, hash, key_id, signature) rows."""
        return entries_page(self.conn, offset, limit)

    def entry(self, row: int) -> tuple:
        return self.row(row)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        seq, ts_utc, actor, host, action, details = self.entry(index.row())[:6]
        return (
            str(seq),
            ts_utc.replace("T", " ").rstrip("Z"),
            f"{actor} @ {host}" if host else actor,
            action,
            summarise(action, details),
        )[index.column()]


def entry_text(entry: tuple) -> str:
    """The full entry as shown under the table."""
    seq, ts_utc, actor, host, action, details, prev_hash, digest, key_id, signature = entry
    try:
        pretty = json.dumps(json.loads(details), indent=2, ensure_ascii=False)
    except ValueError:
        pretty = details
    signed = f"signed with key {key_id}: {signature}" if key_id else "not signed (made before signing was introduced)"
    return (
        f"Entry {seq}: {action} by {actor} on {host or 'unknown host'} at {ts_utc}\n"
        f"hash {digest}\nfollows {prev_hash}\n{signed}\n\n{pretty}"
    )


class AuditView(QDialog):
    """The audit log in a dialog with its own read connection."""

    def __init__(self, case_path, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Audit log")
        self.case = CaseFile.open(case_path)
        self.model = AuditModel(self.case.conn, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((60, 200, 160, 120)):
            self.table.setColumnWidth(column, width)
        self.details = QPlainTextEdit(readOnly=True)
        self.table.selectionModel().currentRowChanged.connect(self._show_entry)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setSizes([400, 160])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(buttons)
        self.resize(1000, 620)
        self.table.scrollToBottom()

    def _show_entry(self, current: QModelIndex, _previous=None) -> None:
        if current.isValid():
            self.details.setPlainText(entry_text(self.model.entry(current.row())))

    def done(self, result: int) -> None:
        self.case.close()
        super().done(result)

"""The ranked outputs as a table model (a list of stored links, one per output, strongest first)."""

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from app.analysis.provenance.sentences import when_utc

COLUMNS = ("Share", "Longest passage", "Shared words", "Output", "Logged for", "Logged at", "Links")


class RankedOutputs(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{row['similarity'] * 100:.0f}%",
                f"{row['longest_run']:,} words",
                f"{row['shared_words']:,} of {row['output_words']:,}",
                row["output_title"] or f"item {row['output_id']}",
                row["response_account"] or "",
                when_utc(row["response_ts_us"]),
                str(row["link_count"]),
            )[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 1, 2, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def link_at(self, row: int) -> dict | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

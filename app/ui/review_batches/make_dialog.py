"""Make Batch: from the selection or from everything the table lists, split by size."""

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.store.review_batches import DEFAULT_SIZE


def items_text(count: int) -> str:
    return f"{count:,} item{'s' if count != 1 else ''}"


class MakeBatchDialog(QDialog):
    def __init__(self, selected: int, listed: int, reviewer: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Make review batches")
        self.name = QLineEdit(placeholderText="e.g. First pass")
        self.reviewer = QLineEdit(reviewer, placeholderText="who reviews them (optional)")
        self.size = QSpinBox(minimum=1, maximum=1_000_000, value=DEFAULT_SIZE, singleStep=50)
        self.from_selection = QRadioButton(f"The selected items ({items_text(selected)})")
        self.from_listed = QRadioButton(f"Everything the table lists ({items_text(listed)})")
        self.from_selection.setEnabled(selected > 0)
        (self.from_selection if selected > 1 else self.from_listed).setChecked(True)
        sources = QWidget()
        column = QVBoxLayout(sources)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.from_selection)
        column.addWidget(self.from_listed)
        note = QLabel(
            "Each family (an email and its attachments) is kept in one batch, completed if only part of "
            "it was chosen. Several batches are numbered after the name.",
            wordWrap=True,
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.name.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        form = QFormLayout(self)
        form.addRow("Name:", self.name)
        form.addRow("Items:", sources)
        form.addRow("At most, per batch:", self.size)
        form.addRow("Reviewer:", self.reviewer)
        form.addRow(note)
        form.addRow(buttons)

"""Errors shown to a person: one plain sentence, the technical details one click away."""

from PySide6.QtWidgets import QMessageBox, QWidget


def show_error(parent: QWidget | None, message: str, details: str = "", title: str = "Casefile") -> QMessageBox:
    """A non-blocking error dialog (open(), so tests and the event loop never hang)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.setObjectName("errorDialog")
    box.open()
    return box

"""An item's text for redacting: select a passage; existing redactions outlined in red, or,
in the export preview, the text as produced with each redaction a solid labelled box."""

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from app.export.redaction_marks import ItemRedactor, flexible, plain

LABEL = re.compile(r"\[Redacted - [^\]\n]+\]")


def utf16(text: str, index: int) -> int:
    """Qt's position (UTF-16 units) of a Python index into text."""
    return len(text[:index].encode("utf-16-le")) // 2


def python_index(text: str, position: int) -> int:
    """The Python index into text of Qt's position (UTF-16 units)."""
    return len(text.encode("utf-16-le")[: position * 2].decode("utf-16-le", "ignore"))


class RedactionText(QPlainTextEdit):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("redactionText")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.original = ""
        self.outlined: list[tuple[int, int]] = []  # Qt positions of redacted passages (review)

    def show_text(self, text: str, item_redactions, names: dict, preview: bool) -> None:
        """text: the item's text; item_redactions: its ItemRedactions (or None)."""
        self.original = text
        self.outlined = []
        if preview and item_redactions and item_redactions.strings:
            produced = plain(ItemRedactor(item_redactions, names).text(text))
            self.setPlainText(produced)
            self.setExtraSelections([self._solid(m.start(), m.end(), produced) for m in LABEL.finditer(produced)])
            return
        self.setPlainText(text)
        self.setExtraSelections([])
        for secret, _reason, _rid in item_redactions.strings if item_redactions else []:
            if secret.split():
                for match in re.finditer(flexible(secret), text):
                    self.outlined.append((utf16(text, match.start()), utf16(text, match.end())))
        self.viewport().update()

    def _solid(self, start: int, end: int, text: str) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(utf16(text, start))
        cursor.setPosition(utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(0, 0, 0))
        fmt.setForeground(QColor(255, 255, 255))
        selection.format = fmt
        return selection

    def selected_span(self) -> tuple[int, int] | None:
        """(start, end) of the selection as Python indexes into the item's text, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        text = self.original
        return python_index(text, cursor.selectionStart()), python_index(text, cursor.selectionEnd())

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        if not self.outlined:
            return
        painter = QPainter(self.viewport())
        painter.setPen(QPen(QColor(220, 30, 30), 1.5))
        for start, end in self.outlined:
            for rect in self._line_rects(start, end):
                painter.drawRect(rect.adjusted(-1, 0, 1, -1))

    def _line_rects(self, start: int, end: int):
        """One rectangle per line the passage covers, in viewport coordinates."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        first = self.cursorRect(cursor)
        cursor.setPosition(end)
        last = self.cursorRect(cursor)
        if first.top() == last.top():
            yield first.united(last)
            return
        right = self.viewport().width() - 4
        yield first.adjusted(0, 0, right - first.right(), 0)
        top = first.bottom()
        while top + first.height() <= last.top():
            yield first.translated(0, top - first.top() + 1).adjusted(4 - first.left(), 0, right - first.right(), 0)
            top += first.height()
        yield last.adjusted(4 - last.left(), 0, 0, 0)

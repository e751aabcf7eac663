"""Redaction mode in the window: select text and redact it, drag a box on a PDF page, redact by
pattern after a preview, undo; outlines when reviewing, solid labelled boxes in the export preview."""

import os
from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from app.store import redactions
from app.store.case_file import CaseFile
from app.ui.main_window import MainWindow
from app.ui.redaction.pattern_dialog import PatternDialog
from window_helpers import import_paths

SECRET = "Zelda Quintanilla-Brook"


def _inputs(folder: Path) -> list[Path]:
    message = EmailMessage()
    message["From"] = "Dana Smith <dana@example.com>"
    message["To"] = "lee@example.org"
    message["Subject"] = "Customer escalation"
    message["Date"] = "Mon, 02 Mar 2026 10:00:00 +0000"
    message.set_content(f"Hello,\nthe customer {SECRET} called twice about the outage.\nRegards")
    (folder / "mail.eml").write_bytes(bytes(message))
    canvas = Canvas(str(folder / "memo.pdf"), pagesize=A4)
    for size, text in ((A4, "Portrait memo with CODE-778899 inside"), (landscape(A4), "Landscape memo page")):
        canvas.setPageSize(size)
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, size[1] - 72, text)
        canvas.showPage()
    canvas.save()
    return [folder / "mail.eml", folder / "memo.pdf"]


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "r.casefile"
    CaseFile.create(path, "Redaction test", operator="tester").close()
    import_paths(path, _inputs(tmp_path), timezone="UTC")
    win = MainWindow(path)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


def _panel(window):
    return next(f for f in window.features if type(f).__name__ == "RedactionPanel")


def _select(window, kind):
    for row in range(window.model.rowCount()):
        item = window.model.row(row)
        if item["kind"] == kind:
            window.table.selectRow(row)
            return item["id"]
    raise AssertionError(kind)


def _open_mode(window, qtbot):
    panel = _panel(window)
    action = next(a for a in window.menu("Evidence").actions() if a.text() == "Redaction Mode")
    action.trigger()
    qtbot.waitUntil(lambda: panel.dock.isVisible())
    return panel


def test_select_text_and_redact_it_then_undo(window, qtbot):
    panel = _open_mode(window, qtbot)
    email = _select(window, "email")
    qtbot.waitUntil(lambda: panel.item is not None and panel.item["id"] == email)
    text = panel.text.toPlainText()
    cursor = panel.text.textCursor()
    cursor.setPosition(text.index(SECRET))
    cursor.setPosition(text.index(SECRET) + len(SECRET), QTextCursor.MoveMode.KeepAnchor)
    panel.text.setTextCursor(cursor)
    panel.reason.setCurrentIndex(panel.reason.findData("REDACT-PERSONAL"))
    panel.redact_text.click()
    made = redactions.list_redactions(window.case.conn, email)
    assert [(r.kind, r.reason) for r in made] == [("span", "REDACT-PERSONAL")]
    assert panel.listing.count() == 1 and panel.text.outlined  # outlined while reviewing
    panel.preview.setChecked(True)
    assert "[Redacted - Personal data]" in panel.text.toPlainText() and SECRET not in panel.text.toPlainText()
    window.undo_stack.undo()
    assert redactions.list_redactions(window.case.conn, email) == []
    assert panel.listing.count() == 0
    window.undo_stack.redo()
    assert len(redactions.list_redactions(window.case.conn, email)) == 1


def test_drag_a_box_on_a_pdf_page(window, qtbot, tmp_path):
    panel = _open_mode(window, qtbot)
    memo = _select(window, "document")
    qtbot.waitUntil(lambda: panel.item is not None and panel.item["id"] == memo)
    assert panel.tabs.currentIndex() == 1 and panel.pages == 2
    view = panel.page_view
    target = view._target()
    start = QPoint(int(target.left() + target.width() * 0.1), int(target.top() + target.height() * 0.05))
    end = QPoint(int(target.left() + target.width() * 0.5), int(target.top() + target.height() * 0.12))
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view, end)
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=end)
    (box,) = redactions.list_redactions(window.case.conn, memo)
    x0, y0, x1, y1 = box.box
    assert box.page == 1 and 40 < x0 < 80 and 250 < x1 < 330 and y1 > 700  # points from the lower left
    assert view.boxes and not view.solid
    panel.preview.setChecked(True)
    assert view.solid
    if os.environ.get("CASEFILE_SCREENSHOTS"):
        window.grab().save(os.environ["CASEFILE_SCREENSHOTS"] + "/redaction-mode.png")


def test_pattern_dialog_previews_before_redacting(window, qtbot):
    _open_mode(window, qtbot)
    dialog = PatternDialog(window)
    qtbot.addWidget(dialog)
    dialog.mode.setCurrentIndex(2)
    dialog.builtin.setCurrentIndex(dialog.builtin.findData("email"))
    assert not dialog.apply_button.isEnabled()
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: dialog.apply_button.isEnabled(), timeout=10_000)
    assert " match(es) in 1 item(s), e.g. " in dialog.result.text() and "lee@example.org" in dialog.result.text()
    assert redactions.list_redactions(window.case.conn) == []  # a preview records nothing
    dialog.apply_button.click()
    (made,) = redactions.list_redactions(window.case.conn)
    assert made.rule == {"pattern": "email"} and made.items == 1
    window.undo_stack.undo()
    assert redactions.list_redactions(window.case.conn) == []

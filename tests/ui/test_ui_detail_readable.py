"""The detail pane in words a reviewer reads: PDF metadata as fields, note times in the case's zone."""

import re

from pypdf import PdfWriter
from pypdf.generic import NameObject

from app.ui import settings as S
from window_helpers import import_paths


def _pdf_with_metadata(path):
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_metadata(
        {
            "/Title": "Harvest budget",
            "/Author": "R. Chen",
            "/CreationDate": "D:20240501093000+02'00'",
            "/Trapped": NameObject("/False"),
        }
    )
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def test_pdf_metadata_is_shown_as_labelled_fields(qtbot, review_window, tmp_path):
    window = review_window
    import_paths(window.case_path, [_pdf_with_metadata(tmp_path / "budget.pdf")])
    window.refresh_everything()
    row = next(r for r in range(window.model.rowCount()) if window.model.row(r)["title"] == "budget.pdf")
    window.table.selectRow(row)
    text = window.detail.text_view.toPlainText()
    assert re.search(r"Created\s+2024-05-01 09:30:00 \+02:00", text)
    assert re.search(r"Trapped for print\s+no", text) and re.search(r"Author\s+R\. Chen", text)
    assert "/False" not in text and '"Trapped"' not in text and "{" not in text


def test_note_times_are_in_the_zone_times_are_shown_in(qtbot, review_window):
    window = review_window
    window.settings.set(S.DISPLAY_TIMEZONE, "Asia/Kolkata")
    window.table.selectRow(3)
    window.tagger.add_note("Same key as the March invoice")
    note = window.detail.annotations_label.text()
    assert "Same key as the March invoice" in note
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+05:30", note)
    assert "Z)" not in note and not re.search(r"\d\dT\d\d", note)


def test_chinese_evidence_has_a_font_even_where_the_system_has_none(review_window):
    from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

    from app.ui.fonts import bundled_fonts

    families = [f for font_id in bundled_fonts() for f in QFontDatabase.applicationFontFamilies(font_id)]
    assert "Droid Sans Fallback" in families
    assert QFontMetrics(QFont("Droid Sans Fallback")).inFontUcs4(ord("数"))

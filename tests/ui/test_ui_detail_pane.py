"""The detail pane for every kind of item, with provenance and warnings always visible."""

import sqlite3

import pytest
from PySide6.QtPdf import QPdfDocument

from app.ui.detail_pane import search_terms
from app.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, review_case_path):
    win = MainWindow(review_case_path)
    qtbot.addWidget(win)
    win.show()
    return win


def _select(window, kind, title=None):
    for row in range(window.model.rowCount()):
        item = window.model.row(row)
        if item["kind"] == kind and (title is None or item["title"] == title):
            window.table.selectRow(row)
            return item["id"]
    raise AssertionError(f"no {kind} in the table")


def _tab_titles(window):
    return [window.detail.tabs.tabText(i) for i in range(window.detail.tabs.count())]


def _provenance_shown(window):
    text = window.detail.provenance_label.text()
    return window.detail.provenance_label.isVisible() and "Source SHA-256" in text and "Locator" in text


def test_log_entry_shows_prompt_response_and_every_field(window):
    _select(window, "log_entry")
    text = window.detail.text_view.toPlainText()
    assert "Prompt" in text and "Response" in text and "Certainly." in text
    assert "api_key" in text and "203.0.113." in text  # every original field
    assert _provenance_shown(window)
    locator = window.detail.item["locator"]  # where its bytes are, in words
    first, last = locator["byte_offset"], locator["byte_offset"] + locator["byte_length"] - 1
    assert f"line {locator['line']}, bytes {first:,}-{last:,}" in window.detail.provenance_label.text()


def test_a_log_entry_whose_original_is_damaged_says_what_to_do(qtbot, review_case_path):
    conn = sqlite3.connect(review_case_path)  # damaged outside Casefile: the row's bytes are gone
    with conn:
        conn.execute(
            "UPDATE source_chunks SET data = zeroblob(length(data))"
            " WHERE source_id = (SELECT source_id FROM items WHERE kind = 'log_entry')"
        )
    conn.close()
    win = MainWindow(review_case_path)
    qtbot.addWidget(win)
    win.show()
    _select(win, "log_entry")
    shown = win.detail.title_label.text()
    assert "cannot be read from the stored original" in shown and "run verify" in shown
    assert "api-access.jsonl" in shown  # which file, in words


def test_email_header_body_attachments_and_thread(qtbot, window):
    _select(window, "email", "Harvest plan")
    text = window.detail.text_view.toPlainText()
    assert "cto@riverbend.example" in text and "rotate keys across 30 accounts" in text
    assert "harvest-budget.txt" in text and "The thread" in text and "Re: Harvest plan" in text
    assert "no scripts run and no remote content is loaded" in text
    html = window.detail.text_view.toHtml()
    assert "item:" in html  # the attachment and the reply are links
    # following the attachment's link shows the attachment as an item
    attachment_id = window.detail.item["children"][0]
    window.detail.item_link_activated.emit(attachment_id)
    assert window.detail.item["kind"] == "attachment"
    assert "Budget: 40,000 USD" in window.detail.text_view.toPlainText()
    assert "Attached to" in window.detail.text_view.toPlainText()


def test_warnings_are_visible(window):
    _select(window, "email", "Re: Harvest plan")
    warning = window.detail.warning_label
    assert warning.isVisible()
    assert "broken MIME boundary" in warning.text() and "zone was assumed" in warning.text()


def test_output_shows_prompt_response_model_and_turns(window):
    _select(window, "output")
    text = window.detail.text_view.toPlainText()
    assert "atlas-large-2025" in text and "Summarise the harvested corpus" in text
    assert "2M prompt/response pairs" in text and "Conversation (2 turns)" in text


def test_document_shows_text_and_pdf_pages(window):
    _select(window, "document")
    assert "You may not use outputs to develop competing models." in window.detail.text_view.toPlainText()
    assert "Pages" in _tab_titles(window)
    assert window.detail.pdf_document.status() == QPdfDocument.Status.Ready
    assert window.detail.pdf_document.pageCount() == 2
    assert _provenance_shown(window)


def test_image_is_shown_scaled_and_zoomable(window):
    _select(window, "image")
    assert _tab_titles(window)[0] == "Image"
    view = window.detail.image_view
    assert view.pixmap.width() == 640
    before = view.label.pixmap().width()
    view.zoom_by(1.25)
    assert view.label.pixmap().width() > before


def test_search_terms_skip_operators():
    assert search_terms('"rate limit" OR keys NOT sandbox*') == ["rate limit", "keys", "sandbox"]


def test_images_show_their_thumbnail_in_the_table(window):
    from PySide6.QtCore import Qt
    from app.ui.evidence_model import COLUMN

    for row in range(window.model.rowCount()):
        kind = window.model.row(row)["kind"]
        icon = window.model.index(row, COLUMN["kind"]).data(Qt.ItemDataRole.DecorationRole)
        assert (icon is not None and not icon.isNull()) == (kind == "image")


def test_markup_in_a_message_is_shown_as_text_and_nothing_is_loaded(window, monkeypatch):
    from app.ui.detail_pane import SafeTextBrowser

    loads = []
    monkeypatch.setattr(SafeTextBrowser, "loadResource", lambda self, kind, url: loads.append(url) or None)
    _select(window, "email", "Re: Harvest plan")
    text = window.detail.text_view.toPlainText()
    assert '<img src="https://tracker.example/p.gif"><script>alert(1)</script>' in text
    assert loads == []

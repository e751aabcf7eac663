"""Search as a lawyer types it: characters the engine refuses are text; highlights are whole words."""

import pytest
from PySide6.QtCore import Qt

from app.store.case_file import CaseFile
from app.store.item_query import ItemFilter, count_items
from app.ui.detail_pane import DetailPane, highlight_patterns


def _search(qtbot, window, text):
    window.filters.search_edit.setText(text)
    qtbot.keyClick(window.filters.search_edit, Qt.Key.Key_Return)


def test_a_hash_or_an_address_is_searched_as_text(qtbot, review_window):
    window = review_window
    _search(qtbot, window, "request #7")
    assert not window.filters.search_error.isVisible()
    titles = [window.model.row(r)["title"] or "" for r in range(window.model.rowCount())]
    assert window.model.rowCount() >= 1
    _search(qtbot, window, "rate-limits")
    assert not window.filters.search_error.isVisible()
    assert "Harvest plan" in {window.model.row(r)["title"] for r in range(window.model.rowCount())}
    assert titles


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"rate limits" OR sandbox', 2),  # the plan and the reply
        ("rotat* AND keys", 1),
        ("Harvest NOT Re", 1),
        ("(sandbox OR rotate) harvest", 2),
        ('"rate limits', 1),  # an unclosed quote is closed
        ("gpt-4o #29999 (harvest", 0),
    ],
)
def test_the_syntax_a_user_means_still_works(review_case_path, query, expected):
    with CaseFile.open(review_case_path) as case:
        emails = count_items(case.conn, ItemFilter(kinds=["email"], search=query))
    assert emails == expected


def test_what_still_cannot_be_read_is_said_in_plain_words(qtbot, review_window):
    window = review_window
    shown = window.model.rowCount()
    _search(qtbot, window, "keys AND")
    assert window.filters.search_error.isVisible()
    message = window.filters.search_error.text()
    assert "could not be understood" in message and "both sides" in message
    assert "fts5" not in message and "syntax error" not in message
    assert window.model.rowCount() == shown


def test_highlights_are_whole_words_not_substrings(qtbot):
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.text_view.setPlainText("Step by step: 1,024 bytes sent by the client; rate-limit hit.")
    marked = lambda: [s.cursor.selectedText() for s in pane.text_view.extraSelections()]  # noqa: E731
    pane._highlight(highlight_patterns("by"))
    assert marked() == ["by", "by"]
    pane._highlight(highlight_patterns("byte*"))
    assert marked() == ["bytes"]
    pane._highlight(highlight_patterns('"rate limit" #29999'))
    assert marked() == ["rate-limit"]

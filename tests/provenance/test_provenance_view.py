"""The Provenance view: run on the worker with progress, ranked outputs, side-by-side compare,
jump to the logged request, tag both (undoable), make a comparison exhibit, canaries."""

import pytest
from PySide6.QtCore import Qt

from app.store import annotations
from app.store import provenance_links as store
from app.ui.main_window import MainWindow
from app.ui.provenance.view import ProvenanceView


@pytest.fixture
def window(qtbot, traced_corpus, case_path):
    traced_corpus[0].close()
    win = MainWindow(case_path)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


def _view(window) -> ProvenanceView:
    return next(f for f in window.features if isinstance(f, ProvenanceView))


def _run(qtbot, view):
    view.show_and_run()
    assert view.runner is not None and not view.run_button.isEnabled()
    with qtbot.waitSignal(view.runner.done, timeout=60000):
        pass


def test_the_run_ranks_outputs_by_their_strongest_link_and_compares_them(qtbot, window):
    view = _view(window)
    assert "Not traced yet" in view.summary.text()
    _run(qtbot, view)
    assert view.dock.isVisible() and view.run_button.isEnabled()
    rows = view.model.rows
    assert len(rows) == 36
    shares = [r["similarity"] for r in rows]
    assert shares == sorted(shares, reverse=True)
    assert view.summary.text().startswith("36 of 72 outputs copy our logged responses")
    # the strongest is shown: the plain-words sentence and both texts, shared passages marked
    assert view.compare.sentence.text().startswith("100% of this output's")
    html = view.compare.output_text.toHtml()
    assert "text-decoration:underline" in html.replace(" ", "") and "background-color:#ffe08a" in html
    # a lightly edited copy: some words are left unmarked (the differences)
    edited = next(i for i, r in enumerate(rows) if 0.5 < r["similarity"] < 1.0)
    view.table.selectRow(edited)
    assert view.compare.link["output_id"] == rows[edited]["output_id"]
    assert view.compare.output_text.toPlainText().strip()
    assert view.compare.response_text.toPlainText().strip()


def test_cancel_leaves_the_stored_links_as_they_were(qtbot, window):
    view = _view(window)
    view.show_and_run()
    runner = view.runner
    runner.cancel()
    with qtbot.waitSignal(runner.done, timeout=60000):
        pass
    assert store.latest_run(window.case.conn) is None
    assert view.run_button.isEnabled()


def test_jump_tag_both_with_undo_and_make_an_exhibit(qtbot, window):
    view = _view(window)
    _run(qtbot, view)
    link = view.compare.link
    view.compare.request_button.click()
    assert window.model.rowCount() == 2
    assert window.current_item_id() == link["response_id"]
    assert window.selected_item_ids() == [link["response_id"]]
    code = view.compare.category.itemData(0)
    view.compare.category.setCurrentIndex(0)
    view.compare.tag_button.click()
    tagged = {i for i, codes in _tags(window, [link["output_id"], link["response_id"]]).items() if code in codes}
    assert tagged == {link["output_id"], link["response_id"]}
    window.undo_stack.undo()
    assert not any(code in c for c in _tags(window, [link["output_id"], link["response_id"]]).values())
    view.compare.exhibit_button.click()
    exhibits = annotations.exhibits(window.case)
    assert exhibits[-1]["summary_kind"] == "comparison"
    assert exhibits[-1]["summary_ref"]["output_id"] == link["output_id"]
    assert exhibits[-1]["summary_ref"]["response_id"] == link["response_id"]


def _tags(window, ids):
    from app.store.item_query import tags_of

    return tags_of(window.case.conn, ids)


def test_canaries_are_added_and_removed_in_the_view(qtbot, window):
    view = _view(window)
    view.tabs.setCurrentIndex(1)
    view.marks.canaries.edit.setText("Quartz Lantern 7731")
    qtbot.keyClick(view.marks.canaries.edit, Qt.Key.Key_Return)
    assert store.terms(window.case.conn, "canary") == ["Quartz Lantern 7731"]
    view.marks.canaries.list.setCurrentRow(0)
    view.marks.canaries.remove()
    assert store.terms(window.case.conn, "canary") == []

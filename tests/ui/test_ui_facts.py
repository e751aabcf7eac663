"""The Facts and Proof views: facts added, edited, linked and deleted with undo and audit;
items dragged or sent from the evidence table become evidence; an element without
evidence stands out in words."""

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from pypdf import PdfReader

from app.store import audit, case_facts
from app.store.case_file import CaseFile
from app.ui.facts import FactsFeature
from app.ui.facts.item_drag import ItemDragStarter, item_ids_mime, item_ids_of
from window_helpers import open_window

ROWS = 12


@pytest.fixture
def window(qtbot, tmp_path, case_path):
    with open_window(qtbot, tmp_path, case_path, ROWS) as win:
        yield win


def feature(window) -> FactsFeature:
    return next(f for f in window.features if isinstance(f, FactsFeature))


def actions(window) -> list[str]:
    with CaseFile.open(window.case_path) as case:
        return [e["action"] for e in audit.entries(case.conn) if e["action"].startswith("fact.")]


def stored(window) -> list[case_facts.Fact]:
    with CaseFile.open(window.case_path) as case:
        return case_facts.list_facts(case.conn)


VALUES = {"statement": "Keys rotated", "date": "2025-03-01", "elements": ["CLAIM-CONTRACT/BREACH"], "items": [1]}


def test_facts_survive_undo_and_redo_and_every_step_is_audited(qtbot, window):
    facts = feature(window)
    facts.facts_dock.show()
    fact_id = facts.editor.add(VALUES)
    assert facts.facts.model.rowCount() == 1
    assert facts.facts.model.text(facts.facts.model.facts[0], 4) == "1 item(s)"
    facts.editor.edit(fact_id, {"status": "disputed", "witness": "Dana"})
    window.undo_stack.undo()
    assert stored(window)[0].status == "undisputed"
    window.undo_stack.undo()
    assert stored(window) == [] and facts.facts.model.rowCount() == 0
    window.undo_stack.redo()
    window.undo_stack.redo()
    (fact,) = stored(window)
    assert (fact.id, fact.status, fact.witness, fact.items) == (fact_id, "disputed", "Dana", [1])
    facts.facts.select_fact(fact_id)
    facts.editor.delete(fact_id)
    window.undo_stack.undo()
    assert stored(window)[0].witness == "Dana"
    assert actions(window) == [
        "fact.create", "fact.update", "fact.update", "fact.delete", "fact.create", "fact.update",
        "fact.delete", "fact.create",
    ]  # fmt: skip


def test_items_dropped_on_a_fact_become_its_evidence(qtbot, window):
    facts = feature(window)
    facts.facts_dock.show()
    fact_id = facts.editor.add(VALUES)
    table = facts.facts.table
    centre = QPointF(table.visualRect(table.model().index(0, 1)).center())
    mime = item_ids_mime([3, 4])  # the event does not own its data: keep it alive
    drop = QDropEvent(
        centre,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    table.dropEvent(drop)
    assert stored(window)[0].items == [1, 3, 4]
    window.undo_stack.undo()
    assert stored(window)[0].items == [1]
    assert facts.facts.model.facts[0].id == fact_id


def test_add_selection_to_fact_sends_the_selected_items(qtbot, window, monkeypatch):
    facts = feature(window)
    fact_id = facts.editor.add(VALUES)
    window.table.selectRow(4)
    window.table.selectionModel().select(
        window.model.index(5, 0),
        window.table.selectionModel().SelectionFlag.Select | window.table.selectionModel().SelectionFlag.Rows,
    )
    chosen = window.selected_item_ids()
    monkeypatch.setattr(
        "app.ui.facts.QInputDialog.getItem", lambda *args, **kwargs: (args[3][1], True)
    )  # the first fact, after "New fact..."
    next(a for a in window.menu("Evidence").actions() if a.text() == "Add Selection to &Fact...").trigger()
    assert stored(window)[0].items == [1, *chosen] and stored(window)[0].id == fact_id


def test_dragging_starts_from_a_selected_row_and_keeps_the_selection(qtbot, window, monkeypatch):
    started = []
    monkeypatch.setattr(ItemDragStarter, "start_drag", lambda self: started.append(self.window.selected_item_ids()))
    table = window.table
    table.selectRow(1)
    table.selectionModel().select(
        window.model.index(2, 0),
        table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
    )
    start = table.visualRect(window.model.index(1, 1)).center()
    QTest.mousePress(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(table.viewport(), start + QPoint(0, 40))
    assert len(started) == 1 and len(started[0]) == 2
    assert item_ids_of(item_ids_mime(started[0])) == started[0]


def test_the_proof_view_marks_an_element_without_evidence_in_words(qtbot, window):
    facts = feature(window)
    facts.proof_dock.show()
    facts.editor.add(VALUES)
    rows = facts.proof.element_rows()
    breach, secrecy = rows["CLAIM-CONTRACT/BREACH"], rows["CLAIM-DTSA/SECRECY-MEASURES"]
    assert "NO EVIDENCE" in secrecy.text(0) and secrecy.text(2) == "NO EVIDENCE" and secrecy.font(0).bold()
    assert not secrecy.icon(0).isNull()
    assert "NO EVIDENCE" not in breach.text(0)
    cite = breach.child(0).child(0)
    assert (cite.text(0), cite.text(2)) == ("Item 1", "not produced")
    window.tagger.tag("CLAIM-DTSA/SECRECY-MEASURES")  # nothing selected: nothing tagged
    window.table.selectRow(0)
    window.tagger.tag("CLAIM-DTSA/SECRECY-MEASURES")
    secrecy = facts.proof.element_rows()["CLAIM-DTSA/SECRECY-MEASURES"]
    assert "NO EVIDENCE" not in secrecy.text(0) and secrecy.child(0).text(2) == "1 item(s)"


def test_exporting_the_chart_from_the_window(qtbot, window, tmp_path):
    from app.ui.facts.exports import export_chronology, export_proof_chart

    feature(window).editor.add(VALUES)
    runner = export_proof_chart(window, None, tmp_path / "chart.pdf")
    with qtbot.waitSignal(runner.done, timeout=60_000):
        pass
    assert PdfReader(str(tmp_path / "chart.pdf")).pages and (tmp_path / "chart.docx").exists()
    runner = export_chronology(window, None, tmp_path / "chrono.pdf")
    with qtbot.waitSignal(runner.done, timeout=60_000):
        pass
    assert "Keys rotated" in PdfReader(str(tmp_path / "chrono.pdf")).pages[0].extract_text()


def test_the_fact_dialog_refuses_an_unreadable_date_in_words_and_keeps_what_was_typed(qtbot, window):
    from app.ui.facts.fact_dialog import FactDialog

    dialog = FactDialog(window, window.case, item_ids=[2, 5])
    qtbot.addWidget(dialog)
    dialog.statement.setPlainText("Keys rotated")
    dialog.date.setText("the week after launch")
    dialog.accept()
    assert dialog.result() != FactDialog.DialogCode.Accepted and "cannot be read" in dialog.error.text()
    dialog.date.setText("2025-03-01 to 2025-03-02")
    dialog.elements.item(1).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    values = dialog.values()
    assert dialog.result() == FactDialog.DialogCode.Accepted
    assert values["items"] == [2, 5] and values["elements"] == ["CLAIM-CONTRACT/ASSENT"]


def test_a_fact_citing_too_many_items_is_refused(qtbot, window, monkeypatch):
    monkeypatch.setattr(case_facts, "MAX_ITEMS", 3)
    fact_id = feature(window).editor.add(VALUES)
    assert feature(window).editor.link(fact_id, [2, 3, 4]) == []
    assert stored(window)[0].items == [1]
    box = window.findChild(object, "errorDialog")
    assert box is not None and "at most 3 items" in box.text()

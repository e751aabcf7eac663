"""The wizard's "Detected as" column: a combo per file; a changed format is what gets
imported (as `--as` does), and outputs are mapped on the next page as logs are."""

import json

from PySide6.QtWidgets import QComboBox

from app.store.case_file import CaseFile
from app.ui.import_wizard import ImportWizard


def _wizard(qtbot, case_path, paths):
    wizard = ImportWizard(case_path, paths, operator="paralegal")
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _combo(wizard, row) -> QComboBox:
    return wizard.files_page.table.cellWidget(row, 2)


def _kinds(case_path):
    with CaseFile.open(case_path) as case:
        return {r[0]: r[1] for r in case.conn.execute("SELECT kind, count(*) FROM items GROUP BY kind")}


def test_a_file_detected_as_a_log_can_be_imported_as_outputs(qtbot, case_path, tmp_path):
    path = tmp_path / "pairs.jsonl"
    rows = [
        {"time": f"2025-01-0{n + 1}T00:00:00Z", "status": 200, "prompt": f"Q{n}", "answer": f"A{n}"} for n in range(3)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    wizard = _wizard(qtbot, case_path, [path])
    combo = _combo(wizard, 0)
    assert combo.currentText() == "logs (jsonl)"
    combo.setCurrentIndex(combo.findData("outputs_jsonl"))
    qtbot.waitUntil(lambda: _combo(wizard, 0).currentText() == "outputs (outputs_jsonl)")
    wizard.next()
    page = wizard.mapping_page
    assert page.target_boxes["prompt"].currentText() == "prompt"
    assert page.target_boxes["response"].currentText() == "answer"
    with qtbot.waitSignal(wizard.import_finished, timeout=30000) as finished:
        wizard.next()
    report = finished.args[0]
    assert report.files[0].importer == "outputs_jsonl" and report.files[0].imported == 3
    assert _kinds(case_path) == {"output": 3}


def test_an_unrecognised_file_can_be_given_a_format(qtbot, case_path, tmp_path):
    path = tmp_path / "notes.bin"
    path.write_bytes(b"\x00\x01binary-ish\x00 but the user knows it is text\n")
    wizard = _wizard(qtbot, case_path, [path])
    assert "quarantined whole" in wizard.files_page.table.item(0, 3).text()
    combo = _combo(wizard, 0)
    combo.setCurrentIndex(combo.findData("text_document"))
    qtbot.waitUntil(lambda: "quarantined whole" not in wizard.files_page.table.item(0, 3).text())
    assert wizard.settings().file_kinds == {str(path): "text_document"}
    with qtbot.waitSignal(wizard.import_finished, timeout=30000) as finished:
        wizard.next()
    assert finished.args[0].files[0].importer == "text_document"
    assert _kinds(case_path) == {"document": 1}


def test_outputs_preview_uses_the_preset_the_records_match(qtbot, case_path, tmp_path):
    path = tmp_path / "answers.jsonl"
    record = {"question_id": 1, "model_id": "m", "choices": [{"index": 0, "turns": ["an answer"]}], "tstamp": 1}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    wizard = _wizard(qtbot, case_path, [path])
    assert _combo(wizard, 0).currentText() == "outputs (outputs_jsonl)"
    wizard.next()
    page = wizard.mapping_page
    assert page.target_boxes["response"].currentText() == "choices.0.turns"
    assert page.target_boxes["conversation_id"].currentText() == "question_id"
    assert page.validatePage()


def test_chat_messages_are_mapped_on_the_mapping_page(qtbot, case_path, tmp_path):
    path = tmp_path / "room.jsonl"
    rows = [{"when": f"2025-01-0{n + 1}T00:00:00Z", "author": "Ana", "room": "ops", "body": f"m{n}"} for n in range(3)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    wizard = _wizard(qtbot, case_path, [path])
    assert _combo(wizard, 0).currentText() == "chat (chat_json)"
    wizard.next()
    page = wizard.mapping_page
    assert page.target_boxes["account"].currentText() == "author"
    assert page.target_boxes["message"].currentText() == "body"
    page.target_boxes["timestamp"].setCurrentText("when")  # not a name Casefile knows: the user maps it
    with qtbot.waitSignal(wizard.import_finished, timeout=30000) as finished:
        wizard.next()
    assert finished.args[0].files[0].imported == 3
    with CaseFile.open(case_path) as case:
        dated = case.conn.execute("SELECT count(*) FROM items WHERE kind = 'conversation' AND ts_us IS NOT NULL")
        assert dated.fetchone()[0] == 3

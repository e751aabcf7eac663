"""The wizard walks a folder by the CLI's rule: hidden files skipped and said, folders recorded."""

from app.ui.import_wizard import ImportWizard
from folder_cases import evidence_folder


def test_wizard_lists_a_folder_without_its_hidden_files_and_says_how_many(qtbot, case_path, tmp_path):
    folder = evidence_folder(tmp_path)
    wizard = ImportWizard(case_path, [folder], operator="paralegal")
    qtbot.addWidget(wizard)
    wizard.show()
    table = wizard.files_page.table
    listed = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert listed == [str(folder / "api.jsonl"), str(folder / "sub" / "more.jsonl")]
    note = wizard.files_page.hidden_note
    assert note.isVisible() and "Skipped 3 hidden files" in note.text()
    # the same folder recorded with each file as the CLI records it
    assert [f for _, f in wizard.import_paths()] == ["evidence", "evidence/sub"]


def test_wizard_takes_a_hidden_file_chosen_itself_and_says_nothing(qtbot, case_path, tmp_path):
    hidden = tmp_path / ".api.jsonl"
    hidden.write_text('{"timestamp": "2026-03-01T10:00:00Z", "account": "a"}\n', encoding="utf-8")
    wizard = ImportWizard(case_path, [hidden], operator="paralegal")
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.files_page.table.rowCount() == 1
    assert not wizard.files_page.hidden_note.isVisible()

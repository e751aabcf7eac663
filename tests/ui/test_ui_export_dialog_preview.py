"""The export dialog says what a selection gives before exporting, and remembers party and folder."""

from PySide6.QtCore import Qt

from app.store.annotations import create_exhibit, tag_items
from app.store.case_file import CaseFile
from app.ui import settings as S
from app.ui.export_dialog import ExportDialog
from app.ui.export_dialog_selection import check
from window_helpers import import_paths, write_log


def _dialog(qtbot, case_path, settings):
    dialog = ExportDialog(case_path, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _said(dialog) -> str:
    return dialog.preview_label.text()


def test_the_count_before_export_is_what_the_export_gives(qtbot, case_path, tmp_path):
    import_paths(case_path, [write_log(tmp_path / "api.jsonl", 120, step_s=3600)])
    with CaseFile.open(case_path) as case:
        tag_items(case, [1, 2, 3, 50], "AEO")
        tag_items(case, [3], "PRIV-AC")
        create_exhibit(case, "Harvesting run", [100, 101])
    dialog = _dialog(qtbot, case_path, S.Settings())
    qtbot.waitUntil(lambda: _said(dialog).startswith("This selection gives 119 items"), timeout=20000)
    check(dialog.selection_form.tags, ["AEO"])
    qtbot.waitUntil(lambda: _said(dialog).startswith("This selection gives 3 items"), timeout=20000)
    assert "1 privileged item is withheld" in _said(dialog)
    said = dialog.preview.latest
    dialog.output.setText(str(tmp_path / "bundle.pdf"))
    with qtbot.waitSignal(dialog.exported, timeout=60000) as done:
        dialog.export_button.click()
    assert (done.args[0].exhibits, done.args[0].withheld) == (said.exhibits, said.withheld) == (2, 1)
    assert _said(dialog) == "This selection gives 3 items in 2 exhibits; 1 privileged item is withheld (privilege log)."
    dialog.close()


def test_the_producing_party_and_the_folder_are_remembered(qtbot, case_path, tmp_path):
    import_paths(case_path, [write_log(tmp_path / "api.jsonl", 5)])
    settings = S.Settings()
    first = _dialog(qtbot, case_path, settings)
    assert first.party.text() == ""
    first.party.setText("Plaintiff Northwind AI Ltd")
    (tmp_path / "productions").mkdir()
    first.output.setText(str(tmp_path / "productions" / "vol-1.pdf"))
    with qtbot.waitSignal(first.exported, timeout=60000):
        first.export_button.click()
    first.close()
    second = _dialog(qtbot, case_path, S.Settings())
    assert second.party.text() == "Plaintiff Northwind AI Ltd"
    assert second.output.text().startswith(str(tmp_path / "productions"))
    second.close()


def test_closing_the_dialog_while_it_counts_leaves_no_task_behind(qtbot, case_path, tmp_path):
    from app.ui.task_runner import running_tasks

    import_paths(case_path, [write_log(tmp_path / "api.jsonl", 30000)])
    dialog = ExportDialog(case_path, settings=S.Settings())  # as the window opens it: deleted on close
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    assert dialog.preview.runner is not None and dialog.preview.runner.running
    dialog.close()
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=30000)

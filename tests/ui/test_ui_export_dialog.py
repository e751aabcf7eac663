"""The export dialog: export a bundle, find the PDF and sidecars, Bates continue, cancel."""

import os
import time

import pytest
from pypdf import PdfReader

from app.store.annotations import create_exhibit, tag_items
from app.store.case_file import CaseFile
from app.ui import settings as S
from app.ui.export_dialog import ExportDialog
from app.ui.export_dialog_selection import check
from window_helpers import import_paths, write_log


@pytest.fixture
def dialog(qtbot, case_path, tmp_path):
    S.isolate_settings(tmp_path / "settings")
    import_paths(case_path, [write_log(tmp_path / "api.jsonl", 300, step_s=600)])
    with CaseFile.open(case_path) as case:
        tag_items(case, [1, 2, 3, 150], "AEO")
        create_exhibit(case, "Harvesting run", [200, 201, 202])
    settings = S.Settings()
    settings.set(S.BATES_PREFIX, "NWD")
    dlg = ExportDialog(case_path, settings=settings)
    qtbot.addWidget(dlg)
    dlg.output.setText(str(tmp_path / "out" / "bundle.pdf"))
    (tmp_path / "out").mkdir()
    dlg.show()
    yield dlg
    dlg.close()


def export(qtbot, dlg):
    with qtbot.waitSignal(dlg.exported, timeout=60000) as done:
        dlg.export_button.click()
    return done.args[0]


def test_export_from_the_dialog_writes_pdf_and_sidecars(qtbot, dialog, tmp_path):
    check(dialog.selection_form.tags, ["AEO"])
    check(dialog.selection_form.exhibits, [1])
    assert dialog.bates_start.text() == "1" and "NWD0000001" in dialog.bates_note.text()
    result = export(qtbot, dialog)
    out = tmp_path / "out"
    assert (out / "bundle.pdf").is_file()
    names = {p.name for p in out.iterdir()}
    assert {"bundle.exhibits.csv", "bundle.privilege-log.csv", "bundle.hashes.csv"} <= names
    reader = PdfReader(out / "bundle.pdf")
    assert len(reader.pages) == result.pages
    assert "NWD0000001" in reader.pages[0].extract_text()
    assert dialog.productions.rowCount() == 1
    assert dialog.productions.item(0, 3).text() == f"NWD0000001 – NWD{result.pages:07d}"
    assert dialog.open_pdf_button.isVisible() and dialog.open_folder_button.isVisible()


def test_the_next_free_bates_number_is_proposed(qtbot, dialog, tmp_path):
    check(dialog.selection_form.tags, ["AEO"])
    first = export(qtbot, dialog)
    assert dialog.bates_start.text() == str(first.pages + 1)
    dialog.bates_start.setText("1")
    assert "never reused" in dialog.bates_note.text()
    dialog.bates_prefix.setText("OTHER")
    assert dialog.bates_start.text() == "1"


def test_cancelled_export_leaves_no_file_and_no_production(qtbot, dialog, tmp_path):
    check(dialog.selection_form.tags, ["AEO"])
    with qtbot.waitSignal(dialog.export_cancelled, timeout=60000):
        dialog.export_button.click()
        dialog.runner.cancel()
    assert list((tmp_path / "out").iterdir()) == []
    assert dialog.productions.rowCount() == 0
    assert "cancelled" in dialog.status.text()


def test_nothing_to_export_is_said_plainly(qtbot, dialog):
    dialog.selection_form.search.setText("nosuchwordanywhere")
    with qtbot.waitSignal(dialog.export_failed, timeout=60000) as failed:
        dialog.export_button.click()
    assert "Nothing to export" in failed.args[0]
    assert dialog.export_button.isEnabled()


def test_what_a_stopped_export_left_is_removed_and_said(qtbot, dialog, tmp_path):
    leftover = tmp_path / "out" / ".casefile-export-stopped"  # as a killed export leaves it (older version)
    leftover.mkdir()
    (leftover / "bundle.pdf").write_bytes(b"%PDF-1.7 Bates-stamped, never recorded")
    os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    check(dialog.selection_form.tags, ["AEO"])
    export(qtbot, dialog)
    assert not leftover.exists()
    assert f"Removed the unfinished export left by an earlier run that was stopped: {leftover}" in dialog.status.text()
    assert "Exported" in dialog.status.text()

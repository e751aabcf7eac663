"""Analysis > Read scanned pages (OCR): runs on a worker over the case's scans, and the
detail pane shows the text marked "OCR text"."""

import shutil
import sys
from pathlib import Path

import pytest

from window_helpers import import_paths

sys.path.insert(0, str(Path(__file__).parent.parent / "importers"))
from test_ocr import write_scans  # noqa: E402

from app.store.case_file import CaseFile  # noqa: E402
from app.store.ocr_layers import layer_of  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is installed by .ci/run")


def test_the_menu_action_reads_scans_already_imported_and_the_pane_marks_the_text(qtbot, tmp_path, case_path):
    from app.ui import settings as S
    from app.ui.main_window import MainWindow

    image, _pdf = write_scans(tmp_path / "scans")
    import_paths(case_path, [image], ocr=False)
    S.isolate_settings(tmp_path / "settings")
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_case(case_path)
    window.show()
    from PySide6.QtGui import QAction

    action = next(a for a in window.findChildren(QAction) if "OCR" in a.text())
    assert action.isEnabled()
    action.trigger()

    def read():
        with CaseFile.open(case_path) as case:
            return layer_of(case.conn, 1)

    qtbot.waitUntil(lambda: read() is not None, timeout=120000)
    from app.ui.detail_html import item_html
    from app.store.item_query import get_item

    with CaseFile.open(case_path) as case:
        shown = item_html(case.conn, get_item(case.conn, 1), str)
    assert "OCR text (Tesseract" in shown and "harvesting" in shown
    window.close()

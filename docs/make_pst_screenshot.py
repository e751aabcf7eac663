"""A screenshot of an Outlook PST's messages in the main window (docs/pst-messages.png).

    QT_QPA_PLATFORM=offscreen python docs/make_pst_screenshot.py

Imports the PST samples the tests use (tests/data/pst/, licences beside them) into a new
case, opens it at 1366x768 with the e-mail kinds listed and a message with attachments and
an embedded message selected, and writes docs/pst-messages.png.
"""

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.cancel import run_to_end  # noqa: E402
from app.core.records import ImportSettings  # noqa: E402
from app.importers.pipeline import import_files  # noqa: E402
from app.store.case_file import CaseFile  # noqa: E402
from app.ui import settings as S  # noqa: E402

SAMPLES = ["threeItems.pst", "msgInMsgInMsg.pst", "hello-cjk.pst", "dist-list.pst", "contacts.pst"]
SIZE = (1366, 768)


def main() -> None:
    work = Path(tempfile.mkdtemp())
    case_path = work / "outlook.casefile"
    CaseFile.create(case_path, "Outlook archive", "CL-2026-0021", "UTC", operator="paralegal").close()
    with CaseFile.open(case_path, operator="paralegal") as case:
        paths = [ROOT / "tests" / "data" / "pst" / name for name in SAMPLES]
        run_to_end(import_files(case, paths, ImportSettings(custodian="R. Mendez")))
    S.set_application_names()
    S.isolate_settings(work / "settings")
    app = QApplication.instance() or QApplication([])
    from PySide6.QtGui import QFontDatabase

    # the offscreen platform has no CJK font of its own: the one the bundles embed
    QFontDatabase.addApplicationFont(str(ROOT / "resources" / "fonts" / "DroidSansFallbackFull.ttf"))
    from app.ui.main_window import MainWindow

    window = MainWindow(case_path)
    window.resize(*SIZE)
    window.show()
    for _ in range(5):
        app.processEvents()
    for row in range(window.model.rowCount()):
        if window.model.row(row)["title"] == "I have sub attachments!":
            window.table.selectRow(row)
            break
    for _ in range(10):
        app.processEvents()
    out = ROOT / "docs" / "pst-messages.png"
    window.grab().save(str(out))
    from app.ui.task_runner import running_tasks

    while running_tasks():
        app.processEvents()
    window.close()
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

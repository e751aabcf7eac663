"""Screenshots of the import wizard, the export dialog and the timeline on the demo case.

    QT_QPA_PLATFORM=offscreen python docs/make_dialog_screenshots.py [WORK_DIR]

Builds the demo case in WORK_DIR (default: a temporary folder) and writes
docs/import-wizard.png, docs/export-dialog.png and docs/timeline.png.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.cancel import run_to_end  # noqa: E402
from app.demo.build import build_demo  # noqa: E402
from app.export.bundle import ExportSettings, export_bundle  # noqa: E402
from app.export.selection import Selection  # noqa: E402
from app.store.case_file import CaseFile  # noqa: E402
from app.ui import settings as S  # noqa: E402

DOCS = ROOT / "docs"


def settle(app, widget) -> None:
    widget.show()
    for _ in range(5):
        app.processEvents()


def import_wizard_shot(app, work: Path, demo: Path) -> None:
    from app.ui.import_wizard import ImportWizard

    with CaseFile.open(demo) as case:
        name, number, zone = case.name, case.meta("number"), case.timezone
    fresh = work / "fresh.casefile"
    fresh.unlink(missing_ok=True)
    CaseFile.create(fresh, name, number, zone, operator="J. Paralegal").close()
    logs = sorted((work / "demo" / "inputs" / "logs").iterdir()) + [work / "demo" / "inputs" / "outputs"]
    wizard = ImportWizard(fresh, logs, operator="J. Paralegal")
    wizard.resize(1180, 760)
    settle(app, wizard)
    wizard.next()
    page = wizard.mapping_page
    page.file_box.setCurrentIndex(page.file_box.findText("api-access-2026-04.csv"))
    page.custodian.setText("Northwind API gateway")
    settle(app, wizard)
    wizard.grab().save(str(DOCS / "import-wizard.png"))
    wizard.reject()


def export_dialog_shot(app, demo: Path, out: Path) -> None:
    from app.ui.export_dialog import ExportDialog
    from app.ui.export_dialog_selection import check

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    with CaseFile.open(demo, operator="J. Paralegal") as case:
        run_to_end(
            export_bundle(
                case,
                out / "NW-2026-0042 Northwind v Example Dynamics A.pdf",
                Selection(tags_any=["HOT"]),
                ExportSettings(title="Bundle A: key documents", bates_prefix="NWAI"),
            )
        )
    settings = S.Settings()
    settings.set(S.BATES_PREFIX, "NWAI")
    dialog = ExportDialog(demo, settings=settings)
    dialog.resize(1240, 820)
    form = dialog.selection_form
    check(form.tags, ["TOS-COMPETE-TRAIN", "TOS-RATE-LIMIT-CIRCUMVENTION"])
    form.tags.scrollToItem(form.tags.item(0))
    form.kinds["email"].setChecked(True)
    form.kinds["output"].setChecked(True)
    form.kinds["log_entry"].setChecked(True)
    dialog.title.setText("Bundle B: distillation pattern")
    dialog.party.setText("Plaintiff Northwind AI Ltd")
    dialog.output.setText(str(out / "NW-2026-0042 Northwind v Example Dynamics B.pdf"))
    settle(app, dialog)
    dialog.grab().save(str(DOCS / "export-dialog.png"))
    dialog.reject()


def timeline_shot(app, demo: Path) -> None:
    from app.ui.timeline import TimelineView

    with CaseFile.open(demo) as case:
        view = TimelineView(case, zone=case.timezone)  # as the main window shows it: the case's days
        view.unit_box.setCurrentText("day")
        view.resize(1200, 480)
        settle(app, view)
        view.grab().save(str(DOCS / "timeline.png"))


def main(argv) -> int:
    work = Path(argv[0]) if argv else Path(tempfile.mkdtemp(prefix="casefile-shots-"))
    app = QApplication.instance() or QApplication([])
    S.isolate_settings(work / "settings")
    shutil.rmtree(work / "demo", ignore_errors=True)
    report = run_to_end(build_demo(work / "demo", True))
    demo = Path(report.case_path)
    timeline_shot(app, demo)
    import_wizard_shot(app, work, demo)
    export_dialog_shot(app, demo, work / "out")
    print(f"wrote import-wizard.png, export-dialog.png and timeline.png in {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

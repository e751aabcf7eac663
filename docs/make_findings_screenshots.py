"""Screenshots of the Findings view on the demo case (1366x768, and 200% scaling), and of one
page of the "Extraction indicators" exhibit.

    QT_QPA_PLATFORM=offscreen python docs/make_findings_screenshots.py [WORK_DIR]

Builds the demo case in WORK_DIR (default: a temporary folder), runs the extraction
analysis, opens the main window at 1366x768 with the Findings dock showing acct-0007, and
writes docs/findings-view-1366x768.png and docs/findings-cluster-graph.png; then runs itself
with QT_SCALE_FACTOR=2 for docs/findings-indicators-200pct.png; then exports the account's
summary exhibit and renders its first page with pdftoppm to docs/findings-exhibit-page.png.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _screen(width: int, height: int) -> str:
    """An offscreen platform with a screen of this size (the default offscreen screen is 800x800)."""
    config = Path(tempfile.mkdtemp()) / "screen.json"
    config.write_text(f'{{"screens": [{{"name": "s", "x": 0, "y": 0, "width": {width}, "height": {height}}}]}}')
    return f"offscreen:configfile={config}"


if "--scaled" in sys.argv:  # 200%: a 1366x768 screen's worth of room at twice the pixels
    os.environ["QT_QPA_PLATFORM"] = _screen(2732, 1536)
else:
    os.environ.setdefault("QT_QPA_PLATFORM", _screen(1366, 768))
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.cancel import run_to_end  # noqa: E402

DOCS = ROOT / "docs"
ACCOUNT = "acct-0007"


def settle(app, times: int = 20) -> None:
    for _ in range(times):
        app.processEvents()


def shoot(case_path: Path, scaled: bool) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.ui import settings as S

    S.set_application_names()
    S.isolate_settings(Path(tempfile.mkdtemp()))
    app = QApplication.instance() or QApplication([])
    from app.ui.findings.view import FindingsView
    from app.ui.main_window import MainWindow

    window = MainWindow()
    window.open_case(case_path)
    window.resize(1366, 768)
    window.show()
    view = next(f for f in window.features if isinstance(f, FindingsView))
    view.dock.show()
    view.dock.raise_()  # a tab beside the document
    window.resizeDocks([view.dock], [760], Qt.Orientation.Horizontal)
    coding = window.layout_docks.coding_dock  # the user drags the divider down to give the charts room
    window.resizeDocks([view.dock, coding], [560, 110], Qt.Orientation.Vertical)
    view.refresh()  # the run is read on a worker
    while view.run_id is None:
        app.processEvents()
        time.sleep(0.01)
    view.select_account(ACCOUNT)
    while view.charts.data is None:  # the charts' numbers are read on a worker too
        app.processEvents()
        time.sleep(0.01)
    settle(app)
    if scaled:
        view.tabs.setCurrentIndex(0)
        settle(app)
        view.grab().save(str(DOCS / "findings-indicators-200pct.png"))
    else:
        view.tabs.setCurrentWidget(view.charts)
        settle(app)
        window.grab().save(str(DOCS / "findings-view-1366x768.png"))
        view.tabs.setCurrentWidget(view.graph)
        settle(app)
        view.grab().save(str(DOCS / "findings-cluster-graph.png"))
    window.close()


def exhibit_page(case_path: Path, work: Path) -> None:
    from pypdf import PdfReader

    from app.analysis.extraction.report import exhibit_for_account, latest_run
    from app.export.bundle import ExportSettings, export_bundle
    from app.export.selection import Selection
    from app.store import findings
    from app.store.case_file import CaseFile

    with CaseFile.open(case_path) as case:
        finding_id = findings.find_finding(case.conn, latest_run(case.conn), ACCOUNT)
        exhibit_id = exhibit_for_account(case, finding_id)
        pdf = Path(tempfile.mkdtemp(dir=work)) / "findings-exhibit.pdf"  # a bundle is never overwritten
        run_to_end(export_bundle(case, pdf, Selection(exhibit_ids=[exhibit_id]), ExportSettings()))
    page = next(n for n, p in enumerate(PdfReader(str(pdf)).pages, 1) if f"Account {ACCOUNT}" in p.extract_text())
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(work / "page")],
        check=True,
    )
    (work / "page.png").replace(DOCS / "findings-exhibit-page.png")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--scaled":
        shoot(Path(sys.argv[2]), scaled=True)
        return
    from app.analysis.extraction.operation import analyse_extraction
    from app.demo.build import build_demo
    from app.store.case_file import CaseFile

    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    case_path = work / "demo.casefile"
    if not case_path.exists():
        run_to_end(build_demo(work))
    with CaseFile.open(case_path) as case:
        run_to_end(analyse_extraction(case))
    shoot(case_path, scaled=False)
    subprocess.run(
        [sys.executable, __file__, "--scaled", str(case_path)], env={**os.environ, "QT_SCALE_FACTOR": "2"}, check=True
    )
    exhibit_page(case_path, work)


if __name__ == "__main__":
    main()

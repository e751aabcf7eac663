"""Screenshots of the Facts and Proof views on the demo case, at 1366x768 and at 200% scaling,
and the demo's proof chart and chronology rendered to PNG.

    QT_QPA_PLATFORM=offscreen python docs/make_proof_view_screenshots.py [WORK_DIR]

Builds the demo case in WORK_DIR (default: a temporary folder) and produces its hot
documents (so the chart cites exhibits and Bates numbers), then writes
docs/proof-view.png, docs/facts-view.png and docs/proof-view@2x.png (the window with the view shown) and,
with pdftoppm, docs/proof-chart-page-1.png and docs/chronology-page-1.png.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from shot_kit import DOCS, close_when_idle, demo_case, isolated_app, settle, shoot_in_child

SIZE = (1366, 768)


def shoot(case_path: Path, out: Path, view: str) -> None:
    app = isolated_app()
    from PySide6.QtCore import Qt

    from app.ui.facts import FactsFeature
    from app.ui.main_window import MainWindow

    window = MainWindow(case_path)
    window.resize(*SIZE)
    window.show()
    feature = next(f for f in window.features if isinstance(f, FactsFeature))
    feature.facts_dock.show()
    feature.proof_dock.show()
    (feature.proof_dock if view == "proof" else feature.facts_dock).raise_()
    window.resizeDocks([feature.proof_dock], [int(SIZE[0] * 0.6)], Qt.Orientation.Horizontal)
    settle(app)
    feature.facts.table.selectRow(2)
    settle(app)
    print(f"{out.name}: window {window.width()}x{window.height()} (asked {SIZE[0]}x{SIZE[1]})")
    window.grab().save(str(out))
    close_when_idle(app, window)


def produced_demo_case(work: Path) -> Path:
    """The demo case with its hot documents produced (so the chart cites exhibits and Bates numbers)."""
    built = (work / "demo" / "demo.casefile").exists()
    case_path = demo_case(work)
    if built:
        return case_path
    from app.core.cancel import run_to_end
    from app.export.bundle import ExportSettings, export_bundle
    from app.export.selection import Selection
    from app.store.case_file import CaseFile

    with CaseFile.open(case_path, operator="demo") as case:
        selection = Selection(tags_any=["HOT", "ASSENT-TO-TERMS", "NOTICE"])
        settings = ExportSettings(title="Plaintiff's first production", bates_prefix="NWAI")
        run_to_end(export_bundle(case, work / "demo" / "production-1.pdf", selection, settings))
    return case_path


def render_documents(case_path: Path, work: Path) -> None:
    from app.export.chronology import write_chronology
    from app.export.proof_chart import write_proof_chart
    from app.store.case_file import CaseFile
    from app.store.production_cites import latest_production_id

    with CaseFile.open(case_path, operator="demo") as case:
        production = latest_production_id(case.conn)
        write_proof_chart(case, work / "proof-chart.pdf", production)
        write_chronology(case, work / "chronology.pdf", production)
    for name in ("proof-chart", "chronology"):
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(work / f"{name}.pdf"),
             str(DOCS / f"{name}-page-1")],
            check=True,
        )  # fmt: skip
        print(f"wrote docs/{name}-page-1.png")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--shoot":
        shoot(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])
        return
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    case_path = produced_demo_case(work)
    for scale, name, view in (
        (1, "proof-view.png", "proof"),
        (1, "facts-view.png", "facts"),
        (2, "proof-view@2x.png", "proof"),
    ):
        shoot_in_child(__file__, [case_path, DOCS / name, view], scale, screen=SIZE)
        print(f"wrote docs/{name}")
    render_documents(case_path, work)


if __name__ == "__main__":
    main()

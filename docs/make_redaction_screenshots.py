"""Screenshots of redaction mode and pictures of redacted bundle pages, for the README.

    QT_QPA_PLATFORM=offscreen python docs/make_redaction_screenshots.py [WORK_DIR]

Builds a small case in WORK_DIR (an email with a customer's name and address, a memo
PDF with a portrait and a landscape page), redacts a passage of the email, every email
address (built-in pattern), a code name (regular expression) and a box on the memo's
first page, then writes:
- docs/redaction-mode.png: the window at 1366x768 with redaction mode on the memo
  (boxes outlined in red while reviewing); docs/redaction-preview.png: the same in the
  export preview (solid labelled boxes); docs/redaction-mode@2x.png at 200% scaling;
- docs/redaction-page-email.png and docs/redaction-page-pdf.png: pages of the exported
  bundle rendered by pdftoppm (what a reader of the production sees).
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "export"))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.cancel import run_to_end  # noqa: E402
from app.ui import settings as S  # noqa: E402
from make_main_window_screenshots import settle  # noqa: E402  (docs/ is the script's folder)

DOCS = ROOT / "docs"
SIZE = (1366, 768)


def build(work: Path) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    from app.core.records import ImportSettings
    from app.importers.pipeline import import_files
    from app.store import redactions
    from app.store.case_file import CaseFile
    from export_builders import write_eml

    write_eml(
        work / "escalation.eml",
        "Customer escalation",
        "Mon, 02 Mar 2026 10:00:00 +0000",
        "Hello,\n\nThe customer Zelda Quintanilla-Brook (zelda.qb@home.example, +44 20 7946 0958) called twice\n"
        "about the outage. Counsel advised that we should not admit fault before the review.\n\nRegards,\nDana",
    )
    canvas = Canvas(str(work / "memo.pdf"), pagesize=A4)
    for size, lines in (
        (
            A4,
            ["Internal memo: Project NIGHTJAR-7731", "Budget for the retraining run: 4.2 million", "Owner: R. Okafor"],
        ),
        (landscape(A4), ["Appendix: timeline of NIGHTJAR-7731", "Q1: data collection", "Q2: fine-tuning"]),
    ):
        canvas.setPageSize(size)
        canvas.setFont("Helvetica", 16)
        for n, text in enumerate(lines):
            canvas.drawString(72, size[1] - 90 - 30 * n, text)
        canvas.showPage()
    canvas.save()
    path = work / "redaction.casefile"
    case = CaseFile.create(path, "Northwind v. Riverbend Labs", operator="Dana Smith")
    run_to_end(import_files(case, [work / "escalation.eml", work / "memo.pdf"], ImportSettings(timezone="UTC")))
    email, memo = (
        r[0] for r in case.conn.execute("SELECT id FROM items WHERE kind IN ('email','document') ORDER BY id")
    )
    text = case.conn.execute("SELECT text FROM item_details WHERE id = ?", (email,)).fetchone()[0]
    start = text.index("Counsel advised")
    redactions.redact_span(case, email, start, text.index("review.") + len("review."), "privileged")
    name = {"literal": "Zelda Quintanilla-Brook"}
    redactions.redact_matches(case, name, "personal", run_to_end(redactions.find_matches(case.conn, name)))
    for rule in ({"pattern": "email"}, {"pattern": "phone"}):
        redactions.redact_matches(case, rule, "personal", run_to_end(redactions.find_matches(case.conn, rule)))
    code = {"regex": r"NIGHTJAR-\d+"}
    redactions.redact_matches(case, code, "confidential", run_to_end(redactions.find_matches(case.conn, code)))
    redactions.redact_box(case, memo, 1, (66, 714, 390, 740), "confidential")
    case.close()
    return path


def shoot(case_path: Path, suffix: str) -> None:
    from app.ui.main_window import MainWindow

    S.isolate_settings(Path(tempfile.mkdtemp()))
    S.set_application_names()
    app = QApplication.instance() or QApplication([])
    window = MainWindow(case_path)
    window.resize(*SIZE)
    window.show()
    panel = next(f for f in window.features if type(f).__name__ == "RedactionPanel")
    next(a for a in window.menu("Evidence").actions() if a.text() == "Redaction Mode").trigger()
    window.resizeDocks([panel.dock], [620], Qt.Orientation.Horizontal)
    for row in range(window.model.rowCount()):
        if window.model.row(row)["kind"] == "document":
            window.table.selectRow(row)
    settle(app)
    window.grab().save(str(DOCS / f"redaction-mode{suffix}.png"))
    if suffix:
        return
    panel.preview.setChecked(True)
    settle(app)
    window.grab().save(str(DOCS / "redaction-preview.png"))


def pages(case_path: Path, work: Path) -> None:
    from app.export.bundle import ExportSettings, export_bundle
    from app.export.selection import Selection
    from app.store.case_file import CaseFile

    with CaseFile.open(case_path, operator="Dana Smith") as case:
        run_to_end(export_bundle(case, work / "bundle.pdf", Selection(), ExportSettings(bates_prefix="NW")))
    for name, page in (("email", 3), ("pdf", 5)):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(work / "bundle.pdf"),
                str(DOCS / f"redaction-page-{name}"),
            ],
            check=True,
        )


if __name__ == "__main__":
    if os.environ.get("CASEFILE_SHOT_CASE"):  # the 200% run
        shoot(Path(os.environ["CASEFILE_SHOT_CASE"]), "@2x")
        sys.exit(0)
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("CASEFILE_KEYS_DIR", str(work / "keys"))
    case_path = build(work)
    shoot(case_path, "")
    subprocess.run(
        [sys.executable, __file__],
        env={**os.environ, "QT_SCALE_FACTOR": "2", "CASEFILE_SHOT_CASE": str(case_path)},
        check=True,
    )
    pages(case_path, work)
    print("wrote docs/redaction-*.png")

"""Exporting the proof chart and the chronology from the window, on the worker thread.

The PDF is chosen in a file dialog; the Word document (and the chart's CSV) are written
beside it under the same name. Cites come from the production chosen in the Proof view.
"""

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from app.core.cancel import Progress
from app.export.chronology import write_chronology
from app.export.proof_chart import summary, write_proof_chart


def _ask_pdf(window, title: str, name: str) -> Path | None:
    folder = window.case_path.parent if window.case_path else Path.home()
    path, _ = QFileDialog.getSaveFileName(window, title, str(folder / name), "PDF (*.pdf)")
    if not path:
        return None
    return Path(path if path.lower().endswith(".pdf") else path + ".pdf")


def export_proof_chart(window, production_id: int | None, pdf: Path | None = None):
    pdf = pdf or _ask_pdf(window, "Save the proof chart as", "proof-chart.pdf")
    if pdf is None:
        return None

    def operation(case, token):
        yield Progress("Writing the proof chart", 0, None, "pages")
        token.raise_if_cancelled()
        chart = write_proof_chart(case, pdf, production_id, pdf.with_suffix(".csv"), pdf.with_suffix(".docx"))
        return summary(chart)

    runner = window.run_task(operation, "Proof chart")
    runner.finished.connect(lambda said: window.statusBar().showMessage(f"Wrote {pdf.name} (and .csv, .docx). {said}"))
    return runner


def export_chronology(window, production_id: int | None, pdf: Path | None = None):
    pdf = pdf or _ask_pdf(window, "Save the chronology as", "chronology.pdf")
    if pdf is None:
        return None

    def operation(case, token):
        yield Progress("Writing the chronology", 0, None, "pages")
        token.raise_if_cancelled()
        return len(write_chronology(case, pdf, production_id, pdf.with_suffix(".docx")))

    runner = window.run_task(operation, "Chronology")
    runner.finished.connect(
        lambda count: window.statusBar().showMessage(f"Wrote {pdf.name} (and .docx): {count} fact(s).")
    )
    return runner

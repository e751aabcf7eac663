"""The chronology: every fact in date order (a range by its start, undated facts last),
with its status, the elements it supports and its cites into a chosen production.
PDF (landscape, the bundle's fonts and furniture) and Word."""

from pathlib import Path

from app.export.fact_documents import draw_table, note, pdf_writer, word_document, word_table
from app.export.proof_rows import CHRONOLOGY_COLUMNS, FactCites, build_chronology, chronology_cells
from app.store.case_file import CaseFile

TITLE = "Chronology"
SHARES = dict(zip(CHRONOLOGY_COLUMNS, (0.9, 2.5, 0.8, 1.8, 2.0, 0.9, 1.4)))


def write_chronology(
    case: CaseFile, pdf_path: Path | None, production_id: int | None, docx_path: Path | None = None, page_size="A4"
) -> list[FactCites]:
    facts = build_chronology(case.conn, production_id)
    rows = [chronology_cells(cited) for cited in facts]
    if pdf_path is not None:
        with pdf_writer(case, Path(pdf_path), TITLE, production_id, page_size) as writer:
            if rows:
                draw_table(writer, SHARES, rows)
            else:
                note(writer, "The case has no facts yet.")
    if docx_path is not None:
        with word_document(case, Path(docx_path), TITLE, production_id) as document:
            word_table(document, list(CHRONOLOGY_COLUMNS), rows)
    return facts

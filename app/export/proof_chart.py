"""The proof chart: every element of every claim, the facts that prove it and the exhibits
that prove each fact, by exhibit id and Bates range of a chosen production.

A landscape PDF with the bundle's fonts and page furniture, a CSV and a Word document,
all written from the same rows (app/export/proof_rows.py). An element with nothing
cited says "No evidence" in words, in the heading and in the table, so it stands out
without colour.
"""

import csv
from pathlib import Path

from app.export import fonts
from app.export.fact_documents import draw_table, note, pdf_writer, word_document, word_table
from app.export.proof_rows import CHART_COLUMNS, NO_EVIDENCE, ElementProof, ProofChart, build_proof
from app.store.case_file import CaseFile

TITLE = "Proof chart"
# Columns of each element's table (the claim and element are its headings), with their shares.
ELEMENT_COLUMNS = {
    "Date": 0.9,
    "Fact": 2.6,
    "Status": 0.8,
    "Our evidence (exhibit, Bates)": 2.2,
    "Witness": 1.0,
    "Opposing evidence": 1.8,
}


def write_proof_chart(
    case: CaseFile,
    pdf_path: Path | None,
    production_id: int | None,
    csv_path: Path | None = None,
    docx_path: Path | None = None,
    page_size: str = "A4",
) -> ProofChart:
    """Write the chart as PDF (and CSV, Word); returns what was written."""
    chart = build_proof(case.conn, production_id)
    if pdf_path is not None:
        with pdf_writer(case, Path(pdf_path), TITLE, production_id, page_size) as writer:
            _draw(writer, chart)
    if csv_path is not None:
        write_csv(chart, Path(csv_path))
    if docx_path is not None:
        with word_document(case, Path(docx_path), TITLE, production_id) as document:
            _word(document, chart)
    return chart


def element_rows(element: ElementProof) -> list[list[str]]:
    """The element's table rows, as drawn in the PDF and written in Word."""
    return [row.cells()[3:] for row in ProofChart(None, [element]).rows()]  # date onwards


def element_heading(element: ElementProof) -> str:
    heading = f"{element.name} ({element.code})"
    if not element.has_evidence:
        return f"{heading} - NO EVIDENCE"
    return f"{heading} - {element.status_summary()}" if element.facts else heading


def summary(chart: ProofChart) -> str:
    missing = chart.unproven
    if not missing:
        return f"Every one of the {len(chart.elements)} elements has evidence cited."
    names = "; ".join(f"{e.claim_code}: {e.name}" for e in missing)
    return f"{len(missing)} of {len(chart.elements)} elements have no evidence: {names}."


def _draw(writer, chart: ProofChart) -> None:
    writer.paragraph(summary(chart), fonts.BOLD, 9.5)
    claim = None
    for element in chart.elements:
        if element.claim_code != claim:
            claim = element.claim_code
            writer.space(6)
            writer.continued = ""  # a page broken before the heading continues nothing
            writer.heading(f"{element.claim_name} ({element.claim_code})", 13)
            writer.continued = f"{element.claim_name} ({element.claim_code})"
        writer.ensure(60)
        writer.space(3)
        writer.paragraph(element_heading(element), fonts.BOLD, 10)
        if not element.has_evidence and not element.facts:
            writer.paragraph(f"{NO_EVIDENCE}: no fact and no tagged item supports this element.", fonts.SANS, 9)
            continue
        draw_table(writer, ELEMENT_COLUMNS, element_rows(element))
        if not element.has_evidence:
            note(writer, f"{NO_EVIDENCE}: the facts above cite no item.")


def write_csv(chart: ProofChart, path: Path) -> None:
    """One row per element and fact (UTF-8 with a byte-order mark, so Excel reads it)."""
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow(CHART_COLUMNS)
        for row in chart.rows():
            out.writerow(row.cells())


def _word(document, chart: ProofChart) -> None:
    document.add_paragraph().add_run(summary(chart)).bold = True
    claim = None
    for element in chart.elements:
        if element.claim_code != claim:
            claim = element.claim_code
            document.add_heading(f"{element.claim_name} ({element.claim_code})", level=1)
        document.add_heading(element_heading(element), level=2)
        word_table(document, list(ELEMENT_COLUMNS), element_rows(element))

"""What the proof chart and the chronology share: their heading, the production they cite,
the landscape PDF with the bundle's fonts and furniture, and the Word document.

Both are written beside their final name and renamed into place when complete, so a
reader never opens half a chart.
"""

import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import orjson
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt
from reportlab.lib.pagesizes import landscape

from app import __version__
from app.export import fonts
from app.export.layout import GREY, PAGE_SIZES, PageWriter
from app.export.page_furniture import WORK_PRODUCT, FurnishedCanvas, Furniture
from app.export.render_cover_index import readable_utc
from app.store import audit
from app.store.case_file import CaseFile, CaseFileError
from app.store.production_cites import bates_label

TABLE_FONT_SIZE = 8.0


def production_line(conn, production_id: int | None) -> str:
    """Which production the cites come from, in words."""
    if production_id is None:
        return "No production chosen: every item is cited as not produced."
    row = conn.execute(
        "SELECT title, created_utc, bates_prefix, bates_first, bates_last, settings FROM productions WHERE id = ?",
        (production_id,),
    ).fetchone()
    if row is None:
        raise CaseFileError(f"There is no production {production_id} in this case.")
    title, created, prefix, first, last, settings = row
    digits = int(orjson.loads(settings).get("bates_digits", 7))
    bates = f"{bates_label(prefix, digits, first)} to {bates_label(prefix, digits, last)}"
    return (
        f"Cites from production {production_id} ({title or 'untitled'}, {readable_utc(created)}, "
        f"{bates}); an item not in it is cited as not produced."
    )


def heading_lines(case: CaseFile, title: str, production_id: int | None) -> list[tuple[str, str]]:
    seq, digest = audit.head(case.conn)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    number = case.meta("number") or ""
    return [
        ("Case", f"{case.name}" + (f" ({number})" if number else "")),
        ("Cites", production_line(case.conn, production_id)),
        ("Made", f"{readable_utc(now)} by {case.operator} with Casefile {__version__}"),
        ("Audit log", f"entry {seq}, chain head {digest[:16]}..."),
    ]


def furniture(case: CaseFile, title: str, production_id: int | None) -> Furniture:
    cites = f"cites: production {production_id}" if production_id is not None else "no production chosen"
    return Furniture(left=f"{case.name} - {title}", right=cites, legend=WORK_PRODUCT)


@contextmanager
def pdf_writer(case: CaseFile, out_path: Path, title: str, production_id: int | None, page_size: str = "A4"):
    """A landscape PageWriter with the bundle's fonts and furniture, written to `out_path`
    once the block ends without an error."""
    fonts.register_fonts()
    size = PAGE_SIZES.get(page_size)
    if size is None:
        raise CaseFileError(f"The page size should be one of {', '.join(PAGE_SIZES)}.")
    size = landscape(size)
    with _replaced(Path(out_path)) as partial:
        canvas = FurnishedCanvas(partial, furniture(case, title, production_id), title, pagesize=size)
        writer = PageWriter(canvas, size)
        writer.heading(title, 16)
        writer.fields(heading_lines(case, title, production_id), 9, 70)
        writer.space(6)
        yield writer
        writer.close()


def table_columns(shares: dict[str, float]) -> list[tuple[str, float]]:
    total = sum(shares.values())
    return [(name, share / total) for name, share in shares.items()]


def draw_table(writer: PageWriter, shares: dict[str, float], rows: list[list[str]]) -> None:
    writer.table(table_columns(shares), rows, fonts.SANS, TABLE_FONT_SIZE)


def note(writer: PageWriter, text: str) -> None:
    writer.line(text, fonts.SANS, 8, colour=GREY)


@contextmanager
def word_document(case: CaseFile, out_path: Path, title: str, production_id: int | None):
    """A landscape Word document with the same heading; saved when the block ends."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    section.footer.paragraphs[0].text = f"{case.name} - {title} - {WORK_PRODUCT}"
    document.add_heading(title, level=0)
    for label, value in heading_lines(case, title, production_id):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    yield document
    with _replaced(Path(out_path)) as partial:
        document.save(str(partial))


def word_table(document, headings, rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings):
        cell.text = heading
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8)


@contextmanager
def _replaced(out_path: Path):
    """A partial file beside `out_path`, renamed over it when complete, removed on failure."""
    partial = out_path.with_name(f".{out_path.name}.partial")
    try:
        yield partial
        os.replace(partial, out_path)
    finally:
        partial.unlink(missing_ok=True)

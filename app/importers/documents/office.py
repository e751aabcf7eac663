"""Word, Excel and PowerPoint files (.docx/.docm, .xlsx/.xlsm, .pptx/.pptm): one `document` each.

python-docx, openpyxl and python-pptx read the text: a document's paragraphs and tables
in order, a workbook's sheets as tab-separated tables under their names (the values
Excel last calculated; formulas are never evaluated), a presentation's slides with their
notes. The core properties (author, created, modified, last saved by) are fields; the
files embedded in it (word/embeddings/...) are `attachment` children. Macros are never
run: a macro-enabled file is marked, with a warning. In a bundle the item is drawn as a
text rendition and its native file is produced beside it (app/export/natives.py).
"""

import mimetypes
import zipfile
from datetime import timezone

from app.core.records import ItemRecord
from app.core.timestamps import TimestampError
from app.importers.base import ImportContext
from app.importers.documents.whole_file import extension_of, file_mtime_stamp
from app.importers.email.message import attachment_record

FORMATS = {
    ".docx": "word",
    ".docm": "word",
    ".xlsx": "excel",
    ".xlsm": "excel",
    ".pptx": "powerpoint",
    ".pptm": "powerpoint",
}
MACRO_EXTENSIONS = (".docm", ".xlsm", ".pptm")
EMBEDDED_FOLDERS = ("word/embeddings/", "xl/embeddings/", "ppt/embeddings/")
MAX_CELLS = 2_000_000  # cells of a workbook read as text; the rest is named, not read
MACRO_WARNING = "The file contains macros (a VBA project); they were not run."
_PROPERTIES = ("author", "last_modified_by", "title", "subject", "keywords", "category", "revision")


class OfficeImporter:
    name = "office"
    family = "document"
    random_access = True  # a zip: its library seeks in the stored copy

    def sniff(self, head: bytes, filename: str) -> int:
        return 96 if head.startswith(b"PK\x03\x04") and extension_of(filename) in FORMATS else 0

    def read(self, stream, ctx: ImportContext):
        extension = extension_of(ctx.file_name)
        record = ItemRecord(
            kind="document",
            locator={"file": ctx.file_name},
            title=ctx.file_name,
            fields={"format": FORMATS.get(extension), "native": True, "macros": False, "embedded_files": []},
        )
        kind = None
        try:
            kind = record.fields["format"] = FORMATS.get(extension) or _kind_from_parts(stream)
            with zipfile.ZipFile(stream) as package:
                names = package.namelist()
                record.fields["macros"] = extension in MACRO_EXTENSIONS or any(
                    n.lower().endswith("vbaproject.bin") for n in names
                )
                for name in names:
                    if name.startswith(EMBEDDED_FOLDERS) and not name.endswith("/"):
                        record.children.append(_embedded(package, name))
                        record.fields["embedded_files"].append(name.rsplit("/", 1)[-1])
            stream.seek(0)
            READERS[kind](stream, record)
            stream.seek(0)
            _core_properties(stream, kind, record, ctx)
        except Exception as exc:  # noqa: BLE001 -- the libraries raise many types on damaged files
            record.warnings.append(
                f"The {kind or 'Office'} file is damaged and could not be read "
                f"({str(exc)[:300] or type(exc).__name__}); the original is kept."
            )
        if record.fields["macros"]:
            record.warnings.append(MACRO_WARNING)
        record.timestamp = record.timestamp or file_mtime_stamp(ctx)
        yield record


def _kind_from_parts(stream) -> str:
    """For a file forced with `--as office` whose name says nothing: the package's own parts."""
    with zipfile.ZipFile(stream) as package:
        names = set(package.namelist())
    stream.seek(0)
    for part, kind in (
        ("word/document.xml", "word"),
        ("xl/workbook.xml", "excel"),
        ("ppt/presentation.xml", "powerpoint"),
    ):
        if part in names:
            return kind
    raise ValueError("not a Word, Excel or PowerPoint file")


def _embedded(package: zipfile.ZipFile, name: str) -> ItemRecord:
    data = package.read(name)
    filename = name.rsplit("/", 1)[-1]
    mime_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return attachment_record(filename, mime_type, data, {"embedded": name})


def _word(stream, record: ItemRecord) -> None:
    from docx import Document
    from docx.table import Table

    document = Document(stream)
    lines, tables = [], 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            lines.extend(_table_lines(block))
        else:
            lines.append(block.text)
    record.text = "\n".join(lines).strip()
    record.fields["tables"] = tables
    record.fields["paragraphs"] = len(document.paragraphs)


def _table_lines(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if not cells or cell.text != cells[-1]:  # a merged cell repeats: said once
                cells.append(cell.text)
        rows.append("\t".join(cells))
    return rows


def _excel(stream, record: ItemRecord) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(stream, read_only=True, data_only=True)
    parts, sheets, cells = [], [], 0
    try:
        for sheet in workbook.worksheets:
            sheets.append(sheet.title)
            parts.append(f"Sheet: {sheet.title}")
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                if cells > MAX_CELLS:
                    record.warnings.append(f"Only the first {MAX_CELLS:,} cells are searchable text.")
                    break
                if any(value is not None for value in row):
                    parts.append("\t".join("" if v is None else str(v) for v in row).rstrip("\t"))
            parts.append("")
    finally:
        workbook.close()
    record.text = "\n".join(parts).strip()
    record.fields["sheets"] = sheets


def _powerpoint(stream, record: ItemRecord) -> None:
    from pptx import Presentation

    presentation = Presentation(stream)
    parts, count = [], 0
    for number, slide in enumerate(presentation.slides, start=1):
        count = number
        parts.append(f"Slide {number}")
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts.extend(_table_lines(shape.table))
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            notes = slide.notes_slide.notes_text_frame.text
            if notes.strip():
                parts.append(f"Notes: {notes}")
        parts.append("")
    record.text = "\n".join(parts).strip()
    record.fields["slides"] = count


READERS = {"word": _word, "excel": _excel, "powerpoint": _powerpoint}


def _core_properties(stream, kind: str, record: ItemRecord, ctx: ImportContext) -> None:
    """Author, created, modified, last saved by...: fields; the created date dates the item."""
    if kind == "word":
        from docx import Document

        props = Document(stream).core_properties
    elif kind == "excel":
        from openpyxl import load_workbook

        workbook = load_workbook(stream, read_only=True)
        props = workbook.properties
        workbook.close()
        props.author, props.last_modified_by = props.creator, props.lastModifiedBy
    else:
        from pptx import Presentation

        props = Presentation(stream).core_properties
    fields = record.fields
    for name in _PROPERTIES:
        value = getattr(props, name, None)
        fields[name] = None if value in (None, "") else str(value)
    for name in ("created", "modified", "last_printed"):
        value = getattr(props, name, None)
        fields[name] = value.isoformat() if value else None
    for name, note in (("created", "created date in the file"), ("modified", "modified date in the file")):
        value = getattr(props, name, None)
        if value is not None and record.timestamp is None:
            # Office writes these as W3CDTF in UTC ("Z"); the libraries hand them back without a zone
            value = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
            try:
                record.timestamp = ctx.timestamps.from_datetime(value.isoformat(), value, note)
            except (ValueError, TimestampError) as exc:
                record.warnings.append(f"The file's {name} date cannot be read ({exc}).")

"""PDF files: one `document` item each -- pages, text per page, dates, active content.

pypdf reads the file (never a hand-written parser). Nothing in the PDF is ever run:
JavaScript, open actions and embedded files are only *named* on the item, in
warnings a reviewer sees. An encrypted PDF without a password, a damaged or
truncated one, is still imported (the original is stored and hashed by the
pipeline) with the reason on the item; no exception escapes.
"""

import logging
import warnings as python_warnings
from contextlib import contextmanager

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from app.core.records import ItemRecord
from app.core.timestamps import TimestampError
from app.importers.base import ImportContext
from app.importers.documents.whole_file import extension_of, file_mtime_stamp
from app.importers.ocr import tesseract_missing

METADATA_CHARS = 2000
RISKY_ACTIONS = ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/URI", "/GoToR")


@contextmanager
def pypdf_complaints():
    """Collect what pypdf says about a damaged file (log records, warnings) instead of printing it."""
    notes: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record):
            notes.append(record.getMessage())

    logger = logging.getLogger("pypdf")
    handler, propagate = Collector(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with python_warnings.catch_warnings(record=True) as caught:
            python_warnings.simplefilter("always")
            yield notes
        notes.extend(str(w.message) for w in caught)
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


class PdfImporter:
    name = "pdf"
    random_access = True  # its library seeks in the file: it reads the stored copy
    family = "document"

    def sniff(self, head: bytes, filename: str) -> int:
        if b"%PDF-" in head[:1024]:
            return 95
        return 40 if extension_of(filename) == ".pdf" else 0  # a damaged header is still a PDF document

    def read(self, stream, ctx: ImportContext):
        record = ItemRecord(
            kind="document",
            locator={"file": ctx.file_name},
            title=ctx.file_name,
            fields={
                "format": "pdf",
                "page_count": None,
                "pages": [],
                "metadata": {},
                "encrypted": False,
                "active_content": [],
                "open_action": None,
                "embedded_files": [],
            },
        )
        failure = None
        with pypdf_complaints() as notes:
            try:
                _read_pdf(PdfReader(stream, strict=False), record, ctx)
            except Exception as exc:  # noqa: BLE001 -- pypdf raises many types on damaged files
                failure = _reason(exc)
        if failure:
            details = "; ".join([failure] + notes[:2])
            record.warnings.append(f"The PDF is damaged or truncated and could not be read ({details}).")
        elif notes:
            record.warnings.append(
                f"The PDF's structure is damaged or irregular; it was read as far as possible ({notes[0][:300]})."
            )
        record.timestamp = record.timestamp or file_mtime_stamp(ctx)
        yield record


def _reason(exc: Exception) -> str:
    return str(exc)[:300] or type(exc).__name__


def _read_pdf(reader: PdfReader, record: ItemRecord, ctx: ImportContext) -> None:
    if reader.is_encrypted:
        record.fields["encrypted"] = True
        try:
            opened = bool(reader.decrypt(""))
        except Exception as exc:  # noqa: BLE001 -- unsupported encryption schemes raise
            record.warnings.append(f"The PDF is encrypted and could not be opened ({_reason(exc)}).")
            return
        if not opened:
            record.warnings.append(
                "The PDF is encrypted and no password was given: its pages, text and metadata could not be read."
            )
            return
        record.warnings.append("The PDF is encrypted with an owner password only; it was read without one.")
    _read_metadata(reader, record, ctx)
    _read_pages(reader, record)
    try:
        _read_active_content(reader, record)
    except Exception as exc:  # noqa: BLE001 -- a broken catalogue: say so, keep the pages read
        record.warnings.append(f"The PDF's catalogue could not be checked for active content ({_reason(exc)}).")


def _read_metadata(reader: PdfReader, record: ItemRecord, ctx: ImportContext) -> None:
    info = reader.metadata
    if info is None:
        return
    record.fields["metadata"] = {str(k).lstrip("/"): str(v)[:METADATA_CHARS] for k, v in info.items()}
    for label, raw_key, parsed_key in (
        ("CreationDate", "creation_date_raw", "creation_date"),
        ("ModDate", "modification_date_raw", "modification_date"),
    ):
        try:
            raw, moment = getattr(info, raw_key), getattr(info, parsed_key)
            stamp = ctx.timestamps.from_datetime(str(raw), moment, f"PDF {label}") if moment else None
        except (ValueError, TimestampError) as exc:
            record.warnings.append(f"The PDF's {label} cannot be read ({_reason(exc)}).")
            continue
        if stamp is not None and record.timestamp is None:
            record.timestamp = stamp


def _read_pages(reader: PdfReader, record: ItemRecord) -> None:
    pages, texts, failed = [], [], []
    for number, page in enumerate(reader.pages, start=1):
        pages.append(_page_shape(number, page))
        try:
            texts.append(page.extract_text() or "")
        except Exception:  # noqa: BLE001 -- one bad content stream must not lose the others
            texts.append("")
            failed.append(number)
    record.fields["pages"], record.fields["page_count"] = pages, len(pages)
    record.text = "\f".join(texts)
    if failed:
        record.warnings.append(f"The text of page(s) {', '.join(map(str, failed[:20]))} could not be extracted.")
    if pages and not record.text.strip():
        missing = tesseract_missing()
        record.warnings.append(
            "The PDF has no extractable text (scanned images?); "
            + (f"its text is not searchable. {missing}" if missing else "its pages are read by OCR.")
        )


def _page_shape(number: int, page) -> dict:
    """Size as displayed (the /Rotate of the page honoured) and whether it is landscape."""
    try:
        box, rotation = page.mediabox, int(page.rotation or 0) % 360
        width, height = float(box.width), float(box.height)
    except Exception:  # noqa: BLE001 -- a broken page dictionary
        return {"number": number, "width": None, "height": None, "rotation": None, "landscape": None}
    if rotation in (90, 270):
        width, height = height, width
    return {
        "number": number,
        "width": round(width, 2),
        "height": round(height, 2),
        "rotation": rotation,
        "landscape": width > height,
    }


def _read_active_content(reader: PdfReader, record: ItemRecord) -> None:
    """Name JavaScript, risky open actions and embedded files; run none of them."""
    root = reader.trailer["/Root"].get_object()
    found = []
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    if "/JavaScript" in names:
        found.append("document-level JavaScript")
    action = root.get("/OpenAction")
    action = action.get_object() if action is not None else None
    if isinstance(action, DictionaryObject):
        record.fields["open_action"] = str(action.get("/S"))
        if action.get("/S") in RISKY_ACTIONS or "/JS" in action:
            found.append(f"an action run when the document opens ({action.get('/S')})")
    if "/AA" in root:
        found.append("document additional actions (/AA)")
    found += [f"page {n} actions" for n, page in enumerate(reader.pages, start=1) if "/AA" in page]
    record.fields["active_content"] = found
    if found:
        record.warnings.append(f"The PDF contains active content ({'; '.join(found)}); it was not run.")
    try:
        embedded = sorted(reader.attachments.keys())
    except Exception as exc:  # noqa: BLE001
        embedded = [f"(unreadable: {_reason(exc)})"] if "/EmbeddedFiles" in names else []
    record.fields["embedded_files"] = embedded
    if embedded:
        record.warnings.append(
            f"The PDF has {len(embedded)} embedded file(s) ({', '.join(embedded[:10])}); they were not opened."
        )

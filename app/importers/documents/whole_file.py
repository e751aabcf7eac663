"""Helpers for importers whose one item is the whole file (a PDF, an image, a text file).

Such an item's bytes are the stored original itself; what the importer adds is its
date. When the file states none, the file's modification time is used, and the item
says so: the time is marked assumed and noted, never passed off as a stated date.
"""

from app.core.timestamps import Timestamp, format_utc_us, to_utc_us
from app.importers.base import ImportContext

MTIME_NOTE = "file modification time used"


def file_mtime_stamp(ctx: ImportContext) -> Timestamp:
    """The file's modification time as the item's date: assumed and noted as such."""
    utc_us = to_utc_us(ctx.file_mtime)
    return Timestamp(format_utc_us(utc_us), utc_us, "UTC", True, MTIME_NOTE)


def extension_of(filename: str) -> str:
    """'Report.PDF' -> '.pdf' (a '.gz' already removed by the pipeline)."""
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot > 0 else ""

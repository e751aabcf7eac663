"""The importers Casefile knows, and choosing one for a file.

Add an importer by appending its class to `IMPORTER_CLASSES`; `--as NAME` forces one,
otherwise the highest `sniff` confidence wins.
"""

from app.importers.email_eml import EmlImporter
from app.importers.email_mbox import MboxImporter
from app.importers.email_msg import MsgImporter
from app.importers.csv_log import CsvLogImporter, TsvLogImporter
from app.importers.jsonl_log import JsonLinesLogImporter
from app.importers.syslog_log import SyslogImporter
from app.importers.text_log import TextLogImporter
from app.importers.weblog import WebLogImporter
from app.importers.outputs_json import OutputsJsonImporter
from app.importers.outputs_jsonl import OutputsJsonLinesImporter
from app.importers.outputs_text import TranscriptTextImporter
from app.importers.document_pdf import PdfImporter
from app.importers.document_text import TextDocumentImporter
from app.importers.image_file import ImageImporter
from app.importers.zip_archive import ZipArchiveImporter

IMPORTER_CLASSES = [
    JsonLinesLogImporter,
    CsvLogImporter, TsvLogImporter, WebLogImporter, SyslogImporter, TextLogImporter,
    EmlImporter, MboxImporter, MsgImporter,
    OutputsJsonLinesImporter, OutputsJsonImporter, TranscriptTextImporter,
    PdfImporter, TextDocumentImporter, ImageImporter,
    ZipArchiveImporter,
]

# `--as` values that name a family rather than one importer: the best sniff within it.
FAMILY_ALIASES = {"logs": "logs", "email": "email", "outputs": "outputs",
                  "document": "document", "image": "image", "archive": "archive"}


def all_importers():
    return [cls() for cls in IMPORTER_CLASSES]


def importer_names() -> list[str]:
    return [cls.name for cls in IMPORTER_CLASSES]


class UnknownFormat(ValueError):
    pass


class FormatNotRecognised(UnknownFormat):
    """No importer recognises the file: it is stored and quarantined whole, not refused."""


def choose_importer(head: bytes, filename: str, forced: str | None = None):
    """The importer for a file: forced by name or family, else the best sniff."""
    candidates = all_importers()
    if forced:
        named = [imp for imp in candidates if imp.name == forced]
        if named:
            return named[0]
        candidates = [imp for imp in candidates if imp.family == FAMILY_ALIASES.get(forced)]
        if not candidates:
            known = ", ".join(sorted(set(importer_names()) | set(FAMILY_ALIASES)))
            raise UnknownFormat(f"Unknown format {forced!r}; use one of: {known}.")
    scored = sorted(((imp.sniff(head, filename), index, imp) for index, imp in enumerate(candidates)),
                    key=lambda t: (-t[0], t[1]))
    if not scored or scored[0][0] <= 0:
        raise FormatNotRecognised(f"the format was not recognised; to import it, name the format "
                                  f"with --as ({', '.join(importer_names())})")
    return scored[0][2]

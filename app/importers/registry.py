"""The importers Casefile knows, and choosing one for a file.

Add an importer by appending its class to `IMPORTER_CLASSES`; `--as NAME` forces one,
otherwise the highest `sniff` confidence wins.
"""

from app.importers.chat.generic import ChatJsonImporter
from app.importers.chat.slack import SlackDayImporter, SlackExportImporter, SlackListImporter
from app.importers.email.eml import EmlImporter
from app.importers.email.mbox import MboxImporter
from app.importers.email.msg import MsgImporter
from app.importers.email.pst import PstImporter
from app.importers.logs.delimited import CsvLogImporter, TsvLogImporter
from app.importers.logs.json_lines import JsonLinesLogImporter
from app.importers.logs.syslog_lines import SyslogImporter
from app.importers.logs.text_lines import TextLogImporter
from app.importers.logs.weblog import WebLogImporter
from app.importers.outputs.json_file import OutputsJsonImporter
from app.importers.outputs.json_lines import OutputsJsonLinesImporter
from app.importers.outputs.transcript_text import TranscriptTextImporter
from app.importers.documents.pdf import PdfImporter
from app.importers.documents.text import TextDocumentImporter
from app.importers.documents.image import ImageImporter
from app.importers.documents.office import OfficeImporter
from app.importers.zip_archive import ZipArchiveImporter

IMPORTER_CLASSES = [
    JsonLinesLogImporter,
    CsvLogImporter,
    TsvLogImporter,
    WebLogImporter,
    SyslogImporter,
    TextLogImporter,
    EmlImporter,
    MboxImporter,
    MsgImporter,
    PstImporter,
    OutputsJsonLinesImporter,
    OutputsJsonImporter,
    TranscriptTextImporter,
    PdfImporter,
    TextDocumentImporter,
    ImageImporter,
    OfficeImporter,
    ZipArchiveImporter,
    SlackExportImporter,
    SlackDayImporter,
    SlackListImporter,
    ChatJsonImporter,
]

# `--as` values that name a family rather than one importer: the best sniff within it.
FAMILY_ALIASES = {
    "logs": "logs",
    "email": "email",
    "outputs": "outputs",
    "document": "document",
    "image": "image",
    "archive": "archive",
    "chat": "chat",
}


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
    scored = sorted(
        ((imp.sniff(head, filename), index, imp) for index, imp in enumerate(candidates)), key=lambda t: (-t[0], t[1])
    )
    if not scored or scored[0][0] <= 0:
        raise FormatNotRecognised(
            f"the format was not recognised; to import it, name the format with --as ({', '.join(importer_names())})"
        )
    return scored[0][2]

"""A parsed e-mail, whatever its container, turned into ItemRecords.

`ParsedEmail` is what the MIME reader (email_mime) and the Outlook reader (email_msg)
both produce; `email_record` makes the `email` item with its attachments as children,
`attachment_record` one `attachment` item. Dates follow the honest-dates rule: the
Date header, else the top Received header's date (noted), else undated (warned).
"""

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import orjson

from app.core.records import ItemRecord
from app.core.timestamps import Timestamp, TimestampError, with_note
from app.importers.base import ImportContext
from app.importers.email.text import decode_bytes
from app.importers.email.threads import thread_id

_COMMENT = re.compile(r"\([^()]*\)")
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
_TEXT_NAMES = (".txt", ".csv", ".md", ".log", ".json", ".jsonl", ".xml", ".html", ".htm", ".eml")
PDF_TEXT_PAGES = 200  # text of longer PDFs is cut here (search only; the bytes are kept whole)


@dataclass
class ParsedEmail:
    """The fields of one message as read from its container (MIME or Outlook)."""

    sender: str = ""
    sender_address: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    recipient_addresses: list[str] = field(default_factory=list)
    reply_to: str = ""
    subject: str = ""
    date_text: str | None = None
    date_note: str | None = None  # where the date came from when not a Date header
    date_received: str | None = None
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    headers_raw: str = ""
    body: str = ""
    body_html_present: bool = False
    children: list[ItemRecord] = field(default_factory=list)  # attachments and attached emails
    warnings: list[str] = field(default_factory=list)
    integrity_sha256: str = ""


def email_record(parsed: ParsedEmail, locator: dict, ctx: ImportContext, top_level: bool = True) -> ItemRecord:
    """The `email` item for a parsed message; `dedup_key` only on top-level messages."""
    warnings = list(dict.fromkeys(parsed.warnings))  # a defect repeated per part is said once
    stamp = email_timestamp(parsed, ctx, warnings)
    attachments = [c for c in parsed.children if c.kind == "attachment"]
    # An attached message counts as an attachment, named by its subject.
    names = [c.fields["filename"] if c.kind == "attachment" else c.title for c in parsed.children]
    dedup_hash = _dedup_hash(parsed, stamp, attachments)
    fields = {
        "from": parsed.sender,
        "to": parsed.to,
        "cc": parsed.cc,
        "bcc": parsed.bcc,
        "reply_to": parsed.reply_to,
        "subject": parsed.subject,
        "date": parsed.date_text,
        "date_received": parsed.date_received,
        "message_id": parsed.message_id,
        "in_reply_to": parsed.in_reply_to,
        "references": parsed.references,
        "attachment_names": names,
        "attachment_count": len(names),
        "headers_raw": parsed.headers_raw,
        "folder": ctx.folder,
        "body_html_present": parsed.body_html_present,
        "dedup_hash": dedup_hash,
        "integrity_sha256": parsed.integrity_sha256,
    }
    for attachment in attachments:  # listed beside their message, not among the undated
        attachment.timestamp = with_note(stamp, "date of its message") if stamp else None
    return ItemRecord(
        kind="email",
        locator=locator,
        title=parsed.subject or "(no subject)",
        text=parsed.body,
        fields=fields,
        timestamp=stamp,
        account=parsed.sender_address or None,
        thread_id=thread_id(parsed.message_id, parsed.in_reply_to, parsed.references),
        dedup_key=f"email:{dedup_hash}" if top_level else None,
        warnings=warnings,
        children=parsed.children,
    )


def email_timestamp(parsed: ParsedEmail, ctx: ImportContext, warnings: list[str]) -> Timestamp | None:
    """The sent date; else the received date (noted); else None with a warning."""
    if parsed.date_text:
        try:
            stamp = read_mail_date(parsed.date_text, ctx)
            return with_note(stamp, parsed.date_note) if parsed.date_note else stamp
        except TimestampError as exc:
            warnings.append(f"The Date header cannot be read ({exc}).")
    if parsed.date_received:
        try:
            return with_note(read_mail_date(parsed.date_received, ctx), "received date used")
        except TimestampError as exc:
            warnings.append(f"The Received date cannot be read ({exc}).")
    warnings.append("The message has no usable date; it is listed as undated.")
    return None


def read_mail_date(text: str, ctx: ImportContext) -> Timestamp:
    """An RFC 5322 date (else anything the shared parser reads), original text kept."""
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):  # Overflow: a day of 40 digits
        moment = None
    if moment is not None:  # a time without a zone is read in the user's zone, marked assumed
        return ctx.timestamps.from_datetime(text, moment)
    try:
        return ctx.timestamps.parse(_COMMENT.sub("", text).strip())._replace(original=text)
    except TimestampError as exc:
        raise TimestampError(f"cannot read {text!r} as a date") from exc


def _dedup_hash(parsed: ParsedEmail, stamp: Timestamp | None, attachments: list[ItemRecord]) -> str:
    """Same message, different copy: sender, recipients, subject, second, body, attachments."""
    key = [
        parsed.sender_address.lower(),
        sorted({a.lower() for a in parsed.recipient_addresses}),
        " ".join(parsed.subject.split()),
        stamp.utc_us // 1_000_000 if stamp else None,
        _NOT_LETTER_OR_DIGIT.sub("", parsed.body.casefold()),
        sorted((a.fields["filename"], a.fields["size"]) for a in attachments),
    ]
    return hashlib.sha256(orjson.dumps(key)).hexdigest()


def attachment_record(
    filename: str, mime_type: str, content: bytes, locator: dict, charset: str | None = None
) -> ItemRecord:
    """An `attachment` item: bytes kept as a payload, hashed, text extracted for search."""
    warnings: list[str] = []
    text = attachment_text(filename, mime_type, content, charset, warnings)
    fields = {
        "filename": filename,
        "mime_type": mime_type,
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "md5": hashlib.md5(content).hexdigest(),
    }
    return ItemRecord(
        kind="attachment",
        locator=locator,
        title=safe_title(filename, mime_type, locator),
        text=text,
        fields=fields,
        warnings=warnings,
        payloads={"content": content},
    )


def safe_title(filename: str, mime_type: str, locator: dict) -> str:
    """The file name for display: control and bidi-override characters made visible."""
    if not filename:
        where = locator.get("mime_part") or locator.get("attachment", "")
        return f"(unnamed {mime_type} attachment {where})".replace("  ", " ")
    return "".join("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in filename)


def attachment_text(filename: str, mime_type: str, content: bytes, charset: str | None, warnings: list[str]) -> str:
    """Searchable text of an attached PDF or text file; empty for anything else."""
    name = filename.lower()
    if mime_type == "application/pdf" or name.endswith(".pdf"):
        return _pdf_text(content, warnings)
    if mime_type.startswith("text/") or name.endswith(_TEXT_NAMES):
        text, note = decode_bytes(content, charset)
        if note:
            warnings.append(f"Attachment text: {note}.")
        return text
    return ""


def _pdf_text(content: bytes, warnings: list[str]) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        pages = reader.pages[:PDF_TEXT_PAGES]
        return "\f".join((page.extract_text() or "") for page in pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        warnings.append(f"The text of this PDF could not be extracted ({exc.__class__.__name__}).")
        return ""

"""Outlook .msg files (OLE compound documents) read with extract-msg.

The message's transport headers, when Outlook kept them, are read exactly like an
Internet message's; otherwise the MAPI properties (sender, recipients, submit and
delivery times) stand in. Attachments by value become `attachment` children; an
embedded .msg becomes a child `email` with its own children.
"""

import hashlib
import logging
import mimetypes
from email.utils import format_datetime

from app.core.records import ItemRecord, Quarantined
from app.importers.base import ImportContext
from app.importers.email.message import ParsedEmail, attachment_record, email_record
from app.importers.email.mime import OLE_MAGIC, read_headers
from app.importers.email.text import decode_bytes, html_to_text
from app.importers.email.threads import normalise_id

_MSG_STREAM_NAME = "__substg1.0_".encode("utf-16-le")
MAX_DEPTH = 10
_RECIPIENT_KINDS = {1: "to", 2: "cc", 3: "bcc"}

logging.getLogger("extract_msg").setLevel(logging.ERROR)  # its info chatter is not for users


class MsgImporter:
    name = "msg"
    random_access = True  # its library seeks in the file: it reads the stored copy
    family = "email"

    def sniff(self, head: bytes, filename: str) -> int:
        if not head.startswith(OLE_MAGIC):
            return 0
        if filename.lower().endswith(".msg") or _MSG_STREAM_NAME in head:
            return 95
        return 0  # some other OLE file (.doc, .xls); `--as msg` still reads it

    def read(self, stream, ctx: ImportContext):
        import extract_msg

        data = stream.read()
        locator = {"message": 1}
        try:
            message = extract_msg.openMsg(data)
        except Exception as exc:  # extract-msg raises many types on hostile input; all mean "unreadable"
            yield Quarantined(locator, data, f"not a readable Outlook message: {exc.__class__.__name__}: {exc}")
            return
        try:
            parsed = parse_msg(message, ctx, prefix="", depth=0)
            parsed.integrity_sha256 = hashlib.sha256(data).hexdigest()
        except Exception as exc:  # same: a broken property stream surfaces as anything
            yield Quarantined(locator, data, f"the Outlook message cannot be read: {exc.__class__.__name__}: {exc}")
            return
        finally:
            message.close()
        yield email_record(parsed, locator, ctx, top_level=True)


def msg_attachment_record(data: bytes, number: str, ctx: ImportContext, depth: int) -> ItemRecord | None:
    """A child `email` for an Outlook .msg attached to an Internet message; None if unreadable."""
    import extract_msg

    try:
        message = extract_msg.openMsg(data)
    except Exception:  # not a readable .msg: the caller keeps it as a plain attachment
        return None
    try:
        parsed = parse_msg(message, ctx, prefix=number, depth=depth + 1)
    except Exception:  # as above
        return None
    finally:
        message.close()
    parsed.integrity_sha256 = hashlib.sha256(data).hexdigest()
    record = email_record(parsed, {"mime_part": number}, ctx, top_level=False)
    record.payloads["content"] = data
    return record


def parse_msg(message, ctx: ImportContext, prefix: str, depth: int) -> ParsedEmail:
    """A ParsedEmail from an extract-msg Message (embedded messages recursively)."""
    header_text = message.headerText or ""
    parsed = read_headers(message.header)
    if not header_text:
        _recipients_from_properties(message, parsed)
    parsed.headers_raw = header_text
    parsed.subject = message.subject or parsed.subject
    parsed.message_id = parsed.message_id or normalise_id(message.getStringStream("__substg1.0_1035"))
    parsed.in_reply_to = parsed.in_reply_to or normalise_id(message.inReplyTo)
    if not header_text and parsed.date_text:  # extract-msg made the Date from the MAPI submit time
        parsed.date_note = "the Outlook sent-time property (no Date header)"
    if not parsed.date_received and message.receivedTime:
        parsed.date_received = format_datetime(message.receivedTime)
    _body(message, parsed)
    for index, attachment in enumerate(message.attachments, start=1):
        _take_attachment(attachment, f"{prefix}.{index}" if prefix else str(index), parsed, ctx, depth)
    return parsed


def _recipients_from_properties(message, parsed: ParsedEmail) -> None:
    lists = {"to": [], "cc": [], "bcc": []}
    addresses = []
    for recipient in message.recipients:
        name, address = recipient.name or "", (recipient.email or "").lower()
        shown = f"{name} <{address}>" if name and address and name != address else (address or name)
        lists.get(_RECIPIENT_KINDS.get(int(recipient.type), "to"), lists["to"]).append(shown)
        if address:
            addresses.append(address)
    parsed.to, parsed.cc, parsed.bcc = lists["to"], lists["cc"], lists["bcc"]
    parsed.recipient_addresses = addresses


def _body(message, parsed: ParsedEmail) -> None:
    html = message.htmlBody
    parsed.body_html_present = bool(html)
    if message.body:
        parsed.body = message.body.replace("\r\n", "\n")
    elif html:
        parsed.body = html_to_text(decode_bytes(html)[0])


def _take_attachment(attachment, number: str, parsed: ParsedEmail, ctx: ImportContext, depth: int) -> None:
    from extract_msg.enums import AttachmentType

    kind = attachment.type
    if kind in (AttachmentType.MSG, AttachmentType.SIGNED_EMBEDDED) and depth < MAX_DEPTH:
        child = parse_msg(attachment.data, ctx, prefix=number, depth=depth + 1)
        parsed.children.append(email_record(child, {"attachment": number}, ctx, top_level=False))
        return
    data = attachment.data
    if not isinstance(data, bytes):
        parsed.warnings.append(f"Attachment {number} could not be read ({kind.name.lower()} attachment).")
        return
    name = attachment.longFilename or attachment.shortFilename or attachment.displayName or ""
    mime_type = attachment.mimetype or mimetypes.guess_type(name)[0] or "application/octet-stream"
    parsed.children.append(attachment_record(name, mime_type, data, {"attachment": number}))

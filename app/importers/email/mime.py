"""Internet mail (RFC 5322 / MIME) into a ParsedEmail, with the standard `email` package.

Parsing uses the compat32 policy: it never raises on broken input but records
`defects`, which become warnings on the item. Parts are numbered as IMAP does
("1", "1.2", ...). Text/plain is the body; HTML is made readable only when there is
no plain text. Every other leaf part is an attachment; an attached message/rfc822
becomes a child email with its own attachments.
"""

import hashlib
import re
from email import errors as email_errors
from email import policy
from email.generator import BytesGenerator
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses
from io import BytesIO

from app.core.records import ItemRecord
from app.importers.base import ImportContext
from app.importers.email.message import ParsedEmail, attachment_record, email_record
from app.importers.email.text import decode_bytes, header_text, html_to_text, message_charset
from app.importers.email.threads import id_list, normalise_id
from app.importers.email.tnef import is_tnef, unwrap_tnef

_HEADER_END = re.compile(rb"\r\n\r\n|\n\n|\r\r|\n\r\n")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SEALED = ("application/pkcs7-mime", "application/x-pkcs7-mime", "application/pgp-encrypted")
SIGNED_NOTE = "The message is signed (S/MIME or PGP); its content is shown, but the signature was not checked."
MAX_DEPTH = 10  # attached messages nested deeper than this are kept as plain attachments


class UnreadableMessage(ValueError):
    """The bytes are not an e-mail message at all, or cannot be read safely; the text is the
    reason the message is quarantined with."""


NESTED_TOO_DEEP = (
    "the message cannot be read: its MIME parts are nested too deeply (a thousand levels or more; "
    "no mail program writes that, so the message is malformed or hostile)"
)


def parse_bytes(raw: bytes) -> Message:
    """A compat32 message; UnreadableMessage when no header can be read."""
    try:
        message = BytesParser(policy=policy.compat32).parsebytes(raw)
    except (TypeError, ValueError, LookupError, IndexError) as exc:  # the parser is lenient; be safe
        raise UnreadableMessage(f"not an e-mail message: the message cannot be parsed ({exc})") from exc
    if not message.keys():
        raise UnreadableMessage("not an e-mail message: no e-mail header could be read")
    return message


def mime_email_record(raw: bytes, locator: dict, ctx: ImportContext) -> ItemRecord:
    """The top-level `email` item for the raw bytes of one message.

    UnreadableMessage (the caller quarantines the message, and the file goes on) when
    the message cannot be read at all: the standard parser and the part walk below
    recurse once per nesting level, so hostile nesting ends in RecursionError; any
    other error of the standard library on hostile input is said with its kind.
    """
    try:
        message = parse_bytes(raw)
        parsed = parse_message(message, raw, ctx, prefix="", depth=0)
        return email_record(parsed, locator, ctx, top_level=True)
    except RecursionError as exc:
        raise UnreadableMessage(NESTED_TOO_DEEP) from exc
    except UnreadableMessage:
        raise
    except Exception as exc:  # the email package raises many types on hostile input (as extract-msg does)
        raise UnreadableMessage(f"the message cannot be read ({exc.__class__.__name__}: {exc})") from exc


def parse_message(message: Message, raw: bytes, ctx: ImportContext, prefix: str, depth: int) -> ParsedEmail:
    """Headers, body and children of one message (`prefix`: its MIME part number)."""
    parsed = read_headers(message)
    parsed.integrity_sha256 = hashlib.sha256(raw).hexdigest()
    parsed.headers_raw = header_block(raw)
    plain, html = [], []
    if message.get_content_type() == "multipart/signed":
        parsed.warnings.append(SIGNED_NOTE)
    for number, part in _leaves(message, prefix, parsed.warnings):
        _take_part(part, number, parsed, plain, html, ctx, depth)
    if plain:
        parsed.body = "\n\n".join(plain)
    elif html:
        parsed.body = "\n\n".join(html_to_text(h) for h in html)
    parsed.body_html_present = bool(html)
    return parsed


def read_headers(message: Message) -> ParsedEmail:
    """The address, subject, date and id headers, decoded."""
    parsed = ParsedEmail()
    fallback = message_charset(message)  # for raw 8-bit headers
    found = {
        name: _addresses(message, name, fallback, parsed.warnings) for name in ("From", "To", "Cc", "Bcc", "Reply-To")
    }
    if found["From"]:
        parsed.sender, parsed.sender_address = found["From"][0]
    parsed.to, parsed.cc, parsed.bcc = ([d for d, _a in found[name]] for name in ("To", "Cc", "Bcc"))
    parsed.recipient_addresses = [a for name in ("To", "Cc", "Bcc") for _d, a in found[name] if a]
    parsed.reply_to = ", ".join(d for d, _a in found["Reply-To"])
    parsed.subject = header_text(message.get("Subject"), fallback, parsed.warnings, "Subject")
    parsed.date_text = header_text(message.get("Date"), warnings=parsed.warnings, name="Date") or None
    parsed.date_received = received_date(message.get_all("Received") or [], parsed.warnings)
    parsed.message_id = normalise_id(header_text(message.get("Message-ID")))
    parsed.in_reply_to = normalise_id(header_text(message.get("In-Reply-To")))
    parsed.references = id_list(header_text(message.get("References")))
    return parsed


def _addresses(
    message: Message, name: str, fallback: str | None = None, warnings: list[str] | None = None
) -> list[tuple[str, str]]:
    """(display text, address) for every address in every `name` header."""
    # (raw JIS is decoded first: its escape sequences hold characters that addresses treat as syntax)
    values = [
        v if isinstance(v, str) and "\x1b$" not in v else header_text(v, fallback, warnings, name)
        for v in message.get_all(name) or []
    ]
    result = []
    for display_name, address in getaddresses([v.replace("\r", " ").replace("\n", " ") for v in values]):
        display_name = header_text(display_name, fallback, warnings, name)
        address = header_text(address, fallback, warnings, name)
        if not (display_name or address):
            continue
        result.append((f"{display_name} <{address}>" if display_name else address, address.lower()))
    return result


def received_date(received: list, warnings: list[str] | None = None) -> str | None:
    """The date of the top (most recent) Received header: the text after its last ';'."""
    if not received:
        return None
    text = header_text(received[0], warnings=warnings, name="Received")
    return text.rpartition(";")[2].strip() or None if ";" in text else None


def header_block(raw: bytes) -> str:
    """The raw header block as text (everything before the first empty line)."""
    match = _HEADER_END.search(raw)
    block = raw[: match.start()] if match else raw
    return decode_bytes(block)[0]


def _leaves(part: Message, number: str, warnings: list[str]):
    """(part number, part) for every non-multipart part; defects become warnings."""
    for defect in part.defects:
        warnings.append(describe_defect(defect, number))
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        for index, sub in enumerate(part.get_payload(), start=1):
            yield from _leaves(sub, f"{number}.{index}" if number else str(index), warnings)
    else:
        yield number or "1", part


def describe_defect(defect, number: str) -> str:
    """One plain sentence for a MIME defect."""
    where = f" (part {number})" if number else ""
    names = {
        email_errors.StartBoundaryNotFoundDefect: "a MIME boundary was not found",
        email_errors.CloseBoundaryNotFoundDefect: "a MIME part is not closed by its boundary",
        email_errors.MultipartInvariantViolationDefect: "a multipart message has no parts",
        email_errors.MissingHeaderBodySeparatorDefect: "a header line is malformed",
        email_errors.InvalidBase64PaddingDefect: "base64 content is badly padded",
        email_errors.InvalidBase64CharactersDefect: "base64 content has invalid characters",
        email_errors.NoBoundaryInMultipartDefect: "a multipart message declares no boundary",
    }
    text = names.get(type(defect)) or type(defect).__name__.replace("Defect", "").lower()
    return f"The message is partly malformed{where}: {text}; it was imported as far as it could be read."


def _take_part(
    part: Message, number: str, parsed: ParsedEmail, plain: list, html: list, ctx: ImportContext, depth: int
) -> None:
    content_type = part.get_content_type()
    filename = _filename(part, number, parsed.warnings)
    charset = _charset(part)
    inline = part.get_content_disposition() != "attachment" and not filename
    if content_type == "message/rfc822" and depth < MAX_DEPTH and part.is_multipart():
        parsed.children.append(_attached_email(part, number, ctx, depth))
        return
    content = _payload_bytes(part)
    if part.get_content_maintype() == "multipart":  # boundary broken: its raw text is the body
        content_type = "text/plain"
    if inline and content_type in ("text/plain", "text/html"):
        text, note = decode_bytes(content, charset)
        if note:
            parsed.warnings.append(f"Body text{'' if number == '1' else f' (part {number})'}: {note}.")
        (plain if content_type == "text/plain" else html).append(text)
        return
    if content.startswith(OLE_MAGIC) and depth < MAX_DEPTH:  # an Outlook .msg attached to mail
        from app.importers.email.msg import msg_attachment_record  # (email_msg imports this module)

        child = msg_attachment_record(content, number, ctx, depth)
        if child is not None:
            parsed.children.append(child)
            return
    if content_type in SEALED:
        parsed.warnings.append(
            f"Part {number} is encrypted (or opaquely signed) with S/MIME or PGP: it cannot be "
            "read without the recipient's key, and is kept byte for byte as an attachment."
        )
    record = attachment_record(filename, content_type, content, {"mime_part": number}, charset)
    if is_tnef(content) and depth < MAX_DEPTH:
        unwrap_tnef(record, content, number)
    parsed.children.append(record)


def _filename(part: Message, number: str, warnings: list[str]) -> str:
    """The part's file name, decoded; as written (with a warning) when its RFC 2231 charset
    cannot be used -- the standard library raises on a NUL in it."""
    try:
        name = part.get_filename()
    except (ValueError, LookupError, UnicodeError):
        raw = part.get_param("filename", header="content-disposition") or part.get_param("name")
        name = raw[2] if isinstance(raw, tuple) else str(raw or "")
        warnings.append(
            f"The file name of part {number} declares a character set that cannot be used; it is shown as written."
        )
    return header_text(name) if name else ""


def _charset(part: Message) -> str | None:
    """The part's declared charset; its text as written when its RFC 2231 form cannot be
    decoded (decode_bytes then reads the bytes as best it can, and says so)."""
    try:
        return part.get_content_charset()
    except (ValueError, LookupError, UnicodeError):
        raw = part.get_param("charset")
        return str(raw[2] if isinstance(raw, tuple) else raw).lower()


def _attached_email(part: Message, number: str, ctx: ImportContext, depth: int) -> ItemRecord:
    inner = part.get_payload(0)
    raw = _as_bytes(inner)
    parsed = parse_message(inner, raw, ctx, prefix=number, depth=depth + 1)
    record = email_record(parsed, {"mime_part": number}, ctx, top_level=False)
    record.payloads["content"] = raw  # the attached message itself, for export
    return record


def _payload_bytes(part: Message) -> bytes:
    """The decoded content of a leaf part (attached non-rfc822 messages as their bytes)."""
    if part.is_multipart():
        return b"\n".join(_as_bytes(sub) for sub in part.get_payload())
    try:
        data = part.get_payload(decode=True)
    except (ValueError, TypeError, LookupError):
        data = None
    if data is None:
        payload = part.get_payload()
        data = payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    return data


def _as_bytes(message: Message) -> bytes:
    """An attached message's bytes: generated as compat32 does (unchanged for every message that
    could always be read), else with its headers written exactly as they were read."""
    try:
        return message.as_bytes(policy=policy.compat32)
    except (ValueError, TypeError, LookupError, UnicodeError, email_errors.MessageError):
        # e.g. refolding a header whose value holds a line break (a form feed, say) followed by
        # "Name:": compat32 refuses it as "an embedded header"
        out = BytesIO()
        _VerbatimHeaders(out, mangle_from_=False, policy=policy.compat32).flatten(message)
        return out.getvalue()


class _VerbatimHeaders(BytesGenerator):
    """Writes each header as it was read, never refolded (sub-parts too: they are generated by
    a clone of this class); text that is not ASCII as UTF-8 (raw bytes, kept as surrogate
    escapes, are written back as they were)."""

    def write(self, s):
        self._fp.write(s.encode("utf-8", "surrogateescape"))

    def _write_headers(self, msg):
        for name, value in msg.raw_items():
            self.write(f"{name}: {value if isinstance(value, str) else str(value)}{self._NL}")
        self.write(self._NL)

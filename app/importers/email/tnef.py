"""Outlook's winmail.dat (TNEF): the files inside it become attachments of it.

Outlook sends "rich text" mail to other mail systems with its attachments wrapped in
one `winmail.dat` (MIME type application/ms-tnef). Without unwrapping it a reviewer sees
one opaque file where the sender attached a spreadsheet and a contract. tnefparse reads
the format (no hand-written parser); the winmail.dat itself stays an attachment, byte
for byte, and each file inside becomes its child, hashed and searchable like any other.
A message body inside it (plain text or HTML) becomes the winmail.dat item's text; an RTF
body is said to be there, not guessed at.
"""

import mimetypes

from tnefparse import TNEF

from app.core.records import ItemRecord
from app.importers.email.message import attachment_record
from app.importers.email.text import decode_bytes, html_to_text

SIGNATURE = b"\x78\x9f\x3e\x22"  # 0x223E9F78, little-endian: how every TNEF stream starts
HEADER_BYTES = 6  # the signature and a 16-bit key, then the attributes


def is_tnef(content: bytes) -> bool:
    return content[:4] == SIGNATURE


def unwrap_tnef(record: ItemRecord, content: bytes, number: str) -> None:
    """Add the files inside winmail.dat (`record`, MIME part `number`) as its children."""
    try:
        tnef = TNEF(content)
    except Exception as exc:  # a damaged winmail.dat: kept as it is, with the reason
        record.warnings.append(
            f"The winmail.dat (Outlook TNEF) in part {number} could not be unpacked ({exc}); it is kept as it is."
        )
        return
    # tnefparse reads what it can and stops quietly; a stream that ends part-way or fails
    # its checksums is damaged, and the reviewer is told so.
    read = HEADER_BYTES + sum(attribute.length for attribute in tnef.objects)
    if read != len(content) or not all(attribute.good_checksum for attribute in tnef.objects):
        record.warnings.append(
            f"The winmail.dat (Outlook TNEF) in part {number} is damaged (it ends part-way or "
            "fails its checksums): the files that could be read are unpacked, and it is kept "
            "as it is."
        )
    for index, inner in enumerate(tnef.attachments, start=1):
        name = _text(inner.long_filename() or inner.name) or f"file {index} of winmail.dat"
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        record.children.append(
            attachment_record(name, kind, inner.data or b"", {"mime_part": number, "tnef_file": index})
        )
    body = _body(tnef)
    if body:
        record.text = f"{body}\n\n{record.text}".strip()
    elif _has_rtf_body(tnef):
        record.warnings.append(
            "The winmail.dat holds the message body as RTF, which is not shown as text; "
            "the winmail.dat is kept byte for byte."
        )


def _has_rtf_body(tnef) -> bool:
    try:
        return bool(tnef.rtfbody)  # decompressed on access: damaged RTF raises
    except Exception:
        return True


def _body(tnef) -> str:
    if tnef.body:
        return decode_bytes(tnef.body)[0] if isinstance(tnef.body, bytes) else str(tnef.body)
    if tnef.htmlbody:
        html = tnef.htmlbody
        return html_to_text(decode_bytes(html)[0] if isinstance(html, bytes) else str(html))
    return ""


def _text(value) -> str:
    if isinstance(value, bytes):
        return decode_bytes(value)[0].strip("\x00 ")
    return (value or "").strip("\x00 ")

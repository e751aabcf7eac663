"""A single message file (.eml): one `email` item with its attachments as children."""

import re

from app.core.records import Quarantined
from app.importers.base import ImportContext
from app.importers.email.mime import UnreadableMessage, mime_email_record

# Headers that mark the start of a mail message (any order, near the top).
_MAIL_HEADER = re.compile(
    rb"^(From|To|Subject|Date|Message-ID|Received|Return-Path|MIME-Version|"
    rb"Delivered-To|Reply-To|Cc|X-[A-Za-z-]+|In-Reply-To|References):",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:", re.MULTILINE)


def looks_like_headers(head: bytes) -> bool:
    """True when the bytes open with an RFC 5322 header block naming mail headers."""
    text = head[:65536].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    block = text.split(b"\n\n", 1)[0]
    if not _HEADER_LINE.match(block.lstrip(b"\r\n")):
        return False
    return len(set(m.group(1).lower() for m in _MAIL_HEADER.finditer(block))) >= 2


class EmlImporter:
    name = "eml"
    family = "email"

    def sniff(self, head: bytes, filename: str) -> int:
        if head.startswith(b"From ") or not looks_like_headers(head):
            return 0
        return 90 if filename.lower().endswith(".eml") else 70

    def read(self, stream, ctx: ImportContext):
        raw = stream.read()
        locator = {"message": 1}
        try:
            yield mime_email_record(raw, locator, ctx)
        except UnreadableMessage as exc:
            yield Quarantined(locator, raw, str(exc))

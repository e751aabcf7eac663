"""Mailboxes (.mbox), streamed: one message in memory at a time, whatever the size.

Messages start at a "From " line (with a date) at the top of the file or after an
empty line.
Both quoting variants are read: mboxrd quotes every ">*From " body line with one more
">", mboxo only "From "; removing one ">" from ">+From " lines restores both. Lines
are split on LF, CRLF and CR alike (latin-1 text mode maps bytes 1:1). The integrity
hash is over the message as it was before it went into the mailbox (no From_ line,
no separator line, unquoted), so the same message as an .eml hashes the same.
"""

import io
import re

from app.core.records import Quarantined, Skipped
from app.importers.base import ImportContext
from app.importers.email.mime import UnreadableMessage, mime_email_record

# A From_ line carries a date: after an empty line any time of day will do; without
# one (writers that omit the separator) only the classic asctime form counts. A body
# line "From the start..." that a writer forgot to quote is thus not a new message.
_FROM_AFTER_BLANK = re.compile(r"^From \S+ .*\d\d?:\d\d")
_FROM_ASCTIME = re.compile(r"^From \S+ +[A-Z][a-z]{2} +[A-Z][a-z]{2} +\d{1,2} +\d\d:\d\d")
_QUOTED_FROM = re.compile(r"^>+From ")


class MboxImporter:
    name = "mbox"
    family = "email"

    def sniff(self, head: bytes, filename: str) -> int:
        first = head.split(b"\n", 1)[0].split(b"\r", 1)[0]
        if not first.startswith(b"From "):
            return 0
        return 95 if filename.lower().endswith((".mbox", ".mbx", ".mbs")) or b"@" in first else 75

    def read(self, stream, ctx: ImportContext):
        for number, (offset, line_no, from_line, lines) in enumerate(split_mbox(stream), start=1):
            if from_line is None:  # text before the first message
                yield _preamble(lines)
                continue
            raw = _message_bytes(lines)
            locator = {"message": number, "byte_offset": offset, "line": line_no}
            try:
                yield mime_email_record(raw, locator, ctx)
            except UnreadableMessage as exc:
                yield Quarantined(locator, from_line.encode("latin-1") + raw, str(exc))


def _preamble(lines: list[str]):
    locator = {"line": 1, "byte_offset": 0}
    if not any(line.strip() for line in lines):
        return Skipped(locator, "blank")
    return Quarantined(locator, "".join(lines).encode("latin-1"), "text before the first message of the mailbox")


def split_mbox(stream):
    """(byte offset, line number, From_ line, body lines) for each message, streamed.

    Lines before the first From_ line come first with from_line None.
    """
    text = io.TextIOWrapper(stream, encoding="latin-1", newline="")
    offset = start_offset = 0
    start_line = 1
    from_line, lines, previous_blank = None, [], True
    for line_no, line in enumerate(text, start=1):
        if line.startswith("From ") and (
            (previous_blank and _FROM_AFTER_BLANK.match(line)) or _FROM_ASCTIME.match(line)
        ):
            if from_line is not None or lines:
                yield start_offset, start_line, from_line, lines
            start_offset, start_line, from_line, lines = offset, line_no, line, []
        else:
            lines.append(line)
        previous_blank = line in ("\n", "\r\n", "\r")
        offset += len(line)
    if from_line is not None or lines:
        yield start_offset, start_line, from_line, lines
    text.detach()


def _message_bytes(lines: list[str]) -> bytes:
    """The message as written before it was stored: separator line dropped, unquoted."""
    if lines and lines[-1] in ("\n", "\r\n", "\r"):
        lines = lines[:-1]
    return "".join(line[1:] if line[0] == ">" and _QUOTED_FROM.match(line) else line for line in lines).encode(
        "latin-1"
    )

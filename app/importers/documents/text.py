"""Plain text and Markdown files: one `document` item each, the whole text searchable.

The date is the one the text states ("Date: 3 March 2025", YAML front matter
`date:`, "**Exported:** ...") when it can be read; otherwise the file's modification
time, marked assumed and noted. Transcripts of a chat (User:/Assistant: turns) are
read as model outputs by outputs_text, which shares these helpers.
"""

import codecs
import re

from charset_normalizer import from_bytes

from app.core.records import ItemRecord, Quarantined
from app.core.timestamps import Timestamp, TimestampError, with_note
from app.importers.base import ImportContext
from app.importers.logs.rows import RAW_KEPT
from app.importers.text_decoding import is_utf8_head
from app.importers.documents.whole_file import extension_of, file_mtime_stamp

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdown")
TEXT_EXTENSIONS = (".txt", ".text") + MARKDOWN_EXTENSIONS
DATE_LINES = 60  # a stated date is looked for near the top only
DATE_CHARS = 64 * 1024  # ... which is never split whole into lines
DRAIN_BYTES = 1024 * 1024
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DATE_LINE = re.compile(
    r"^\s*(?:[-*>]\s+)?(?:\*\*|__)?(date|created|exported|generated|saved|captured|timestamp)"
    r"(?:\s+(?:at|on))?(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.+?)\s*(?:\*\*|__)?\s*$",
    re.I | re.M,
)


def looks_like_text(head: bytes) -> bool:
    """No NUL bytes (unless UTF-16 with a BOM), and UTF-8 or mostly printable."""
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return True
    if not head or b"\x00" in head:
        return False
    if is_utf8_head(head):
        return True
    printable = sum(1 for byte in head[:4096] if byte >= 32 or byte in b"\t\r\n\f")
    return printable >= len(head[:4096]) * 0.95


def text_sniff(head: bytes, filename: str, by_extension: dict[str, int], otherwise: int) -> int:
    if not looks_like_text(head):
        return 0
    return next((score for exts, score in by_extension.items() if extension_of(filename) in exts), otherwise)


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings): a BOM, else UTF-8, else charset-normalizer's guess."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, "replace"), name, []
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[: 1 << 20]).best()
    name = best.encoding if best else "cp1252"
    return data.decode(name, "replace"), name, [f"The text is not UTF-8; it was read as {name} (a guess)."]


def text_date(text: str, ctx: ImportContext) -> tuple[Timestamp, str, list[str]]:
    """(timestamp, where it came from, warnings): the date the text states, else the file's."""
    head = "\n".join(text[:DATE_CHARS].splitlines()[:DATE_LINES])
    unread = []
    for match in _DATE_LINE.finditer(head):
        value = match.group(2).strip().strip("\"'")
        try:
            stamp = ctx.timestamps.parse(value)
        except TimestampError:
            unread.append(value)
            continue
        line = head.count("\n", 0, match.start()) + 1
        return with_note(stamp, f"date stated in the text (line {line})"), "text", []
    warnings = (
        [f"The date stated in the text ({unread[0]!r}) cannot be read; the file modification time was used."]
        if unread
        else []
    )
    return file_mtime_stamp(ctx), "file modification time", warnings


def text_fields(text: str, encoding: str, filename: str, date_source: str) -> dict:
    heading = next((m.group(1).strip() for m in re.finditer(r"^#{1,6}\s+(.+)$", text, re.M)), None)
    markdown = extension_of(filename) in MARKDOWN_EXTENSIONS
    return {
        "format": "markdown" if markdown else "text",
        "encoding": encoding,
        "heading": heading,
        "line_count": text.count("\n") + (1 if text and not text.endswith("\n") else 0),
        "char_count": len(text),
        "date_source": date_source,
    }


def read_text_file(stream, ctx: ImportContext) -> tuple[str, dict, Timestamp, list[str], Quarantined | None]:
    """The file decoded, up to the text bound: (text, fields, timestamp, warnings, the rest or None).

    A text longer than `ImportSettings.max_text_bytes` is not read whole (a 2.2 GB file
    of one line took 6 GB): the item holds its start, and the rest is one quarantine
    row saying where it starts and how long it is; the original is stored whole.
    """
    limit = ctx.settings.max_text_bytes
    data = stream.read(limit + 1)
    rest = None
    if len(data) > limit:
        data, rest = _cut_text(data, limit, stream)
    text, encoding, warnings = decode_text(data)
    stamp, source, date_warnings = text_date(text, ctx)
    fields = text_fields(text, encoding, ctx.file_name, source)
    if rest is not None:
        warnings.append(
            f"Only the first {len(data):,} bytes of the text are here and searchable (a document's "
            f"text is read up to {limit:,} bytes); the rest is listed in the quarantine."
        )
    return text, fields, stamp, warnings + date_warnings, rest


def _cut_text(data: bytes, limit: int, stream) -> tuple[bytes, Quarantined]:
    """(the text up to the bound, at a character's start; the rest as a quarantine row).

    The rest is read through in blocks only to measure it: memory stays flat.
    """
    cut = limit
    while cut > limit - 3 and (data[cut] & 0xC0) == 0x80:  # not inside a UTF-8 character
        cut -= 1
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        cut -= cut % 2
    start, size = data[cut:], len(data) - cut  # the start of the rest is kept in its quarantine row
    while block := stream.read(DRAIN_BYTES):
        start += block[: RAW_KEPT - len(start)] if len(start) < RAW_KEPT else b""
        size += len(block)
    reason = (
        f"the document's text goes on for {size:,} bytes after the first {cut:,}, more than a document "
        f"item holds ({limit:,} bytes): this part is not searchable, but it is kept in the stored original"
    )
    return data[:cut], Quarantined({"byte_offset": cut, "byte_length": size}, start, reason)


class TextDocumentImporter:
    name = "text_document"
    family = "document"

    def sniff(self, head: bytes, filename: str) -> int:
        # Below the line-log importers (40) for .txt: a dated .txt is more often a log.
        return text_sniff(head, filename, {MARKDOWN_EXTENSIONS: 45, TEXT_EXTENSIONS: 30}, 10)

    def read(self, stream, ctx: ImportContext):
        text, fields, stamp, warnings, rest = read_text_file(stream, ctx)
        yield ItemRecord(
            kind="document",
            locator={"file": ctx.file_name},
            title=ctx.file_name,
            text=text,
            fields=fields,
            timestamp=stamp,
            warnings=warnings,
        )
        if rest is not None:
            yield rest

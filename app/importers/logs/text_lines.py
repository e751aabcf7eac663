"""Plain text logs of any other shape: one `log_entry` per timestamped line.

The leading timestamp is recognised in the common forms (ISO 8601, syslog, ctime,
bracketed ctime, compact `081109 203615`, epoch, ...). The form that matched is tried
first on the next line, so a million-line log costs one regular expression per line.
A line with no timestamp of its own (a stack trace, a wrapped message) belongs to the
entry before it. Lines before the first dated entry are quarantined (or imported
undated when the user allows it).
"""

import re

from app.core.records import Quarantined, Skipped
from app.importers.base import ImportContext
from app.importers.logs.rows import LogRowBuilder, oversized
from app.importers.text_decoding import StreamDamaged, decode_head, detect_encoding, iter_lines, read_head

_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# Each matches a line's leading timestamp in group 1 (brackets and separators left out).
LEADING_STAMPS = tuple(
    re.compile(p)
    for p in (
        r"^\[?(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?: ?(?:Z|UTC|[+-]\d\d:?\d\d)\b)?)\]?",  # ISO 8601
        rf"^\[({_DAY} {_MON} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? \d{{4}})\]",  # [Sun Dec 04 04:47:44 2005]
        rf"^({_DAY} {_MON} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? \d{{4}})\b",  # ctime
        rf"^({_MON} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?)\b",  # syslog, year-less
        r"^(\d{6} \d{6})\b",  # compact: 081109 203615
        r"^\[(\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\]",  # 10/Oct/2000:13:55:36 -0700
        r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)\b",
        r"^(\d\d?/\d\d?/\d{4} \d\d?:\d\d:\d\d)\b",
        r"^\[?(\d{10}(?:\.\d{1,6})?|\d{13})\]?(?=\s|$)",  # epoch seconds or milliseconds
    )
)
SNIFF_LINES = 200
MAPPING = {"timestamp": "timestamp"}


class TextLogImporter:
    name = "text"
    family = "logs"

    def sniff(self, head: bytes, filename: str) -> int:
        lines = [ln for ln in decode_head(head).splitlines()[:SNIFF_LINES] if ln.strip()]
        if not lines:
            return 0
        dated = [_leading_stamp(line, None)[0] is not None for line in lines]
        # Stack traces leave many lines undated: a log starts dated, or is dated often.
        return 40 if dated[0] or (sum(dated) >= 2 and sum(dated) >= len(lines) * 0.25) else 0

    def read(self, stream, ctx: ImportContext):
        head, stream = read_head(stream)
        encoding = detect_encoding(head)
        ctx.provenance["encoding"] = encoding.describe()
        builder = LogRowBuilder(self.name, ctx.settings.mapping or MAPPING, ctx)
        entries = _Entries(builder, ctx.settings.max_field_bytes)
        try:
            for line in iter_lines(stream, encoding, ctx.settings.max_field_bytes):
                yield from entries.feed(line)
        except StreamDamaged as damage:
            yield from entries.finish()
            yield Quarantined({"line": damage.line_number, "byte_offset": damage.offset}, b"", damage.reason)
            return
        yield from entries.finish()


class _Entries:
    """Groups lines into entries: a dated line and the undated lines after it."""

    def __init__(self, builder: LogRowBuilder, limit: int):
        self.builder, self.limit = builder, limit
        self.learned = None
        self.locator: dict | None = None
        self.stamp: re.Match | None = None
        self.raw: list[bytes] = []
        self.text: list[str] = []
        self.size = self.count = 0
        self.damage: str | None = None  # some bytes of the entry were not valid in the encoding

    def feed(self, line):
        locator = {"line": line.number, "byte_offset": line.offset}
        body = line.text.rstrip("\r\n")
        if not body.strip():
            yield Skipped(locator, "blank")
            return
        if body.startswith("#"):
            yield Skipped(locator, "comment")
            return
        stamp, self.learned = _leading_stamp(body, self.learned)
        if stamp is None and self.locator is not None:
            self._add(line, body)
            return
        yield from self.finish()
        self.locator, self.stamp = locator, stamp
        self._add(line, body)

    def finish(self):
        """The entry in progress, if any, as a record."""
        if self.locator is None:
            return
        locator, stamp, raw, text = self.locator, self.stamp, b"".join(self.raw), "\n".join(self.text)
        if self.count > 1:
            locator["lines"] = self.count
        size, damage = self.size, self.damage
        self.locator, self.stamp, self.raw, self.text, self.size, self.count = None, None, [], [], 0, 0
        self.damage = None
        if size > self.limit:
            yield oversized(locator, raw, "entry", self.limit, size)
            return
        if stamp is None and not self.builder.undated_ok:
            yield Quarantined(locator, raw, "no timestamp: lines before the first dated entry of the log")
            return
        if stamp is None:
            fields = {"message": text}
        else:
            fields = {"timestamp": stamp.group(1), "message": text[stamp.end() :].lstrip(" \t,:-|")}
        item = self.builder.build(fields, raw, locator, text)
        if damage and not isinstance(item, Quarantined):
            item.warnings.append(damage)
        yield item

    def _add(self, line, body: str) -> None:
        if self.size <= self.limit:  # past the bound, only the size and count go on
            self.raw.append(line.raw)
            self.text.append(body)
        self.size += line.size
        self.count += 1
        self.damage = self.damage or line.damage


def _leading_stamp(line: str, learned):
    """(the match of the line's leading timestamp or None, the pattern to try first next time)."""
    if learned is not None:
        match = learned.match(line)
        if match:
            return match, learned
    for pattern in LEADING_STAMPS:
        match = pattern.match(line)
        if match:
            return match, pattern
    return None, learned

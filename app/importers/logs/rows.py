"""What every log importer does with a row once it has its fields: one `log_entry`.

The mapping picks the timestamp, account, key, IP and model into indexed columns and
the prompt and response into the searchable text; every original field is kept. The
dedup key hashes the format, the mapping and the row's raw bytes, so the same row
from a rotated or re-exported log of the same format and mapping is a duplicate; rows
are events (`dedup_events`), so a row repeated within one log is imported each time.
Timestamps are read by a `StampReader` that learns a source's format from its first
timestamp, so dateutil (500x slower than a learned pattern) runs only as a fallback.
"""

import hashlib
import re
from datetime import datetime, timedelta, timezone

import orjson

from app.core.mapping import apply_mapping, column_value
from app.core.records import ItemRecord, Quarantined
from app.core.timestamps import Timestamp, TimestampError, TimestampParser
from app.importers.base import ImportContext

# strptime patterns tried (once per source) when a timestamp is not ISO 8601 or epoch.
# Patterns without %Y/%y are year-less: the import's year is put in front.
_PATTERNS = (
    "%d/%b/%Y:%H:%M:%S %z",  # web-server logs: 10/Oct/2000:13:55:36 -0700
    "%a %b %d %H:%M:%S %Y",  # ctime: Sun Dec 04 04:47:44 2005
    "%a %b %d %H:%M:%S.%f %Y",  # Apache 2.4 error log
    "%b %d %H:%M:%S",  # syslog (RFC 3164): Nov  9 20:36:15
    "%b %d %H:%M:%S.%f",
    "%b %d %Y %H:%M:%S",
    "%y%m%d %H%M%S",  # compact: 081109 203615
    "%Y/%m/%d %H:%M:%S",
    "%Y%m%d %H:%M:%S",
    "%d-%b-%Y %H:%M:%S",
    "%a, %d %b %Y %H:%M:%S %z",  # RFC 2822
    "%Y-%m-%d %H:%M:%S.%f %z",  # ISO-like, not ISO: a space before the offset
    "%Y-%m-%d %H:%M:%S UTC",
    "%Y-%m-%d %H:%M:%S.%f UTC",
)
_DAY_FIRST = ("%d/%m/%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S", "%d/%m/%Y %H:%M")
_MONTH_FIRST = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M")
_DIGITS = re.compile(r"\d+")
RAW_KEPT = 4096  # bytes of an oversized row kept in the quarantine


class StampReader:
    """Reads one source's timestamps, learning the strptime pattern from the first."""

    def __init__(self, parser: TimestampParser, newest: datetime | None = None):
        self.parser = parser
        # Year-less times later than this (the file's last write) belong to the year before:
        # a log rotated in January holds December's lines.
        self.newest = newest
        self.patterns = _PATTERNS + (_DAY_FIRST if parser.dayfirst else _MONTH_FIRST)
        self.learned: str | None = None
        self.learned_shape: str | None = None

    def parse(self, value) -> Timestamp:
        """A Timestamp, or TimestampError when the value is not a date we can read."""
        if not isinstance(value, str):
            return self.parser.parse(value)
        text = value.strip()
        if self.learned:
            try:
                return self._read(text, self.learned)
            except ValueError:
                if _shape(text) == self.learned_shape:  # e.g. 13/02/2025 where 01/02/2025 was month first
                    hint = "; see --dayfirst" if self.learned in _DAY_FIRST + _MONTH_FIRST else ""
                    raise TimestampError(
                        f"{text!r} does not fit the format of this source's other timestamps ({self.learned}){hint}"
                    ) from None
        if text[4:5] == "-" and text[:4].isdigit():  # ISO 8601 (the common case): read it once, here
            try:
                return self.parser.from_datetime(text, datetime.fromisoformat(text))
            except ValueError:
                pass
        if text.replace(".", "", 1).isdigit() or _is_iso(text):
            return self.parser.parse(text)  # epoch: the parser's fast path
        for pattern in self.patterns:
            try:
                stamp = self._read(text, pattern)
            except ValueError:
                continue
            self.learned, self.learned_shape = pattern, _shape(text)
            return stamp
        return self.parser.parse(text)  # dateutil, for the odd one out

    def _read(self, text: str, pattern: str) -> Timestamp:
        if "%Y" in pattern or "%y" in pattern:
            moment = datetime.strptime(text, pattern)  # noqa: DTZ007 (from_datetime gives it a zone)
            if pattern.endswith(" UTC"):  # stated in words: strptime leaves it naive
                moment = moment.replace(tzinfo=timezone.utc)
            return self.parser.from_datetime(text, moment)
        if self.parser.year is None:
            raise TimestampError(f"{text!r} has no year and none was given")
        moment = datetime.strptime(f"{self.parser.year} {text}", f"%Y {pattern}")  # noqa: DTZ007 (as above)
        if self.newest is not None and moment > self.newest:
            moment = moment.replace(year=moment.year - 1)
            return self.parser.from_datetime(
                text, moment, "year assumed (the year before the file was last written, as the date is later than that)"
            )
        return self.parser.from_datetime(text, moment, "year assumed")


def _is_iso(text: str) -> bool:
    """ISO 8601 that datetime.fromisoformat reads (cheap: 0.1 us, unlike dateutil)."""
    if not (text[:4].isdigit() and text[4:5] == "-"):
        return False
    try:
        datetime.fromisoformat(text)
        return True
    except ValueError:
        return False


def _shape(text: str) -> str:
    """'01/02/2025 10:00' -> '9/9/9 9:9': what a value of the same format looks like."""
    return _DIGITS.sub("9", text)


class LogRowBuilder:
    """Turns one source's rows (fields + raw bytes) into `log_entry` items."""

    def __init__(self, format_name: str, mapping: dict, ctx: ImportContext, raw_summary: bool = True):
        self.mapping = mapping
        self.raw_summary = raw_summary  # a row's own text makes a readable title (not so JSON)
        self.ctx = ctx
        newest = None if ctx.settings.year else (ctx.file_mtime + timedelta(days=1)).replace(tzinfo=None)
        self.stamps = StampReader(ctx.timestamps, newest)
        self.undated_ok = ctx.settings.undated_ok
        self.time_path = mapping.get("timestamp")
        scope = f"{format_name}:{orjson.dumps(mapping, option=orjson.OPT_SORT_KEYS).decode()}\x00"
        self._scope = hashlib.sha256(scope.encode("utf-8"))
        ctx.provenance["format"] = format_name
        ctx.provenance["mapping"] = mapping
        if not self.time_path:
            ctx.provenance["undated_reason"] = "the mapping names no timestamp field"

    def build(
        self,
        fields: dict,
        raw: bytes,
        locator: dict,
        text_default: str | None = None,
        fields_json: str | None = None,
        stamp: Timestamp | None = None,
    ):
        """The row's ItemRecord, or Quarantined when its timestamp cannot be read.

        `text_default` is the searchable text when the mapping names no prompt or
        response; by default the raw row (decoded as UTF-8).
        """
        mapped = apply_mapping(fields, self.mapping)
        warnings = []
        if stamp is None and self.time_path:
            stamp, problem = self._stamp(mapped.get("timestamp"))
            if problem:
                if not self.undated_ok:
                    return Quarantined(locator, raw, problem)
                warnings.append(f"{problem}; imported as undated")
        prompt, response = _text(mapped.get("prompt")), _text(mapped.get("response"))
        account, model = column_value(mapped.get("account")), column_value(mapped.get("model"))
        if prompt and response:
            text = f"{prompt}\n{response}"
        else:  # without prompt or response the row's own text is what search sees
            text = prompt or response or text_default or raw.decode("utf-8", "replace").strip()
        summary = (prompt or (text if self.raw_summary else ""))[:120].replace("\n", " ")
        title = " · ".join([p for p in (account, model, summary) if p])
        digest = self._scope.copy()
        digest.update(raw)
        return ItemRecord(
            kind="log_entry",
            locator=locator,
            title=title or _place(locator),
            text=text,
            fields=fields,
            timestamp=stamp,
            account=account,
            api_key=column_value(mapped.get("api_key")),
            ip=column_value(mapped.get("ip")),
            model=model,
            dedup_key=digest.hexdigest()[:32],
            dedup_events=True,
            warnings=warnings,
            fields_json=fields_json,
        )

    def _stamp(self, value) -> tuple[Timestamp | None, str | None]:
        if value is None or value == "":
            return None, f"no timestamp (the field {self.time_path!r} is missing or empty)"
        try:
            return self.stamps.parse(value), None
        except TimestampError as exc:
            return None, f"timestamp cannot be read: {exc}"


def oversized(locator: dict, raw: bytes, what: str, limit: int, size: int | None = None) -> Quarantined:
    """A row over the size bound: its start kept, with the reason."""
    size = len(raw) if size is None else size
    return Quarantined(locator, raw[:RAW_KEPT], f"{what} of {size:,} bytes exceeds the size bound of {limit:,}")


def _place(locator: dict) -> str:
    return f"record {locator['record']}" if "record" in locator else f"line {locator.get('line')}"


def _text(value) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else orjson.dumps(value).decode()

"""Honest timestamps: the original text, the UTC instant, the zone used, stated or assumed.

Parsing takes the fast paths first (ISO 8601 through `datetime.fromisoformat`, epoch
seconds / milliseconds / microseconds) and falls back to dateutil only when they fail.
A naive time takes the zone the user gave and is marked *assumed*; a time with its
own offset is marked *stated*. Impossible dates are errors, never guesses.
"""

import re
import warnings
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import NamedTuple, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_EPOCH_RE = re.compile(r"^\d{9,16}(\.\d+)?$")
_OFFSET_RE = re.compile(r"^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})$")
# Plausible evidence range: anything outside is a misread, not a date.
_MIN_YEAR, _MAX_YEAR = 1971, 2100
# Zone abbreviations read as the offset they name. Only abbreviations with one common
# meaning are listed (IST, for one, is India, Ireland or Israel: not listed). Giving
# dateutil this table also keeps the reading machine's own zone out of the result.
_HOURS = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "UT": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AKST": -9,
    "AKDT": -8,
    "HST": -10,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "WET": 0,
    "WEST": 1,
    "BST": 1,
    "JST": 9,
    "KST": 9,
    "HKT": 8,
    "SGT": 8,
    "AEST": 10,
    "AEDT": 11,
    "MSK": 3,
}
ZONE_ABBREVIATIONS = {name: timezone(timedelta(hours=hours)) for name, hours in _HOURS.items()}


class TimestampError(ValueError):
    """The text is not a date we can read without guessing."""


class Timestamp(NamedTuple):
    """A point in time as found in the evidence and as normalised.

    Immutable; a named tuple rather than a frozen dataclass because a million log rows
    each make one (2.5x cheaper to construct).
    """

    original: str
    utc_us: int  # microseconds since 1970-01-01T00:00:00Z
    zone: str  # the offset or IANA zone the time was read in
    assumed: bool  # True when the zone was not stated in the evidence
    note: str | None = None  # e.g. "year assumed", "file modification time used"

    @property
    def utc(self) -> datetime:
        return EPOCH + timedelta(microseconds=self.utc_us)

    def iso_utc(self) -> str:
        """ISO 8601 in UTC with microseconds, e.g. 2025-03-01T12:00:00.000000Z."""
        return format_utc_us(self.utc_us)


@overload
def format_utc_us(utc_us: int) -> str: ...
@overload
def format_utc_us(utc_us: None) -> None: ...
@overload
def format_utc_us(utc_us: int | None) -> str | None: ...
def format_utc_us(utc_us: int | None) -> str | None:
    """Format microseconds since the epoch as ISO 8601 UTC (None stays None)."""
    if utc_us is None:
        return None
    moment = EPOCH + timedelta(microseconds=utc_us)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def to_utc_us(moment: datetime) -> int:
    """Exact microseconds since the epoch for an aware datetime."""
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def resolve_zone(name: str):
    """A tzinfo for an IANA name ('Europe/London'), 'UTC' or a fixed offset ('+02:00')."""
    text = (name or "UTC").strip()
    if text.upper() in ("UTC", "Z", "GMT"):
        return timezone.utc
    match = _OFFSET_RE.match(text)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise TimestampError(
            f"Unknown time zone {text!r}; use a name such as Europe/London or an offset such as +02:00."
        ) from exc


def zone_label(moment: datetime) -> str:
    """'+02:00' style label of an aware datetime's offset."""
    return offset_label(moment.utcoffset() or timedelta(0))


@lru_cache(maxsize=4096)
def offset_label(offset: timedelta) -> str:
    """'+02:00' for an offset; cached, as a log holds few offsets and a million rows."""
    total = int(offset.total_seconds())
    sign = "-" if total < 0 else "+"
    total = abs(total)
    return f"{sign}{total // 3600:02d}:{(total % 3600) // 60:02d}"


class TimestampParser:
    """Parses timestamps for one import: one default zone, one day-first choice."""

    def __init__(self, default_zone: str = "UTC", dayfirst: bool = False, year: int | None = None):
        self.zone_name = default_zone or "UTC"
        self.zone = resolve_zone(self.zone_name)
        self.dayfirst = dayfirst
        self.year = year

    def parse(self, value) -> Timestamp:
        """Read a str, int or float; raise TimestampError when it is not a readable date."""
        if value is None:
            raise TimestampError("no timestamp")
        if isinstance(value, bool):
            raise TimestampError(f"not a date: {value!r}")
        if isinstance(value, (int, float)):
            return self._from_epoch(str(value), float(value) if isinstance(value, float) else value)
        text = str(value).strip()
        if not text:
            raise TimestampError("empty timestamp")
        if _EPOCH_RE.match(text):
            return self._from_epoch(text, float(text) if "." in text else int(text))
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
        if moment is None:
            return self._fallback(text)
        return self._finish(text, moment)

    def from_datetime(self, text: str, moment: datetime, note: str | None = None) -> Timestamp:
        """A Timestamp for a time the caller read itself (an importer's learned format)."""
        return self._finish(text, moment, note)

    def _finish(self, text: str, moment: datetime, note: str | None = None) -> Timestamp:
        if not _MIN_YEAR <= moment.year <= _MAX_YEAR:
            raise TimestampError(f"year {moment.year} is outside the plausible range in {text!r}")
        try:
            offset = moment.utcoffset()  # None when naive
        except ValueError as exc:  # dateutil reads "+81:00" into a zone that datetime refuses
            raise TimestampError(f"the zone offset in {text!r} is not a real one (24 hours or more)") from exc
        if offset is not None:
            return Timestamp(text, to_utc_us(moment), offset_label(offset), False, note)
        local, zone_note = self._localise(text, moment)
        label = self.zone_name if isinstance(self.zone, ZoneInfo) else zone_label(local)
        notes = "; ".join(n for n in (note, zone_note) if n) or None
        return Timestamp(text, to_utc_us(local), label, True, notes)

    def _localise(self, text: str, naive: datetime) -> tuple[datetime, str | None]:
        if not isinstance(self.zone, ZoneInfo):
            return naive.replace(tzinfo=self.zone), None
        early = naive.replace(tzinfo=self.zone, fold=0)
        late = naive.replace(tzinfo=self.zone, fold=1)
        round_trip = early.astimezone(timezone.utc).astimezone(self.zone).replace(tzinfo=None)
        if round_trip != naive:
            raise TimestampError(f"{text!r} does not exist in {self.zone_name} (clocks went forward)")
        if early.utcoffset() != late.utcoffset():
            return early, f"ambiguous in {self.zone_name} (clocks went back); the earlier instant was used"
        return early, None

    def _from_epoch(self, text: str, number) -> Timestamp:
        if isinstance(number, float) and not abs(number) < 1e16:  # inf, NaN, or more digits than any epoch unit
            raise TimestampError(f"{text!r} is not a date: no epoch unit has that many digits")
        digits = len(text.split(".")[0].lstrip("-"))
        if digits <= 10:
            utc_us = round(number * 1_000_000)
            unit = "epoch seconds"
        elif digits <= 13:
            utc_us = round(number * 1_000)
            unit = "epoch milliseconds"
        else:
            utc_us = int(number)
            unit = "epoch microseconds"
        try:
            year = (EPOCH + timedelta(microseconds=utc_us)).year
        except OverflowError:  # past the year 9999: a JSON number of 19 digits, say
            raise TimestampError(f"{text!r} read as {unit} falls far outside the plausible range") from None
        if not _MIN_YEAR <= year <= _MAX_YEAR:
            raise TimestampError(f"{text!r} read as {unit} falls in {year}, outside the plausible range")
        return Timestamp(text, utc_us, "UTC", False, unit)

    def _fallback(self, text: str) -> Timestamp:
        default = datetime(self.year or 1900, 1, 1)  # noqa: DTZ001 (fills in missing fields only)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", dateutil_parser.UnknownTimezoneWarning)
                moment = dateutil_parser.parse(
                    text, dayfirst=self.dayfirst, default=default, fuzzy=False, tzinfos=ZONE_ABBREVIATIONS
                )
        except (ValueError, ArithmeticError) as exc:  # Overflow; decimal's InvalidOperation on 40-digit minutes
            raise TimestampError(f"cannot read {text!r} as a date") from exc
        note = _zone_abbreviation_note(caught)
        if moment.year == 1900 and not re.search(r"\b1900\b", text):
            if self.year is None:
                raise TimestampError(f"{text!r} has no year and none was given")
            note = _join(note, "year assumed")
        elif self.year is not None and moment.year == self.year and not re.search(rf"\b{self.year}\b", text):
            note = _join(note, "year assumed")
        return self._finish(text, moment, note)


def _zone_abbreviation_note(caught) -> str | None:
    """Say so when the text named a zone we could not read (the time is then assumed)."""
    for warning in caught:
        if issubclass(warning.category, dateutil_parser.UnknownTimezoneWarning):
            match = re.search(r"tzname (\S+)", str(warning.message))
            name = match.group(1) if match else "?"
            return f"zone {name!r} in the text was not recognised; the import's zone was used instead"
    return None


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second


def with_note(stamp: Timestamp, note: str) -> Timestamp:
    """The same instant with an extra note (e.g. 'received date used')."""
    combined = f"{stamp.note}; {note}" if stamp.note else note
    return Timestamp(stamp.original, stamp.utc_us, stamp.zone, stamp.assumed, combined)

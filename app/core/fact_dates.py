"""A fact's date as counsel writes it: one day or moment, a range, or none.

"2025-03-04", "4 March 2025 14:00", "2025-03-04 to 2025-03-20", "2025-03-04 .. 2025-03-20"
or "" (undated). The text is kept as written; the instants (UTC microseconds) order the
chronology. A date without a zone is read in the case's zone, like an item's.
"""

import re
from typing import NamedTuple

from app.core.timestamps import TimestampError, TimestampParser

# Words and marks that split a range; a bare "-" is part of ISO dates, so it needs spaces.
_RANGE_SPLIT = re.compile(r"\s+(?:to|until|through|-|–|—)\s+|\s*\.\.\s*|\s*–\s*|\s*—\s*", re.IGNORECASE)


class FactDate(NamedTuple):
    text: str  # as written; "" when undated
    start_us: int | None
    end_us: int | None  # None unless a range


UNDATED = FactDate("", None, None)


def parse_fact_date(text: str | None, zone: str = "UTC") -> FactDate:
    """Read a fact's date; raise TimestampError (in plain words) when it cannot be read."""
    text = (text or "").strip()
    if not text or text.lower() in ("undated", "none"):
        return UNDATED
    parser = TimestampParser(zone)
    parts = [p.strip() for p in _RANGE_SPLIT.split(text, maxsplit=1)]
    try:
        start = parser.parse(parts[0]).utc_us
        end = parser.parse(parts[1]).utc_us if len(parts) == 2 else None
    except TimestampError as exc:
        raise TimestampError(f"The fact's date {text!r} cannot be read ({exc}).") from exc
    if end is not None and end < start:
        raise TimestampError(f"The fact's date range {text!r} ends before it starts.")
    return FactDate(text, start, end)

"""Counts of evidence over time for the GUI's timeline (plain SQL range counts, no Qt).

Days and weeks are those of the zone the times are shown in, not UTC days: a bar is
one local calendar day (23 or 25 hours long when the clocks change), so evidence from
late in a Los Angeles evening is counted on that evening's day. Each bar is a range of
`ts_us` (UTC microseconds) counted by SQLite, with no Python per row. Log entries are
split by account (the busiest N, the rest as "other accounts"); other kinds have one
series each. Undated items are counted apart: they have no place on a time axis.

Given an ItemFilter (the table's search, kinds, sources, tags...), only the items it
selects are counted, in one grouped pass (a search's matches are read once, not once
per bar); `Timeline.all_dated` then says how many dated items the case has in all.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from app.core.cancel import Progress
from app.core.records import ITEM_KINDS
from app.core.timestamps import resolve_zone
from app.store.item_query import ItemFilter
from app.store.schema import CHRONO_KEY

HOUR_US = 3_600_000_000
DAY_US = 24 * HOUR_US
WEEK_US = 7 * DAY_US
QUARTER_US = 15 * 60_000_000  # every zone's offset from UTC is a whole number of these
WIDTHS = {"hour": HOUR_US, "day": DAY_US, "week": WEEK_US}  # nominal: local days and weeks vary
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
EPOCH_DATE = date(1970, 1, 1)
FIRST_MONDAY = date(1970, 1, 5)  # weeks start on Monday
OTHER_ACCOUNTS = "other accounts"
UNDATED = 9223372036854775807  # CHRONO_KEY of an undated item
DATED = f"{CHRONO_KEY} < {UNDATED}"  # conditions on CHRONO_KEY use the items_chrono / items_kind indexes
IN_RANGE = f"{CHRONO_KEY} >= ? AND {CHRONO_KEY} < ?"
OUTLIER_SHARE = 0.005  # at most this share of items at each end may be left out of the focus
OUTLIER_SPREAD = 5  # ... and only when they stretch the axis more than this many times
KIND_SERIES = {
    "email": "emails",
    "attachment": "attachments",
    "output": "outputs",
    "document": "documents",
    "image": "images",
}


@dataclass
class Timeline:
    """Counts per bucket and series; bucket i covers [start_us(i), start_us(i + 1)).

    Buckets are numbered from 1970 in the zone `zone`: days since 1970-01-01, weeks since
    Monday 1970-01-05, hours since 1970-01-01T00:00 UTC (shifted by the zone's part-hour
    offset, e.g. 30 minutes for India, so that they are whole local hours).
    """

    unit: str
    zone: str = "UTC"
    series: dict[str, dict[int, int]] = field(default_factory=dict)
    tagged: dict[int, int] = field(default_factory=dict)
    undated: int = 0
    outside: int = 0  # dated items outside the range shown (outliers such as a 1970 or 2000 date)
    span: tuple[int, int] | None = None  # the dated range counted (UTC microseconds, inclusive)
    item_filter: ItemFilter | None = None  # what was counted (None: every item)
    all_dated: int | None = None  # with a filter: the dated items of the whole case

    def __post_init__(self):
        self.tz = resolve_zone(self.zone)
        offset = datetime.now(self.tz).utcoffset()
        assert offset is not None  # an aware time always has one
        offset_us = int(offset.total_seconds()) * 1_000_000
        self._hour_origin_us = -offset_us % HOUR_US  # 0 for a whole-hour zone

    @property
    def buckets(self) -> range:
        keys = [b for counts in self.series.values() for b in counts]
        return range(min(keys), max(keys) + 1) if keys else range(0)

    def start_us(self, bucket: int) -> int:
        """The first instant of the bucket, UTC microseconds (a local midnight for days and weeks)."""
        if self.unit == "hour":
            return bucket * HOUR_US + self._hour_origin_us
        first = EPOCH_DATE + timedelta(days=bucket) if self.unit == "day" else FIRST_MONDAY + timedelta(weeks=bucket)
        midnight = datetime(first.year, first.month, first.day, tzinfo=self.tz)
        return (midnight - EPOCH) // timedelta(microseconds=1)

    def bucket_of(self, ts_us: int) -> int:
        if self.unit == "hour":
            return (ts_us - self._hour_origin_us) // HOUR_US
        local = (EPOCH + timedelta(microseconds=ts_us)).astimezone(self.tz).date()
        return (local - EPOCH_DATE).days if self.unit == "day" else (local - FIRST_MONDAY).days // 7

    def total(self, bucket: int) -> int:
        return sum(counts.get(bucket, 0) for counts in self.series.values())


def _scope(item_filter: ItemFilter | None) -> tuple[str, list]:
    """The SQL condition and parameters of what is counted (every item when no filter)."""
    return item_filter.where() if item_filter is not None else ("1", [])


def _nth_dated(conn, offset: int, descending: bool, item_filter: ItemFilter | None = None) -> int | None:
    order = "DESC" if descending else ""
    where, params = _scope(item_filter)
    row = conn.execute(
        f"SELECT ts_us FROM items WHERE {DATED} AND {where} ORDER BY {CHRONO_KEY} {order} LIMIT 1 OFFSET ?",
        (*params, offset),
    ).fetchone()
    return row[0] if row else None


def dated_ends(conn) -> tuple[int | None, int | None]:
    """ts_us of the first and of the last dated item, each one seek on the chronological index."""
    return _nth_dated(conn, 0, False), _nth_dated(conn, 0, True)


def dated_span(conn, item_filter: ItemFilter | None = None) -> tuple[int, int] | None:
    """[first, last] instant of the dated items (two index seeks when unfiltered)."""
    where, params = _scope(item_filter)
    low = conn.execute(f"SELECT min({CHRONO_KEY}) FROM items WHERE {DATED} AND {where}", params).fetchone()[0]
    high = conn.execute(f"SELECT max({CHRONO_KEY}) FROM items WHERE {DATED} AND {where}", params).fetchone()[0]
    return None if low is None else (low, high)


def focus_range(conn, item_filter: ItemFilter | None = None) -> tuple[int, int] | None:
    """[low, high] of dated items, leaving out a few far outliers that would squash the chart."""
    span = dated_span(conn, item_filter)
    if span is None:
        return None
    low, high = span
    where, params = _scope(item_filter)
    skip = int(_count(conn, f"{DATED} AND {where}", params) * OUTLIER_SHARE)
    inner_low = _nth_dated(conn, skip, False, item_filter)
    inner_high = _nth_dated(conn, skip, True, item_filter)
    if inner_low is None or inner_high is None:  # only if the items changed between the reads
        return low, high
    inner_span = max(inner_high - inner_low, DAY_US)
    if (high - low) <= OUTLIER_SPREAD * inner_span:
        return low, high
    margin = inner_span // 2  # keep the near tails; leave out only the far outliers
    return max(low, inner_low - margin), min(high, inner_high + margin)


def choose_unit(conn, max_buckets: int = 400, span: tuple[int, int] | None = None) -> str:
    """The finest unit that shows the span (default: the focus range) in at most `max_buckets` bars."""
    span = span or focus_range(conn)
    if span is None:
        return "day"
    low, high = span
    for unit in ("hour", "day"):
        if (high - low) // WIDTHS[unit] < max_buckets:
            return unit
    return "week"


def _count(conn, where: str, params=()) -> int:
    return conn.execute(f"SELECT count(*) FROM items WHERE {where}", params).fetchone()[0]


def count_timeline(
    conn, unit: str = "day", top_accounts: int = 5, span: tuple[int, int] | None = None, zone: str = "UTC"
) -> Timeline:
    """Counts of dated items per bucket (within `span`, default all): logs by account, then each kind.

    Each bar is a range count on the chronological indexes (no sort of a million rows);
    only the split of log rows by account reads the rows themselves.
    """
    timeline = Timeline(unit, zone)
    span = span or dated_span(conn)
    timeline.undated = _count(conn, f"{CHRONO_KEY} = {UNDATED}")
    if span is None:
        return timeline
    ranges = [
        (b, max(span[0], timeline.start_us(b)), min(span[1] + 1, timeline.start_us(b + 1)))
        for b in range(timeline.bucket_of(span[0]), timeline.bucket_of(span[1]) + 1)
    ]
    shown = 0
    for kind in ITEM_KINDS:
        counts = {b: n for b, lo, hi in ranges if (n := _count(conn, IN_RANGE + " AND kind = ?", (lo, hi, kind)))}
        shown += sum(counts.values())
        if kind == "log_entry":
            timeline.series.update(_logs_by_account(conn, ranges, counts, top_accounts))
        elif counts:
            timeline.series[KIND_SERIES.get(kind, kind)] = counts
    timeline.span = span
    timeline.tagged = count_tagged(conn, timeline)
    timeline.outside = _count(conn, DATED) - shown
    return timeline


def count_filtered_timeline(
    conn, unit: str, item_filter: ItemFilter, top_accounts: int = 5, span: tuple[int, int] | None = None, zone="UTC"
) -> Timeline:
    """`count_timeline` over the items `item_filter` selects, in one pass grouped by quarter hour.

    A filter (a search above all) cannot use the per-bar range counts: each would read
    the search's matches again. No local day or hour starts inside a quarter of an hour."""
    timeline = Timeline(unit, zone, item_filter=item_filter)
    where, params = _scope(item_filter)
    timeline.all_dated = _count(conn, DATED)
    timeline.undated = _count(conn, f"{CHRONO_KEY} = {UNDATED} AND {where}", params)
    span = span or dated_span(conn, item_filter)
    if span is None:
        return timeline
    top = [
        r[0]
        for r in conn.execute(
            f"SELECT account FROM items WHERE kind = 'log_entry' AND account IS NOT NULL AND {where}"
            " GROUP BY account ORDER BY count(*) DESC, account LIMIT ?",
            (*params, top_accounts),
        )
    ]
    account = f"CASE WHEN kind = 'log_entry' AND account IN ({', '.join('?' for _ in top) or 'NULL'}) THEN account END"
    for quarter, kind, name, count in conn.execute(
        f"SELECT {CHRONO_KEY} / {QUARTER_US} - ({CHRONO_KEY} % {QUARTER_US} < 0) AS q, kind, {account}, count(*)"
        f" FROM items WHERE {IN_RANGE} AND {where} GROUP BY q, kind, 3",
        (*top, span[0], span[1] + 1, *params),
    ):
        if kind == "log_entry":
            series = f"logs: {name if name is not None else OTHER_ACCOUNTS}"
        else:
            series = KIND_SERIES.get(kind, kind)
        counts = timeline.series.setdefault(series, {})
        bucket = timeline.bucket_of(quarter * QUARTER_US)
        counts[bucket] = counts.get(bucket, 0) + count
    shown = sum(sum(c.values()) for c in timeline.series.values())
    timeline.span = span
    timeline.tagged = count_tagged(conn, timeline)
    timeline.outside = _count(conn, f"{DATED} AND {where}", params) - shown
    return timeline


def count_tagged(conn, timeline: Timeline) -> dict[int, int]:
    """Tagged items per bar of `timeline` (what a tag change recounts: the bars stay).

    One pass, however many bars: counted per quarter of an hour (no local day or hour
    starts inside one), each quarter then added to its bar.
    """
    tagged: dict[int, int] = {}
    if timeline.span is None:
        return tagged
    where, params = _scope(timeline.item_filter)
    for quarter, count in conn.execute(
        f"SELECT {CHRONO_KEY} / {QUARTER_US} - ({CHRONO_KEY} % {QUARTER_US} < 0) AS q, count(*) FROM items"
        f" WHERE id IN (SELECT item_id FROM tags) AND {IN_RANGE} AND {where} GROUP BY q",
        (timeline.span[0], timeline.span[1] + 1, *params),
    ):
        bucket = timeline.bucket_of(quarter * QUARTER_US)
        tagged[bucket] = tagged.get(bucket, 0) + count
    return tagged


def _logs_by_account(conn, ranges, log_counts: dict[int, int], top_accounts: int) -> dict[str, dict[int, int]]:
    """Log rows per bucket for the busiest accounts, the rest as "other accounts"."""
    top = [
        r[0]
        for r in conn.execute(
            "SELECT account FROM items INDEXED BY items_account WHERE account IS NOT NULL"
            " GROUP BY account ORDER BY count(*) DESC, account LIMIT ?",
            (top_accounts,),
        )
    ]
    series: dict[str, dict[int, int]] = {f"logs: {a}": {} for a in top}
    other: dict[int, int] = {}
    sums = ", ".join("coalesce(sum(account = ?), 0)" for _ in top) or "0"
    for b, lo, hi in ranges:
        if not log_counts.get(b):
            continue
        per_account = (
            conn.execute(f"SELECT {sums} FROM items WHERE {IN_RANGE} AND kind = 'log_entry'", (*top, lo, hi)).fetchone()
            if top
            else ()
        )
        for account, count in zip(top, per_account):
            if count:
                series[f"logs: {account}"][b] = count
        if log_counts[b] - sum(per_account):
            other[b] = log_counts[b] - sum(per_account)
    series[f"logs: {OTHER_ACCOUNTS}"] = other
    return {name: counts for name, counts in series.items() if counts}


def count_timeline_steps(
    case, unit: str = "auto", focus: bool = True, token=None, zone: str = "UTC", item_filter: ItemFilter | None = None
):
    """Choose the span and unit, then count: a Progress generator, so a worker thread can run it."""
    yield Progress("Counting items over time", 0, None, "steps")
    return timeline_for(case.conn, unit, focus, zone, item_filter)


def count_tagged_steps(case, timeline: Timeline, token=None):
    """`count_tagged` as a Progress generator for a worker thread; returns (timeline, tagged)."""
    yield Progress("Counting tagged items over time", 0, None, "steps")
    return timeline, count_tagged(case.conn, timeline)


def timeline_for(
    conn, unit: str = "auto", focus: bool = True, zone: str = "UTC", item_filter: ItemFilter | None = None
) -> Timeline:
    """The timeline as the view shows it: outliers left aside when `focus`, unit chosen when "auto".

    With `item_filter` (one narrower than every item) only the items it selects are counted."""
    if item_filter == ItemFilter():
        item_filter = None
    span = focus_range(conn, item_filter) if focus else None
    if unit == "auto":
        unit = choose_unit(
            conn, span=span or (full_span(conn) if item_filter is None else dated_span(conn, item_filter))
        )
    if item_filter is not None:
        return count_filtered_timeline(conn, unit, item_filter, span=span, zone=zone)
    return count_timeline(conn, unit, span=span, zone=zone)


def full_span(conn) -> tuple[int, int] | None:
    """[min, max] ts_us of the dated items (None when none is dated)."""
    low, high = conn.execute("SELECT min(ts_us), max(ts_us) FROM items WHERE ts_us IS NOT NULL").fetchone()
    return None if low is None else (low, high)

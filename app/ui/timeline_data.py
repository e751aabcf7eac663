"""Counts of evidence over time for the timeline (Qt-free; plain SQL GROUP BY).

Buckets are integer divisions of `ts_us` (UTC microseconds), so counting a million
rows is one pass of SQLite with no Python per row. Log entries are split by account
(the busiest N, the rest as "other accounts"); other kinds have one series each.
Undated items are counted apart: they have no place on a time axis.
"""

from dataclasses import dataclass, field

from app.core.cancel import Progress
from app.store.schema import CHRONO_KEY

HOUR_US = 3_600_000_000
DAY_US = 24 * HOUR_US
WEEK_US = 7 * DAY_US
MONDAY_ORIGIN_US = 4 * DAY_US  # 1970-01-01 was a Thursday; weeks start on Monday
BUCKETS = {"hour": (HOUR_US, 0), "day": (DAY_US, 0), "week": (WEEK_US, MONDAY_ORIGIN_US)}
OTHER_ACCOUNTS = "other accounts"
OUTLIER_SHARE = 0.005  # at most this share of items at each end may be left out of the focus
OUTLIER_SPREAD = 5  # ... and only when they stretch the axis more than this many times
KIND_SERIES = {"email": "emails", "attachment": "attachments", "output": "outputs",
               "document": "documents", "image": "images"}


@dataclass
class Timeline:
    """Counts per bucket and series; bucket i covers [start_us(i), start_us(i) + width_us)."""

    unit: str
    width_us: int
    origin_us: int
    series: dict[str, dict[int, int]] = field(default_factory=dict)
    tagged: dict[int, int] = field(default_factory=dict)
    undated: int = 0
    outside: int = 0  # dated items outside the range shown (outliers such as a 1970 or 2000 date)

    @property
    def buckets(self) -> range:
        keys = [b for counts in self.series.values() for b in counts]
        return range(min(keys), max(keys) + 1) if keys else range(0)

    def start_us(self, bucket: int) -> int:
        return bucket * self.width_us + self.origin_us

    def bucket_of(self, ts_us: int) -> int:
        return (ts_us - self.origin_us) // self.width_us

    def total(self, bucket: int) -> int:
        return sum(counts.get(bucket, 0) for counts in self.series.values())


def _nth_dated(conn, offset: int, descending: bool) -> int | None:
    order = "DESC" if descending else ""
    row = conn.execute(f"SELECT ts_us FROM items WHERE ts_us IS NOT NULL ORDER BY {CHRONO_KEY} {order}"
                       " LIMIT 1 OFFSET ?", (offset,)).fetchone()
    return row[0] if row else None


def focus_range(conn) -> tuple[int, int] | None:
    """[low, high] of dated items, leaving out a few far outliers that would squash the chart."""
    low, high, count = conn.execute(
        "SELECT min(ts_us), max(ts_us), count(ts_us) FROM items WHERE ts_us IS NOT NULL").fetchone()
    if low is None:
        return None
    skip = int(count * OUTLIER_SHARE)
    inner_low, inner_high = _nth_dated(conn, skip, False), _nth_dated(conn, skip, True)
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
        if (high - low) // BUCKETS[unit][0] < max_buckets:
            return unit
    return "week"


def count_timeline(conn, unit: str = "day", top_accounts: int = 5, span: tuple[int, int] | None = None) -> Timeline:
    """Counts of dated items per bucket (within `span` when given): logs by account, then each kind."""
    width, origin = BUCKETS[unit]
    timeline = Timeline(unit, width, origin)
    bucket = f"(ts_us - {origin}) / {width}"
    dated = "ts_us IS NOT NULL" if span is None else f"ts_us BETWEEN {int(span[0])} AND {int(span[1])}"
    top = [r[0] for r in conn.execute(
        f"SELECT account FROM items WHERE kind = 'log_entry' AND {dated} AND account IS NOT NULL"
        " GROUP BY account ORDER BY count(*) DESC, account LIMIT ?", (top_accounts,))]
    marks = ",".join("?" * len(top)) or "NULL"
    rows = conn.execute(
        f"SELECT {bucket} AS b, kind, CASE WHEN kind != 'log_entry' THEN NULL"
        f" WHEN account IN ({marks}) THEN account ELSE '{OTHER_ACCOUNTS}' END AS who, count(*)"
        f" FROM items WHERE {dated} GROUP BY b, kind, who", top)
    for b, kind, who, count in rows:
        name = f"logs: {who}" if kind == "log_entry" else KIND_SERIES.get(kind, kind)
        timeline.series.setdefault(name, {})[b] = count
    timeline.series = dict(sorted(timeline.series.items(), key=lambda kv: _series_order(kv[0], top)))
    timeline.tagged = dict(conn.execute(
        f"SELECT {bucket} AS b, count(*) FROM items WHERE {dated}"
        " AND id IN (SELECT item_id FROM tags) GROUP BY b"))
    timeline.undated = conn.execute("SELECT count(*) FROM items WHERE ts_us IS NULL").fetchone()[0]
    if span is not None:
        timeline.outside = conn.execute(f"SELECT count(*) FROM items WHERE ts_us IS NOT NULL AND NOT ({dated})"
                                        ).fetchone()[0]
    return timeline


def _series_order(name: str, top: list[str]) -> tuple:
    if name.startswith("logs: "):
        who = name[len("logs: "):]
        return (0, top.index(who) if who in top else len(top))
    return (1, name)


def count_timeline_steps(case, unit: str = "auto", focus: bool = True, token=None):
    """Choose the span and unit, then count: a Progress generator, so a worker thread can run it."""
    yield Progress("Counting items over time", 0, None, "steps")
    return timeline_for(case.conn, unit, focus)


def timeline_for(conn, unit: str = "auto", focus: bool = True) -> Timeline:
    """The timeline as the view shows it: outliers left aside when `focus`, unit chosen when "auto"."""
    span = focus_range(conn) if focus else None
    if unit == "auto":
        unit = choose_unit(conn, span=span or _full_span(conn))
    return count_timeline(conn, unit, span=span)


def _full_span(conn) -> tuple[int, int] | None:
    low, high = conn.execute("SELECT min(ts_us), max(ts_us) FROM items WHERE ts_us IS NOT NULL").fetchone()
    return None if low is None else (low, high)

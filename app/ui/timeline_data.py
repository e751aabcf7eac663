"""Counts of evidence over time for the timeline (Qt-free; plain SQL GROUP BY).

Buckets are integer divisions of `ts_us` (UTC microseconds), so counting a million
rows is one pass of SQLite with no Python per row. Log entries are split by account
(the busiest N, the rest as "other accounts"); other kinds have one series each.
Undated items are counted apart: they have no place on a time axis.
"""

from dataclasses import dataclass, field

from app.core.cancel import Progress

HOUR_US = 3_600_000_000
DAY_US = 24 * HOUR_US
WEEK_US = 7 * DAY_US
MONDAY_ORIGIN_US = 4 * DAY_US  # 1970-01-01 was a Thursday; weeks start on Monday
BUCKETS = {"hour": (HOUR_US, 0), "day": (DAY_US, 0), "week": (WEEK_US, MONDAY_ORIGIN_US)}
OTHER_ACCOUNTS = "other accounts"
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


def choose_unit(conn, max_buckets: int = 400) -> str:
    """The finest unit that shows the case's whole span in at most `max_buckets` bars."""
    low, high = conn.execute("SELECT min(ts_us), max(ts_us) FROM items WHERE ts_us IS NOT NULL").fetchone()
    if low is None:
        return "day"
    for unit in ("hour", "day"):
        if (high - low) // BUCKETS[unit][0] < max_buckets:
            return unit
    return "week"


def count_timeline(conn, unit: str = "day", top_accounts: int = 5) -> Timeline:
    """Counts of dated items per bucket: log volume by account, then each other kind."""
    width, origin = BUCKETS[unit]
    timeline = Timeline(unit, width, origin)
    bucket = f"(ts_us - {origin}) / {width}"
    top = [r[0] for r in conn.execute(
        "SELECT account FROM items WHERE kind = 'log_entry' AND ts_us IS NOT NULL AND account IS NOT NULL"
        " GROUP BY account ORDER BY count(*) DESC, account LIMIT ?", (top_accounts,))]
    marks = ",".join("?" * len(top)) or "NULL"
    rows = conn.execute(
        f"SELECT {bucket} AS b, kind, CASE WHEN kind != 'log_entry' THEN NULL"
        f" WHEN account IN ({marks}) THEN account ELSE '{OTHER_ACCOUNTS}' END AS who, count(*)"
        " FROM items WHERE ts_us IS NOT NULL GROUP BY b, kind, who", top)
    for b, kind, who, count in rows:
        name = f"logs: {who}" if kind == "log_entry" else KIND_SERIES.get(kind, kind)
        timeline.series.setdefault(name, {})[b] = count
    timeline.series = dict(sorted(timeline.series.items(), key=lambda kv: _series_order(kv[0], top)))
    timeline.tagged = dict(conn.execute(
        f"SELECT {bucket} AS b, count(*) FROM items WHERE ts_us IS NOT NULL"
        " AND id IN (SELECT item_id FROM tags) GROUP BY b"))
    timeline.undated = conn.execute("SELECT count(*) FROM items WHERE ts_us IS NULL").fetchone()[0]
    return timeline


def _series_order(name: str, top: list[str]) -> tuple:
    if name.startswith("logs: "):
        who = name[len("logs: "):]
        return (0, top.index(who) if who in top else len(top))
    return (1, name)


def count_timeline_steps(case, unit: str = "day", top_accounts: int = 5, token=None):
    """The same count as a Progress generator, so a worker thread can run it."""
    yield Progress("Counting items over time", 0, None, "steps")
    if unit == "auto":
        unit = choose_unit(case.conn)
    return count_timeline(case.conn, unit, top_accounts)

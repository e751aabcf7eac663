"""Per-account numbers, aggregated in SQL over the temporary feature table.

Each query groups the whole table once; what comes back is per account (or per account
and hour, key, template, requests-per-minute), so memory grows with the number of
accounts, never with the number of rows.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from app.analysis.extraction.features import TABLE, US


@dataclass
class AccountStats:
    acct: int
    name: str
    requests: int = 0
    served: int = 0
    limited: int = 0
    output: int = 0
    input_served: int = 0
    prompts: int = 0  # requests with a prompt
    active_days: int = 0
    busiest_day_output: int = 0
    first_ts: int | None = None
    last_ts: int | None = None
    reasoning: int = 0
    numbered: int = 0
    distinct_numbers: int = 0
    hours: list[int] = field(default_factory=lambda: [0] * 24)
    templates: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # side -> [(signature, count)]
    domains: Counter = field(default_factory=Counter)
    gaps: tuple[int, float, float] = (0, 0.0, 0.0)  # count, sum, sum of squares (seconds)
    per_minute: Counter = field(default_factory=Counter)  # requests in a minute -> minutes with that many
    keys: list[tuple[int, int, int, int]] = field(default_factory=list)  # (key, first ts, last ts, requests)

    @property
    def gap_cv(self) -> float | None:
        """Coefficient of variation of the time between requests (None with too few)."""
        n, total, squares = self.gaps
        if n < 2 or total <= 0:
            return None
        mean = total / n
        variance = max(squares / n - mean * mean, 0.0)
        return math.sqrt(variance) / mean


def account_stats(conn, account_names: list[str], top_templates: int, token) -> dict[int, AccountStats]:
    stats = {acct: AccountStats(acct, name) for acct, name in enumerate(account_names)}
    for row in conn.execute(
        "SELECT acct, count(*), sum(ok), sum(limited), sum(out_tokens), sum(CASE WHEN ok THEN in_tokens ELSE 0 END),"
        " count(psig), min(ts), max(ts), sum(reasoning), count(task), count(DISTINCT task)"
        f" FROM {TABLE} GROUP BY acct"
    ):
        s = stats[row[0]]
        (
            s.requests,
            s.served,
            s.limited,
            s.output,
            s.input_served,
            s.prompts,
            s.first_ts,
            s.last_ts,
            s.reasoning,
            s.numbered,
            s.distinct_numbers,
        ) = row[1:]
    token.raise_if_cancelled()
    _timeline(conn, stats)
    token.raise_if_cancelled()
    for side, column in (("prefix", "psig"), ("suffix", "ssig")):
        for acct, signature, count in conn.execute(
            f"SELECT acct, sig, c FROM (SELECT acct, {column} sig, count(*) c, row_number() OVER"
            f" (PARTITION BY acct ORDER BY count(*) DESC, {column}) rn FROM {TABLE} WHERE {column} IS NOT NULL"
            f" GROUP BY acct, {column}) WHERE rn <= ? ORDER BY acct, rn",
            (top_templates,),
        ):
            stats[acct].templates.setdefault(side, []).append((signature, count))
        token.raise_if_cancelled()
    for acct, domain, count in conn.execute(
        f"SELECT acct, domain, count(*) FROM {TABLE} WHERE domain IS NOT NULL GROUP BY acct, domain"
    ):
        stats[acct].domains[domain] = count
    token.raise_if_cancelled()
    return stats


def _timeline(conn, stats: dict[int, AccountStats]) -> None:
    """Hours, active days, the busiest day's output, the gaps between requests (summed in the
    order SQL summed them), requests per minute and each key's span,
    in one walk of the rows in account and time order (off the index: no sort), where SQL
    would sort the whole table once for each of them."""
    day_us, hour_us, minute_us = 86_400 * US, 3_600 * US, 60 * US
    current = day = minute = s = previous = None
    day_output = minute_count = gaps = 0
    total = squares = 0.0
    keys: dict[int, list] = {}
    for acct, ts, key, out in conn.execute(
        f"SELECT acct, ts, key, out_tokens FROM {TABLE} WHERE ts IS NOT NULL ORDER BY acct, ts, item_id"
    ):
        if acct != current:
            if current is not None:
                _close(s, day_output, minute_count, keys)
                s.gaps = (gaps, total, squares)
            current, s = acct, stats[acct]
            day = minute = previous = None
            day_output = minute_count = gaps = 0
            total = squares = 0.0
            keys = {}
        if previous is not None:  # the time since the account's request before, in seconds
            gap = (ts - previous) / 1e6
            gaps += 1
            total += gap
            squares += gap * gap
        previous = ts
        if ts < 0:  # SQL's integer division truncates toward zero, Python's floors
            this_day, this_minute, hour = -(-ts // day_us), -(-ts // minute_us), -(-ts // hour_us) % -24
        else:
            this_day, this_minute, hour = ts // day_us, ts // minute_us, ts // hour_us % 24
        s.hours[hour] += 1
        if this_day != day:
            if day is not None:
                s.busiest_day_output = max(s.busiest_day_output, day_output)
            day, day_output = this_day, 0
            s.active_days += 1
        day_output += out or 0
        if this_minute != minute:
            if minute is not None:
                s.per_minute[minute_count] += 1
            minute, minute_count = this_minute, 0
        minute_count += 1
        if key is not None:
            span = keys.get(key)
            if span is None:
                keys[key] = [ts, ts, 1]
            else:
                span[1] = ts
                span[2] += 1
    if current is not None:
        _close(s, day_output, minute_count, keys)
        s.gaps = (gaps, total, squares)
    undated: dict[int, dict[int, list]] = {}
    for acct, key, count in conn.execute(
        f"SELECT acct, key, count(*) FROM {TABLE} WHERE ts IS NULL AND key IS NOT NULL GROUP BY acct, key"
    ):
        undated.setdefault(acct, {})[key] = count
    for acct, counts in undated.items():  # keys used on undated rows too (or only)
        s = stats[acct]
        spans = {key: [first, last, count] for key, first, last, count in s.keys}
        for key, count in counts.items():
            spans.setdefault(key, [None, None, 0])[2] += count
        s.keys = _ordered(spans)


def _close(s: AccountStats, day_output: int, minute_count: int, keys: dict[int, list]) -> None:
    s.busiest_day_output = max(s.busiest_day_output, day_output)
    s.per_minute[minute_count] += 1
    s.keys = _ordered(keys)


def _ordered(spans: dict[int, list]) -> list[tuple[int, int, int, int]]:
    """(key, first, last, requests) by first use then key, as SQL orders them (no time first)."""
    return sorted(
        ((key, first, last, count) for key, (first, last, count) in spans.items()),
        key=lambda k: (k[1] is not None, k[1] or 0, k[0]),
    )


def shared_values(conn, column: str, max_accounts: int | None = None) -> dict[int, list[int]]:
    """{value: accounts} for each key, address or block used by more than one account
    (and by at most `max_accounts`, when given: an address behind which half the world
    sits links nobody)."""
    having = "count(DISTINCT acct) > 1" + (f" AND count(DISTINCT acct) <= {int(max_accounts)}" if max_accounts else "")
    shared: dict[int, list[int]] = {}
    for value, accounts in conn.execute(  # one sort by value, where a join back to the rows took two
        f"SELECT {column}, group_concat(DISTINCT acct) FROM {TABLE} WHERE {column} IS NOT NULL"
        f" GROUP BY {column} HAVING {having} ORDER BY {column}"
    ):
        shared[value] = sorted(int(acct) for acct in accounts.split(","))
    return shared


def too_shared(conn, column: str, max_accounts: int) -> int:
    """How many keys, addresses or blocks were used by more than `max_accounts` accounts."""
    return conn.execute(
        f"SELECT count(*) FROM (SELECT {column} FROM {TABLE} WHERE {column} IS NOT NULL GROUP BY {column}"
        f" HAVING count(DISTINCT acct) > {int(max_accounts)})"
    ).fetchone()[0]


def distinct_fillings(conn, acct: int, column: str, signatures: list[int]) -> int:
    marks = ", ".join("?" * len(signatures))
    return conn.execute(
        f"SELECT count(DISTINCT whole) FROM {TABLE} WHERE acct = ? AND {column} IN ({marks})", (acct, *signatures)
    ).fetchone()[0]


def example_item(conn, acct: int, column: str, signature: int) -> int | None:
    return conn.execute(
        f"SELECT min(item_id) FROM {TABLE} WHERE acct = ? AND {column} = ?", (acct, signature)
    ).fetchone()[0]


def item_ids(conn, acct: int, condition: str = "1", params=()) -> list[int]:
    """The account's rows meeting a condition over the feature columns, in id order."""
    return [
        r[0]
        for r in conn.execute(
            f"SELECT item_id FROM {TABLE} WHERE acct = ? AND ({condition}) ORDER BY item_id", (acct, *params)
        )
    ]


def times(conn, acct: int):
    """(item id, time) of the account's dated rows, in time order."""
    return conn.execute(
        f"SELECT item_id, ts FROM {TABLE} WHERE acct = ? AND ts IS NOT NULL ORDER BY ts, item_id", (acct,)
    )


def time_span(conn) -> tuple[int | None, int | None]:
    return conn.execute(f"SELECT min(ts), max(ts) FROM {TABLE}").fetchone()

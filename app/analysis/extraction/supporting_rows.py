"""The rows behind each indicator that fired: what a reviewer lists, tags and exhibits.

Each is a condition over the account's rows in the feature table, in the indicator's own
terms: the served rows (volume), the prompts in its top templates, the prompts asking for
reasoning, the requests in the hours a person sleeps, the minutes held at a ceiling and
the refusals for rate limits, the first and last use of each key, the rows on shared keys,
the numbered tasks, the requests that line up with another account's.
"""

from app.analysis.extraction import account_stats as sql
from app.analysis.extraction.features import HOUR, TABLE
from app.analysis.extraction.model import AccountFinding


def supporting_rows(conn, table, account: AccountFinding, rules: dict) -> None:
    acct = table.accounts.ids[account.account]
    details = account.details
    for found in account.indicators:
        if not found.fired:
            continue
        found.items = _rows(conn, table, acct, found.code, details, rules)


def _rows(conn, table, acct: int, code: str, details: dict, rules: dict) -> list[int]:
    if code == "volume":
        return sql.item_ids(conn, acct, "ok = 1 AND out_tokens > 0")
    if code == "template_reuse":
        column = "psig" if details["template_side"] == "prefix" else "ssig"
        signatures = details["template_signatures"]
        return sql.item_ids(conn, acct, f"{column} IN ({', '.join('?' * len(signatures))})", signatures)
    if code == "reasoning_elicitation":
        return sql.item_ids(conn, acct, "reasoning = 1")
    if code == "round_the_clock":
        hours = details["quiet_hours_utc"]
        return sql.item_ids(conn, acct, f"{HOUR} IN ({', '.join('?' * len(hours))})", hours)
    if code == "rate_shaping":
        return _rate_rows(conn, acct, details["rate"])
    if code == "key_rotation":  # each key's first and last use
        ends = set()
        for key, first, last, _count in details["key_spans"]:
            for moment in {first, last} - {None}:
                ends.update(sql.item_ids(conn, acct, "key = ? AND ts = ?", (table.keys.ids[key], moment))[:1])
        return sorted(ends)
    if code == "key_sharing":
        keys = [table.keys.ids[k] for k in details["shared_keys"]]
        return sql.item_ids(conn, acct, f"key IN ({', '.join('?' * len(keys))})", keys)
    if code == "capability_sweep":
        return sql.item_ids(conn, acct, "task IS NOT NULL OR domain IS NOT NULL")
    if code == "synchronised":
        partners = [table.accounts.ids[name] for name in details["synchronised_with"]]
        timing = table.timing
        together = 0
        for partner in partners:
            together |= timing.maps[partner]
        return sorted(item for item, ts in sql.times(conn, acct) if together >> timing.slot(ts) & 1)
    return []


def _rate_rows(conn, acct: int, parts: dict) -> list[int]:
    if parts["regular"]:
        return sql.item_ids(conn, acct, "ts IS NOT NULL")
    conditions, params = [], []
    if parts["held"]:
        conditions.append(
            f"ts / 60000000 IN (SELECT m FROM (SELECT ts / 60000000 AS m, count(*) AS c FROM {TABLE}"
            " WHERE acct = ? AND ts IS NOT NULL GROUP BY m) WHERE c >= ?)"
        )
        params += [acct, 0.8 * parts["ceiling"]]
    if parts["limited"]:
        conditions.append("limited = 1")
    return sql.item_ids(conn, acct, " OR ".join(conditions), params) if conditions else []

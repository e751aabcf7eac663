"""What the charts of an account show, worked out once for the Findings view and the exhibit:
requests by UTC day and hour (the heat strip), requests per day, the share of its top
templates, and when each API key was first and last used."""

from app.store import findings
from app.store.log_rows import account_activity, log_source_ids

DAY_US = 86_400_000_000
MAX_DAYS = 400  # a strip wider than this is drawn for its last 400 days (said in the chart's title)


def chart_data(conn, finding: dict) -> dict:
    source_id = findings.run_source_id(conn, finding["run_id"])
    source_ids = log_source_ids(conn, source_id) if source_id is not None else None
    activity = account_activity(conn, finding["account"], source_ids)
    by_day = dict(activity["days"])
    if by_day:
        first, last = min(by_day), max(by_day)
        first = max(first, last - MAX_DAYS + 1)
    else:
        first = last = 0
    heat = [by_day.get(day, [0] * 24) for day in range(first, last + 1)] if by_day else []
    details = finding["details"]
    return {
        "first_day_us": first * DAY_US,
        "heat": heat,  # [day][hour] requests
        "daily": [sum(hours) for hours in heat],
        "cut_days": max(0, (max(by_day) - min(by_day) + 1) - len(heat)) if by_day else 0,
        "templates": [
            (t["text"] or f"template {n + 1}", t["share"]) for n, t in enumerate(details.get("templates", []))
        ],
        "keys": [(name, first_us, last_us, count) for name, first_us, last_us, count in details.get("key_spans", [])],
    }

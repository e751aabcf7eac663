"""A stored extraction run as the CLI's JSON and the text table (same numbers in both)."""

from app.analysis.extraction.model import INDICATOR_NAMES
from app.store import annotations, findings
from app.store.errors import CaseFileError


def latest_run(conn) -> int:
    run_id = findings.latest_run_id(conn, "extraction")
    if run_id is None:
        raise CaseFileError("This case has no extraction analysis yet; run `casefile analyze CASE` first.")
    return run_id


def run_report(conn, run_id: int) -> dict:
    """{"run", "accounts": [{"account", "score", "flagged", "reason", "indicators": [{"code",
    "summary", "value", "threshold", "fired", "items"}]}], "clusters": [{"accounts",
    "flagged", "links"}]}: every indicator with the ids of the rows behind it."""
    run = findings.get_run(conn, run_id)
    accounts = []
    for account in findings.run_accounts(conn, run_id):
        accounts.append(
            {
                "account": account["account"],
                "score": account["score"],
                "flagged": account["flagged"],
                "rank": account["rank"],
                "requests": account["requests"],
                "output_tokens": account["output_tokens"],
                "reason": account["reason"],
                "indicators": [
                    {
                        "code": i["code"],
                        "name": INDICATOR_NAMES.get(i["code"], i["code"]),
                        "summary": i["summary"],
                        "value": i["value"],
                        "threshold": i["threshold"],
                        "fired": i["fired"],
                        "items": findings.indicator_items(conn, i["id"]),
                    }
                    for i in account["indicators"]
                ],
            }
        )
    return {
        "run": {
            "id": run_id,
            "created_utc": run["created_utc"],
            "settings_hash": run["settings_hash"],
            "source_id": run["source_id"],
            "item_count": run["item_count"],
            "rows_read": run["rows_read"],
            "audit_head": {"seq": run["audit_seq"], "hash": run["audit_hash"]},
            "notes": run["notes"],
        },
        "accounts": accounts,
        "clusters": run["clusters"],
    }


def text_table(report: dict, limit: int | None = 20) -> list[str]:
    run = report["run"]
    flagged = [a for a in report["accounts"] if a["flagged"]]
    lines = [
        f"Extraction analysis run {run['id']}: {run['rows_read']:,} log rows, {len(report['accounts']):,} accounts, "
        f"{len(flagged)} flagged (settings {run['settings_hash'][:12]}).",
        "",
        f"{'rank':>4}  {'account':<24} {'score':>6}  {'flag':<4}  {'requests':>9}  {'output tokens':>13}  indicators",
    ]
    shown = report["accounts"] if limit is None else report["accounts"][:limit]
    for a in shown:
        fired = [i["code"] for i in a["indicators"] if i["fired"] and i["code"] != "volume"]
        lines.append(
            f"{a['rank']:>4}  {a['account'][:24]:<24} {a['score']:>6.2f}  {'YES' if a['flagged'] else '':<4}  "
            f"{a['requests']:>9,}  {a['output_tokens']:>13,}  {', '.join(fired)}"
        )
    if limit is not None and len(report["accounts"]) > limit:
        lines.append(f"      ... and {len(report['accounts']) - limit:,} more accounts (--all lists every one)")
    for a in flagged:
        lines += ["", f"{a['account']}: {a['reason']}"]
        lines += [f"  - {i['name']}: {i['summary']}" for i in a["indicators"] if i["fired"]]
    clusters = [c for c in report["clusters"]]
    if clusters:
        lines += ["", "Clusters:"]
        for c in clusters:
            lines.append(f"  {'FLAGGED ' if c['flagged'] else ''}{', '.join(c['accounts'])}: {c['reason']}")
    for note in run["notes"]:
        lines.append(f"Note: {note}")
    return lines


def exhibit_for_account(case, finding_id: int) -> int:
    """An "Extraction indicators" summary exhibit of one account's findings (audited)."""
    finding = findings.get_finding(case.conn, finding_id)
    title = f"Extraction indicators: account {finding['account']} (analysis run {finding['run_id']})"
    return annotations.create_summary_exhibit(case, title, "extraction", {"finding_id": finding_id})


def exhibit_for_cluster(case, run_id: int, index: int) -> int:
    cluster = findings.get_run(case.conn, run_id)["clusters"][index]
    names = ", ".join(cluster["accounts"][:4]) + (" ..." if len(cluster["accounts"]) > 4 else "")
    title = f"Extraction indicators: cluster of {len(cluster['accounts'])} accounts ({names}), analysis run {run_id}"
    return annotations.create_summary_exhibit(case, title, "extraction", {"run_id": run_id, "cluster": index})

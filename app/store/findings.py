"""Findings of an analysis, stored as case data: the run, per account its indicators, and
per indicator the rows behind it.

A run is written in one transaction with its audit entry, which records a digest over
everything the run found (accounts, indicators and their rows, clusters); `verify`
recomputes the digest from the tables (`check_findings`), so a finding changed outside
the application is found. Runs are kept: a later run with other settings does not
rewrite what an earlier one said, and a summary exhibit names the run it draws.
"""

import hashlib
import sqlite3

import orjson

from app.store import audit
from app.store.case_file import CaseFile, utc_now_iso
from app.store.errors import CaseFileError
from app.store.verify_result import Discrepancy, VerifyResult

RUN_COLUMNS = (
    "id",
    "kind",
    "created_utc",
    "operator",
    "settings",
    "settings_hash",
    "source_id",
    "item_count",
    "rows_read",
    "audit_seq",
    "audit_hash",
    "clusters",
    "notes",
    "digest",
)
FINDING_COLUMNS = ("id", "rank", "account", "score", "flagged", "requests", "output_tokens", "reason", "details")
INDICATOR_COLUMNS = (
    "id",
    "finding_id",
    "code",
    "fired",
    "value",
    "threshold",
    "strength",
    "weight",
    "summary",
    "row_count",
)
AUDIT_ACTION = "analysis.run"


def _json(value) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def save_run(case: CaseFile, run: dict, accounts: list[dict], clusters: list[dict], token=None) -> int:
    """Store one run; `accounts` in rank order, each {account, score, flagged, requests,
    output_tokens, reason, details, indicators: [{code, fired, value, threshold, strength,
    weight, summary, items}]}. One transaction, audited; returns the run id."""
    with case.transaction() as conn:
        seq, head_hash = audit.head(conn)
        item_count = conn.execute("SELECT count(*) FROM items").fetchone()[0]
        run_id = conn.execute(
            "INSERT INTO finding_runs(kind, created_utc, operator, settings, settings_hash, source_id, item_count,"
            " rows_read, audit_seq, audit_hash, clusters, notes, digest) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'')",
            (
                run["kind"],
                utc_now_iso(),
                case.operator,
                _json(run["settings"]),
                run["settings_hash"],
                run.get("source_id"),
                item_count,
                run["rows_read"],
                seq,
                head_hash,
                _json(clusters),
                _json(run.get("notes") or []),
            ),
        ).lastrowid
        for rank, account in enumerate(accounts, start=1):
            if token is not None:
                token.raise_if_cancelled()
            finding_id = conn.execute(
                "INSERT INTO findings(run_id, rank, account, score, flagged, requests, output_tokens, reason, details)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    run_id,
                    rank,
                    account["account"],
                    account["score"],
                    int(account["flagged"]),
                    account["requests"],
                    account["output_tokens"],
                    account["reason"],
                    _json(account["details"]),
                ),
            ).lastrowid
            for found in account["indicators"]:
                indicator_id = conn.execute(
                    "INSERT INTO finding_indicators(finding_id, code, fired, value, threshold, strength, weight,"
                    " summary, row_count) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        finding_id,
                        found["code"],
                        int(found["fired"]),
                        found["value"],
                        found["threshold"],
                        found["strength"],
                        found["weight"],
                        found["summary"],
                        len(found["items"]),
                    ),
                ).lastrowid
                conn.executemany(
                    "INSERT INTO finding_rows(indicator_id, item_id) VALUES (?, ?)",
                    ((indicator_id, item_id) for item_id in found["items"]),
                )
        digest = run_digest(conn, run_id)
        conn.execute("UPDATE finding_runs SET digest = ? WHERE id = ?", (digest, run_id))
        case.audit(
            AUDIT_ACTION,
            {
                "run_id": run_id,
                "kind": run["kind"],
                "settings_hash": run["settings_hash"],
                "source_id": run.get("source_id"),
                "item_count": item_count,
                "head": {"seq": seq, "hash": head_hash},
                "accounts": len(accounts),
                "flagged": [a["account"] for a in accounts if a["flagged"]],
                "digest": digest,
            },
        )
    return run_id


def run_content(conn: sqlite3.Connection, run_id: int) -> dict:
    """Everything a run found, without the case's own row ids of the findings: the same
    case and settings give the same content (`digest` is over it)."""
    row = conn.execute(
        "SELECT kind, settings, settings_hash, source_id, rows_read, clusters FROM finding_runs WHERE id = ?", (run_id,)
    ).fetchone()
    if row is None:
        raise CaseFileError(f"There is no analysis run {run_id} in this case.")
    accounts = []
    for finding in conn.execute(
        f"SELECT {', '.join(FINDING_COLUMNS)} FROM findings WHERE run_id = ? ORDER BY rank", (run_id,)
    ).fetchall():
        f = dict(zip(FINDING_COLUMNS, finding))
        indicators = []
        for ind in conn.execute(
            f"SELECT {', '.join(INDICATOR_COLUMNS)} FROM finding_indicators WHERE finding_id = ? ORDER BY id",
            (f["id"],),
        ).fetchall():
            i = dict(zip(INDICATOR_COLUMNS, ind))
            i["items"] = indicator_items(conn, i["id"])
            del i["id"], i["finding_id"]
            indicators.append(i)
        del f["id"]
        f["details"] = orjson.loads(f["details"])
        f["indicators"] = indicators
        accounts.append(f)
    return {
        "kind": row[0],
        "settings": orjson.loads(row[1]),
        "settings_hash": row[2],
        "source_id": row[3],
        "rows_read": row[4],
        "clusters": orjson.loads(row[5]),
        "accounts": accounts,
    }


def run_digest(conn: sqlite3.Connection, run_id: int) -> str:
    return hashlib.sha256(_json(run_content(conn, run_id)).encode("utf-8")).hexdigest()


# -- reading ---------------------------------------------------------------------------


def latest_run_id(conn: sqlite3.Connection, kind: str = "extraction") -> int | None:
    row = conn.execute("SELECT max(id) FROM finding_runs WHERE kind = ?", (kind,)).fetchone()
    return row[0] if row else None


def get_run(conn: sqlite3.Connection, run_id: int) -> dict:
    return _run_record(conn, run_id, RUN_COLUMNS)


def _run_record(conn: sqlite3.Connection, run_id: int, columns: tuple[str, ...]) -> dict:
    row = conn.execute(f"SELECT {', '.join(columns)} FROM finding_runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        raise CaseFileError(f"There is no analysis run {run_id} in this case.")
    run = dict(zip(columns, row))
    for key in ("settings", "clusters", "notes"):
        if key in run:
            run[key] = orjson.loads(run[key])
    return run


def run_outline(conn: sqlite3.Connection, run_id: int, max_nodes: int) -> dict:
    """A run as a view shows it: its record, and each cluster with its accounts, flag and
    reason, the kinds of its links (`link_kinds`) and only the links between its first
    `max_nodes` accounts (a graph draws no more).

    A run's clusters may be megabytes (500 accounts behind one network: 125,000 links,
    21 MB). Parsed whole, they hold Python's interpreter lock for ~0.15 s, and the window
    with it, even from a worker. Here SQLite's JSON functions take them apart (SQLite runs
    without that lock) and only the kept links become Python objects."""
    run = _run_record(conn, run_id, tuple(c for c in RUN_COLUMNS if c != "clusters"))
    clusters = []
    for (outline,) in conn.execute(
        "SELECT json_remove(c.value, '$.links') FROM finding_runs r, json_each(r.clusters) c"
        " WHERE r.id = ? ORDER BY c.key",
        (run_id,),
    ):
        clusters.append({**orjson.loads(outline), "links": [], "link_kinds": set()})
    shown = [set(cluster["accounts"][:max_nodes]) for cluster in clusters]
    for index, a, b, by, link in conn.execute(
        "SELECT c.key, json_extract(l.value, '$.a'), json_extract(l.value, '$.b'), json_extract(l.value, '$.by'),"
        " l.value FROM finding_runs r, json_each(r.clusters) c, json_each(c.value, '$.links') l WHERE r.id = ?"
        " ORDER BY c.key, l.key",
        (run_id,),
    ):
        clusters[index]["link_kinds"].add(by)
        if a in shown[index] and b in shown[index]:
            clusters[index]["links"].append(orjson.loads(link))
    run["clusters"] = clusters
    return run


def run_source_id(conn: sqlite3.Connection, run_id: int) -> int | None:
    """The log source a run analysed (None: every log), without reading the rest of the run:
    its clusters may be megabytes (500 accounts sharing one network: 21 MB of links)."""
    return _run_record(conn, run_id, ("source_id",))["source_id"]


def run_accounts(conn: sqlite3.Connection, run_id: int, flagged_only: bool = False) -> list[dict]:
    """The run's accounts in rank order, each with its indicators (row counts, not rows)."""
    where = " AND flagged = 1" if flagged_only else ""
    indicators: dict[int, list[dict]] = {}
    for r in conn.execute(
        f"SELECT {', '.join(INDICATOR_COLUMNS)} FROM finding_indicators"
        f" WHERE finding_id IN (SELECT id FROM findings WHERE run_id = ?{where}) ORDER BY finding_id, id",
        (run_id,),
    ):
        indicators.setdefault(r[1], []).append(_indicator(r))
    accounts = []
    for finding in conn.execute(
        f"SELECT {', '.join(FINDING_COLUMNS)} FROM findings WHERE run_id = ?{where} ORDER BY rank", (run_id,)
    ).fetchall():
        f = dict(zip(FINDING_COLUMNS, finding))
        f["flagged"] = bool(f["flagged"])
        f["details"] = orjson.loads(f["details"])
        f["indicators"] = indicators.get(f["id"], [])
        accounts.append(f)
    return accounts


def finding_indicators(conn: sqlite3.Connection, finding_id: int) -> list[dict]:
    rows = conn.execute(
        f"SELECT {', '.join(INDICATOR_COLUMNS)} FROM finding_indicators WHERE finding_id = ? ORDER BY id", (finding_id,)
    ).fetchall()
    return [_indicator(r) for r in rows]


def _indicator(row) -> dict:
    return {**dict(zip(INDICATOR_COLUMNS, row)), "fired": bool(row[3])}


def get_finding(conn: sqlite3.Connection, finding_id: int) -> dict:
    row = conn.execute(
        f"SELECT {', '.join(FINDING_COLUMNS)}, run_id FROM findings WHERE id = ?", (finding_id,)
    ).fetchone()
    if row is None:
        raise CaseFileError(f"There is no finding {finding_id} in this case.")
    f = dict(zip((*FINDING_COLUMNS, "run_id"), row))
    f["flagged"] = bool(f["flagged"])
    f["details"] = orjson.loads(f["details"])
    f["indicators"] = finding_indicators(conn, finding_id)
    return f


def find_finding(conn: sqlite3.Connection, run_id: int, account: str) -> int | None:
    row = conn.execute("SELECT id FROM findings WHERE run_id = ? AND account = ?", (run_id, account)).fetchone()
    return row[0] if row else None


def find_indicator(conn: sqlite3.Connection, run_id: int, account: str, code: str) -> int:
    """The id of an account's indicator in a run; a plain error naming what is known otherwise."""
    finding_id = find_finding(conn, run_id, account)
    if finding_id is None:
        raise CaseFileError(f"Analysis run {run_id} has no account {account!r}.")
    row = conn.execute(
        "SELECT id FROM finding_indicators WHERE finding_id = ? AND code = ?", (finding_id, code)
    ).fetchone()
    if row is None:
        codes = ", ".join(i["code"] for i in finding_indicators(conn, finding_id))
        raise CaseFileError(f"The account {account!r} has no indicator {code!r}; it has {codes}.")
    return row[0]


def indicator_items(conn: sqlite3.Connection, indicator_id: int) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT item_id FROM finding_rows WHERE indicator_id = ? ORDER BY item_id", (indicator_id,)
        )
    ]


def finding_items(conn: sqlite3.Connection, finding_id: int, fired_only: bool = True) -> list[int]:
    """Every row behind an account's (fired) indicators, each once, in id order."""
    fired = " AND i.fired = 1" if fired_only else ""
    return [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT r.item_id FROM finding_rows r JOIN finding_indicators i ON i.id = r.indicator_id"
            f" WHERE i.finding_id = ?{fired} ORDER BY r.item_id",
            (finding_id,),
        )
    ]


# -- verify ----------------------------------------------------------------------------


def check_findings(conn: sqlite3.Connection, entries, result: VerifyResult) -> None:
    """Each stored run matches the digest its audit entry recorded; no run is unrecorded."""
    expected = {e["details"]["run_id"]: e["details"]["digest"] for e in entries if e["action"] == AUDIT_ACTION}
    actual = [r[0] for r in conn.execute("SELECT id FROM finding_runs ORDER BY id")]
    for run_id in actual:
        if run_id not in expected:
            result.problems.append(Discrepancy("finding_runs", run_id, "not recorded in the audit log"))
        elif run_digest(conn, run_id) != expected[run_id]:
            result.problems.append(Discrepancy("finding_runs", run_id, "its findings changed outside the application"))
    for run_id in expected.keys() - set(actual):
        result.problems.append(Discrepancy("finding_runs", run_id, "recorded in the audit log but missing"))
    stray = conn.execute(
        "SELECT count(*) FROM finding_rows WHERE indicator_id NOT IN (SELECT id FROM finding_indicators)"
    ).fetchone()[0]
    if stray:
        result.problems.append(Discrepancy("finding_rows", None, f"{stray} row(s) belong to no indicator"))
    result.checked["finding_runs"] = len(actual)

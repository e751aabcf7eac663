"""Verify's part for provenance: the stored run, links and marks, and the case's terms,
replayed against the audit log (app/store/provenance_links.py)."""

import hashlib
import json
import sqlite3

from app.store.provenance_links import RUN_COLUMNS, latest_run, rows_digest, stored_rows
from app.store.verify_result import Discrepancy, VerifyResult


def settings_hash(settings: dict) -> str:
    """As app/analysis/settings.py computes it (the store cannot import the analysis layer)."""
    canonical = json.dumps(settings, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_provenance_links(conn: sqlite3.Connection, entries, result: VerifyResult) -> None:
    _check_run(conn, entries, result)
    _check_terms(conn, entries, result)


def _check_run(conn, entries, result: VerifyResult) -> None:
    recorded = None
    for entry in entries:
        if entry["action"] == "provenance.run":
            recorded = entry["details"]
    run = latest_run(conn)
    extra = conn.execute(
        "SELECT (SELECT count(*) FROM provenance_runs) + (SELECT count(*) FROM provenance_links"
        " WHERE run_id NOT IN (SELECT id FROM provenance_runs)) + (SELECT count(*) FROM provenance_marks"
        " WHERE run_id NOT IN (SELECT id FROM provenance_runs))"
    ).fetchone()[0]
    if run is None:
        if recorded is not None:
            result.problems.append(
                Discrepancy("provenance_runs", recorded.get("run_id"), "recorded in the audit log but missing")
            )
        elif extra:
            result.problems.append(Discrepancy("provenance_links", None, "links not recorded in the audit log"))
        return
    if recorded is None or recorded.get("run_id") != run["run_id"] or extra > 1:
        result.problems.append(Discrepancy("provenance_runs", run["run_id"], "not recorded in the audit log"))
        return
    links, marks = stored_rows(conn, run["run_id"])
    result.checked["provenance_links"] = len(links)
    if (
        any(run.get(c) != recorded.get(c) for c in RUN_COLUMNS)
        or run["digest"] != recorded.get("digest")
        or settings_hash(run["settings"]) != run["settings_hash"]
    ):
        result.problems.append(
            Discrepancy(
                "provenance_runs", run["run_id"], "the run's settings or case state changed outside the application"
            )
        )
        return
    if rows_digest(run, links, marks) != recorded.get("digest"):
        result.problems.append(
            Discrepancy(
                "provenance_links",
                f"run {run['run_id']}",
                "links or marks changed outside the application (they do not match the run's audit entry)",
            )
        )


def _check_terms(conn, entries, result: VerifyResult) -> None:
    expected: set[tuple[str, str]] = set()
    for entry in entries:
        d = entry["details"]
        if entry["action"] == "provenance.term.add":
            expected.add((d["kind"], d["text"]))
        elif entry["action"] == "provenance.term.remove":
            expected.discard((d["kind"], d["text"]))
    actual = set(conn.execute("SELECT kind, text FROM provenance_terms").fetchall())
    for kind, text in sorted(actual - expected):
        result.problems.append(Discrepancy("provenance_terms", f"{kind} {text!r}", "not recorded in the audit log"))
    for kind, text in sorted(expected - actual):
        result.problems.append(
            Discrepancy("provenance_terms", f"{kind} {text!r}", "recorded in the audit log but missing")
        )
    result.checked["provenance_terms"] = len(actual)

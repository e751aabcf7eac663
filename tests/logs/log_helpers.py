"""Shared steps of the log-import tests: import a file, read back its items and quarantine."""

import json

from case_helpers import import_reconciled as import_log, items_of  # noqa: F401 (re-exported)


def quarantine_of(case, source_id):
    """[(locator, raw bytes, reason)] of a source, in order."""
    rows = case.conn.execute(
        "SELECT locator, raw, reason FROM quarantine WHERE source_id = ? ORDER BY id", (source_id,)
    )
    return [(json.loads(loc), raw, reason) for loc, raw, reason in rows]


def source_settings(case, source_id) -> dict:
    return json.loads(case.conn.execute("SELECT settings FROM sources WHERE id = ?", (source_id,)).fetchone()[0])


def counts(report) -> tuple:
    """(read, imported, duplicates, quarantined, blank, comment)."""
    return (report.read, report.imported, report.duplicates, report.quarantined, report.blank, report.comment)

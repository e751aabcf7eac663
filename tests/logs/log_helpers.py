"""Shared steps of the log-import tests: import a file, read back its items and quarantine."""

import json

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files
from app.store.item_query import get_item


def import_log(case, path, **settings):
    """Import one file; return its FileReport after checking the counts reconcile."""
    report = run_to_end(import_files(case, [path], ImportSettings(**settings)))
    file_report = report.files[0]
    assert file_report.error is None
    assert file_report.reconciles, file_report.summary()
    return file_report


def items_of(case, source_id):
    """Every item of a source, fields decoded, in id order."""
    ids = [r[0] for r in case.conn.execute("SELECT id FROM items WHERE source_id = ? ORDER BY id", (source_id,))]
    return [get_item(case.conn, item_id) for item_id in ids]


def quarantine_of(case, source_id):
    """[(locator, raw bytes, reason)] of a source, in order."""
    rows = case.conn.execute("SELECT locator, raw, reason FROM quarantine WHERE source_id = ? ORDER BY id",
                             (source_id,))
    return [(json.loads(loc), raw, reason) for loc, raw, reason in rows]


def source_settings(case, source_id) -> dict:
    return json.loads(case.conn.execute("SELECT settings FROM sources WHERE id = ?", (source_id,)).fetchone()[0])


def counts(report) -> tuple:
    """(read, imported, duplicates, quarantined, blank, comment)."""
    return (report.read, report.imported, report.duplicates, report.quarantined, report.blank, report.comment)

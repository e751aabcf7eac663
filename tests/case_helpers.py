"""Steps many tests share: import files through the real pipeline, read items back."""

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files
from app.store.item_query import get_item


def import_reconciled(case, path, **settings):
    """Import one file; return its FileReport after checking the counts reconcile."""
    report = run_to_end(import_files(case, [path], ImportSettings(**settings)))
    file_report = report.files[0]
    assert file_report.error is None
    assert file_report.reconciles, file_report.summary()
    return file_report


def items_of(case, source_id):
    """Every item of a source, fields decoded, in id order."""
    ids = [row[0] for row in case.conn.execute("SELECT id FROM items WHERE source_id = ? ORDER BY id", (source_id,))]
    return [get_item(case.conn, item_id) for item_id in ids]

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


def older_case(path, stop_before: str, version: int):
    """A case file as an older Casefile wrote it: migrations up to `stop_before`, named 'old';
    returns its open connection (autocommit) for the test to fill."""
    import sqlite3

    from sqlite_utils import Database

    from app.store.case_file import APPLICATION_ID, PAGE_SIZE
    from app.store.schema import migrations

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA journal_mode = WAL")
    migrations.apply(Database(conn), stop_before=stop_before)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO meta(key, value) VALUES ('name', 'old'), ('timezone', 'UTC')")
    return conn

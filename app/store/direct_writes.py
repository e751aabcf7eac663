"""Large imports write their pages straight into the case file, not through the WAL.

In WAL mode every page is written twice: into the log while the import runs, then
copied into the case file by a checkpoint after it commits. At a million log rows that
copy is 4.7 GB and ~14 s, a sixth of the whole import, on one core while the other
idles. With SQLite's rollback journal a transaction writes the pages it adds past the
end of the file once, straight into the file; only pages that existed before are first
copied to the journal (`CASE.casefile-journal`), which puts them back on a cancel, an
error or a kill. All or nothing holds the same way: SQLite's own guarantee, either mode.

The price: while a rollback-journal transaction writes, nobody else can read the case.
So this is only done when nobody else has the case open (leaving WAL mode needs that
very condition, and SQLite refuses it otherwise, at once): the CLI's import, or a
window that has set its case aside for the import. Anyone who tries to open the case
meanwhile is told it is busy. Whenever the switch is refused the import runs in WAL
mode exactly as before, only slower. Afterwards the case goes back to WAL mode; should
that fail, the next opening sets it (app.store.case_file). A process killed part-way
leaves a "hot" journal that the next opening rolls back before anything else
(app.store.recovery.roll_back_killed_write).
"""

import sqlite3
from contextlib import contextmanager


@contextmanager
def writing_directly(conn: sqlite3.Connection, wanted: bool):
    """Within: the case in rollback-journal mode if `wanted` and nobody else has it open.

    Yields whether it is. Call outside any transaction, before any second connection of
    the same operation is opened.
    """
    direct = wanted and _journal_mode(conn, "delete")
    try:
        yield direct
    finally:
        if direct:
            _journal_mode(conn, "wal")


def _journal_mode(conn: sqlite3.Connection, mode: str) -> bool:
    """Switch without waiting (a refusal means another connection has the case open)."""
    timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        return conn.execute(f"PRAGMA journal_mode = {mode}").fetchone()[0] == mode
    except sqlite3.OperationalError:
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {timeout}")

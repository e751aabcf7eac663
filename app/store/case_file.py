"""Opening, creating and writing to a case file (`*.casefile`, one SQLite 3 file).

A case file marks itself with `PRAGMA application_id`; anything else (garbage, an
empty or truncated file, a plain SQLite database, a case from a newer Casefile) is
refused with a plain sentence *before* SQLite writes to it. Writes happen in
`CaseFile.transaction()`: one `BEGIN IMMEDIATE` ... `COMMIT`, so a cancelled, failed
or killed operation leaves the case as it was. A case left open by a killed process is
recovered when it is next opened, and says so (app.store.recovery).
"""

import getpass
import socket
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database

from app import __version__
from app.core.taxonomy import Category, load_taxonomy
from app.core.timestamps import resolve_zone
from app.core.signing_keys import KeyStoreError, OperatorKey, operator_key
from app.store import audit, head_anchors
from app.store.errors import BUSY_MESSAGE, CaseBusy, CaseFileError, NewerCaseFile, NotACaseFile
from app.store.recovery import (
    Recovery,
    clear_marker,
    new_marker,
    record_recovery,
    recover_if_left_open,
    roll_back_killed_write,
    write_marker,
)
from app.store.schema import apply_migrations, schema_version
from app.store.tables import count, lean_cache
from app.store.wal_log import missing_pages, read_wal, wal_path

APPLICATION_ID = 0x43415345  # "CASE"
PAGE_SIZE = 16384  # API-log rows are ~1.5 KB: 16 KiB pages insert ~2x faster than 4 KiB
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 3000
# A million-row import writes a 4.5 GB write-ahead log beside the case. Its pages are back
# in the case file when the import commits; the file itself is cut back to this size at
# the next change (or deleted when the case is closed), instead of staying 4.5 GB on disk.
WAL_KEPT_BYTES = 64 * 1024 * 1024


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def default_operator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something honest
        return "unknown"


class CaseFile:
    """One open case file. Each thread opens its own (SQLite connections are per thread)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, operator: str | None = None):
        self.path = Path(path)
        self.conn = conn
        self.operator = operator or default_operator()
        self.host = socket.gethostname()
        self._signer: OperatorKey | None = None
        self._audited = False  # an entry was written in the open transaction: note the new head after it
        self.recovery: Recovery | None = None  # set when opening found a case left open by a killed process

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def create(
        cls, path, name: str, number: str | None = None, timezone_name: str = "UTC", operator: str | None = None
    ) -> "CaseFile":
        """Create a new, empty case file with the default taxonomy; refuse to overwrite."""
        path = Path(path)
        if path.exists():
            raise CaseFileError(f"{path} already exists; choose another name or open it.")
        resolve_zone(timezone_name)
        conn = _connect(path)
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        _configure(conn)
        apply_migrations(Database(conn))
        case = cls(path, conn, operator)
        created_utc, created_with = utc_now_iso(), f"Casefile {__version__}"
        with case.transaction():
            conn.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?)",
                [
                    ("name", name),
                    ("number", number or ""),
                    ("timezone", timezone_name),
                    ("created_utc", created_utc),
                    ("created_with", created_with),
                ],
            )
            categories = load_taxonomy()
            _insert_taxonomy(conn, categories)
            # The starting taxonomy in full, so `verify` can replay later edits from it.
            case.audit(
                "case.create",
                {
                    "name": name,
                    "number": number,
                    "timezone": timezone_name,
                    "created_utc": created_utc,
                    "created_with": created_with,
                    "taxonomy": [[c.code, c.name, c.description, c.group, c.parent] for c in categories],
                    # What decides withholding and what is printed on pages: `verify` checks them.
                    "designations": {
                        c.code: [c.privilege, c.legend, int(c.records_tos_version)]
                        for c in categories
                        if c.privilege or c.legend or c.records_tos_version
                    },
                },
            )
        return case

    @classmethod
    def open(cls, path, operator: str | None = None) -> "CaseFile":
        """Open an existing case file, upgrading an older schema; refuse anything else."""
        path = Path(path)
        wal_bytes = _size(wal_path(path))  # before anything opens it: our own opening makes one
        if path.is_file() and _is_sqlite(path):  # recover first, judge after: a killed direct write
            journal_bytes = roll_back_killed_write(path)  # leaves half-written pages until rolled back
        else:
            journal_bytes = 0
        check_case_file(path)
        recovery = recover_if_left_open(path, wal_bytes, journal_bytes)
        conn = _connect(path)
        try:
            _configure(conn)
            if _read_version(conn) < schema_version():
                apply_migrations(Database(conn))
            case = cls(path, conn, operator)
            if recovery is not None:
                record_recovery(case, recovery)
                case.recovery = recovery
        except BaseException:
            conn.close()
            raise
        return case

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def transaction(self, operation: str | None = None, subject: str = ""):
        """One atomic write: everything inside commits together or not at all.

        A long `operation` ("import", of `subject`) is first marked as under way in a tiny
        transaction of its own; its own transaction deletes the mark, so a mark found
        when the case is next opened names an operation that was killed and discarded.
        """
        marker = new_marker(operation, subject, self.operator, utc_now_iso()) if operation else None
        if marker:
            self._begin()
            write_marker(self.conn, *marker)
            self.conn.execute("COMMIT")
        try:
            self._begin()
        except BaseException:
            self._drop_marker(marker)
            raise
        self._audited = False
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:  # (SQLite may have rolled back already, e.g. on a full disk)
                self.conn.execute("ROLLBACK")
            self._drop_marker(marker)
            raise
        else:
            if marker:
                clear_marker(self.conn, marker[0])  # with the operation's own changes
            self.conn.execute("COMMIT")
            if self._audited:
                head_anchors.note_head(self)

    def _drop_marker(self, marker: tuple[str, str] | None) -> None:
        """A failed or cancelled operation is no killed one: its mark goes (if it can)."""
        if marker is None:
            return
        try:
            clear_marker(self.conn, marker[0])
        except sqlite3.Error:
            pass  # the mark stays and the next opening reports the operation as discarded: true

    def _begin(self) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise CaseBusy(BUSY_MESSAGE) from exc
            raise

    def audit(self, action: str, details: dict) -> int:
        """Append an audit entry; call inside `transaction()` with the change it records."""
        seq = audit.append(self.conn, action, details, self.operator, self.host, self.signer())
        self._audited = True
        return seq

    def signer(self) -> OperatorKey:
        """This operator's signing key (made in the key folder on first use)."""
        if self._signer is None:
            try:
                self._signer = operator_key(self.operator)
            except KeyStoreError as exc:
                raise CaseFileError(str(exc)) from exc
        return self._signer

    # -- reading ---------------------------------------------------------------------------

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    @property
    def name(self) -> str:
        name = self.meta("name")
        return self.path.stem if name is None else name

    @property
    def timezone(self) -> str:
        zone = self.meta("timezone")
        return "UTC" if zone is None else zone

    def taxonomy(self) -> list[Category]:
        rows = self.conn.execute(
            "SELECT code, name, description, grp, parent_code, privilege, legend, records_tos_version, position"
            " FROM taxonomy ORDER BY position"
        ).fetchall()
        return [Category(r[0], r[1], r[2] or "", r[3], r[4], r[5], r[6], bool(r[7]), r[8]) for r in rows]


def check_case_file(path: Path) -> None:
    """Refuse, without writing a byte, a file that is not a readable case of our version."""
    if not path.exists():
        raise CaseFileError(f"There is no case file at {path}.")
    if path.is_dir():
        raise NotACaseFile(f"{path} is a folder, not a case file.")
    size = path.stat().st_size
    if size == 0:
        raise NotACaseFile(f"{path} is empty; it is not a case file.")
    with open(path, "rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_HEADER) or len(header) < 100:
        raise NotACaseFile(f"{path} is not a Casefile case file.")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    if page_size and page_count and size < page_size * page_count:
        _check_length(path, size, page_size, page_count)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise NotACaseFile(f"{path} is damaged or not a case file ({exc}).") from exc
    if app_id != APPLICATION_ID:
        raise NotACaseFile(f"{path} is an SQLite database but not a Casefile case file.")
    if version > schema_version():
        raise NewerCaseFile(f"{path} was saved by a newer version of Casefile; update Casefile to open it.")


def _is_sqlite(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def _check_length(path: Path, size: int, page_size: int, page_count: int) -> None:
    """A case file shorter than its header says is truncated unless its WAL holds the rest.

    (A process killed while SQLite copies a large import from the WAL into the case file
    leaves exactly that: the header already counts the new pages, the file has only some
    of them, the WAL has them all. Opening recovers it.)
    """
    wal = read_wal(wal_path(path))
    if missing_pages(size, page_size, page_count, wal):
        wal_note = " and its write-ahead log does not hold the rest" if wal and wal.db_pages else ""
        raise NotACaseFile(
            f"{path} is truncated ({size:,} of {page_size * page_count:,} bytes){wal_note}; "
            "restore it from a backup copy."
        )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as exc:
        raise CaseBusy(BUSY_MESSAGE) from exc
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA cache_size = -65536")  # 64 MiB page cache: flat, whatever the case size
    conn.execute(f"PRAGMA journal_size_limit = {WAL_KEPT_BYTES}")


def _read_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _insert_taxonomy(conn: sqlite3.Connection, categories: list[Category]) -> None:
    conn.executemany(
        "INSERT INTO taxonomy(code, name, description, grp, parent_code, privilege, legend,"
        " records_tos_version, position) VALUES (?,?,?,?,?,?,?,?,?)",
        [
            (
                c.code,
                c.name,
                c.description,
                c.group,
                c.parent,
                c.privilege,
                c.legend,
                int(c.records_tos_version),
                c.position,
            )
            for c in categories
        ],
    )


def file_of(conn: sqlite3.Connection) -> str | None:
    """The path of the file behind a connection (None for an in-memory database)."""
    return conn.execute("PRAGMA database_list").fetchone()[2] or None


def headline_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows of items, sources, tags and quarantine: the main window's title and status line.

    Counted through a lean cache: opening a million-row case otherwise grows the window by
    the ~35 MB of index pages these counts read once."""
    with lean_cache(conn):
        return {table: count(conn, table) for table in ("items", "sources", "tags", "quarantine")}


def case_info(case: CaseFile) -> dict:
    """Counts for `casefile info` and the status bar."""
    conn = case.conn
    by_kind = dict(conn.execute("SELECT kind, count(*) FROM items GROUP BY kind").fetchall())
    one = lambda sql: conn.execute(sql).fetchone()[0] or 0  # noqa: E731
    return {
        "name": case.name,
        "number": case.meta("number") or "",
        "timezone": case.timezone,
        "path": str(case.path),
        "items_total": sum(by_kind.values()),
        "items_by_kind": by_kind,
        "sources": one("SELECT count(*) FROM sources"),
        "quarantined": one("SELECT count(*) FROM quarantine"),
        "duplicates": one("SELECT count(*) FROM duplicates"),
        "tags": one("SELECT count(*) FROM tags"),
        "notes": one("SELECT count(*) FROM notes"),
        "exhibits": one("SELECT count(*) FROM exhibits"),
        "undated": one("SELECT count(*) FROM items WHERE ts_us IS NULL"),
        "rows_read": one("SELECT sum(read_count) FROM sources"),
        "rows_imported": one("SELECT sum(imported_count) FROM sources"),
        "blank_or_comment": one("SELECT sum(blank_count) + sum(comment_count) FROM sources"),
    }

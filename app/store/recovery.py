"""A case left open by a process that was killed (or a computer that lost power).

What can be known, and how:
- Committed work is never lost: SQLite keeps each committed transaction in the
  write-ahead log (`CASE.casefile-wal`) until it is copied into the case file. A clean
  close copies it and deletes the log, so a log still there when nobody has the case
  open means it was not closed properly; the first opening copies the log in
  (a checkpoint) and says how much it held.
- A large import writing straight into the case file (app.store.direct_writes) and
  killed part-way leaves a "hot" rollback journal (`CASE.casefile-journal`) holding the
  case's pages as they were. SQLite puts them back at the first read; opening has that
  done first (`roll_back_killed_write`), before the file is judged: until then it may
  hold half-written pages.
- An unfinished transaction leaves nothing: SQLite discards it. To say *what* was
  discarded, a long operation (an import) writes a marker to `meta` in a tiny
  transaction of its own before it starts, and deletes it in the operation's own
  transaction. A marker found on opening is an operation that never committed.
- "Nobody else has it open" is asked of SQLite itself: every connection to a case holds
  a shared lock on it, so an exclusive lock is only granted when no other program,
  window or thread has the case open. Otherwise the log and any marker belong to that
  running work, and nothing is said or changed.
"""

import json
import os
import socket
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from app.store.errors import BUSY_MESSAGE, CaseBusy, NotACaseFile

MARKER_PREFIX = "operation_under_way:"
SUBJECT_FILES_SHOWN = 3
REDO = {"import": "Import the files again."}


@dataclass
class Recovery:
    """What opening found after a process was stopped with the case open."""

    case_name: str
    wal_bytes: int  # size of the write-ahead log found beside the case
    pages_recovered: int  # committed pages SQLite copied from it into the case file
    unfinished: list[dict] = field(default_factory=list)  # markers of operations that never committed
    marker_keys: list[str] = field(default_factory=list)
    recorded: bool = True  # in the audit log (not when another program began a change first)
    journal_bytes: int = 0  # size of the rollback journal of a killed direct write, rolled back

    @property
    def message(self) -> str:
        parts = [
            f"{self.case_name} was not closed properly (Casefile was stopped, or the computer "
            "shut down, while the case was open)."
        ]
        if self.pages_recovered:
            parts.append(
                "The changes that had been completed were recovered from its write-ahead log "
                f"({self.case_name}-wal); nothing completed was lost."
            )
        else:
            parts.append("Every change that had been completed was already in the case; nothing completed was lost.")
        if self.journal_bytes:
            parts.append(f"The unfinished change was undone from its rollback journal ({self.case_name}-journal).")
        for marker in self.unfinished:
            parts.append(_unfinished_sentence(marker))
        if not self.unfinished:
            parts.append("Nothing half-finished was kept.")
        if self.recorded:
            parts.append("This is recorded in the case's audit log.")
        return " ".join(parts)

    def audit_details(self) -> dict:
        details = {"wal_bytes": self.wal_bytes, "pages_recovered": self.pages_recovered, "discarded": self.unfinished}
        if self.journal_bytes:
            details["journal_bytes"] = self.journal_bytes
        return details


def _unfinished_sentence(marker: dict) -> str:
    operation = marker.get("operation", "operation")
    subject = marker.get("subject")
    started = marker.get("started_utc", "")[:19].replace("T", " ")
    who = marker.get("operator") or "an unknown operator"
    what = f"An {operation}" if operation[:1] in "aeiou" else f"A {operation}"
    if subject:
        what += f" of {subject}"
    return (
        f"{what}, started {started} UTC by {who}, did not finish and was discarded as a whole: "
        f"none of it is in the case. {REDO.get(operation, '')}"
    ).rstrip()


def describe_files(paths) -> str:
    """`a.jsonl`, or `4 files (a.jsonl, b.jsonl, c.jsonl, ...)`: what an import was of."""
    names = [Path(p[0] if isinstance(p, tuple) else p).name for p in paths]
    if len(names) == 1:
        return names[0]
    shown = ", ".join(names[:SUBJECT_FILES_SHOWN]) + (", ..." if len(names) > SUBJECT_FILES_SHOWN else "")
    return f"{len(names)} files ({shown})"


# -- the marker of an operation under way ----------------------------------------------------


def new_marker(operation: str, subject: str, operator: str, started_utc: str) -> tuple[str, str]:
    """(key, value) of a marker; the key is unique, so two programs never share one."""
    value = json.dumps(
        {
            "operation": operation,
            "subject": subject,
            "started_utc": started_utc,
            "operator": operator,
            "host": socket.gethostname(),
            "pid": os.getpid(),
        }
    )
    return MARKER_PREFIX + uuid.uuid4().hex, value


def write_marker(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (key, value))


def clear_marker(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM meta WHERE key = ?", (key,))


# -- opening after a kill --------------------------------------------------------------------------


def journal_path(case_path: Path) -> Path:
    return case_path.with_name(case_path.name + "-journal")


def roll_back_killed_write(path: Path) -> int:
    """Put back what a killed direct write changed (its hot journal); the journal's size, or 0.

    A journal while another program writes the case is that program's: SQLite refuses
    the read, and the case is busy.
    """
    try:
        journal_bytes = journal_path(path).stat().st_size
    except FileNotFoundError:
        return 0
    if not journal_bytes:
        return 0
    probe = sqlite3.connect(str(path), isolation_level=None, timeout=0)
    try:
        probe.execute("SELECT count(*) FROM sqlite_master").fetchone()  # SQLite rolls a hot journal back first
    except sqlite3.DatabaseError as exc:
        if any(word in str(exc) for word in ("locked", "busy")):
            raise CaseBusy(BUSY_MESSAGE) from exc
        damaged = f"{path} is damaged and cannot be recovered ({exc}); restore it from a backup copy."
        raise NotACaseFile(damaged) from exc
    finally:
        probe.close()
    return journal_bytes


def recover_if_left_open(path: Path, wal_bytes: int, journal_bytes: int = 0) -> Recovery | None:
    """Finish what a killed process left, if nobody has the case open; what was found, or None.

    Call before opening the case's own connection (it would hold the shared lock that
    makes the exclusive one impossible). `wal_bytes` is the size of the WAL before
    anything opened the case; `journal_bytes` what `roll_back_killed_write` put back.
    """
    probe = sqlite3.connect(str(path), isolation_level=None, timeout=0)
    try:
        # In exclusive locking mode the first read takes an exclusive lock on the file,
        # refused while any other connection (in this process or another) has it open.
        probe.execute("PRAGMA locking_mode = EXCLUSIVE")
        try:
            probe.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as exc:
            if any(word in str(exc) for word in ("locked", "busy")):
                return None  # open elsewhere: the log and any marker belong to running work
            if "readonly" in str(exc):
                return None  # nothing can be written here; SQLite still reads through the log
            raise
        markers = _markers(probe)
        probe.execute("COMMIT")
        # Copy the committed pages in while nobody else can start (PASSIVE reports how many
        # the log held; TRUNCATE, which reports 0 once done, then empties it).
        _busy, pages, _copied = probe.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        probe.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError as exc:
        raise NotACaseFile(
            f"{path} is damaged and cannot be recovered ({exc}); restore it from a backup copy."
        ) from exc
    finally:
        probe.close()  # the last connection: SQLite deletes the emptied log
    if not wal_bytes and not journal_bytes and not markers:
        return None  # closed properly
    unfinished = sorted((_parsed(value) for _key, value in markers), key=lambda m: m.get("started_utc", ""))
    keys = [key for key, _value in markers]
    return Recovery(path.name, wal_bytes, max(pages, 0), unfinished, keys, journal_bytes=journal_bytes)


def record_recovery(case, recovery: Recovery) -> None:
    """Clear the markers of discarded operations and say in the audit log what was found."""
    try:
        with case.transaction() as conn:
            for key in recovery.marker_keys:
                clear_marker(conn, key)
            case.audit("case.recover", recovery.audit_details())
    except CaseBusy:  # another program began a change since: the markers stay, to be reported next time
        recovery.recorded = False


def _markers(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    try:
        return conn.execute(
            "SELECT key, value FROM meta WHERE key >= ? AND key < ?", (MARKER_PREFIX, MARKER_PREFIX[:-1] + ";")
        ).fetchall()
    except sqlite3.OperationalError:  # a case killed while it was being created has no meta yet
        return []


def _parsed(value: str) -> dict:
    try:
        marker = json.loads(value)
    except ValueError:
        marker = None
    return marker if isinstance(marker, dict) else {}

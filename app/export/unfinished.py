"""The hidden work folder of an export, and what is left of one that was stopped.

An export writes everything into a hidden `.casefile-export-*` folder beside the
output. Inside it, every file and folder carries the name "UNFINISHED-..." so that
nothing there looks like a production. The order that keeps a kill at any moment
honest:

1. draw, stamp and write the sidecars in the work folder;
2. write the list of files and their SHA-256 into the folder's marker;
3. commit the production (or the reproduction's audit entry);
4. move the files to their final names beside the output; remove the folder.

Killed before 3: no production, no file with a final name, and a leftover that the
next export into that folder removes. Killed after 3: the production is recorded and
its files are complete in the work folder; the next export finishes the move. While
an export runs it holds a lock on its folder, so another export never touches it.
"""

import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import orjson

PREFIX = ".casefile-export-"
UNFINISHED = "UNFINISHED-"
MARKER = "export.json"  # which case, and (once complete) the files and their SHA-256
LOCK = "export.lock"  # held while the export runs
STARTING_SECONDS = 60  # a folder without a lock this young may be an export just starting


def unfinished_name(name: str) -> str:
    return UNFINISHED + name


class WorkFolder:
    """The hidden folder one export writes into, locked while it runs."""

    def __init__(self, out_dir: Path, case_path: Path):
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=out_dir))
        self._lock = open(self.path / LOCK, "a+b")
        _lock(self._lock)
        self._marker = {"case": str(Path(case_path).resolve()), "pid": os.getpid()}
        self._write_marker()

    def place(self, name: str) -> Path:
        """Where a file that will be called `name` beside the output is written meanwhile."""
        return self.path / unfinished_name(name)

    def complete(self, pdf_name: str, hashes: dict[str, str], reproduces: int | None) -> None:
        """Note that every file is written (call just before the production is committed)."""
        self._marker.update(pdf_name=pdf_name, files=hashes, reproduces=reproduces)
        self._write_marker()

    def remove(self) -> None:
        self._lock.close()
        shutil.rmtree(self.path, ignore_errors=True)

    def release(self) -> None:
        """Stop holding the folder (it stays for the next run to finish)."""
        self._lock.close()

    def _write_marker(self) -> None:
        # Written beside and renamed over: a kill mid-write never leaves half a marker.
        temporary = self.path / (MARKER + ".tmp")
        temporary.write_bytes(orjson.dumps(self._marker))
        os.replace(temporary, self.path / MARKER)


def move_into_place(folder: Path, out_dir: Path, names) -> list[str]:
    """Move the named files from the work folder to their final names; returns those moved."""
    moved = []
    for name in names:
        source, target = folder / unfinished_name(name), out_dir / name
        if source.exists():
            os.replace(source, target)
            moved.append(name)
    return moved


def clean_unfinished(case, out_dir) -> list[str]:
    """Deal with what stopped exports left in out_dir; returns one plain sentence per folder.

    A folder whose production was never recorded is removed. One whose production was
    recorded has its files moved into place. A folder still in use is left alone.
    """
    notes = []
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return notes
    for folder in sorted(out_dir.glob(PREFIX + "*")):
        if folder.is_dir() and not _in_use(folder):
            notes.append(_settle(case, folder, out_dir))
    return notes


def _settle(case, folder: Path, out_dir: Path) -> str:
    marker = _read_marker(folder)
    files = marker.get("files")
    if files:
        recorded = _recorded_as(case, marker)
        if recorded is None:
            return (
                f"Left in place an unfinished export of the case {marker.get('case')}, which could not be "
                f"opened to see whether it was recorded: {folder}"
            )
        if recorded:
            clashes = [n for n in files if (folder / unfinished_name(n)).exists() and (out_dir / n).exists()]
            if clashes:
                return (
                    f"Left in place the files of {recorded}, which an earlier run recorded but was stopped "
                    f"before it could move them: {out_dir / clashes[0]} now exists. Move or rename it and "
                    f"export again to finish: {folder}"
                )
            moved = move_into_place(folder, out_dir, files)
            shutil.rmtree(folder, ignore_errors=True)
            return (
                f"Finished {recorded}, which an earlier run recorded but was stopped before its files were "
                f"in place: moved {', '.join(moved) or 'nothing (all were in place)'} into {out_dir}."
            )
    shutil.rmtree(folder, ignore_errors=True)
    if folder.exists():
        return (
            f"Could not remove the unfinished export left by an earlier run that was stopped (it holds no "
            f"recorded production; delete it): {folder}"
        )
    return f"Removed the unfinished export left by an earlier run that was stopped: {folder}"


def _read_marker(folder: Path) -> dict:
    try:
        marker = orjson.loads((folder / MARKER).read_bytes())
        return marker if isinstance(marker, dict) else {}
    except (OSError, orjson.JSONDecodeError):
        return {}  # an older version's folder, or one killed before its marker: never recorded


def _recorded_as(case, marker: dict) -> str | None:
    """'production 3' (or 'a copy of production 3') when the marker's files were recorded,
    '' when they were not, None when the case they belong to cannot be read."""
    if Path(marker.get("case") or "").resolve() == Path(case.path).resolve():
        return _recorded_in(case.conn, marker)
    try:
        conn = sqlite3.connect(f"file:{Path(marker['case']).as_posix()}?mode=ro", uri=True)
        try:
            return _recorded_in(conn, marker)
        finally:
            conn.close()
    except (KeyError, sqlite3.Error):
        return None


def _recorded_in(conn, marker: dict) -> str:
    pdf_name, files = marker["pdf_name"], marker["files"]
    if marker.get("reproduces") is None:
        row = conn.execute(
            "SELECT id FROM productions WHERE pdf_name = ? AND pdf_sha256 = ?", (pdf_name, files.get(pdf_name))
        ).fetchone()
        return f"production {row[0]}" if row else ""
    for (details,) in conn.execute(
        "SELECT details FROM audit WHERE action = 'production.reproduce' AND details LIKE ? ORDER BY seq DESC",
        (f"%{files.get(pdf_name)}%",),
    ):
        entry = orjson.loads(details)
        if entry.get("pdf_name") == pdf_name and entry.get("files") == files:
            return f"a copy of production {marker['reproduces']}"
    return ""


def _in_use(folder: Path) -> bool:
    """Whether an export is still writing into the folder (it holds the lock)."""
    lock = folder / LOCK
    if not lock.exists():
        # Older versions kept no lock; a new export creates its lock at once after the folder.
        return time.time() - folder.stat().st_mtime < STARTING_SECONDS
    try:
        with open(lock, "a+b") as handle:
            _lock(handle)
            return False
    except OSError:
        return True


if os.name == "nt":
    import msvcrt

    def _lock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
else:
    import fcntl

    def _lock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

"""Originals: stored byte-identical inside the case file, in chunks, with their hashes."""

import hashlib
import io
import os
import socket
import sqlite3
import uuid
from datetime import datetime, timezone
from pathlib import Path

from app import __version__
from app.core.cancel import Progress
from app.core.hashing import HashBehind, StreamHasher
from app.core.records import ImportSettings
from app.store.case_file import utc_now_iso

CHUNK_SIZE = 1024 * 1024
READ_SIZE = 1024 * 1024


def store_original_steps(
    conn: sqlite3.Connection,
    path: Path,
    importer: str,
    settings: ImportSettings,
    operator: str,
    token=None,
    observe=None,
):
    """Store a file's bytes in the case, hashing each block (SHA-256, MD5) as it is stored.

    The first and only read of the original: every block is hashed and written in the
    same step, so the stored bytes are exactly the hashed bytes and everything after
    (sniffing, parsing) reads the stored copy. One pass instead of a hashing pass and a
    storing pass that hashed again (2 s less for a 1.6 GB log). Call inside a transaction,
    then `record_hashes` -- or roll back when the hash shows the file is already in the case.
    A generator yielding Progress per block; returns (source_id, StreamHasher).
    `observe`, if given, sees each block too (the import's expansion check of a gzip).
    """
    total = path.stat().st_size
    source_id = insert_source(conn, path, importer, settings, operator, "{}")
    with open(path, "rb") as handle:
        hasher, _ = yield from store_stream_steps(
            conn, source_id, handle, f"Storing {path.name}", total, token, observe=observe
        )
    return source_id, hasher


def store_stream_steps(
    conn: sqlite3.Connection,
    source_id: int,
    stream,
    label: str,
    total: int,
    token=None,
    errors: tuple = (),
    observe=None,
):
    """Store a stream's bytes as source `source_id`'s chunks, hashing each (a generator of Progress).

    Returns (StreamHasher, None), or (StreamHasher, the error) when reading the stream
    failed with one of `errors` (a damaged archive member): the bytes before it are kept.
    `observe`: as for store_original_steps.
    """
    hasher = StreamHasher()
    seq = 0
    try:
        while block := stream.read(CHUNK_SIZE):
            hasher.update(block)
            if observe is not None:
                observe(block)
            conn.execute("INSERT INTO source_chunks(source_id, seq, data) VALUES (?,?,?)", (source_id, seq, block))
            seq += 1
            if token is not None:
                token.raise_if_cancelled()
            yield Progress(label, hasher.size, total, "bytes")
    except errors as exc:
        return hasher, exc
    return hasher, None


def insert_member_source(
    conn: sqlite3.Connection,
    archive_id: int,
    member_path: str,
    mtime_utc: str | None,
    settings: ImportSettings,
    operator: str,
) -> int:
    """The provenance row of a file unpacked from an archive (already a source); hashes follow."""
    original_path, name, host = conn.execute(
        "SELECT original_path, original_name, host FROM sources WHERE id = ?", (archive_id,)
    ).fetchone()
    cursor = conn.execute(
        "INSERT INTO sources(sha256, md5, size, original_path, original_name, mtime_utc, importer, settings,"
        " custodian, operator, host, tool_version, imported_utc, chunk_size, parent_source_id, member_path)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            f"pending {uuid.uuid4()}",
            "",
            0,
            original_path,
            member_name(name, member_path),
            mtime_utc,
            "?",
            "{}",
            settings.custodian,
            operator,
            host,
            f"Casefile {__version__}",
            utc_now_iso(),
            CHUNK_SIZE,
            archive_id,
            member_path,
        ),
    )
    assert cursor.lastrowid is not None  # an INSERT always gives one
    return cursor.lastrowid


def member_name(archive_name: str, member_path: str) -> str:
    """How a file unpacked from an archive is named wherever sources are listed: 'logs.zip > api/a.jsonl'."""
    return f"{archive_name} > {member_path}"


def record_hashes(conn: sqlite3.Connection, source_id: int, hasher: StreamHasher) -> None:
    """Put a stored original's hashes and size on its row (once it is known to be new)."""
    conn.execute(
        "UPDATE sources SET sha256 = ?, md5 = ?, size = ? WHERE id = ?",
        (hasher.sha256, hasher.md5, hasher.size, source_id),
    )


def keep_if_new(conn: sqlite3.Connection, savepoint: str, source_id: int, hasher: StreamHasher) -> int | None:
    """End `savepoint` (begun before the source was stored): keep the source with its hashes if
    its bytes are new to the case, else undo the copy just stored; the id of the source
    already holding these bytes, or None."""
    existing = find_source_by_sha256(conn, hasher.sha256)
    if existing is not None:
        conn.execute(f"ROLLBACK TO {savepoint}")
    else:
        record_hashes(conn, source_id, hasher)
    conn.execute(f"RELEASE {savepoint}")
    return existing


# A source's provenance columns recorded in its import's audit entry (with the hashes,
# importer, settings and counts already there), so that `verify` can name a changed one.
PROVENANCE_COLUMNS = (
    "original_path",
    "original_name",
    "mtime_utc",
    "custodian",
    "operator",
    "host",
    "tool_version",
    "imported_utc",
    "chunk_size",
    "parent_source_id",
    "member_path",
)


def source_provenance(conn: sqlite3.Connection, source_id: int) -> dict:
    """A source's PROVENANCE_COLUMNS as stored, by name."""
    row = conn.execute(f"SELECT {', '.join(PROVENANCE_COLUMNS)} FROM sources WHERE id = ?", (source_id,)).fetchone()
    return dict(zip(PROVENANCE_COLUMNS, row))


def find_source_by_sha256(conn: sqlite3.Connection, sha256: str) -> int | None:
    row = conn.execute("SELECT id FROM sources WHERE sha256 = ?", (sha256,)).fetchone()
    return row[0] if row else None


def insert_source(
    conn: sqlite3.Connection, path: Path, importer: str, settings: ImportSettings, operator: str, settings_json: str
) -> int:
    """The provenance row of one original; its hashes and size follow once it is stored."""
    stat = path.stat()
    mtime = datetime.fromtimestamp(stat.st_mtime, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    cursor = conn.execute(
        "INSERT INTO sources(sha256, md5, size, original_path, original_name, mtime_utc, importer,"
        " settings, custodian, operator, host, tool_version, imported_utc, chunk_size)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            f"pending {uuid.uuid4()}",
            "",
            0,
            str(path.resolve()),
            path.name,
            mtime,
            importer,
            settings_json,
            settings.custodian,
            operator,
            socket.gethostname(),
            f"Casefile {__version__}",
            utc_now_iso(),
            CHUNK_SIZE,
        ),
    )
    assert cursor.lastrowid is not None  # set by every INSERT
    return cursor.lastrowid


class CheckedFileReader(io.RawIOBase):
    """A file read again after it was stored, hashed as it is read: `finish` proves it unchanged.

    Parsing reads the file rather than the stored copy so that the import's second thread
    can write to the case meanwhile; `finish` reads what the parser left and returns the
    SHA-256 of every byte, to compare with the one taken while storing. The hashing runs
    behind the parser, on the helper thread (1.6 GB: ~3 s the parser no longer waits for).
    """

    def __init__(self, path: Path):
        super().__init__()
        self._file = open(path, "rb", buffering=0)
        self._sha256 = HashBehind(hashlib.sha256())

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self._file.readinto(buffer)
        if count:
            self._sha256.update(memoryview(buffer)[:count])
        return count

    def tell(self) -> int:  # how far the import has read (its progress); seeking is not offered
        return self._file.tell()

    def finish(self) -> str:
        while block := self._file.read(READ_SIZE):
            self._sha256.update(block)
        return self._sha256.hexdigest()

    def close(self) -> None:
        self._file.close()
        super().close()


class SourceReader(io.RawIOBase):
    """A read-only binary stream over a stored original, chunk by chunk (flat memory)."""

    def __init__(self, conn: sqlite3.Connection, source_id: int):
        super().__init__()
        self._conn = conn
        self._source_id = source_id
        row = conn.execute("SELECT size, chunk_size FROM sources WHERE id = ?", (source_id,)).fetchone()
        if row is None:
            raise ValueError(f"no source {source_id}")
        self.size, self._chunk_size = row
        self._position = 0
        self._chunk_seq = -1
        self._chunk = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: self.size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer) -> int:
        if self._position >= self.size:
            return 0
        seq, offset = divmod(self._position, self._chunk_size)
        if seq != self._chunk_seq:
            row = self._conn.execute(
                "SELECT data FROM source_chunks WHERE source_id = ? AND seq = ?", (self._source_id, seq)
            ).fetchone()
            if row is None:
                raise IOError(f"source {self._source_id} is missing chunk {seq}")
            if not isinstance(row[0], bytes):
                raise IOError(
                    f"part {seq} of source {self._source_id}'s original is no longer stored as bytes; "
                    "run verify to check the case file"
                )
            self._chunk, self._chunk_seq = row[0], seq
        piece = self._chunk[offset : offset + len(buffer)]
        buffer[: len(piece)] = piece
        self._position += len(piece)
        return len(piece)


def open_source(conn: sqlite3.Connection, source_id: int) -> io.BufferedReader:
    """A buffered binary stream over a stored original."""
    return io.BufferedReader(SourceReader(conn, source_id), buffer_size=READ_SIZE)


def rehash_source(conn: sqlite3.Connection, source_id: int) -> tuple[StreamHasher, list[int]]:
    """SHA-256 and MD5 of the stored bytes, for `verify`; and the parts no longer stored as bytes.

    A part changed to text (or a number) outside the application is hashed as the bytes
    SQLite gives for it, and named: every reader of the original refuses it.
    """
    hasher = StreamHasher()
    not_bytes = []
    for seq, data, kind in conn.execute(
        "SELECT seq, CAST(data AS BLOB), typeof(data) FROM source_chunks WHERE source_id = ? ORDER BY seq", (source_id,)
    ):
        hasher.update(data or b"")
        if kind != "blob":
            not_bytes.append(seq)
    return hasher, not_bytes

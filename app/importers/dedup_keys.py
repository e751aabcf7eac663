"""Which rows an import has already seen: the case's earlier items, and its own so far.

Looking a row's dedup key up in the case's own `items_dedup` index meant keeping that
index up to date row by row while millions of rows stream in (random keys: ~5 s per
million rows, on the thread that writes to the case -- the import's bound). Instead:

- keys of items committed before this import are looked up through a second, read-only
  connection to the case (WAL: it reads the last committed state, index included,
  while the import's transaction writes), and
- keys of this import's own items go to a private temporary SQLite database (no
  journal, bounded cache, spilling to a temporary file: memory stays flat however many
  rows), gone when it is closed.

So the case's dedup index can be set aside during a large import and built once, sorted,
at the end (app.importers.bulk_load), and the look-ups run on the parsing thread.
"""

import sqlite3
from pathlib import Path

from app.store.sql_lists import chunks, marks

Key = tuple[int, bytes]  # app.core.hashing.dedup_digest: 64-bit integer and 8 check bytes
LOOKUP_CHUNK = 500
SCRATCH_CACHE_KIB = 16384


class DedupKeys:
    """The first item id of each dedup key, across the case and the operation in progress."""

    def __init__(self, conn: sqlite3.Connection):
        case_path = conn.execute("PRAGMA database_list").fetchone()[2]
        self._committed = sqlite3.connect(f"{Path(case_path).resolve().as_uri()}?mode=ro", uri=True,
                                          check_same_thread=False)
        # "": SQLite's private temporary database -- in memory up to the cache size, then a
        # temporary file that the system removes even if the process is killed.
        self._scratch = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", f"cache_size = -{SCRATCH_CACHE_KIB}"):
            self._scratch.execute(f"PRAGMA {pragma}")
        self._scratch.execute("CREATE TABLE seen (hash INTEGER, check_bytes BLOB, first_id INTEGER,"
                              " PRIMARY KEY (hash, check_bytes)) WITHOUT ROWID")

    def first_copies(self, keys: list[Key]) -> dict[Key, int]:
        """{key: id of the first item with it} for those of `keys` already seen."""
        wanted = list({key[0] for key in keys})
        found: dict[Key, int] = {}
        for part in chunks(wanted, LOOKUP_CHUNK):
            found.update(((h, c), i) for h, c, i in self._scratch.execute(
                f"SELECT hash, check_bytes, first_id FROM seen WHERE hash IN ({marks(part)})", part))
            for h, c, i in self._committed.execute(
                    f"SELECT dedup_hash, dedup_check, min(id) FROM items WHERE dedup_hash IN ({marks(part)})"
                    " GROUP BY dedup_hash, dedup_check", part):
                found[(h, c)] = i  # an earlier import's copy comes first
        return found

    def remember(self, entries: list[tuple[int, bytes, int]]) -> None:
        """Record (hash, check, item id) of new items (their first copies)."""
        if entries:
            self._scratch.execute("BEGIN")
            self._scratch.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?, ?)", entries)
            self._scratch.execute("COMMIT")

    def close(self) -> None:
        self._committed.close()
        self._scratch.close()

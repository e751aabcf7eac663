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

Both answer with every item that has a key, oldest first: a log line that occurs three
times in one file is three items with one key, and a later source's copies of it are
matched one for one (app.importers.item_writer). How many of an earlier source's copies
the source being read has matched so far is kept here too (`repeats`), on disk like the
rest: after overlapping extracts of a million rows it may be a million keys.
"""

import sqlite3
from pathlib import Path

Key = tuple[int, bytes]  # app.core.hashing.dedup_digest: 64-bit integer and 8 check bytes
LOOKUP_CHUNK = 500
SCRATCH_CACHE_KIB = 16384


class DedupKeys:
    """The items of each dedup key, across the case and the operation in progress."""

    def __init__(self, conn: sqlite3.Connection):
        case_path = conn.execute("PRAGMA database_list").fetchone()[2]
        self._committed = sqlite3.connect(f"{Path(case_path).resolve().as_uri()}?mode=ro", uri=True,
                                          check_same_thread=False)
        # "": SQLite's private temporary database -- in memory up to the cache size, then a
        # temporary file that the system removes even if the process is killed.
        self._scratch = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", f"cache_size = -{SCRATCH_CACHE_KIB}"):
            self._scratch.execute(f"PRAGMA {pragma}")
        # Ordered by id within a hash: `before` reads only the entries it returns, however many
        # copies of a line the source being read has added after them.
        self._scratch.execute("CREATE TABLE seen (hash INTEGER, item_id INTEGER, check_bytes BLOB,"
                              " PRIMARY KEY (hash, item_id, check_bytes)) WITHOUT ROWID")
        self._scratch.execute("CREATE TABLE repeats (source_id INTEGER, hash INTEGER, check_bytes BLOB,"
                              " matched INTEGER, PRIMARY KEY (source_id, hash, check_bytes)) WITHOUT ROWID")

    def copies(self, keys: list[Key], before: int | None = None) -> dict[Key, list[int]]:
        """{key: ids of the items with it, oldest first} for those of `keys` already seen.

        `before`: only items with a lower id (those of earlier sources, for log lines: a
        line repeated a million times in the source being read is not looked up again
        for each of its batches).
        """
        wanted = list({key[0] for key in keys})
        limit = [] if before is None else [before]
        found: dict[Key, list[int]] = {}
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            part = wanted[start:start + LOOKUP_CHUNK]
            marks = ",".join("?" * len(part))
            # An earlier import's copies first: their ids are lower than this operation's.
            for h, c, i in self._committed.execute(
                    f"SELECT dedup_hash, dedup_check, id FROM items WHERE dedup_hash IN ({marks})", part):
                found.setdefault((h, c), []).append(i)
            for h, c, i in self._scratch.execute(
                    f"SELECT hash, check_bytes, item_id FROM seen WHERE hash IN ({marks})"
                    + (" AND item_id < ?" if limit else ""), part + limit):
                found.setdefault((h, c), []).append(i)
        for ids in found.values():
            if len(ids) > 1:
                ids.sort()
        return found

    def remember(self, entries: list[tuple[int, bytes, int]]) -> None:
        """Record (hash, check, item id) of new items."""
        if entries:
            self._scratch.execute("BEGIN")
            self._scratch.executemany("INSERT OR IGNORE INTO seen(hash, check_bytes, item_id) VALUES (?, ?, ?)",
                                      entries)
            self._scratch.execute("COMMIT")

    def repeats(self, source_id: int, keys: list[Key]) -> dict[Key, int]:
        """{key: how many earlier copies the source has matched so far} for those of `keys` it has."""
        found: dict[Key, int] = {}
        wanted = list({key[0] for key in keys})
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            part = wanted[start:start + LOOKUP_CHUNK]
            found.update(((h, c), n) for h, c, n in self._scratch.execute(
                f"SELECT hash, check_bytes, matched FROM repeats WHERE source_id = ? AND hash IN"
                f" ({','.join('?' * len(part))})", [source_id, *part]))
        return found

    def remember_repeats(self, source_id: int, matched: dict[Key, int]) -> None:
        if matched:
            self._scratch.execute("BEGIN")
            self._scratch.executemany("INSERT OR REPLACE INTO repeats VALUES (?, ?, ?, ?)",
                                      [(source_id, h, c, n) for (h, c), n in matched.items()])
            self._scratch.execute("COMMIT")

    def close(self) -> None:
        self._committed.close()
        self._scratch.close()

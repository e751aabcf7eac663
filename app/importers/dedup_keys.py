"""Which rows an import has already seen: the case's earlier items, and its own so far.

Looking a row's dedup key up in the case's own `items_dedup` index meant keeping that
index up to date row by row while millions of rows stream in (random keys: ~5 s per
million rows, on the thread that writes to the case -- the import's bound). Instead:

- keys of items committed before this import are looked up through a second, read-only
  connection to the case (WAL: it reads the last committed state, index included,
  while the import's transaction writes) -- or, when the import writes straight into
  the case file (app.store.direct_writes, where no second connection can read), copied
  into the temporary database below before the import writes anything, and
- keys of this import's own items go to a private temporary SQLite database (no
  journal, bounded cache, spilling to a temporary file: memory stays flat however many
  rows), gone when it is closed.

So the case's dedup index can be set aside during a large import and built once, sorted,
at the end (app.importers.bulk_load), and the look-ups run on the parsing thread.

A message (an email) has one item per key: any later copy is a duplicate of it
(`first_copies`). A log line may have many: the same line three times in one file is
three items with one key, and a later source's copies of it are matched one for one
(`earlier_copies`, see app.core.records.ItemRecord.dedup_events). How many earlier
copies the source being read has matched so far is kept here too (`repeats`), on disk
like the rest: after overlapping extracts of a million rows it may be a million keys.
"""

import sqlite3
from collections import Counter, deque
from pathlib import Path

from app.store.sql_lists import chunks, insert_rows, marks

Key = tuple[int, bytes]  # app.core.hashing.dedup_digest: 64-bit integer and 8 check bytes
LOOKUP_CHUNK = 500
SCRATCH_CACHE_KIB = 16384
COPY_PAGE = 50_000  # keys copied per read when the case's keys are copied


class DedupKeys:
    """The items of each dedup key, across the case and the operation in progress."""

    def __init__(self, conn: sqlite3.Connection, copy_case_keys: bool = False):
        """`copy_case_keys`: read the case's keys once, through `conn`, before anything is written.

        (For an import writing past the WAL, which a second connection could not read beside.)
        """
        case_path = conn.execute("PRAGMA database_list").fetchone()[2]
        self._committed = (
            None
            if copy_case_keys
            else sqlite3.connect(f"{Path(case_path).resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        )
        # "": SQLite's private temporary database -- in memory up to the cache size, then a
        # temporary file that the system removes even if the process is killed.
        self._scratch = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", f"cache_size = -{SCRATCH_CACHE_KIB}"):
            self._scratch.execute(f"PRAGMA {pragma}")
        # Ordered by id within a hash: `before` reads only the entries it returns, however many
        # copies of a line the source being read has added after them.
        self._scratch.execute(
            "CREATE TABLE seen (hash INTEGER, item_id INTEGER, check_bytes BLOB,"
            " PRIMARY KEY (hash, item_id, check_bytes)) WITHOUT ROWID"
        )
        self._scratch.execute(
            "CREATE TABLE repeats (source_id INTEGER, hash INTEGER, check_bytes BLOB,"
            " matched INTEGER, last_id INTEGER, PRIMARY KEY (source_id, hash, check_bytes))"
            " WITHOUT ROWID"
        )
        # Nothing to look up while the case had no keys and the operation has stored none
        # before the source being read: the first import into a case reads no index at all.
        self._case_has_keys = self._committed is not None and bool(
            self._committed.execute("SELECT EXISTS (SELECT 1 FROM items WHERE dedup_hash IS NOT NULL)").fetchone()[0]
        )
        self._seen_from: int | None = None  # the lowest item id in `seen` (ids only grow)
        if copy_case_keys:
            self._copy_case_keys(conn)
        # Lines with more than one earlier copy, counted once per source: {key: (first id, copies)}.
        self._counted: dict[Key, tuple[int, int]] = {}
        self._counted_before: int | None = None

    def _copy_case_keys(self, conn: sqlite3.Connection) -> None:
        """The case's items' keys, as if this operation had seen them first (their ids are lower).

        Read in pages of ids, so memory stays flat; `seen` spills to its temporary file."""
        last = 0
        while True:
            rows = conn.execute(
                "SELECT dedup_hash, dedup_check, id FROM items WHERE id > ? AND dedup_hash IS NOT NULL"
                " ORDER BY id LIMIT ?",
                (last, COPY_PAGE),
            ).fetchall()
            if not rows:
                return
            self.remember(rows)
            last = rows[-1][2]

    def first_copies(self, keys: list[Key]) -> dict[Key, int]:
        """{key: id of the first item with it} for those of `keys` already seen (messages)."""
        return {key: found[0] for key, found in self._counts(keys, None).items()}

    def earlier_copies(self, source_id: int, keys: list[Key], before: int) -> dict[Key, deque[int]]:
        """The earlier sources' items that a batch of the source's log lines duplicates.

        `keys`: the batch's log lines in order; `before`: the source's first item id.
        {key: ids, oldest first}: the k-th copy of a line in the source is a duplicate of
        the k-th item with it in earlier sources, while there is one; the copies after
        those are items of their own. Only the ids this batch needs are read.
        """
        if before != self._counted_before:  # a new source: what earlier sources hold is fixed from here
            self._counted, self._counted_before = {}, before
        fresh = [key for key in keys if key not in self._counted]
        counts = self._counts(fresh, before) if fresh else {}
        for key, (first, in_case, in_operation) in counts.items():
            if in_case + in_operation > 1:  # a line with many copies: not counted again for each batch
                self._counted[key] = (first, in_case + in_operation)
        wanted = Counter(key for key in keys if key in counts or key in self._counted)
        if not wanted:
            return {}
        matched = self._repeats(source_id, list(wanted))
        found: dict[Key, deque[int]] = {}
        for key, copies in wanted.items():
            first, total = self._counted[key] if key in self._counted else (counts[key][0], 1)
            used, last = matched.get(key, (0, 0))
            take = min(copies, total - used)
            if take > 0:
                found[key] = deque([first] if used == 0 and take == 1 else self._after(key, last, take, before))
                matched[key] = (used + take, found[key][-1])  # all are used: the batch holds `copies` of it
        self._remember_repeats(source_id, {key: matched[key] for key in found})
        return found

    def _counts(self, keys: list[Key], before: int | None) -> dict[Key, list[int]]:
        """{key: [first id, items in the case before this import, items of this import]} of the
        keys seen; of this import's items only those below `before` (None: all)."""
        in_operation = self._seen_from is not None and (before is None or self._seen_from < before)
        if not (self._case_has_keys or in_operation):
            return {}
        wanted = list({key[0] for key in keys})
        limit = [] if before is None else [before]
        found: dict[Key, list[int]] = {}
        for part in chunks(wanted, LOOKUP_CHUNK):
            in_list = marks(part)
            # An earlier import's copies first: their ids are lower than this operation's.
            if self._case_has_keys:
                for h, c, first, count in self._committed.execute(
                    f"SELECT dedup_hash, dedup_check, min(id), count(*) FROM items WHERE dedup_hash IN ({in_list})"
                    " GROUP BY dedup_hash, dedup_check",
                    part,
                ):
                    found[(h, c)] = [first, count, 0]
            if not in_operation:
                continue
            for h, c, first, count in self._scratch.execute(
                f"SELECT hash, check_bytes, min(item_id), count(*) FROM seen WHERE hash IN ({in_list})"
                + (" AND item_id < ?" if limit else "")
                + " GROUP BY hash, check_bytes",
                part + limit,
            ):
                if (h, c) in found:
                    found[(h, c)][2] = count
                else:
                    found[(h, c)] = [first, 0, count]
        return found

    def _after(self, key: Key, last: int, count: int, before: int) -> list[int]:
        """Ids of the next `count` items with `key` after item `last`, below `before`, oldest first.

        The case's items come before this import's (lower ids), so one id orders both.
        """
        ids = (
            [
                row[0]
                for row in self._committed.execute(
                    "SELECT id FROM items WHERE dedup_hash = ? AND dedup_check = ? AND id > ? ORDER BY id LIMIT ?",
                    (*key, last, count),
                )
            ]
            if self._case_has_keys
            else []
        )
        if len(ids) < count:
            ids += [
                row[0]
                for row in self._scratch.execute(
                    "SELECT item_id FROM seen WHERE hash = ? AND item_id > ? AND item_id < ? AND check_bytes = ?"
                    " ORDER BY item_id LIMIT ?",
                    (key[0], ids[-1] if ids else last, before, key[1], count - len(ids)),
                )
            ]
        return ids

    def remember(self, entries: list[tuple[int, bytes, int]]) -> None:
        """Record (hash, check, item id) of new items."""
        if entries:
            self._scratch.execute("BEGIN")
            insert_rows(self._scratch, "INSERT OR IGNORE INTO seen(hash, check_bytes, item_id)", 3, entries)
            self._scratch.execute("COMMIT")
            if self._seen_from is None:
                self._seen_from = min(entry[2] for entry in entries)

    def _repeats(self, source_id: int, keys: list[Key]) -> dict[Key, tuple[int, int]]:
        """{key: (how many earlier copies the source has matched so far, the last one's id)}."""
        found: dict[Key, tuple[int, int]] = {}
        wanted = list({key[0] for key in keys})
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            part = wanted[start : start + LOOKUP_CHUNK]
            found.update(
                ((h, c), (n, last))
                for h, c, n, last in self._scratch.execute(
                    f"SELECT hash, check_bytes, matched, last_id FROM repeats WHERE source_id = ? AND hash IN"
                    f" ({','.join('?' * len(part))})",
                    [source_id, *part],
                )
            )
        return found

    def _remember_repeats(self, source_id: int, matched: dict[Key, tuple[int, int]]) -> None:
        if matched:
            self._scratch.execute("BEGIN")
            self._scratch.executemany(
                "INSERT OR REPLACE INTO repeats VALUES (?, ?, ?, ?, ?)",
                [(source_id, h, c, n, last) for (h, c), (n, last) in matched.items()],
            )
            self._scratch.execute("COMMIT")

    def close(self) -> None:
        if self._committed is not None:
            self._committed.close()
        self._scratch.close()

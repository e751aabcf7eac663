"""Stage one: which (output, logged response) pairs are worth comparing, without comparing every pair.

The outputs' winnowed fingerprints (app/analysis/provenance/fingerprints.py) go into a
SQLite table (fingerprint -> output) in a temporary file beside nothing of the case; in
memory stays only the sorted array of their distinct values (8 bytes each), used to
test a response's fingerprints for membership. The logged responses are then read in
keyset pages and fingerprinted; only fingerprints an output also has ("hits") are
written to the table. So memory holds one page of responses and that array, whatever
the size of the log.

Two kinds of text are set apart on the way:
- the same response logged again (the same prompt answered the same way, an everyday
  thing for templated requests) is compared once: identical texts are counted and the
  earliest logged one represents them (`texts` table);
- *boilerplate*: a fingerprint found in more distinct responses than the ceiling
  ("As an AI language model, ...", "Here is a step-by-step explanation") is dropped, so
  that such text never makes a pair on its own.
A pair is a candidate when it shares at least `min_shared_fingerprints` fingerprints
that are not boilerplate.
"""

import hashlib
import sqlite3
import tempfile
from pathlib import Path

import numpy as np

from app.analysis.provenance.fingerprints import flat_fingerprints, page_fingerprints
from app.analysis.provenance.page_words import PageWordHashes
from app.analysis.provenance.words import WordHashes
from app.store.sql_lists import chunks, marks

_INT64 = np.int64


def text_digest(text: str) -> int:
    """A signed 64-bit digest of a response's text (identical texts are one answer logged again)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


class CandidateIndex:
    """The temporary index of one run; close() deletes it."""

    def __init__(self, shingle: int, window: int, boilerplate_ceiling: int):
        self.shingle, self.window, self.ceiling = shingle, window, boilerplate_ceiling
        self._folder = tempfile.TemporaryDirectory(prefix="casefile-provenance-")
        self.db = sqlite3.connect(str(Path(self._folder.name) / "index.db"), isolation_level=None)
        for pragma in ("PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -32768"):
            self.db.execute(pragma)
        self.db.executescript("""
            CREATE TABLE postings (print INTEGER NOT NULL, output_id INTEGER NOT NULL);
            CREATE TABLE hits (print INTEGER NOT NULL, response_id INTEGER NOT NULL);
            CREATE TABLE texts (digest INTEGER PRIMARY KEY, first_id INTEGER NOT NULL, first_ts INTEGER,
                                copies INTEGER NOT NULL);
            CREATE TABLE boilerplate (print INTEGER PRIMARY KEY);
            CREATE TABLE output_hits (print INTEGER NOT NULL, source_id INTEGER NOT NULL);
            CREATE TABLE pairs (output_id INTEGER NOT NULL, response_id INTEGER NOT NULL);
            CREATE TABLE candidate_texts (item_id INTEGER PRIMARY KEY, ts_us INTEGER, text TEXT NOT NULL);
        """)
        self.hashes = WordHashes()  # for passages (lists of words)
        self.page_hashes = PageWordHashes()  # for pages of texts
        self._output_prints: list[np.ndarray] = []
        self.distinct = np.empty(0, dtype=np.uint64)
        self.spread = np.empty(0, dtype=np.int32)  # per distinct print: distinct responses holding it
        self.boilerplate = np.empty(0, dtype=np.uint64)  # sorted: the prints over the ceiling
        self.outputs_indexed = 0
        self.responses_read = 0
        self.distinct_responses = 0

    def close(self) -> None:
        self.db.close()
        self._folder.cleanup()

    # -- outputs ------------------------------------------------------------------------------

    def add_outputs(self, page) -> None:
        """Fingerprint a page of outputs (Text) into the postings."""
        texts, prints = self._fingerprints(page)
        ids = np.array([t.item_id for t in page], dtype=_INT64)
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT INTO postings(print, output_id) VALUES (?, ?)",
            zip(prints.view(_INT64).tolist(), ids[texts].tolist()),
        )
        self.db.execute("COMMIT")
        self._output_prints.append(np.unique(prints))
        self.outputs_indexed += len(page)

    def outputs_done(self) -> None:
        self.db.execute("CREATE INDEX postings_print ON postings(print)")
        if self._output_prints:
            self.distinct = np.unique(np.concatenate(self._output_prints))
        self._output_prints = []
        self.spread = np.zeros(len(self.distinct), dtype=np.int32)
        self.output_spread = np.zeros(len(self.distinct), dtype=np.int32)  # outputs holding each print

    # -- responses ----------------------------------------------------------------------------

    def add_responses(self, page) -> None:
        """Count a page of logged responses (Text) and note where they share an output's fingerprints."""
        self.responses_read += len(page)
        digests = [text_digest(t.text) for t in page]
        known = set()
        for part in chunks(sorted(set(digests))):
            known.update(
                r[0] for r in self.db.execute(f"SELECT digest FROM texts WHERE digest IN ({marks(part)})", part)
            )
        fresh, seen = [], set(known)
        for text, digest in zip(page, digests):
            if digest not in seen:
                seen.add(digest)
                fresh.append(text)
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT INTO texts(digest, first_id, first_ts, copies) VALUES (?, ?, ?, 1) ON CONFLICT(digest) DO UPDATE"
            " SET copies = copies + 1, first_id = CASE WHEN coalesce(excluded.first_ts, 9223372036854775807)"
            " < coalesce(first_ts, 9223372036854775807) THEN excluded.first_id ELSE first_id END,"
            " first_ts = CASE WHEN coalesce(excluded.first_ts, 9223372036854775807)"
            " < coalesce(first_ts, 9223372036854775807) THEN excluded.first_ts ELSE first_ts END",
            ((digest, t.item_id, t.ts_us) for t, digest in zip(page, digests)),
        )
        self.distinct_responses += len(fresh)
        if fresh and len(self.distinct):
            self._note_hits(fresh)
        self.db.execute("COMMIT")

    def _note_hits(self, fresh) -> None:
        texts, prints = self._fingerprints(fresh)
        places, texts, prints = self._known(texts, prints)
        np.add.at(self.spread, places, 1)
        # a print already over the ceiling is boilerplate whatever follows: its hits are not kept
        kept = self.spread[places] <= self.ceiling
        ids = np.array([t.item_id for t in fresh], dtype=_INT64)
        self.db.executemany(
            "INSERT INTO hits(print, response_id) VALUES (?, ?)",
            zip(prints[kept].view(_INT64).tolist(), ids[texts[kept]].tolist()),
        )

    def _fingerprints(self, page) -> tuple[np.ndarray, np.ndarray]:
        """(text index, fingerprint) pairs of a page of Text."""
        return flat_fingerprints(*self.page_hashes.of([t.text for t in page]), self.shingle, self.window)

    def _known(self, texts, prints):
        """The (place in `distinct`, text, print) of the prints an output has."""
        places = np.searchsorted(self.distinct, prints)
        places[places == len(self.distinct)] = 0
        hit = self.distinct[places] == prints
        return places[hit], texts[hit], prints[hit]

    def add_output_sources(self, page) -> None:
        """A page of outputs (Text) read again, as text other outputs may copy."""
        if not len(self.distinct):
            return
        texts, prints = self._fingerprints(page)
        places, texts, prints = self._known(texts, prints)
        np.add.at(self.output_spread, places, 1)
        kept = self.output_spread[places] <= self.ceiling + 1  # every print is in its own output
        ids = np.array([t.item_id for t in page], dtype=_INT64)
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT INTO output_hits(print, source_id) VALUES (?, ?)",
            zip(prints[kept].view(_INT64).tolist(), ids[texts[kept]].tolist()),
        )
        self.db.execute("COMMIT")

    # -- candidates ---------------------------------------------------------------------------

    def candidates(self, min_shared: int, per_output: int):
        """(output id, [response ids, most shared fingerprints first]) in output-id order."""
        self.boilerplate = self.distinct[(self.spread > self.ceiling) | (self.output_spread > self.ceiling + 1)]
        boiler = self.boilerplate.view(_INT64)
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR IGNORE INTO boilerplate(print) VALUES (?)", ((int(p),) for p in boiler))
        self.db.execute("COMMIT")
        return self._grouped(
            "SELECT p.output_id, h.response_id, count(*) AS shared FROM hits h JOIN postings p ON p.print = h.print"
            " WHERE h.print NOT IN (SELECT print FROM boilerplate)"
            " GROUP BY p.output_id, h.response_id HAVING shared >= ? ORDER BY p.output_id, shared DESC, h.response_id",
            min_shared,
            per_output,
        )

    def output_candidates(self, min_shared: int, per_output: int):
        """(output id, [earlier outputs it shares passages with]): each pair once, the later output first.

        Call after `candidates` (which settles the boilerplate)."""
        return self._grouped(
            "SELECT p.output_id, h.source_id, count(*) AS shared FROM output_hits h"
            " JOIN postings p ON p.print = h.print WHERE p.output_id > h.source_id"
            " AND h.print NOT IN (SELECT print FROM boilerplate)"
            " GROUP BY p.output_id, h.source_id HAVING shared >= ? ORDER BY p.output_id, shared DESC, h.source_id",
            min_shared,
            per_output,
        )

    def _grouped(self, sql: str, min_shared: int, per_output: int):
        rows = self.db.execute(sql, (min_shared,))
        current, found = None, []
        for output_id, other_id, _shared in rows:
            if output_id != current:
                if current is not None:
                    yield current, found
                current, found = output_id, []
            if len(found) < per_output:
                found.append(other_id)
        if current is not None:
            yield current, found

    def stage(self, grouped) -> list[int]:
        """Keep the (output, [response ids]) candidates in the index; returns the responses
        they name, in item-id order: reading them in that order reads the log's stored
        original once, front to back (read one by one at random they each cost a chunk)."""
        self.db.execute("BEGIN")
        for output_id, response_ids in grouped:
            self.db.executemany(
                "INSERT INTO pairs(output_id, response_id) VALUES (?, ?)", ((output_id, r) for r in response_ids)
            )
        self.db.execute("COMMIT")
        return [r[0] for r in self.db.execute("SELECT DISTINCT response_id FROM pairs ORDER BY response_id")]

    def keep_texts(self, texts) -> None:
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT OR REPLACE INTO candidate_texts(item_id, ts_us, text) VALUES (?, ?, ?)",
            ((t.item_id, t.ts_us, t.text) for t in texts),
        )
        self.db.execute("COMMIT")

    def staged(self):
        """(output id, [response Text, in the order staged]) for each staged output, in output-id order."""
        rows = self.db.execute(
            "SELECT p.output_id, t.item_id, t.ts_us, t.text FROM pairs p"
            " JOIN candidate_texts t ON t.item_id = p.response_id ORDER BY p.output_id, p.rowid"
        )
        current, found = None, []
        for output_id, item_id, ts_us, text in rows:
            if output_id != current:
                if current is not None:
                    yield current, found
                current, found = output_id, []
            found.append((item_id, ts_us, text))
        if current is not None:
            yield current, found

    def only_boilerplate(self, passage: list[str]) -> bool:
        """True when every fingerprint of a shared passage is boilerplate: it shows nothing was copied.

        (A passage of many responses -- the lab's usual closing lines -- shared by an output
        that copies nothing else must not count towards a link.)"""
        _texts, prints = page_fingerprints([self.hashes.of(passage)], self.shingle, self.window)
        if not len(prints) or not len(self.boilerplate):
            return False
        places = np.searchsorted(self.boilerplate, prints)  # sorted: a subset of `distinct` in order
        places[places == len(self.boilerplate)] = 0
        return bool((self.boilerplate[places] == prints).all())

    def boilerplate_count(self) -> int:
        return int((self.spread > self.ceiling).sum())

    def representative(self, text: str) -> tuple[int, int]:
        """(earliest logged response with exactly this text, how many were logged)."""
        row = self.db.execute("SELECT first_id, copies FROM texts WHERE digest = ?", (text_digest(text),)).fetchone()
        return (row[0], row[1]) if row else (0, 1)

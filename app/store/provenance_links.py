"""Provenance as case data: links from outputs to the logged responses they copy, the
canaries and self-identification found, and the case's own canary strings and lab names.

A run (app/analysis/provenance/operation.py) is saved whole in one transaction with its
audit entry ("provenance.run"), replacing the run before it. The entry records the
settings' hash, the case state the run read (item count, audit-chain head) and a digest
over every stored row, so `verify` proves the links are the ones the run computed
(app/store/verify_provenance.py); run again with the same settings on the same case, the
digest is the same. The terms (canaries, lab names) are audited one by one
("provenance.term.add" / ".remove") and replayed by verify.
"""

import hashlib
import sqlite3
from dataclasses import dataclass

import orjson

from app.store.case_file import CaseFile, utc_now_iso
from app.store.errors import CaseFileError

TERM_KINDS = {"canary": "canary string", "lab_name": "name of the lab or its model"}


@dataclass
class LinkRow:
    output_id: int
    response_id: int
    similarity: float
    shared_words: int
    longest_run: int
    output_words: int
    response_words: int
    same_text_count: int  # logged responses with exactly this text (the same answer given again)
    passages: list  # [[output word index, response word index, length], ...]
    target_kind: str = "response"  # "output": response_id names another output, copied (or copying)

    def canonical(self) -> list:
        return [
            self.output_id,
            self.response_id,
            round(self.similarity, 6),
            self.shared_words,
            self.longest_run,
            self.output_words,
            self.response_words,
            self.same_text_count,
            self.passages,
            self.target_kind,
        ]


@dataclass
class MarkRow:
    item_id: int
    kind: str  # "canary" or "self_identification"
    term: str  # the canary or phrase looked for
    found: str  # the text as written in the item
    how: str  # "exact" or "normalised" (after case, spacing and look-alikes)
    start: int  # character offsets in the item's text
    end: int

    def canonical(self) -> list:
        return [self.item_id, self.kind, self.term, self.found, self.how, self.start, self.end]


RUN_COLUMNS = (
    "settings_hash",
    "item_count",
    "audit_seq",
    "audit_head",
    "outputs_compared",
    "responses_compared",
    "distinct_responses",
    "candidates",
)


def rows_digest(run: dict, links: list[LinkRow], marks: list[MarkRow]) -> str:
    """SHA-256 over the run's state and every link and mark, canonically ordered."""
    digest = hashlib.sha256(orjson.dumps([run.get(c) for c in RUN_COLUMNS]))
    for link in sorted(links, key=lambda r: (r.target_kind, r.output_id, r.response_id)):
        digest.update(orjson.dumps(link.canonical()))
    digest.update(b"|marks|")
    for mark in sorted(marks, key=lambda r: (r.item_id, r.start, r.kind, r.term)):
        digest.update(orjson.dumps(mark.canonical()))
    return digest.hexdigest()


def save_run(case: CaseFile, run: dict, settings: dict, links: list[LinkRow], marks: list[MarkRow]) -> int:
    """Store a run (replacing the one before) with its audit entry; returns the run id."""
    digest = rows_digest(run, links, marks)
    with case.transaction() as conn:
        conn.execute("DELETE FROM provenance_links")
        conn.execute("DELETE FROM provenance_marks")
        conn.execute("DELETE FROM provenance_runs")
        run_id = conn.execute(
            f"INSERT INTO provenance_runs(created_utc, who, settings, digest, {', '.join(RUN_COLUMNS)})"
            f" VALUES (?, ?, ?, ?, {', '.join('?' * len(RUN_COLUMNS))})",
            (
                utc_now_iso(),
                case.operator,
                orjson.dumps(settings, option=orjson.OPT_SORT_KEYS).decode(),
                digest,
                *[run.get(c) for c in RUN_COLUMNS],
            ),
        ).lastrowid
        conn.executemany(
            "INSERT INTO provenance_links(run_id, output_id, response_id, similarity, shared_words, longest_run,"
            " output_words, response_words, same_text_count, passages, target_kind) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            ((run_id, *row[:8], orjson.dumps(row[8]).decode(), row[9]) for row in (link.canonical() for link in links)),
        )
        conn.executemany(
            "INSERT INTO provenance_marks(run_id, item_id, kind, term, found, how, start, end)"
            " VALUES (?,?,?,?,?,?,?,?)",
            ((run_id, *mark.canonical()) for mark in marks),
        )
        case.audit(
            "provenance.run",
            {
                "run_id": run_id,
                **{c: run.get(c) for c in RUN_COLUMNS},
                "links": len(links),
                "marks": len(marks),
                "digest": digest,
            },
        )
    return run_id


def latest_run(conn: sqlite3.Connection) -> dict | None:
    row = conn.execute(
        f"SELECT id, created_utc, who, settings, digest, {', '.join(RUN_COLUMNS)} FROM provenance_runs"
        " ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    run = dict(zip(("run_id", "created_utc", "who", "settings", "digest", *RUN_COLUMNS), row))
    run["settings"] = orjson.loads(run["settings"])
    return run


def stored_rows(conn: sqlite3.Connection, run_id: int) -> tuple[list[LinkRow], list[MarkRow]]:
    """The run's links and marks as stored (verify recomputes the digest over them)."""
    links = [
        LinkRow(*row[:8], passages=orjson.loads(row[8]), target_kind=row[9])  # type: ignore[misc]
        for row in conn.execute(
            "SELECT output_id, response_id, similarity, shared_words, longest_run, output_words, response_words,"
            " same_text_count, passages, target_kind FROM provenance_links WHERE run_id = ? ORDER BY id",
            (run_id,),
        )
    ]
    marks = [
        MarkRow(*row)
        for row in conn.execute(
            "SELECT item_id, kind, term, found, how, start, end FROM provenance_marks WHERE run_id = ? ORDER BY id",
            (run_id,),
        )
    ]
    return links, marks


LINK_COLUMNS = (
    "link_id",
    "output_id",
    "response_id",
    "similarity",
    "shared_words",
    "longest_run",
    "output_words",
    "response_words",
    "same_text_count",
    "passages",
    "response_account",
    "response_ts_us",
    "output_title",
    "output_ts_us",
)


def links(
    conn: sqlite3.Connection, output_id: int | None = None, min_similarity: float = 0.0, target_kind: str = "response"
) -> list[dict]:
    """Stored links, strongest first (by share, then longest passage), with the response's account and time.

    `target_kind` "output": the links between outputs (response_id then names the other output).
    """
    where, params = "l.similarity >= ? AND l.target_kind = ?", [min_similarity, target_kind]
    if output_id is not None:
        where += " AND l.output_id = ?"
        params.append(output_id)
    rows = conn.execute(
        "SELECT l.id, l.output_id, l.response_id, l.similarity, l.shared_words, l.longest_run, l.output_words,"
        " l.response_words, l.same_text_count, l.passages, r.account, r.ts_us, o.title, o.ts_us"
        " FROM provenance_links l JOIN items r ON r.id = l.response_id JOIN items o ON o.id = l.output_id"
        f" WHERE {where} ORDER BY l.similarity DESC, l.longest_run DESC, l.output_id, l.response_id",
        params,
    )
    result = []
    for row in rows:
        link = dict(zip(LINK_COLUMNS, row))
        link["passages"] = orjson.loads(link["passages"])
        result.append(link)
    return result


def ranked_outputs(conn: sqlite3.Connection) -> list[dict]:
    """One row per linked output, by its strongest link: the Provenance view's list."""
    ranked, seen = [], set()
    for link in links(conn):
        if link["output_id"] not in seen:
            seen.add(link["output_id"])
            link["link_count"] = 0
            ranked.append(link)
    counts = dict(
        conn.execute(
            "SELECT output_id, count(*) FROM provenance_links WHERE target_kind = 'response' GROUP BY output_id"
        ).fetchall()
    )
    for link in ranked:
        link["link_count"] = counts.get(link["output_id"], 0)
    return ranked


def marks(conn: sqlite3.Connection, item_id: int | None = None) -> list[dict]:
    """Canaries and self-identification found, by item."""
    where, params = ("WHERE item_id = ?", (item_id,)) if item_id is not None else ("", ())
    columns = ("item_id", "kind", "term", "found", "how", "start", "end")
    return [
        dict(zip(columns, row))
        for row in conn.execute(
            f"SELECT {', '.join(columns)} FROM provenance_marks {where} ORDER BY item_id, start", params
        )
    ]


# -- the case's canaries and lab names -----------------------------------------------------


def terms(conn: sqlite3.Connection, kind: str) -> list[str]:
    return [r[0] for r in conn.execute("SELECT text FROM provenance_terms WHERE kind = ? ORDER BY id", (kind,))]


def add_term(case: CaseFile, kind: str, text: str) -> bool:
    """Register a canary string or a lab name; False when it was registered already."""
    text = _checked(kind, text)
    with case.transaction() as conn:
        if conn.execute("SELECT 1 FROM provenance_terms WHERE kind = ? AND text = ?", (kind, text)).fetchone():
            return False
        conn.execute(
            "INSERT INTO provenance_terms(kind, text, who, created_utc) VALUES (?, ?, ?, ?)",
            (kind, text, case.operator, utc_now_iso()),
        )
        case.audit("provenance.term.add", {"kind": kind, "text": text})
    return True


def remove_term(case: CaseFile, kind: str, text: str) -> None:
    text = _checked(kind, text)
    with case.transaction() as conn:
        if conn.execute("DELETE FROM provenance_terms WHERE kind = ? AND text = ?", (kind, text)).rowcount == 0:
            raise CaseFileError(f"The case has no {TERM_KINDS[kind]} {text!r}.")
        case.audit("provenance.term.remove", {"kind": kind, "text": text})


def _checked(kind: str, text: str) -> str:
    if kind not in TERM_KINDS:
        raise CaseFileError(f"Unknown kind of provenance term {kind!r}.")
    text = text.strip()
    if not text:
        raise CaseFileError(f"A {TERM_KINDS[kind]} cannot be blank.")
    return text

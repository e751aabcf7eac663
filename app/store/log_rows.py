"""Log rows streamed for analysis: the listed columns and the mapped prompt, status and token counts.

Rows come in id order a batch at a time (keyset paging), so a million-row case is read
with the memory of one batch. A row's fields are read where they are kept (its own JSON,
or its line in the stored original; app/store/item_fields.py) and picked out by the
field mapping its source was imported with.
"""

import sqlite3
from collections.abc import Callable
from typing import NamedTuple

from app.core.mapping import get_path
from app.store.item_fields import FieldsReader
from app.store.source_lookups import field_mapping
from app.store.sql_lists import marks

BATCH = 4000


class LogRow(NamedTuple):
    id: int
    account: str | None
    api_key: str | None
    ip: str | None
    ts_us: int | None
    prompt: str
    response: str | None  # only read when the log has no output token count
    status: object
    output_tokens: object
    input_tokens: object


def log_source_ids(conn: sqlite3.Connection, source_id: int) -> list[int]:
    """A source and the files unpacked from it (an archive's members)."""
    ids = [source_id]
    ids += [r[0] for r in conn.execute("SELECT id FROM sources WHERE parent_source_id = ? ORDER BY id", (source_id,))]
    return ids


def log_row_count(conn: sqlite3.Connection, source_ids: list[int] | None = None) -> int:
    where, params = _where(source_ids)
    return conn.execute(f"SELECT count(*) FROM items i WHERE {where}", params).fetchone()[0]


def _where(source_ids: list[int] | None, by_id: bool = False) -> tuple[str, list]:
    """The condition for log rows; `by_id`: written so that SQLite walks the rows in id order
    (a unary + keeps it off the kind index, which would sort every remaining row for each batch:
    quadratic over a million rows)."""
    plus = "+" if by_id else ""
    if source_ids:
        return f"{plus}i.kind = 'log_entry' AND {plus}i.source_id IN ({marks(source_ids)})", list(source_ids)
    return f"{plus}i.kind = 'log_entry'", []


def batch_query(source_ids: list[int] | None = None) -> tuple[str, list]:
    """The query of one batch (its parameters then: the last id seen and the batch size).

    `items` alone: item_bodies holds each row's text before its fields, and reading past a
    long text costs more than the row's whole analysis. Fields kept in item_bodies (rows
    whose locator has no byte range in the original) are fetched for those rows only."""
    where, params = _where(source_ids, by_id=True)
    query = (
        "SELECT i.id, i.source_id, i.locator, i.ts_us, i.account, i.api_key, i.ip"
        f" FROM items i WHERE {where} AND i.id > ? ORDER BY i.id LIMIT ?"
    )
    return query, params


def iter_log_rows(conn: sqlite3.Connection, source_ids: list[int] | None = None, batch: int = BATCH):
    """Every log row (of the given sources) as a LogRow, in id order; yields a list per batch."""
    query, params = batch_query(source_ids)
    reader = FieldsReader(conn)
    mappings: dict[int, Callable] = {}  # source id -> its picker
    last = 0
    while True:
        rows = conn.execute(query, [*params, last, batch]).fetchall()
        if not rows:
            return
        kept = [r[0] for r in rows if '"byte_length"' not in r[2]]
        stored_fields = (
            dict(conn.execute(f"SELECT id, fields FROM item_bodies WHERE id IN ({marks(kept)})", kept).fetchall())
            if kept
            else {}
        )
        for source_id in {r[1] for r in rows} - mappings.keys():
            mappings[source_id] = _picker(field_mapping(conn, source_id))
        every_fields = reader.many_fields([(r[1], r[2], stored_fields.get(r[0])) for r in rows])
        out = []
        for (item_id, source_id, _locator, ts_us, account, api_key, ip), fields in zip(rows, every_fields):
            prompt, out_tokens, response, status, in_tokens = mappings[source_id](fields)
            out.append(
                LogRow(
                    item_id,
                    account,
                    api_key,
                    ip,
                    ts_us,
                    prompt if isinstance(prompt, str) else ("" if prompt is None else str(prompt)),
                    _response(response) if out_tokens is None else None,  # only when there is no count
                    status,
                    out_tokens,
                    in_tokens,
                )
            )
        yield out
        last = rows[-1][0]


def _response(response):
    return response if response is None or isinstance(response, str) else str(response)


PICKED = ("prompt", "output_tokens", "response", "status", "input_tokens")


def _picker(mapping: dict):
    """pick(fields) -> the mapped values of a row in PICKED's order (None when unmapped or
    absent): plain keys read straight from the row's dict (most mappings), dotted paths
    through get_path."""
    paths = [mapping.get(target) or None for target in PICKED]
    if all(path is None or "." not in path for path in paths):
        prompt, out_tokens, response, status, in_tokens = paths

        def pick(fields):
            if type(fields) is not dict:
                return tuple(None if path is None else get_path(fields, path) for path in paths)
            get = fields.get
            return (
                prompt and get(prompt),
                out_tokens and get(out_tokens),
                response and get(response),
                status and get(status),
                in_tokens and get(in_tokens),
            )

        return pick
    return lambda fields: tuple(None if path is None else get_path(fields, path) for path in paths)


def prompts_of(conn: sqlite3.Connection, item_ids) -> dict[int, str]:
    """{item id: its prompt} for a few log rows (examples of a template, a cited row)."""
    found = {}
    reader = FieldsReader(conn)
    for item_id in sorted({int(i) for i in item_ids}):
        row = conn.execute(
            "SELECT i.source_id, i.locator, b.fields FROM items i LEFT JOIN item_bodies b ON b.id = i.id"
            " WHERE i.id = ?",
            (item_id,),
        ).fetchone()
        if row is None:
            continue
        mapping = field_mapping(conn, row[0])
        prompt = get_path(reader.fields(*row), mapping["prompt"]) if "prompt" in mapping else None
        found[item_id] = "" if prompt is None else str(prompt)
    return found


def account_activity(conn: sqlite3.Connection, account: str, source_ids: list[int] | None = None) -> dict:
    """What the charts of one account show: requests per UTC day and hour, and each API key's
    first and last use and requests. Read from the items (indexed by account)."""
    where, params = _where(source_ids, by_id=True)  # (off the kind index: the account's index serves)
    condition = f"{where} AND i.account = ? AND i.ts_us IS NOT NULL"
    days: dict[int, list[int]] = {}
    for day, hour, count in conn.execute(
        f"SELECT i.ts_us / 86400000000, (i.ts_us / 3600000000) % 24, count(*) FROM items i WHERE {condition}"
        " GROUP BY 1, 2 ORDER BY 1, 2",
        [*params, account],
    ):
        days.setdefault(day, [0] * 24)[hour] = count
    keys = [
        list(r)
        for r in conn.execute(
            f"SELECT i.api_key, min(i.ts_us), max(i.ts_us), count(*) FROM items i WHERE {condition}"
            " AND i.api_key IS NOT NULL GROUP BY i.api_key ORDER BY 2, 1",
            [*params, account],
        )
    ]
    return {"days": sorted(days.items()), "keys": keys}

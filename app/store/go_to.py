"""Finding an item from what a reviewer types: its id ("1234", "#1234") or a Bates number
of a recorded production ("NWAI0000123").

A Bates number is looked up in the productions' own records (`production_exhibits`,
newest production first), never computed: the page belongs to one exhibit, and the
exhibit's first item is the one shown (an exhibit's pages are not recorded per item).
"""

import re
import sqlite3
from dataclasses import dataclass

import orjson


@dataclass(frozen=True)
class Found:
    item_id: int | None
    message: str  # what to tell the reviewer (why nothing was found, or which exhibit)


def find_item(conn: sqlite3.Connection, text: str) -> Found:
    typed = re.sub(r"\s+", "", text or "")
    if not typed:
        return Found(None, "Type an item number or a Bates number.")
    number = typed[1:] if typed.startswith("#") else typed
    if number.isdigit():
        if conn.execute("SELECT 1 FROM items WHERE id = ?", (int(number),)).fetchone():
            return Found(int(number), f"Item {int(number)}.")
        if typed.startswith("#"):
            return Found(None, f"There is no item {int(number)} in this case.")
    return _by_bates(conn, typed)


def _by_bates(conn: sqlite3.Connection, typed: str) -> Found:
    productions = conn.execute("SELECT id, bates_prefix, title FROM productions ORDER BY id DESC").fetchall()
    if not productions:
        return Found(None, f"There is no item {typed} in this case, and no production has Bates numbers yet.")
    for production_id, prefix, _title in productions:
        if not typed.upper().startswith(prefix.upper()) or not typed[len(prefix) :].isdigit():
            continue
        page = int(typed[len(prefix) :])
        row = conn.execute(
            "SELECT label, item_ids FROM production_exhibits WHERE production_id = ?"
            " AND bates_first <= ? AND bates_last >= ? ORDER BY position LIMIT 1",
            (production_id, page, page),
        ).fetchone()
        if row is None:
            continue
        ids = orjson.loads(row[1])
        if not ids:  # a page of no item (a cover, an index, a summary exhibit)
            where = f"{row[0]} in production {production_id}"
            return Found(None, f"{typed} is a page of {where}, which cites no single item.")
        more = f" (the first of its {len(ids)} items)" if len(ids) > 1 else ""
        return Found(ids[0], f"{typed} is in exhibit {row[0]} of production {production_id}{more}.")
    return Found(None, f"No production has a page {typed}: check the prefix and the number.")

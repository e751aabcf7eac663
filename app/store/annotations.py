"""Tags, notes and exhibits: every change audited in the same transaction.

Each function returns what it actually changed, so a front end can undo exactly that
(tagging an item that already carries the tag changes nothing and undoes nothing).
"""

import orjson

from app.store.case_file import CaseFile, CaseFileError, utc_now_iso
from app.store.sql_lists import chunks, marks


def _check_category(case: CaseFile, code: str) -> None:
    if not case.conn.execute("SELECT 1 FROM taxonomy WHERE code = ?", (code,)).fetchone():
        raise CaseFileError(f"There is no category {code!r} in this case's taxonomy.")


def _check_items(case: CaseFile, item_ids) -> list[int]:
    ids = sorted({int(i) for i in item_ids})
    if not ids:
        raise CaseFileError("No items were given.")
    found: set[int] = set()
    for part in chunks(ids):
        found.update(r[0] for r in case.conn.execute(f"SELECT id FROM items WHERE id IN ({marks(part)})", part))
    missing = [i for i in ids if i not in found]
    if missing:
        raise CaseFileError(f"There is no item {missing[0]} in this case.")
    return ids


def tag_items(
    case: CaseFile, item_ids, code: str, note: str | None = None, tos_version: str | None = None
) -> list[int]:
    """Tag items with a category; returns the ids that were not tagged before."""
    _check_category(case, code)
    ids = _check_items(case, item_ids)
    with case.transaction() as conn:
        already = (
            {r[0] for r in conn.execute("SELECT item_id FROM tags WHERE code = ?", (code,))}
            if len(ids) > 900
            else _tagged_subset(conn, ids, code)
        )
        new_ids = [i for i in ids if i not in already]
        if new_ids:
            now = utc_now_iso()
            conn.executemany(  # rows made as they are written: a million tuples held would wake the GC
                "INSERT INTO tags(item_id, code, note, tos_version, who, created_utc) VALUES (?,?,?,?,?,?)",
                ((i, code, note, tos_version, case.operator, now) for i in new_ids),
            )
            case.audit("tag", {"code": code, "item_ids": new_ids, "note": note, "tos_version": tos_version})
    return new_ids


def _tagged_subset(conn, ids, code) -> set[int]:
    return {
        r[0]
        for r in conn.execute(f"SELECT item_id FROM tags WHERE code = ? AND item_id IN ({marks(ids)})", [code, *ids])
    }


def untag_items(case: CaseFile, item_ids, code: str) -> list[dict]:
    """Remove a category from items; returns the removed tags (note and version kept for undo)."""
    ids = sorted({int(i) for i in item_ids})
    with case.transaction() as conn:
        removed = []
        for part in chunks(ids):
            removed += [
                {"item_id": r[0], "note": r[1], "tos_version": r[2]}
                for r in conn.execute(
                    f"SELECT item_id, note, tos_version FROM tags WHERE code = ? AND item_id IN ({marks(part)})",
                    [code, *part],
                )
            ]
        if removed:
            conn.executemany("DELETE FROM tags WHERE item_id = ? AND code = ?", ((r["item_id"], code) for r in removed))
            case.audit("untag", {"code": code, "item_ids": [r["item_id"] for r in removed]})
    return removed


def restore_tags(case: CaseFile, code: str, removed: list[dict]) -> None:
    """Put back tags removed by `untag_items` (undo), with their notes."""
    with case.transaction() as conn:
        now = utc_now_iso()
        conn.executemany(
            "INSERT OR IGNORE INTO tags(item_id, code, note, tos_version, who, created_utc) VALUES (?,?,?,?,?,?)",
            ((r["item_id"], code, r["note"], r["tos_version"], case.operator, now) for r in removed),
        )
        for (note, version), ids in _group_by_note(removed).items():
            case.audit("tag", {"code": code, "item_ids": ids, "note": note, "tos_version": version})


def _group_by_note(removed: list[dict]) -> dict:
    groups: dict = {}
    for r in removed:
        groups.setdefault((r["note"], r["tos_version"]), []).append(r["item_id"])
    return groups


def item_tags(case: CaseFile, item_id: int) -> list[dict]:
    return [
        {"code": r[0], "note": r[1], "tos_version": r[2], "who": r[3], "created_utc": r[4]}
        for r in case.conn.execute(
            "SELECT code, note, tos_version, who, created_utc FROM tags WHERE item_id = ? ORDER BY code", (item_id,)
        )
    ]


def add_note(case: CaseFile, item_id: int, text: str) -> int:
    """Add a note to an item; returns the note's id."""
    _check_items(case, [item_id])
    if not text.strip():
        raise CaseFileError("A note cannot be empty.")
    with case.transaction() as conn:
        note_id = conn.execute(
            "INSERT INTO notes(item_id, text, who, created_utc) VALUES (?,?,?,?)",
            (item_id, text, case.operator, utc_now_iso()),
        ).lastrowid
        case.audit("note.add", {"note_id": note_id, "item_id": item_id, "text": text})
    return note_id


def delete_note(case: CaseFile, note_id: int) -> dict:
    """Delete a note (undo of add); returns it so that it can be added back."""
    with case.transaction() as conn:
        row = conn.execute("SELECT item_id, text FROM notes WHERE id = ?", (note_id,)).fetchone()
        if row is None:
            raise CaseFileError(f"There is no note {note_id}.")
        conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
        case.audit("note.delete", {"note_id": note_id, "item_id": row[0]})
    return {"item_id": row[0], "text": row[1]}


def edit_note(case: CaseFile, note_id: int, text: str) -> str:
    """Change a note's text; returns the text it had (undo puts it back the same way)."""
    if not text.strip():
        raise CaseFileError("A note cannot be empty; delete it instead.")
    with case.transaction() as conn:
        row = conn.execute("SELECT item_id, text FROM notes WHERE id = ?", (note_id,)).fetchone()
        if row is None:
            raise CaseFileError(f"There is no note {note_id}.")
        if row[1] != text:
            conn.execute("UPDATE notes SET text = ? WHERE id = ?", (text, note_id))
            case.audit("note.edit", {"note_id": note_id, "item_id": row[0], "text": text})
    return row[1]


def item_notes(case: CaseFile, item_id: int) -> list[dict]:
    return [
        {"id": r[0], "text": r[1], "who": r[2], "created_utc": r[3]}
        for r in case.conn.execute(
            "SELECT id, text, who, created_utc FROM notes WHERE item_id = ? ORDER BY id", (item_id,)
        )
    ]


def create_exhibit(case: CaseFile, title: str, item_ids, description: str | None = None) -> int:
    """A named, ordered group of items cited as one thing."""
    ids = [int(i) for i in item_ids]
    _check_items(case, ids)
    if not title.strip():
        raise CaseFileError("An exhibit needs a title.")
    with case.transaction() as conn:
        exhibit_id = conn.execute(
            "INSERT INTO exhibits(title, description, who, created_utc) VALUES (?,?,?,?)",
            (title, description, case.operator, utc_now_iso()),
        ).lastrowid
        _write_exhibit_items(conn, exhibit_id, ids)
        case.audit(
            "exhibit.create", {"exhibit_id": exhibit_id, "title": title, "description": description, "item_ids": ids}
        )
    return exhibit_id


def create_summary_exhibit(
    case: CaseFile, title: str, summary_kind: str, summary_ref: dict, description: str | None = None
) -> int:
    """An exhibit the bundle draws from case data (app/export/summaries.py), e.g. an
    account's extraction indicators. It holds no items: it cites rows, which stay in
    their own exhibits."""
    if not title.strip():
        raise CaseFileError("An exhibit needs a title.")
    if not summary_kind:
        raise CaseFileError("A summary exhibit needs to say what it summarises.")
    ref = orjson.dumps(summary_ref, option=orjson.OPT_SORT_KEYS).decode()
    with case.transaction() as conn:
        exhibit_id = conn.execute(
            "INSERT INTO exhibits(title, description, who, created_utc, summary_kind, summary_ref)"
            " VALUES (?,?,?,?,?,?)",
            (title, description, case.operator, utc_now_iso(), summary_kind, ref),
        ).lastrowid
        case.audit(
            "exhibit.create",
            {
                "exhibit_id": exhibit_id,
                "title": title,
                "description": description,
                "item_ids": [],
                "summary_kind": summary_kind,
                "summary_ref": summary_ref,
            },
        )
    return exhibit_id


def update_exhibit(
    case: CaseFile, exhibit_id: int, title: str | None = None, description: str | None = None, item_ids=None
) -> None:
    """Rename, redescribe or reorder an exhibit."""
    current = exhibit(case, exhibit_id)
    if current["summary_kind"] and item_ids:
        raise CaseFileError("A summary exhibit cites rows; it holds no items of its own.")
    title = current["title"] if title is None else title
    description = current["description"] if description is None else description
    ids = current["item_ids"] if item_ids is None else [int(i) for i in item_ids]
    if not current["summary_kind"]:
        _check_items(case, ids)
    with case.transaction() as conn:
        conn.execute("UPDATE exhibits SET title = ?, description = ? WHERE id = ?", (title, description, exhibit_id))
        conn.execute("DELETE FROM exhibit_items WHERE exhibit_id = ?", (exhibit_id,))
        _write_exhibit_items(conn, exhibit_id, ids)
        case.audit(
            "exhibit.update",
            {
                "exhibit_id": exhibit_id,
                "title": title,
                "description": description,
                "item_ids": ids,
                **_summary_details(current),
            },
        )


def delete_exhibit(case: CaseFile, exhibit_id: int) -> None:
    exhibit(case, exhibit_id)
    with case.transaction() as conn:
        conn.execute("DELETE FROM exhibit_items WHERE exhibit_id = ?", (exhibit_id,))
        conn.execute("DELETE FROM exhibits WHERE id = ?", (exhibit_id,))
        case.audit("exhibit.delete", {"exhibit_id": exhibit_id})


def _write_exhibit_items(conn, exhibit_id: int, ids: list[int]) -> None:
    if len(set(ids)) != len(ids):
        raise CaseFileError("An exhibit lists each item once.")
    conn.executemany(
        "INSERT INTO exhibit_items(exhibit_id, item_id, position) VALUES (?,?,?)",
        [(exhibit_id, item_id, pos) for pos, item_id in enumerate(ids)],
    )


def _summary_details(current: dict) -> dict:
    """What an update's audit entry repeats of a summary exhibit, so verify can replay it."""
    if not current["summary_kind"]:
        return {}
    return {"summary_kind": current["summary_kind"], "summary_ref": current["summary_ref"]}


def exhibit(case: CaseFile, exhibit_id: int) -> dict:
    row = case.conn.execute(
        "SELECT id, title, description, who, created_utc, summary_kind, summary_ref FROM exhibits WHERE id = ?",
        (exhibit_id,),
    ).fetchone()
    if row is None:
        raise CaseFileError(f"There is no exhibit {exhibit_id}.")
    ids = [
        r[0]
        for r in case.conn.execute(
            "SELECT item_id FROM exhibit_items WHERE exhibit_id = ? ORDER BY position", (exhibit_id,)
        )
    ]
    return {
        "id": row[0],
        "title": row[1],
        "description": row[2],
        "who": row[3],
        "created_utc": row[4],
        "item_ids": ids,
        "summary_kind": row[5],
        "summary_ref": orjson.loads(row[6]) if row[6] else None,
    }


def exhibits(case: CaseFile) -> list[dict]:
    return [exhibit(case, r[0]) for r in case.conn.execute("SELECT id FROM exhibits ORDER BY id")]


def exhibits_of_item(case: CaseFile, item_id: int) -> list[dict]:
    return [
        exhibit(case, r[0])
        for r in case.conn.execute(
            "SELECT exhibit_id FROM exhibit_items WHERE item_id = ? ORDER BY exhibit_id", (item_id,)
        )
    ]

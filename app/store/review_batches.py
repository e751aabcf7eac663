"""Review batches: the items of a search or selection shared out in batches for reviewers.

A batch is made from a list of items (what the table lists, or the selection), split by
size with each family kept whole: an email and its attachments (items linked by
`parent_id`, at any depth) go into the same batch, and a family only partly given is
completed, as review platforms do, so that no reviewer codes an attachment without its
email. Each item of a batch is unreviewed until marked reviewed, by whom and when.

Every change is one transaction with its audit entry (`batch.create`, `batch.update`,
`batch.review`, `batch.delete`); app/store/verify_review.py replays them against the
tables. Functions that change review status return exactly what they changed, so the
GUI can undo that and nothing more.
"""

import sqlite3

from app.store.case_file import CaseFile, CaseFileError, utc_now_iso
from app.store.sql_lists import chunks, marks

DEFAULT_SIZE = 500


def _parents(conn: sqlite3.Connection, ids) -> dict[int, int | None]:
    """{id: parent id or None} for the given items (unknown ids are left out)."""
    found: dict[int, int | None] = {}
    for part in chunks(sorted(ids)):
        found.update(conn.execute(f"SELECT id, parent_id FROM items WHERE id IN ({marks(part)})", part).fetchall())
    return found


def _children(conn: sqlite3.Connection, ids) -> dict[int, list[int]]:
    """{parent id: [child ids by id]} for those of the given items that have children."""
    found: dict[int, list[int]] = {}
    for part in chunks(sorted(ids)):
        for child, parent in conn.execute(
            f"SELECT id, parent_id FROM items WHERE parent_id IN ({marks(part)}) ORDER BY id", part
        ):
            found.setdefault(parent, []).append(child)
    return found


def families(conn: sqlite3.Connection, item_ids) -> list[list[int]]:
    """The items grouped into whole families, in the order each family first appears.

    A family is a top item (no parent) and everything below it; each family lists its top
    item first, then its descendants level by level, by id.
    """
    order = list(dict.fromkeys(int(i) for i in item_ids))
    parent = _parents(conn, order)
    missing = [i for i in order if i not in parent]
    if missing:
        raise CaseFileError(f"There is no item {missing[0]} in this case.")
    pending = {p for p in parent.values() if p is not None and p not in parent}
    while pending:  # climb to each family's top item
        found = _parents(conn, pending)
        parent.update(found)
        pending = {p for p in found.values() if p is not None and p not in parent}

    def top(item_id: int) -> int:
        while parent[item_id] is not None:
            item_id = parent[item_id]  # type: ignore[assignment]
        return item_id

    tops = list(dict.fromkeys(top(i) for i in order))
    members = {t: [t] for t in tops}
    level = {t: [t] for t in tops}
    while level:  # walk down, one generation per query round
        kids = _children(conn, [i for ids in level.values() for i in ids])
        next_level: dict[int, list[int]] = {}
        for family, ids in level.items():
            below = [k for i in ids for k in kids.get(i, [])]
            if below:
                members[family] += below
                next_level[family] = below
        level = next_level
    return [members[t] for t in tops]


def split_families(groups: list[list[int]], size: int) -> list[list[int]]:
    """Consecutive families packed into batches of at most `size` items; a family larger
    than `size` is a batch of its own (a family is never split)."""
    if size < 1:
        raise CaseFileError("A batch holds at least one item.")
    batches: list[list[int]] = []
    current: list[int] = []
    for group in groups:
        if current and len(current) + len(group) > size:
            batches.append(current)
            current = []
        current = current + group
    if current:
        batches.append(current)
    return batches


def batch_names(name: str, count: int) -> list[str]:
    """'Batch' for one; 'Batch 01', 'Batch 02', ... for several (sorting as numbered)."""
    if count == 1:
        return [name]
    width = len(str(count))
    return [f"{name} {n:0{width}d}" for n in range(1, count + 1)]


def make_batches(
    case: CaseFile, item_ids, name: str, size: int = DEFAULT_SIZE, reviewer: str | None = None
) -> list[int]:
    """Make batches of at most `size` items (families kept whole); returns their ids."""
    name = name.strip()
    if not name:
        raise CaseFileError("A batch needs a name.")
    if not item_ids:
        raise CaseFileError("No items were given for the batch.")
    groups = families(case.conn, item_ids)
    parts = split_families(groups, size)
    reviewer = (reviewer or "").strip() or None
    ids: list[int] = []
    with case.transaction() as conn:
        now = utc_now_iso()
        for batch_name, members in zip(batch_names(name, len(parts)), parts):
            batch_id = conn.execute(
                "INSERT INTO review_batches(name, reviewer, who, created_utc) VALUES (?,?,?,?)",
                (batch_name, reviewer, case.operator, now),
            ).lastrowid
            conn.executemany(
                "INSERT INTO review_batch_items(batch_id, item_id, position) VALUES (?,?,?)",
                [(batch_id, item_id, pos) for pos, item_id in enumerate(members)],
            )
            case.audit(
                "batch.create", {"batch_id": batch_id, "name": batch_name, "reviewer": reviewer, "item_ids": members}
            )
            ids.append(batch_id)
    return ids


def update_batch(case: CaseFile, batch_id: int, name: str | None = None, reviewer: str | None = None) -> None:
    """Rename a batch or assign it to a reviewer ("" unassigns)."""
    current = batch(case.conn, batch_id)
    name = current["name"] if name is None else name.strip()
    if not name:
        raise CaseFileError("A batch needs a name.")
    reviewer = current["reviewer"] if reviewer is None else (reviewer.strip() or None)
    with case.transaction() as conn:
        conn.execute("UPDATE review_batches SET name = ?, reviewer = ? WHERE id = ?", (name, reviewer, batch_id))
        case.audit("batch.update", {"batch_id": batch_id, "name": name, "reviewer": reviewer})


def delete_batch(case: CaseFile, batch_id: int) -> None:
    """Remove a batch (the items and their coding stay)."""
    batch(case.conn, batch_id)
    with case.transaction() as conn:
        conn.execute("DELETE FROM review_batch_items WHERE batch_id = ?", (batch_id,))
        conn.execute("DELETE FROM review_batches WHERE id = ?", (batch_id,))
        case.audit("batch.delete", {"batch_id": batch_id})


def set_reviewed(case: CaseFile, batch_id: int, item_ids, reviewed: bool = True) -> list[int]:
    """Mark items of a batch reviewed (by this operator, now) or unreviewed again.

    Returns the ids whose status changed (items already so, or not in the batch, are left
    alone), so that undo reverses exactly those."""
    batch(case.conn, batch_id)
    ids = sorted({int(i) for i in item_ids})
    changed: list[int] = []
    with case.transaction() as conn:
        state = "IS NULL" if reviewed else "IS NOT NULL"
        for part in chunks(ids):
            changed += [
                r[0]
                for r in conn.execute(
                    f"SELECT item_id FROM review_batch_items WHERE batch_id = ? AND reviewed_by {state}"
                    f" AND item_id IN ({marks(part)}) ORDER BY item_id",
                    [batch_id, *part],
                )
            ]
        if changed:
            at = utc_now_iso() if reviewed else None
            who = case.operator if reviewed else None
            conn.executemany(
                "UPDATE review_batch_items SET reviewed_by = ?, reviewed_utc = ? WHERE batch_id = ? AND item_id = ?",
                [(who, at, batch_id, item_id) for item_id in changed],
            )
            case.audit("batch.review", {"batch_id": batch_id, "item_ids": changed, "reviewed": reviewed, "at": at})
    return changed


# -- reading -----------------------------------------------------------------------------

BATCH_COLUMNS = "b.id, b.name, b.reviewer, b.who, b.created_utc, count(i.item_id), count(i.reviewed_by)"


def _batch_row(row) -> dict:
    keys = ("id", "name", "reviewer", "who", "created_utc", "total", "reviewed")
    return dict(zip(keys, row))


def batches(conn: sqlite3.Connection) -> list[dict]:
    """Every batch with its progress (total items, how many reviewed), in the order made."""
    return [
        _batch_row(r)
        for r in conn.execute(
            f"SELECT {BATCH_COLUMNS} FROM review_batches b LEFT JOIN review_batch_items i ON i.batch_id = b.id"
            " GROUP BY b.id ORDER BY b.id"
        )
    ]


def batch(conn: sqlite3.Connection, batch_id: int) -> dict:
    row = conn.execute(
        f"SELECT {BATCH_COLUMNS} FROM review_batches b LEFT JOIN review_batch_items i ON i.batch_id = b.id"
        " WHERE b.id = ? GROUP BY b.id",
        (batch_id,),
    ).fetchone()
    if row is None:
        raise CaseFileError(f"There is no review batch {batch_id}.")
    return _batch_row(row)


def batch_item_ids(conn: sqlite3.Connection, batch_id: int) -> list[int]:
    """The batch's items in the order it was made (families together)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT item_id FROM review_batch_items WHERE batch_id = ? ORDER BY position", (batch_id,)
        )
    ]


def review_status(conn: sqlite3.Connection, batch_id: int, item_id: int) -> dict | None:
    """{"reviewed_by", "reviewed_utc"} of an item in a batch (both None: unreviewed); None
    when the item is not in the batch."""
    row = conn.execute(
        "SELECT reviewed_by, reviewed_utc FROM review_batch_items WHERE batch_id = ? AND item_id = ?",
        (batch_id, item_id),
    ).fetchone()
    return None if row is None else {"reviewed_by": row[0], "reviewed_utc": row[1]}


def reviewed_marks(conn: sqlite3.Connection, batch_id: int, item_ids) -> dict[int, str | None]:
    """{item id: who reviewed it, or None} for those of the items that are in the batch."""
    found: dict[int, str | None] = {}
    for part in chunks(sorted({int(i) for i in item_ids})):
        found.update(
            conn.execute(
                "SELECT item_id, reviewed_by FROM review_batch_items"
                f" WHERE batch_id = ? AND item_id IN ({marks(part)})",
                [batch_id, *part],
            ).fetchall()
        )
    return found


def batches_of_item(conn: sqlite3.Connection, item_id: int) -> list[dict]:
    """The batches an item is in, with its status in each."""
    return [
        {"batch_id": r[0], "name": r[1], "reviewed_by": r[2], "reviewed_utc": r[3]}
        for r in conn.execute(
            "SELECT b.id, b.name, i.reviewed_by, i.reviewed_utc FROM review_batch_items i"
            " JOIN review_batches b ON b.id = i.batch_id WHERE i.item_id = ? ORDER BY b.id",
            (item_id,),
        )
    ]

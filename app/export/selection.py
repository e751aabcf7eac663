"""Which items go into a bundle, and which are withheld for privilege.

A `Selection` is what the user asked for (tags, kinds, dates, a search, hand-made
exhibits, item ids). Families are completed (an email brings its attachments, an
attachment brings its email) and privileged items (PRIV-AC, PRIV-WP) are withheld
unless the user explicitly includes them: they go to the privilege log instead.
"""

import sqlite3
from dataclasses import asdict, dataclass, field

import orjson

from app.core.taxonomy import PRIVILEGE_CODES
from app.export import summaries
from app.store.item_query import ItemFilter, iter_items
from app.store.sql_lists import chunks, marks

ROW_COLUMNS = ("id", "kind", "parent_id", "source_id", "ts_us", "account", "title")


@dataclass
class Selection:
    tags_any: list[str] = field(default_factory=list)
    tags_all: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    from_us: int | None = None
    to_us: int | None = None
    search: str | None = None
    exhibit_ids: list[int] = field(default_factory=list)  # hand-made exhibits
    item_ids: list[int] = field(default_factory=list)
    include_privileged: bool = False

    def as_dict(self) -> dict:
        return asdict(self)

    def item_filter(self) -> ItemFilter:
        return ItemFilter(
            kinds=self.kinds,
            tags_any=self.tags_any,
            tags_all=self.tags_all,
            from_us=self.from_us,
            to_us=self.to_us,
            search=self.search,
            item_ids=self.item_ids,
        )

    @property
    def filters_items(self) -> bool:
        """False when only hand-made exhibits were asked for."""
        return bool(
            self.tags_any
            or self.tags_all
            or self.kinds
            or self.from_us is not None
            or self.to_us is not None
            or self.search
            or self.item_ids
            or not self.exhibit_ids
        )


@dataclass
class Selected:
    rows: list[dict]  # produced items
    withheld: list[dict]  # privileged items (for the privilege log), with "basis"
    manual: list[dict]  # hand-made exhibits: {id, title, item_ids}


def select(conn: sqlite3.Connection, selection: Selection) -> Selected:
    """The items of a bundle, families complete, privileged ones set aside."""
    ids: dict[int, None] = {}
    if selection.filters_items:
        ids.update((row["id"], None) for row in iter_items(conn, selection.item_filter()))
    manual = [_manual_exhibit(conn, exhibit_id) for exhibit_id in selection.exhibit_ids]
    for exhibit in manual:
        ids.update((i, None) for i in exhibit["item_ids"])
    rows = _complete_families(conn, _rows(conn, list(ids)))
    privileged = {} if selection.include_privileged else _privilege_bases(conn, [r["id"] for r in rows])
    withheld_ids = _withheld_with_family(rows, privileged)
    produced = [r for r in rows if r["id"] not in withheld_ids]
    by_id = {r["id"]: r for r in rows}
    withheld = [
        {**r, "basis": privileged.get(r["id"]) or privileged.get(_root(r, by_id)) or ""}
        for r in rows
        if r["id"] in withheld_ids
    ]
    return Selected(produced, withheld, manual)


def _manual_exhibit(conn, exhibit_id: int) -> dict:
    row = conn.execute("SELECT title, summary_kind, summary_ref FROM exhibits WHERE id = ?", (exhibit_id,)).fetchone()
    if row is None:
        raise ValueError(f"There is no exhibit {exhibit_id} in this case.")
    if row[1]:  # a summary exhibit: no items of its own, dated by the rows it cites
        ref = orjson.loads(row[2]) if row[2] else {}
        cites = summaries.cited_items(conn, row[1], ref)
        return {
            "id": exhibit_id,
            "title": row[0],
            "item_ids": [],
            "summary_kind": row[1],
            "summary_ref": ref,
            "cites": cites,
            "first_us": summaries.first_timestamp(conn, cites),
        }
    item_ids = [
        r[0]
        for r in conn.execute("SELECT item_id FROM exhibit_items WHERE exhibit_id = ? ORDER BY position", (exhibit_id,))
    ]
    return {"id": exhibit_id, "title": row[0], "item_ids": item_ids}


def _rows(conn, ids: list[int]) -> list[dict]:
    rows = []
    for part in chunks(ids):
        rows += [
            dict(zip(ROW_COLUMNS, r))
            for r in conn.execute(f"SELECT {', '.join(ROW_COLUMNS)} FROM items WHERE id IN ({marks(part)})", part)
        ]
    return rows


def _complete_families(conn, rows: list[dict]) -> list[dict]:
    """Add the parents and children of family members, until nothing changes."""
    known = {r["id"]: r for r in rows}
    frontier = [r for r in rows if r["kind"] in ("email", "attachment")]
    while frontier:
        wanted = {r["parent_id"] for r in frontier if r["parent_id"] and r["parent_id"] not in known}
        for row in frontier:
            wanted.update(
                c[0]
                for c in conn.execute("SELECT id FROM items WHERE parent_id = ?", (row["id"],))
                if c[0] not in known
            )
        frontier = _rows(conn, sorted(wanted))
        known.update((r["id"], r) for r in frontier)
    return sorted(known.values(), key=lambda r: r["id"])


def _privilege_bases(conn, ids: list[int]) -> dict[int, str]:
    """{item id: "AC" / "WP" / "AC, WP"} for privileged items among ids."""
    bases: dict[int, list[str]] = {}
    for part in chunks(ids):
        for item_id, basis in conn.execute(
            f"SELECT t.item_id, coalesce(x.privilege, t.code) FROM tags t JOIN taxonomy x ON x.code = t.code"
            f" WHERE t.code IN ({marks(PRIVILEGE_CODES)}) AND t.item_id IN ({marks(part)}) ORDER BY t.code",
            [*PRIVILEGE_CODES, *part],
        ):
            bases.setdefault(item_id, []).append(basis)
    return {item_id: ", ".join(values) for item_id, values in bases.items()}


def _root(row: dict, by_id: dict[int, dict]) -> int:
    while row["parent_id"] in by_id:
        row = by_id[row["parent_id"]]
    return row["id"]


def _withheld_with_family(rows: list[dict], privileged: dict[int, str]) -> set[int]:
    """A privileged email withholds its whole family; a privileged attachment only itself."""
    withheld = set(privileged)
    changed = True
    while changed:
        changed = False
        for row in rows:
            if row["id"] not in withheld and row["parent_id"] in withheld:
                withheld.add(row["id"])
                changed = True
    return withheld

"""Cites into a recorded production: which exhibit and Bates range an item was produced in.

Summary exhibits (extraction indicators, comparisons), the proof chart and the
chronology cite evidence by exhibit id and Bates range. A cite comes from the
production's own records (`production_exhibits`), never recomputed: an item the
production did not contain is "not produced", never given a wrong number.
"""

from dataclasses import dataclass

import orjson

NOT_PRODUCED = "not produced"


@dataclass(frozen=True)
class Cite:
    production_id: int
    exhibit: str  # the exhibit's label in that production, e.g. "PX-0007"
    bates_begin: str
    bates_end: str

    def text(self) -> str:
        """The cite as a lawyer writes it: "PX-0007 (NWAI0000123-NWAI0000125)"."""
        pages = self.bates_begin if self.bates_begin == self.bates_end else f"{self.bates_begin}-{self.bates_end}"
        return f"{self.exhibit} ({pages})"


def cite_text(cite: "Cite | None") -> str:
    return cite.text() if cite is not None else NOT_PRODUCED


def bates_label(prefix: str, digits: int, number: int) -> str:
    return f"{prefix}{number:0{digits}d}" if digits else f"{prefix}{number}"


def latest_production_id(conn) -> int | None:
    row = conn.execute("SELECT max(id) FROM productions").fetchone()
    return row[0] if row else None


def cites_for_items(conn, production_id: int | None, item_ids) -> dict[int, Cite | None]:
    """{item id: its Cite in that production, or None when it was not produced there}.

    `production_id` None means no production was chosen: every item is "not produced".
    """
    wanted = {int(i) for i in item_ids}
    cites: dict[int, Cite | None] = dict.fromkeys(wanted)
    if production_id is None or not wanted:
        return cites
    row = conn.execute("SELECT bates_prefix, settings FROM productions WHERE id = ?", (production_id,)).fetchone()
    if row is None:
        return cites
    prefix, digits = row[0], int(orjson.loads(row[1]).get("bates_digits", 7))
    exhibits = conn.execute(
        "SELECT label, item_ids, bates_first, bates_last FROM production_exhibits"
        " WHERE production_id = ? ORDER BY position",
        (production_id,),
    )
    for label, ids_json, first, last in exhibits:
        cite = Cite(production_id, label, bates_label(prefix, digits, first), bates_label(prefix, digits, last))
        for item_id in orjson.loads(ids_json):
            if item_id in wanted and cites[item_id] is None:
                cites[item_id] = cite
    return cites

"""Planning a bundle (pure): items -> exhibits, their order, their ids, Bates numbers.

No database and no drawing here, so the rules lawyers care about (families stay
together, chronological order with undated exhibits last, ids never skipped) are
plain functions over plain rows, testable on their own.
"""

import re
from dataclasses import dataclass, field

from app.store.production_cites import bates_label

DAY_US = 86_400_000_000
LOG_GROUP_KEYS = ("source", "day", "account")
FAMILY_KINDS = ("email", "attachment")


@dataclass
class ExhibitPlan:
    """One exhibit: its items in the order they are shown."""

    kind: str  # email, log_excerpt, output, document, image, attachment, manual, summary
    item_ids: list[int]
    first_us: int | None
    title: str = ""
    label: str = ""
    manual_id: int | None = None
    summary_kind: str | None = None  # a summary exhibit (app/export/summaries.py): what draws it
    summary_ref: dict | None = None  # ... and what it draws
    cites: list[int] = field(default_factory=list)  # the rows a summary cites (it holds none)

    @property
    def evidence_ids(self) -> list[int]:
        """The rows behind the exhibit: its items, or the rows a summary cites."""
        return self.cites if self.kind == "summary" else self.item_ids

    @property
    def undated(self) -> bool:
        return self.first_us is None

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "item_ids": self.item_ids,
            "first_us": self.first_us,
            "title": self.title,
            "label": self.label,
            "manual_id": self.manual_id,
            "summary_kind": self.summary_kind,
            "summary_ref": self.summary_ref,
        }


def group_exhibits(rows: list[dict], manual: list[dict] = (), log_group=("source", "day")) -> list[ExhibitPlan]:
    """Group item rows (id, kind, parent_id, source_id, ts_us, account, title) into exhibits.

    Hand-made exhibits ({id, title, item_ids}) claim their items first; emails take their
    attachments (and attached messages) right after them; log rows are grouped by the
    `log_group` keys; every other item is its own exhibit. A summary exhibit ({id, title,
    summary_kind, summary_ref, cites, first_us}) claims nothing: it is dated by the rows
    it cites.
    """
    by_id = {row["id"]: row for row in rows}
    plans: list[ExhibitPlan] = []
    claimed: set[int] = set()
    for exhibit in manual:
        if exhibit.get("summary_kind"):
            plans.append(
                ExhibitPlan(
                    "summary",
                    [],
                    exhibit.get("first_us"),
                    exhibit["title"],
                    manual_id=exhibit["id"],
                    summary_kind=exhibit["summary_kind"],
                    summary_ref=exhibit["summary_ref"],
                    cites=list(exhibit.get("cites") or []),
                )
            )
            continue
        ids = [i for i in exhibit["item_ids"] if i in by_id and i not in claimed]
        if ids:
            claimed.update(ids)
            plans.append(ExhibitPlan("manual", ids, _first_us(by_id, ids), exhibit["title"], manual_id=exhibit["id"]))
    rest = [row for row in rows if row["id"] not in claimed]
    plans += _family_exhibits(rest, by_id)
    plans += _log_exhibits([r for r in rest if r["kind"] == "log_entry"], log_group)
    plans += [
        ExhibitPlan(r["kind"], [r["id"]], r["ts_us"], r.get("title") or "")
        for r in rest
        if r["kind"] not in (*FAMILY_KINDS, "log_entry")
    ]
    return order_exhibits(plans)


def _first_us(by_id: dict, ids: list[int]) -> int | None:
    dated = [by_id[i]["ts_us"] for i in ids if by_id[i]["ts_us"] is not None]
    return min(dated) if dated else None


def _family_exhibits(rows: list[dict], by_id: dict) -> list[ExhibitPlan]:
    """An email (or an attachment whose parent is not selected) with its descendants after it."""
    family_rows = [r for r in rows if r["kind"] in FAMILY_KINDS]
    present = {r["id"] for r in family_rows}
    children: dict[int, list[int]] = {}
    for row in sorted(family_rows, key=lambda r: r["id"]):
        if row["parent_id"] in present:
            children.setdefault(row["parent_id"], []).append(row["id"])
    plans = []
    for row in family_rows:
        if row["parent_id"] in present:
            continue
        ids = _descendants(row["id"], children)
        head = by_id[row["id"]]
        first = head["ts_us"] if head["ts_us"] is not None else _first_us(by_id, ids)
        plans.append(ExhibitPlan(row["kind"], ids, first, head.get("title") or ""))
    return plans


def _descendants(root: int, children: dict[int, list[int]]) -> list[int]:
    ordered, stack = [], [root]
    while stack:
        item_id = stack.pop()
        ordered.append(item_id)
        stack.extend(reversed(children.get(item_id, [])))
    return ordered


def log_group_key(row: dict, keys) -> tuple:
    """The excerpt a log row belongs to: any of its source, UTC day and account."""
    parts = []
    for key in keys:
        if key == "source":
            parts.append(row["source_id"])
        elif key == "day":
            parts.append(None if row["ts_us"] is None else row["ts_us"] // DAY_US)
        elif key == "account":
            parts.append(row.get("account") or "")
        else:
            raise ValueError(f"Log rows can be grouped by {', '.join(LOG_GROUP_KEYS)}, not {key!r}.")
    return tuple(parts)


def _log_exhibits(rows: list[dict], keys) -> list[ExhibitPlan]:
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(log_group_key(row, keys), []).append(row)
    plans = []
    for members in groups.values():
        members.sort(key=_chrono)
        dated = [r["ts_us"] for r in members if r["ts_us"] is not None]
        plans.append(ExhibitPlan("log_excerpt", [r["id"] for r in members], min(dated) if dated else None))
    return plans


def _chrono(row: dict) -> tuple:
    return (row["ts_us"] is None, row["ts_us"] or 0, row["id"])


def order_exhibits(plans: list[ExhibitPlan]) -> list[ExhibitPlan]:
    """By first timestamp (UTC), ties by import order (lowest item id); undated last.

    A summary sorts by the rows it cites, after an exhibit of the same moment (it
    summarises what comes before it)."""
    return sorted(
        plans,
        key=lambda p: (
            p.undated,
            p.first_us or 0,
            min(p.evidence_ids, default=0),
            p.kind == "summary",
            p.manual_id or 0,
        ),
    )


# -- exhibit ids -----------------------------------------------------------------------


@dataclass(frozen=True)
class LabelScheme:
    """An exhibit id scheme parsed from an example: PX-0001, DX-1, JX-001, 1, A."""

    prefix: str
    digits: int  # zero padding; 0 for none
    letters: bool
    start: int

    def label(self, index: int) -> str:
        """The id of the index-th exhibit (0-based)."""
        number = self.start + index
        if self.letters:
            return self.prefix + letters_for(number)
        return f"{self.prefix}{number:0{self.digits}d}" if self.digits else f"{self.prefix}{number}"


def parse_scheme(example: str, start: int | None = None) -> LabelScheme:
    """Read a scheme from its first id; `start` overrides the number it implies."""
    match = re.fullmatch(r"(.*?)(\d+)", example)
    if match:
        prefix, number = match.groups()
        digits = len(number) if number.startswith("0") or len(number) > 1 else 0
        return LabelScheme(prefix, digits, False, int(number) if start is None else start)
    match = re.fullmatch(r"(.*?[^A-Z]|)([A-Z]+)", example)
    if match:
        prefix, word = match.groups()
        return LabelScheme(prefix, 0, True, number_for(word) if start is None else start)
    raise ValueError(f"The exhibit id scheme {example!r} should end in a number (PX-0001, DX-1) or letters (A).")


def letters_for(number: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA (spreadsheet-column style, as exhibit letters run)."""
    if number < 1:
        raise ValueError("Exhibit letters start at A (1).")
    text = ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text


def number_for(word: str) -> int:
    number = 0
    for char in word:
        number = number * 26 + ord(char) - 64
    return number


def assign_labels(plans: list[ExhibitPlan], scheme: LabelScheme) -> None:
    for index, plan in enumerate(plans):
        plan.label = scheme.label(index)


# -- Bates numbers -----------------------------------------------------------------------


@dataclass(frozen=True)
class BatesScheme:
    prefix: str = "CF"
    digits: int = 7
    start: int = 1

    def number(self, page_index: int) -> str:
        """The Bates number of the bundle's page at page_index (0-based): one per page."""
        return bates_label(self.prefix, self.digits, self.start + page_index)


@dataclass
class PageSpan:
    """Where an exhibit (or an item within it) sits in the bundle: 0-based first page, count."""

    first: int
    count: int
    extra: dict = field(default_factory=dict)

    @property
    def last(self) -> int:
        return self.first + self.count - 1

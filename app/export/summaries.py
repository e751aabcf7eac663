"""Summary exhibits: exhibits the bundle draws from case data rather than from one item.

An account's extraction indicators, a side-by-side comparison of an output with our
logged response: each is a *kind* of summary with a renderer in `SUMMARY_RENDERERS`.
A renderer is `render(conn, writer, ref, context) -> None`; it draws with the bundle's
own `PageWriter` (fonts, page furniture and Bates stamps are the bundle's) and cites
rows through `context.cite(item_ids)`, which gives each row's exhibit id and Bates range
in this bundle, else in the latest recorded production that holds it, else
"not produced" -- never a number worked out on its own.

A summary exhibit holds no items (`exhibit_items`); it *cites* rows. Which rows it
cites (to date it in the bundle and to give its certificate entry the rows' hashes)
comes from `SUMMARY_CITED[kind](conn, ref)`, or the ref's own "item_ids" list.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from app.core.cancel import CancelToken
from app.store.production_cites import NOT_PRODUCED, cites_for_items
from app.store.sql_lists import chunks, marks

Renderer = Callable[..., None]  # render(conn, writer, ref: dict, context: SummaryContext) -> None
CitedRows = Callable[..., list[int]]  # cited(conn, ref: dict) -> item ids, in the order they are cited

SUMMARY_RENDERERS: dict[str, Renderer] = {}
SUMMARY_CITED: dict[str, CitedRows] = {}


def register(kind: str, render: Renderer, cited: CitedRows | None = None) -> None:
    """Make a summary kind drawable (and say which rows it cites, when its ref does not list them)."""
    SUMMARY_RENDERERS[kind] = render
    if cited is not None:
        SUMMARY_CITED[kind] = cited


def cited_items(conn, kind: str, ref: dict) -> list[int]:
    """The rows a summary exhibit cites."""
    if kind in SUMMARY_CITED:
        return [int(i) for i in SUMMARY_CITED[kind](conn, ref)]
    return [int(i) for i in ref.get("item_ids") or []]


def first_timestamp(conn, item_ids: list[int]) -> int | None:
    """The earliest time among the cited rows: a summary is dated by what it cites."""
    firsts = [
        conn.execute(f"SELECT min(ts_us) FROM items WHERE id IN ({marks(part)})", part).fetchone()[0]
        for part in chunks(item_ids)
    ]
    return min((f for f in firsts if f is not None), default=None)


@dataclass
class SummaryContext:
    """What a renderer may use besides the case: the display zone and cites."""

    zone: str
    cite: Callable[[list[int]], dict[int, str]]
    token: CancelToken = field(default_factory=CancelToken)
    case_name: str = ""


class BundleCites:
    """Cites for one bundle: the exhibit and Bates range a row has in this bundle when it is
    in it; else in the newest recorded production that holds it (only productions
    recorded before `before_production` when a production is reproduced, so a
    reproduction draws the same cite); else "not produced"."""

    def __init__(self, conn, exhibits: list[dict], bates, before_production: int | None = None):
        self.conn = conn
        self.exhibits = exhibits
        self.bates = bates
        self.before = before_production

    def __call__(self, item_ids) -> dict[int, str]:
        wanted = {int(i) for i in item_ids}
        found = self._in_bundle(wanted)
        missing = wanted - found.keys()
        for production_id in self._productions():
            if not missing:
                break
            for item_id, cite in cites_for_items(self.conn, production_id, missing).items():
                if cite is not None:
                    found[item_id] = cite.text()
            missing = wanted - found.keys()
        return {item_id: found.get(item_id, NOT_PRODUCED) for item_id in wanted}

    def _in_bundle(self, wanted: set[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for exhibit in self.exhibits:
            spans = exhibit["item_spans"]
            for item_id in wanted.intersection(exhibit["item_ids"]):
                first, count = spans.get(item_id) or (exhibit["first_page"], exhibit["page_count"])
                found[item_id] = self._text(exhibit["label"], first, first + count - 1)
        return found

    def _text(self, label: str, first: int, last: int) -> str:
        begin, end = self.bates.number(first), self.bates.number(last)
        return f"{label} ({begin})" if begin == end else f"{label} ({begin}-{end})"

    def _productions(self) -> list[int]:
        if self.before is None:
            rows = self.conn.execute("SELECT id FROM productions ORDER BY id DESC")
        else:
            rows = self.conn.execute("SELECT id FROM productions WHERE id < ? ORDER BY id DESC", (self.before,))
        return [r[0] for r in rows]


def _register_shipped_kinds() -> None:
    """The summary kinds this version draws (imported here: their modules use the context above)."""
    from app.export import render_extraction
    from app.export.render_comparison import cited_items as comparison_cites, render_comparison

    register(render_extraction.KIND, render_extraction.render, render_extraction.cited)
    register("comparison", render_comparison, comparison_cites)


_register_shipped_kinds()

"""Pages of a search or a tag filter are the rows the plain SQL lists, in the same order,
however the page is made (few matches looked up, a scan with the set of matches, a walk
of the listing) -- and a common word's first page never gathers every hit.

How fast each is, is measured in bench/run.py (search and filter rows), never here.
"""

import json
import random

import pytest

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files
from app.store import annotations, item_pages, search_pages
from app.store.item_pages import SORTS, RowSelection, Window
from app.store.item_query import ItemFilter

WORDS = "alpha beta gamma delta epsilon zeta theta kappa lambda sigma".split()
ROWS = 1500


def _lines(rows: int, seed: int, start_day: int):
    rng = random.Random(seed)
    for i in range(rows):
        # "common" in about two rows of three, "rare" in one of a hundred, "every" in all
        words = ["every"] + rng.choices(WORDS, k=6)
        if rng.random() < 0.66:
            words.append("common")
        if rng.random() < 0.01:
            words.append("rare")
        undated = i % 97 == 5
        row = {
            "account": f"acct-{rng.randrange(7)}",
            "model": "m-large",
            "prompt": " ".join(words),
            "response": "ok",
        }
        if not undated:  # time order differs from id order: shuffled within days
            row["timestamp"] = f"2026-01-{start_day + i % 20:02d}T{rng.randrange(24):02d}:00:00Z"
        yield json.dumps(row) + "\n"


@pytest.fixture(scope="module")
def paged_case(tmp_path_factory):
    from app.store.case_file import CaseFile

    folder = tmp_path_factory.mktemp("pages")
    first, second = folder / "first.jsonl", folder / "second.jsonl"
    first.write_text("".join(_lines(ROWS, 1, 1)))
    second.write_text("".join(_lines(300, 2, 5)))
    chinese = folder / "chinese.jsonl"  # judged by the bigram index, never by the word index
    chinese.write_text(
        json.dumps({"timestamp": "2026-01-09T00:00:00Z", "account": "acct-1", "prompt": "every 数据集 蒸馏"}) + "\n"
    )
    path = folder / "pages.casefile"
    with CaseFile.create(path, "Pages", operator="tester") as case:
        settings = ImportSettings(undated_ok=True)
        run_to_end(import_files(case, [first, chinese], settings))
        run_to_end(import_files(case, [second], ImportSettings(undated_ok=True, custodian="Second")))
        ids = [r[0] for r in case.conn.execute("SELECT id FROM items WHERE id % 40 = 3")]
        annotations.tag_items(case, ids, case.taxonomy()[0].code)
        annotations.tag_items(case, [r[0] for r in case.conn.execute("SELECT id FROM items")], case.taxonomy()[1].code)
    case = CaseFile.open(path, operator="tester")
    yield case
    case.close()


def _expected(conn, window: Window) -> list[int]:
    where, params = window.item_filter.where()
    return [
        r[0] for r in conn.execute(f"SELECT items.id FROM items WHERE {where} ORDER BY {window.order_by()}", params)
    ]


def _paged(conn, window: Window, size: int = 37) -> list[int]:
    ids, after = [], None
    while True:
        rows = item_pages.page(conn, window, after, size)
        ids += [r["id"] for r in rows]
        if len(rows) < size:
            return ids
        after = rows[-1]["key"]


@pytest.fixture(params=["few", "scan", "walk"])
def regime(request, monkeypatch):
    """Force each way of making a page: the limits scaled down to this small case."""
    if request.param == "few":
        monkeypatch.setattr(search_pages, "MIN_FEW", 100_000)
    else:
        monkeypatch.setattr(search_pages, "MIN_FEW", 5)
        monkeypatch.setattr(search_pages, "few_limit", lambda rows: 5)
        monkeypatch.setattr(search_pages, "SCAN_SHARE", 1 if request.param == "scan" else 1000)
    return request.param


SEARCHES = ["every", "common", "rare", "common NOT rare", "rare OR alpha", '"alpha beta"', "数据集", "nothingmatches"]


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_search_pages_list_what_the_plain_query_lists(paged_case, regime, sort, descending):
    conn = paged_case.conn
    for search in SEARCHES:
        window = Window(ItemFilter(search=search), sort, descending)
        assert _paged(conn, window) == _expected(conn, window), (search, regime)


def test_search_with_other_filters_and_tags(paged_case, regime):
    conn = paged_case.conn
    sparse, dense = paged_case.taxonomy()[0].code, paged_case.taxonomy()[1].code
    filters = [
        ItemFilter(search="common", accounts=["acct-3"]),
        ItemFilter(search="every", custodians=["Second"]),
        ItemFilter(search="rare", item_ids=list(range(1, 900))),
        ItemFilter(tags_any=[sparse]),
        ItemFilter(tags_any=[dense], search="common"),
        ItemFilter(tags_any=[sparse], accounts=["acct-2"]),
    ]
    for item_filter in filters:
        for sort in ("time", "account"):
            window = Window(item_filter, sort)
            assert _paged(conn, window) == _expected(conn, window), (item_filter, regime)


def test_a_common_word_is_paged_without_gathering_every_hit(paged_case, regime):
    """The first page of a word in most rows reads a page's worth, not the whole set of hits."""
    statements = []
    paged_case.conn.set_trace_callback(statements.append)
    try:
        rows = item_pages.page(paged_case.conn, Window(ItemFilter(search="common")), None, 20)
    finally:
        paged_case.conn.set_trace_callback(None)
    assert len(rows) == 20
    gathering = [s for s in statements if "items.id IN (SELECT rowid FROM items_fts" in s and "+items.id" not in s]
    if regime == "walk":
        assert search_pages.plan(paged_case.conn, ItemFilter(search="common"))[0] == search_pages.WALK
        assert gathering == [], "the walk must not ask SQLite for every hit"
        assert any("rowid BETWEEN" in s for s in statements)


def test_a_selection_while_counting_is_the_rows_shown(paged_case):
    """Select-all while the count is coming means the first page's rows, not every match."""
    window = Window(ItemFilter(search="every"))
    shown = item_pages.page(paged_case.conn, window, None, 40)
    selection = RowSelection(window, ((0, 39),), 40, counted=False)
    assert selection.ids(paged_case.conn) == [r["id"] for r in shown]
    everything = RowSelection(window, ((0, 39),), 40, counted=True)
    assert len(everything.ids(paged_case.conn)) == item_pages.count(paged_case.conn, window)


@pytest.mark.parametrize("sort", ["account", "custodian", "model"])
def test_row_ranges_resolve_to_the_ids_in_those_rows(paged_case, sort):
    window = Window(ItemFilter(accounts=["acct-4"]), sort, True)
    listed = _expected(paged_case.conn, window)
    selection = RowSelection(window, ((0, 2), (10, 30), (len(listed) - 3, len(listed) - 1)), len(listed))
    assert selection.count == 3 + 21 + 3
    assert selection.ids(paged_case.conn) == listed[0:3] + listed[10:31] + listed[-3:]


def test_filters_by_account_and_source_seek_the_index_in_time_order(paged_case):
    """m019: no sort of the filtered rows, the index serves filter and order together."""
    for item_filter in (ItemFilter(accounts=["acct-2"]), ItemFilter(source_ids=[1])):
        where, params = item_filter.where()
        plan = " ".join(
            r[-1]
            for r in paged_case.conn.execute(
                f"EXPLAIN QUERY PLAN SELECT items.id FROM items WHERE {where}"
                f" ORDER BY {Window(item_filter).order_by()} LIMIT 10",
                params,
            )
        )
        assert "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("sort", ["custodian", "tokens", "bates", "model"])
def test_an_order_no_index_serves_sorts_ids_and_keys_once_a_page(paged_case, sort):
    """Without an index SQLite sorts every listed row for a page: only ids and keys go
    through that sort (the page's columns are read for its rows after), once a page."""
    window = Window(ItemFilter(), sort, True)
    statements = []
    paged_case.conn.set_trace_callback(statements.append)
    try:
        first = item_pages.page(paged_case.conn, window, None, 25)
        statements.clear()
        second = item_pages.page(paged_case.conn, window, first[-1]["key"], 25)
    finally:
        paged_case.conn.set_trace_callback(None)
    assert [r["id"] for r in first + second] == _expected(paged_case.conn, window)[:50]
    sorted_passes = [s for s in statements if "ORDER BY" in s]
    assert len(sorted_passes) == 1, sorted_passes
    assert sorted_passes[0].startswith("SELECT items.id, coalesce(")

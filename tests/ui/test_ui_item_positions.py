"""Where the review table lists an item, for every sort: what keeps a selection across a sort."""

import pytest

from app.store.case_file import CaseFile
from app.store.item_pages import SORTS, Window, page, position_of, positions_of
from app.store.item_query import ItemFilter
from window_helpers import import_paths, write_log


@pytest.fixture
def logs_case(case_path, tmp_path):
    import_paths(case_path, [write_log(tmp_path / "api.jsonl", 300, step_s=600, bad_every=0)])
    return case_path


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_positions_match_the_listing(logs_case, sort, descending):
    item_filter = ItemFilter(accounts=["org-harvest-01", "acme-research"])
    window = Window(item_filter, sort, descending)
    with CaseFile.open(logs_case) as case:
        listed = [row["id"] for row in page(case.conn, window, None, 1000)]
        every = [row[0] for row in case.conn.execute("SELECT id FROM items")]
        assert {i: position_of(case.conn, window, i) for i in listed} == {i: n for n, i in enumerate(listed)}
        assert positions_of(case.conn, window, every) == {i: n for n, i in enumerate(listed)}
        hidden = next(i for i in every if i not in listed)
        assert position_of(case.conn, window, hidden) is None

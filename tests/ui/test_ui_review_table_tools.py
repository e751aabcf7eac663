"""The review table's tools: the column chooser (shown columns kept per user, sorted on the
server with keyset paging right), Go to Item by id and by Bates number (Ctrl+G), the thread view."""

import json

import pytest
from PySide6.QtCore import Qt

from app.core.cancel import run_to_end
from app.store import item_pages
from app.store.case_file import CaseFile
from app.store.item_query import ItemFilter
from app.ui import settings as S
from app.ui.evidence_model import COLUMN, PAGE
from app.ui.main_window import MainWindow
from ui_case_builder import build_review_case


@pytest.fixture
def window(review_window):
    return review_window


def _column(window, name):
    return [window.model.index(r, COLUMN[name]).data() for r in range(window.model.rowCount())]


def test_optional_columns_are_hidden_until_chosen_and_the_choice_is_kept(qtbot, window, review_case_path):
    header = window.table.horizontalHeader()
    assert all(header.isSectionHidden(COLUMN[n]) for n in ("ip", "api_key", "custodian", "bates"))
    menu = window.column_chooser.build_menu()
    labels = [a.text() for a in menu.actions()]
    assert labels == ["IP address", "API key", "Model", "Tokens", "Status", "Custodian", "Bates (latest production)"]
    for action in menu.actions():
        if action.data() in ("ip", "custodian", "status"):
            action.setChecked(True)
    assert not header.isSectionHidden(COLUMN["ip"]) and not header.isSectionHidden(COLUMN["custodian"])
    ips = _column(window, "ip")
    assert "203.0.113.0" in ips
    kinds = [window.model.row(r)["kind"] for r in range(window.model.rowCount())]
    custodians = _column(window, "custodian")
    assert {c for c, k in zip(custodians, kinds) if k == "log_entry"} == {"Security team"}
    assert len(set(custodians)) > 1  # the other kinds' sources name their own
    assert {s for s, k in zip(_column(window, "status"), kinds) if k == "log_entry"} == {"200"}
    assert S.Settings().get(S.TABLE_COLUMNS) == ["ip", "status", "custodian"]
    # A new window (the same user) shows the same columns.
    again = MainWindow(review_case_path)
    qtbot.addWidget(again)
    assert not again.table.horizontalHeader().isSectionHidden(COLUMN["status"])
    assert again.table.horizontalHeader().isSectionHidden(COLUMN["bates"])


def test_sorting_by_an_optional_column_is_done_by_the_store(qtbot, window):
    window.column_chooser.show_only(["ip", "api_key"])
    window.table.sortByColumn(COLUMN["ip"], Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: window.column_chooser.indexing is None)
    plan = window.case.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM items ORDER BY coalesce(items.ip, ''), items.id LIMIT 200"
    ).fetchall()
    assert "items_sort_ip" in str(plan)  # the first sort by IP built the index that serves it
    ips = [v or "" for v in _column(window, "ip")]
    assert ips == sorted(ips) and ips[-1].startswith("203.0.113.")
    window.table.sortByColumn(COLUMN["api_key"], Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: window.column_chooser.indexing is None)
    keys = [v or "" for v in _column(window, "api_key")]
    assert keys == sorted(keys, reverse=True)


def test_keyset_paging_and_positions_stay_right_under_the_new_sorts(tmp_path):
    """More rows than a page, many equal keys: every page follows the one before, nothing twice."""
    path = build_review_case(tmp_path / "big.casefile", log_rows=PAGE * 2 + 37)
    with CaseFile.open(path) as case:
        total = item_pages.count(case.conn, item_pages.Window(ItemFilter()))
        for sort in ("ip", "api_key", "model", "custodian", "ip+index", "api_key+index", "model+index"):
            if sort.endswith("+index"):  # the same answers once the sort's index exists
                sort = sort.removesuffix("+index")
                run_to_end(item_pages.make_sort_index(case, sort))
            for descending in (False, True):
                window = item_pages.Window(ItemFilter(), sort, descending)
                seen, after = [], None
                while True:
                    rows = item_pages.page(case.conn, window, after, 50)
                    seen += [r["id"] for r in rows]
                    if len(rows) < 50:
                        break
                    after = rows[-1]["key"]
                assert len(seen) == len(set(seen)) == total, sort
                keys = [item_pages.page(case.conn, window, None, total)[i]["key"] for i in (0, -1)]
                assert (keys[0] <= keys[1]) != descending or keys[0] == keys[1]
                for position in (0, 1, 199, 200, total - 1):
                    assert item_pages.position_of(case.conn, window, seen[position]) == position


def test_go_to_an_item_by_id_selects_it_and_clears_filters_that_hide_it(qtbot, window):
    window.filters.search_edit.setText("olympiad")
    window.filters.emit_filter()
    listed = window.model.rowCount()
    assert 0 < listed < 46
    hidden = next(i for i in range(1, 47) if window.model.row_of(i) is None)
    window.go_to_item.go_to(f"#{hidden}")
    assert window.current_item_id() == hidden and window.selected_item_ids() == [hidden]
    assert window.detail.item["id"] == hidden
    assert window.model.rowCount() == 46 and "filters were cleared" in window.statusBar().currentMessage()
    window.go_to_item.go_to("12")
    assert window.selected_item_ids() == [12]
    assert window.go_to_item.go_to("#999") is None
    assert "There is no item 999" in window.statusBar().currentMessage()


def test_ctrl_g_asks_and_goes(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("7", True))
    qtbot.keyClick(window.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert window.current_item_id() == 7


def test_go_to_a_bates_number_and_the_bates_column(qtbot, review_case_path, tmp_path, cli):
    code, _out, err = cli(
        "export", review_case_path, tmp_path / "bundle.pdf", "--item", "5", "--item", "9",
        "--bates-prefix", "NWAI", "--quiet", "--operator", "tester",
    )  # fmt: skip
    assert code == 0, err
    window = MainWindow(review_case_path)
    qtbot.addWidget(window)
    window.show()
    with CaseFile.open(review_case_path) as case:
        exhibits = case.conn.execute("SELECT label, item_ids, bates_first, bates_last FROM production_exhibits")
        label, ids, first, last = next(e for e in exhibits if 9 in json.loads(e[1]))
    shown = json.loads(ids)[0]  # the exhibit's first item (its pages are not recorded per item)
    assert window.go_to_item.go_to(f"NWAI{last:07d}") == shown
    assert window.selected_item_ids() == [shown]
    assert "is in exhibit" in window.statusBar().currentMessage()
    assert window.go_to_item.go_to("NWAI9999999") is None
    assert "No production has a page NWAI9999999" in window.statusBar().currentMessage()
    window.column_chooser.show_only(["bates"])
    row = window.model.row_of(9)
    cite = window.model.index(row, COLUMN["bates"]).data()
    assert cite.startswith(label)
    pages = f"NWAI{first:07d}" if first == last else f"NWAI{first:07d}-NWAI{last:07d}"
    assert cite.endswith(f"({pages})")
    assert window.model.index(window.model.row_of(10), COLUMN["bates"]).data() == "not produced"
    # Sorted by Bates number in the store: the produced items first, in page order.
    window.table.sortByColumn(COLUMN["bates"], Qt.SortOrder.AscendingOrder)
    cites = [window.model.index(r, COLUMN["bates"]).data() for r in range(window.model.rowCount())]
    produced = [c for c in cites if c != "not produced"]
    assert cites[: len(produced)] == produced == sorted(produced) and len(produced) == 2


def test_the_thread_view_lists_conversations_and_filters_the_table_to_one(qtbot, window):
    view = window.thread_view
    view.dock.show()
    assert view.list.topLevelItemCount() == 1
    item = view.list.topLevelItem(0)
    assert item.text(1) == "2 emails"
    assert item.toolTip(2).endswith(("+00:00", "+01:00"))  # in the case's zone (Europe/London)
    assert item.text(2) == item.toolTip(2)[:10]
    view.list.itemClicked.emit(item, 0)
    assert window.model.rowCount() == 2
    assert {window.model.row(r)["kind"] for r in range(2)} == {"email"}
    # Searching inside the thread keeps the thread; Show All lets go of it.
    window.filters.search_edit.setText("zebraquartz")
    window.filters.emit_filter()
    assert window.model.rowCount() == 0
    window.filters.clear()
    assert window.model.rowCount() == 2
    view.all_button.click()
    assert window.model.rowCount() == 46


def test_sorting_by_tokens_or_status_reads_them_once_then_sorts_in_the_store(qtbot, tmp_path):
    from app.store import audit
    from log_fixtures import log_bytes
    from window_helpers import import_paths

    path = tmp_path / "usage.casefile"
    CaseFile.create(path, "Usage", None, "UTC", operator="tester").close()
    rows = [
        {"timestamp": f"2026-01-0{n + 1}T00:00:00Z", "account": "a", "prompt": "p", "response": "r",
         "status": status, "usage": {"prompt_tokens": tokens, "completion_tokens": 10}}
        for n, (status, tokens) in enumerate([(200, 500), (429, 5), (200, 50), (500, 5000)])
    ]  # fmt: skip
    log = tmp_path / "usage.jsonl"
    log.write_bytes(log_bytes(rows, malformed=[], blank_lines=0))
    import_paths(path, [log])
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.show()
    window.column_chooser.show_only(["tokens", "status"])
    assert _column(window, "tokens")[0] == "500 in / 10 out"
    window.table.sortByColumn(COLUMN["tokens"], Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: window.column_chooser.indexing is None)
    assert _column(window, "tokens") == ["5,000 in / 10 out", "500 in / 10 out", "50 in / 10 out", "5 in / 10 out"]
    window.table.sortByColumn(COLUMN["status"], Qt.SortOrder.AscendingOrder)
    assert _column(window, "status") == ["200", "200", "429", "500"]
    with CaseFile.open(path) as case:
        runs = [e for e in audit.entries(case.conn) if e["action"] == "usage.index"]
    assert len(runs) == 1  # read once; the second sort needed nothing new

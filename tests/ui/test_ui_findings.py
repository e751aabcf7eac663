"""The Findings view: the analysis runs on the worker with progress (and Cancel), accounts are
ranked with their indicators, choosing one draws its charts and cluster graph and filters the
evidence table to its rows, which one action tags (undoably) and another makes an exhibit."""

import sys
from pathlib import Path

import pytest

from app.store import annotations, findings
from app.store.case_file import CaseFile

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))
from extraction_cases import labelled_case  # noqa: E402


@pytest.fixture
def window(qtbot, tmp_path):
    from app.ui import settings as S
    from app.ui.main_window import MainWindow

    S.isolate_settings(tmp_path / "settings")
    case_path, _labels = labelled_case(tmp_path, scale=0.3)
    win = MainWindow()
    qtbot.addWidget(win)
    win.open_case(case_path)
    win.resize(1366, 768)
    win.show()
    yield win
    win.close()


def findings_view(window):
    from app.ui.findings.view import FindingsView

    return next(f for f in window.features if isinstance(f, FindingsView))


def run_analysis(qtbot, view):
    runner = view.run_analysis()
    with qtbot.waitSignal(runner.done, timeout=120_000):
        pass
    qtbot.waitUntil(lambda: view.run_id is not None)


def test_findings_rank_accounts_and_choosing_one_filters_the_table_to_its_rows(qtbot, window):
    view = findings_view(window)
    assert "No extraction analysis yet" in view.status.text()
    run_analysis(qtbot, view)
    assert "flagged" in view.status.text()
    assert view.account_table.item(0, 2).text() == "FLAGGED"
    view.select_account("x-blatant")
    account = view.current_account()
    assert account["account"] == "x-blatant"
    qtbot.waitUntil(lambda: view.charts.data is not None)  # read on a worker
    assert view.charts.data["heat"] and view.charts.data["keys"]
    fired_rows = {
        item
        for i in account["indicators"]
        if i["fired"]
        for item in findings.indicator_items(window.case.conn, i["id"])
    }
    qtbot.waitUntil(lambda: window.model.rowCount() == len(fired_rows), timeout=10_000)
    template_row = next(
        r for r in range(view.indicator_table.rowCount()) if view.indicator_table.item(r, 0).text() == "Template reuse"
    )
    view.indicator_table.selectRow(template_row)
    template = next(i for i in account["indicators"] if i["code"] == "template_reuse")
    qtbot.waitUntil(lambda: window.model.rowCount() == template["row_count"], timeout=10_000)


def test_tagging_the_rows_is_undoable_and_an_exhibit_is_made(qtbot, window):
    view = findings_view(window)
    run_analysis(qtbot, view)
    view.select_account("x-reasoning")
    reasoning_row = next(
        r
        for r in range(view.indicator_table.rowCount())
        if view.indicator_table.item(r, 0).text() == "Reasoning elicitation"
    )
    view.indicator_table.selectRow(reasoning_row)
    rows = view.supporting_items()
    view.tag_rows("TOS-AUTOMATED-EXTRACTION")
    tagged = {
        r[0] for r in window.case.conn.execute("SELECT item_id FROM tags WHERE code = 'TOS-AUTOMATED-EXTRACTION'")
    }
    assert tagged == set(rows) and rows
    window.undo_stack.undo()
    assert (
        window.case.conn.execute("SELECT count(*) FROM tags WHERE code = 'TOS-AUTOMATED-EXTRACTION'").fetchone()[0] == 0
    )
    exhibit_id = view.make_exhibit()
    exhibit = annotations.exhibit(window.case, exhibit_id)
    assert exhibit["summary_kind"] == "extraction" and "x-reasoning" in exhibit["title"]


def test_the_cluster_graph_shows_who_links_to_whom(qtbot, window, tmp_path):
    view = findings_view(window)
    run_analysis(qtbot, view)
    view.select_account("l-office-2")
    assert set(view.graph.cluster["accounts"]) == {f"l-office-{k}" for k in range(1, 7)}
    assert not view.graph.cluster["flagged"]
    view.dock.show()
    view.tabs.setCurrentWidget(view.graph)
    image = view.grab()
    assert not image.isNull() and image.width() > 300


def test_cancel_stores_no_findings(qtbot, window):
    view = findings_view(window)
    runner = view.run_analysis()
    runner.cancel()
    with qtbot.waitSignal(runner.done, timeout=120_000):
        pass
    with CaseFile.open(window.case_path) as case:
        assert findings.latest_run_id(case.conn) is None
    qtbot.waitUntil(lambda: view.run_button.isEnabled())


def test_a_stored_run_is_read_when_the_findings_view_is_shown_not_when_the_case_opens(qtbot, window):
    view = findings_view(window)
    run_analysis(qtbot, view)
    path = window.case.path
    view.dock.hide()
    window.open_case(path)  # the same case again, Findings closed: its run is not read
    assert view.run is None and view.account_table.rowCount() == 0
    view.dock.show()
    qtbot.waitUntil(lambda: view.account_table.rowCount() > 0)
    assert "flagged" in view.status.text()
    assert view.account_table.item(0, 2).text() == "FLAGGED"


def test_the_run_is_read_on_a_worker_and_only_the_latest_read_is_shown(qtbot, window, monkeypatch):
    """A run's clusters may be megabytes: the GUI thread never reads them, and a read
    overtaken by a later one (View > Refresh twice) is not shown."""
    import threading

    view = findings_view(window)
    run_analysis(qtbot, view)
    read_on = []

    def recording(read):
        def recorded(*args):
            read_on.append(threading.current_thread() is threading.main_thread())
            return read(*args)

        return recorded

    monkeypatch.setattr(findings, "get_run", recording(findings.get_run))
    monkeypatch.setattr(findings, "run_outline", recording(findings.run_outline))
    view.refresh()
    assert view.run is None and "Reading" in view.status.text()
    view.refresh()  # the first read is cancelled and never shown
    qtbot.waitUntil(lambda: view.run_id is not None)
    assert view.account_table.rowCount() == len(view.accounts) > 0
    view.select_account("x-blatant")
    view.select_account("x-reasoning")  # the first account's charts, if read, are not shown
    qtbot.waitUntil(lambda: view.charts.data is not None)
    from app.analysis.extraction.charts import chart_data

    conn = window.case.conn
    chosen = findings.get_finding(conn, view.current_account()["id"])
    assert view.charts.account == "x-reasoning" and view.charts.data == chart_data(conn, chosen)
    # The whole run is read on workers only (the chosen account's charts need only its source).
    assert read_on and not any(read_on), read_on

"""The timeline counts what the table lists, and says so."""

from app.store.case_file import CaseFile
from app.store.item_query import ItemFilter
from app.store.timeline_counts import timeline_for


def _dated(timeline) -> int:
    return sum(sum(counts.values()) for counts in timeline.series.values())


def test_the_timeline_follows_the_tables_filters(qtbot, review_window):
    window = review_window
    timeline = window.window_actions.timeline
    with qtbot.waitSignal(timeline.refreshed, timeout=30000):
        window.window_actions.timeline_dock.show()
    everything = _dated(timeline.chart.timeline)
    assert timeline.summary.text().startswith(f"{everything:,} dated items")
    with qtbot.waitSignal(timeline.refreshed, timeout=30000):
        window.filters.apply_filter(ItemFilter(kinds=["email"]))
    assert _dated(timeline.chart.timeline) == 2 == window.model.rowCount()
    assert timeline.summary.text().startswith(f"2 of {everything:,} dated items")
    with qtbot.waitSignal(timeline.refreshed, timeout=30000):
        window.filters.search_edit.setText("harvest")
        window.filters.emit_filter()
    assert _dated(timeline.chart.timeline) == window.model.rowCount() - timeline.chart.timeline.undated


def test_filtered_counts_match_the_table_bar_by_bar(review_case_path):
    with CaseFile.open(review_case_path) as case:
        logs = ItemFilter(kinds=["log_entry"], accounts=["org-halcyon-ai"])
        filtered = timeline_for(case.conn, "day", zone="Europe/London", item_filter=logs)
        whole = timeline_for(case.conn, "day", zone="Europe/London")
    assert filtered.series == {"logs: org-halcyon-ai": whole.series["logs: org-halcyon-ai"]}
    assert filtered.all_dated == _dated(whole) + whole.outside

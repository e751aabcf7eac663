"""The timeline: counts per bucket from SQL, and a click or drag selects a period."""

from PySide6.QtCore import QPoint, Qt

from app.store.annotations import tag_items
from app.store.case_file import CaseFile
from app.ui.timeline import TimelineView
from app.ui.timeline_data import DAY_US, count_timeline
from ui2_helpers import START_S, import_paths, write_log

START_US = START_S * 1_000_000


def make_case(case_path, tmp_path, rows=480, step_s=900):
    import_paths(case_path, [write_log(tmp_path / "api.jsonl", rows, step_s=step_s)])  # 5 days of rows


def test_counts_per_day_split_by_account(case_path, tmp_path):
    make_case(case_path, tmp_path)
    with CaseFile.open(case_path) as case:
        tag_items(case, [1, 2, 100], "AEO")
        timeline = count_timeline(case.conn, "day")
    assert list(timeline.buckets) == [START_US // DAY_US + d for d in range(5)]
    assert sum(timeline.total(b) for b in timeline.buckets) == 480
    assert all(name.startswith("logs: ") for name in timeline.series)
    assert timeline.tagged == {START_US // DAY_US: 2, START_US // DAY_US + 1: 1}


def test_week_buckets_start_on_monday(case_path, tmp_path):
    make_case(case_path, tmp_path)
    with CaseFile.open(case_path) as case:
        timeline = count_timeline(case.conn, "week")
    first = min(timeline.buckets)
    from datetime import datetime, timezone
    assert datetime.fromtimestamp(timeline.start_us(first) / 1e6, timezone.utc).weekday() == 0


def show_days(qtbot, case):
    view = TimelineView(case)
    qtbot.addWidget(view)
    view.unit_box.setCurrentText("day")
    view.resize(900, 400)
    view.show()
    return view


def test_clicking_a_bar_selects_its_day(qtbot, case_path, tmp_path):
    make_case(case_path, tmp_path)
    with CaseFile.open(case_path) as case:
        view = show_days(qtbot, case)
        chart = view.chart
        third = min(chart.timeline.buckets) + 2
        with qtbot.waitSignal(view.period_selected) as selected:
            qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.bar_rect(third).center().toPoint())
        assert selected.args == [START_US + 2 * DAY_US, START_US + 3 * DAY_US]


def test_dragging_selects_several_days(qtbot, case_path, tmp_path):
    make_case(case_path, tmp_path)
    with CaseFile.open(case_path) as case:
        view = show_days(qtbot, case)
        chart = view.chart
        first = min(chart.timeline.buckets)
        start = chart.bar_rect(first + 1).center().toPoint()
        end = chart.bar_rect(first + 3).center().toPoint()
        with qtbot.waitSignal(view.period_selected) as selected:
            qtbot.mousePress(chart, Qt.MouseButton.LeftButton, pos=start)
            qtbot.mouseMove(chart, QPoint(end.x(), end.y()))
            qtbot.mouseRelease(chart, Qt.MouseButton.LeftButton, pos=end)
        assert selected.args == [START_US + DAY_US, START_US + 4 * DAY_US]


def test_far_outliers_are_left_out_and_counted(case_path, tmp_path):
    make_case(case_path, tmp_path)
    import_paths(case_path, [write_log(tmp_path / "stray.jsonl", 2, start_s=946_684_800)])  # 2000-01-01
    from app.ui.timeline_data import timeline_for
    with CaseFile.open(case_path) as case:
        focused = timeline_for(case.conn, "auto")
        everything = timeline_for(case.conn, "auto", focus=False)
    assert focused.outside == 2 and sum(focused.total(b) for b in focused.buckets) == 480
    assert focused.unit == "hour" and everything.unit == "week"
    assert everything.outside == 0 and sum(everything.total(b) for b in everything.buckets) == 482

"""The timeline: counts per bucket from SQL, and a click or drag selects a period."""

from datetime import date, datetime

from PySide6.QtCore import QPoint, Qt

from app.store.annotations import tag_items
from app.store.case_file import CaseFile
from app.ui.timeline import TimelineView
from app.store.timeline_counts import DAY_US, count_timeline
from window_helpers import START_S, import_paths, write_log

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
    from app.store.timeline_counts import timeline_for

    with CaseFile.open(case_path) as case:
        focused = timeline_for(case.conn, "auto")
        everything = timeline_for(case.conn, "auto", focus=False)
    assert focused.outside == 2 and sum(focused.total(b) for b in focused.buckets) == 480
    assert focused.unit == "hour" and everything.unit == "week"
    assert everything.outside == 0 and sum(everything.total(b) for b in everything.buckets) == 482


def utc_us(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp()) * 1_000_000


def day_number(text: str) -> int:
    return (date.fromisoformat(text) - date(1970, 1, 1)).days


def test_days_are_the_shown_zones_days_23_hours_long_when_the_clocks_go_forward(case_path, tmp_path):
    # hourly rows from midnight of 8 March 2025 in Los Angeles (08:00 UTC); clocks go forward on the 9th
    start_s = utc_us("2025-03-08T08:00:00+00:00") // 10**6
    import_paths(case_path, [write_log(tmp_path / "api.jsonl", 72, step_s=3600, start_s=start_s)])
    with CaseFile.open(case_path) as case:
        timeline = count_timeline(case.conn, "day", zone="America/Los_Angeles")
        utc = count_timeline(case.conn, "day")
    days = list(timeline.buckets)
    assert days == [day_number(d) for d in ("2025-03-08", "2025-03-09", "2025-03-10", "2025-03-11")]
    assert [timeline.total(b) for b in days] == [24, 23, 24, 1]
    assert timeline.start_us(days[1]) == utc_us("2025-03-09T00:00:00-08:00")
    assert timeline.start_us(days[2]) - timeline.start_us(days[1]) == 23 * 3_600_000_000
    assert [utc.total(b) for b in utc.buckets] == [16, 24, 24, 8]  # the same rows by UTC day


def test_tagged_items_are_marked_on_their_local_day_in_a_half_hour_zone(case_path, tmp_path):
    make_case(case_path, tmp_path)  # a row every 15 minutes from 2025-03-01T00:00Z
    with CaseFile.open(case_path) as case:
        tag_items(case, [74, 75], "AEO")  # 18:15 and 18:30 UTC: 23:45 on 1 March and midnight on 2 March in India
        days = count_timeline(case.conn, "day", zone="Asia/Kolkata")
        hours = count_timeline(case.conn, "hour", zone="Asia/Kolkata")
    assert days.tagged == {day_number("2025-03-01"): 1, day_number("2025-03-02"): 1}
    assert days.start_us(day_number("2025-03-02")) == utc_us("2025-03-01T18:30:00+00:00")
    assert all(hours.start_us(b) % 3_600_000_000 == 1_800_000_000 for b in hours.buckets)  # whole local hours
    assert sum(hours.tagged.values()) == 2 and sum(hours.total(b) for b in hours.buckets) == 480


def test_clicking_a_bar_selects_the_local_day(qtbot, case_path, tmp_path):
    make_case(case_path, tmp_path)
    with CaseFile.open(case_path) as case:
        view = TimelineView(case, zone="America/Los_Angeles")
        qtbot.addWidget(view)
        view.unit_box.setCurrentText("day")
        view.resize(900, 400)
        view.show()
        chart = view.chart
        second = min(chart.timeline.buckets) + 1
        with qtbot.waitSignal(view.period_selected) as selected:
            qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.bar_rect(second).center().toPoint())
        assert selected.args == [utc_us("2025-03-01T00:00:00-08:00"), utc_us("2025-03-02T00:00:00-08:00")]
        assert "America/Los_Angeles" in view.hint.text()


def test_a_background_count_says_it_is_counting_until_the_bars_come(qtbot, case_path, tmp_path):
    """On a worker (a large case) the empty chart says it is counting, not that nothing is dated."""
    make_case(case_path, tmp_path)
    with CaseFile.open(case_path) as case:
        view = TimelineView(case, background=True)
        qtbot.addWidget(view)
        with qtbot.waitSignal(view.refreshed, timeout=30000):
            view.refresh()
            assert view.chart.timeline is None and view.chart.counting
        assert not view.chart.counting
        assert sum(view.chart.timeline.total(b) for b in view.chart.timeline.buckets) == 480

"""Timestamps: an instant written in any usual form reads back as the same instant."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import example, given, strategies as st

from app.core.timestamps import TimestampError, TimestampParser, format_utc_us, to_utc_us

FIRST_US = to_utc_us(datetime(1971, 1, 1, tzinfo=timezone.utc))
LAST_US = to_utc_us(datetime(2100, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc))
# A day's margin: a time near the range's ends may fall outside it in another zone.
MOMENTS = st.datetimes(min_value=datetime(1971, 1, 2), max_value=datetime(2100, 12, 30))
OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
ZONES = st.sampled_from(["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"])


@given(st.integers(min_value=FIRST_US, max_value=LAST_US))
def test_the_utc_text_written_reads_back_as_the_same_instant(utc_us):
    stamp = TimestampParser().parse(format_utc_us(utc_us))
    assert stamp.utc_us == utc_us
    assert not stamp.assumed and stamp.zone == "+00:00"


@given(MOMENTS, OFFSETS, st.sampled_from(["T", " "]))
def test_a_time_with_its_own_offset_is_that_instant_whatever_the_import_zone(moment, offset, separator):
    aware = moment.replace(tzinfo=offset)
    stamp = TimestampParser("Asia/Tokyo").parse(aware.isoformat(sep=separator))
    assert stamp.utc_us == to_utc_us(aware)
    assert not stamp.assumed
    assert format_utc_us(stamp.utc_us) == aware.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@given(MOMENTS, ZONES)
@example(datetime(2025, 3, 30, 1, 30), "Europe/London")  # clocks go forward: this time never happened
@example(datetime(2025, 10, 26, 1, 30), "Europe/London")  # clocks go back: this time happened twice
def test_a_naive_time_is_read_in_the_import_zone_and_marked_assumed(moment, zone):
    try:
        stamp = TimestampParser(zone).parse(moment.isoformat())
    except TimestampError as exc:
        assert "does not exist" in str(exc)
        return
    assert stamp.assumed
    back = (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=stamp.utc_us)).astimezone(ZoneInfo(zone))
    assert back.replace(tzinfo=None) == moment  # the same wall-clock time in that zone


@given(st.integers(min_value=1_000_000_000, max_value=LAST_US // 1_000_000))
def test_epoch_seconds_milliseconds_and_microseconds_name_the_same_instant(seconds):
    parser = TimestampParser()
    for number, unit in ((seconds, 1_000_000), (seconds * 1000, 1000), (seconds * 1_000_000, 1)):
        assert parser.parse(number).utc_us == number * unit
        assert parser.parse(str(number)).utc_us == number * unit


@given(st.one_of(st.text(max_size=60), st.integers(), st.floats()))
@example(9_999_999_999_999_999_999)  # 19 digits: past the last date a computer can hold
@example(float("inf"))
@example(float("nan"))
def test_any_value_is_a_timestamp_or_a_plain_reason(value):
    try:
        stamp = TimestampParser("Europe/Paris", year=2025).parse(value)
    except TimestampError as exc:
        assert str(exc)
        return
    assert FIRST_US - 86_400_000_000 <= stamp.utc_us <= LAST_US + 86_400_000_000

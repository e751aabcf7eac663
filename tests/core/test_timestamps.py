"""Honest timestamps: stated or assumed zone, DST gaps refused, impossible dates refused."""

from datetime import datetime

import pytest

from app.core.timestamps import TimestampError, TimestampParser, format_utc_us, resolve_zone


def iso(stamp) -> str:
    return format_utc_us(stamp.utc_us)


def test_iso_with_offset_is_stated_and_exact_to_the_microsecond():
    stamp = TimestampParser("Europe/London").parse("2026-03-01T12:00:00.123456+02:00")
    assert iso(stamp) == "2026-03-01T10:00:00.123456Z"
    assert (stamp.zone, stamp.assumed, stamp.original) == ("+02:00", False, "2026-03-01T12:00:00.123456+02:00")


def test_zulu_time():
    stamp = TimestampParser().parse("2026-01-05T10:00:00Z")
    assert iso(stamp) == "2026-01-05T10:00:00.000000Z" and not stamp.assumed


@pytest.mark.parametrize(
    "value, expected, unit",
    [
        (1767225600, "2026-01-01T00:00:00.000000Z", "epoch seconds"),
        ("1767225600.5", "2026-01-01T00:00:00.500000Z", "epoch seconds"),
        ("1767225600123", "2026-01-01T00:00:00.123000Z", "epoch milliseconds"),
        (1767225600123, "2026-01-01T00:00:00.123000Z", "epoch milliseconds"),
        ("1767225600123456", "2026-01-01T00:00:00.123456Z", "epoch microseconds"),
    ],
)
def test_epoch_seconds_milliseconds_microseconds(value, expected, unit):
    stamp = TimestampParser("America/New_York").parse(value)
    assert iso(stamp) == expected and stamp.note == unit and not stamp.assumed


def test_naive_time_takes_the_given_zone_and_is_marked_assumed():
    stamp = TimestampParser("America/New_York").parse("2026-07-04 09:30:00")
    assert iso(stamp) == "2026-07-04T13:30:00.000000Z"  # EDT, UTC-4 in July
    assert stamp.assumed and stamp.zone == "America/New_York"
    winter = TimestampParser("America/New_York").parse("2026-01-04 09:30:00")
    assert iso(winter) == "2026-01-04T14:30:00.000000Z"  # EST, UTC-5


def test_historical_zone_rules_apply():
    # Moscow was UTC+4 all year in 2013, UTC+3 since late 2014.
    assert iso(TimestampParser("Europe/Moscow").parse("2013-01-10 12:00")) == "2013-01-10T08:00:00.000000Z"
    assert iso(TimestampParser("Europe/Moscow").parse("2016-01-10 12:00")) == "2016-01-10T09:00:00.000000Z"


def test_time_in_the_spring_forward_gap_is_an_error():
    with pytest.raises(TimestampError, match="does not exist"):
        TimestampParser("Europe/London").parse("2026-03-29 01:30:00")


def test_ambiguous_autumn_time_is_noted_not_silently_chosen():
    stamp = TimestampParser("Europe/London").parse("2026-10-25 01:30:00")
    assert "ambiguous" in stamp.note
    assert iso(stamp) == "2026-10-25T00:30:00.000000Z"  # the earlier instant (BST), as the note says


def test_dayfirst_decides_ambiguous_day_and_month():
    assert iso(TimestampParser("UTC").parse("03/04/2026 10:00")).startswith("2026-03-04")
    assert iso(TimestampParser("UTC", dayfirst=True).parse("03/04/2026 10:00")).startswith("2026-04-03")


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30T10:00:00Z",
        "31/31/2026",
        "2026-13-01",
        "yesterday at noon",
        "",
        "0001-01-01T00:00:00Z",
        "99999999999999999",
        True,
    ],
)
def test_impossible_or_unreadable_dates_are_errors(text):
    with pytest.raises(TimestampError):
        TimestampParser("UTC").parse(text)


def test_missing_year_is_an_error_unless_given():
    with pytest.raises(TimestampError, match="no year"):
        TimestampParser("UTC").parse("Mar  1 12:00:00")
    stamp = TimestampParser("UTC", year=2025).parse("Mar  1 12:00:00")
    assert iso(stamp) == "2025-03-01T12:00:00.000000Z" and "year assumed" in stamp.note


def test_fixed_offset_zone_and_unknown_zone():
    stamp = TimestampParser("+05:30").parse("2026-01-01 05:30")
    assert iso(stamp) == "2026-01-01T00:00:00.000000Z" and stamp.assumed and stamp.zone == "+05:30"
    with pytest.raises(TimestampError, match="Unknown time zone"):
        resolve_zone("Mars/Olympus_Mons")


def test_from_datetime_uses_the_same_rules():
    stamp = TimestampParser("Europe/Paris").from_datetime("1 Jan 2026 12:00", datetime(2026, 1, 1, 12))
    assert iso(stamp) == "2026-01-01T11:00:00.000000Z" and stamp.assumed


def test_a_named_zone_abbreviation_is_read_as_stated():
    stamp = TimestampParser("Europe/London").parse("Thu, 02 Jan 2025 10:00:00 PST")
    assert stamp.iso_utc() == "2025-01-02T18:00:00.000000Z"
    assert stamp.zone == "-08:00" and stamp.assumed is False


def test_an_unknown_zone_abbreviation_is_never_dropped_silently():
    stamp = TimestampParser("Europe/London").parse("Jan 2 2025 10:00 XYZT")
    assert stamp.assumed is True and stamp.zone == "Europe/London"
    assert "XYZT" in stamp.note and "not recognised" in stamp.note

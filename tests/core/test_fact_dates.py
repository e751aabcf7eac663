"""A fact's date as counsel write it: a day, a moment, a range in several spellings, or none."""

import pytest

from app.core.fact_dates import UNDATED, parse_fact_date
from app.core.timestamps import TimestampError, format_utc_us


@pytest.mark.parametrize(
    "text",
    ["2026-03-01 to 2026-03-10", "2026-03-01 - 2026-03-10", "2026-03-01..2026-03-10", "1 March 2026 – 10 March 2026"],
)
def test_ranges_in_the_spellings_counsel_use(text):
    date = parse_fact_date(text, "UTC")
    assert (format_utc_us(date.start_us), format_utc_us(date.end_us)) == (
        "2026-03-01T00:00:00.000000Z",
        "2026-03-10T00:00:00.000000Z",
    )
    assert date.text == text


def test_a_date_without_a_zone_is_read_in_the_case_zone_and_blank_is_undated():
    assert format_utc_us(parse_fact_date("2026-03-01", "America/Los_Angeles").start_us) == "2026-03-01T08:00:00.000000Z"
    assert parse_fact_date("  ", "UTC") == UNDATED and parse_fact_date("undated") == UNDATED


def test_unreadable_dates_and_backward_ranges_are_refused_in_words():
    with pytest.raises(TimestampError, match="cannot be read"):
        parse_fact_date("next week")
    with pytest.raises(TimestampError, match="ends before it starts"):
        parse_fact_date("2026-03-10 to 2026-03-01")

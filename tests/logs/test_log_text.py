"""Plain text logs: leading timestamps in common forms, stack traces, undated lines."""

import gzip
import json

from log_helpers import counts, import_log, items_of, quarantine_of


def test_leading_timestamps_of_every_common_form(case, tmp_path):
    samples = {
        "app.log": "2025-03-01 10:00:00,123 INFO started\n",
        "apache_error.log": "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok\n",
        "ctime.log": "Sun Dec 04 04:47:44 2005 worker started\n",
        "hdfs.log": "081109 203615 148 INFO dfs.DataNode$PacketResponder: done\n",
        "epoch.log": "1740823200.5 job finished\n",
        "cbs.log": "2016-09-28 04:30:31, Info                  CBS    Starting TrustedInstaller\n",
    }
    expected = {
        "app.log": "2025-03-01T10:00:00.123000Z",
        "apache_error.log": "2005-12-04T04:47:44.000000Z",
        "ctime.log": "2005-12-04T04:47:44.000000Z",
        "hdfs.log": "2008-11-09T20:36:15.000000Z",
        "epoch.log": "2025-03-01T10:00:00.500000Z",
        "cbs.log": "2016-09-28T04:30:31.000000Z",
    }
    for name, line in samples.items():
        path = tmp_path / name
        path.write_text(line * 3)
        report = import_log(case, path, as_kind="text")
        assert report.imported == 3 and report.duplicates == 0, name  # the same line three times: three events
        assert items_of(case, report.source_id)[0]["ts_utc"] == expected[name], name


def test_a_stack_trace_belongs_to_the_entry_before_it(case, tmp_path):
    lines = [
        "Leftover banner line\n",
        "2025-03-01 10:00:00,001 ERROR request failed\n",
        "Traceback (most recent call last):\n",
        '  File "gw.py", line 3, in <module>\n',
        "ValueError: bad token\n",
        "\n",
        "2025-03-01 10:00:01,002 INFO recovered\n",
    ]
    path = tmp_path / "gateway.log"
    path.write_text("".join(lines))
    report = import_log(case, path)
    assert report.importer == "text"
    assert counts(report) == (4, 2, 0, 1, 1, 0)
    error, info = items_of(case, report.source_id)
    assert error["locator"] == {"line": 2, "byte_offset": len(lines[0]), "lines": 4}
    assert error["text"].endswith("ValueError: bad token") and "Traceback" in error["fields"]["message"]
    assert info["ts_utc"] == "2025-03-01T10:00:01.002000Z"
    banner = quarantine_of(case, report.source_id)[0]
    assert banner[0]["line"] == 1 and "no timestamp" in banner[2]


def test_year_less_lines_take_the_given_year_and_say_so(case, tmp_path):
    path = tmp_path / "daemon.log"
    path.write_text("Dec 31 23:59:59 last of the year\nJan  1 00:00:01 wrapped\n")
    report = import_log(case, path, as_kind="text", year=2024)
    first = items_of(case, report.source_id)[0]
    assert first["ts_utc"] == "2024-12-31T23:59:59.000000Z" and first["ts_note"] == "year assumed"


def test_an_entry_over_the_size_bound_is_quarantined_not_kept_whole(case, tmp_path):
    path = tmp_path / "huge.log"
    path.write_text("2025-03-01 10:00:00 start\n" + "  at frame\n" * 2000 + "2025-03-01 10:00:01 next\n")
    report = import_log(case, path, max_field_bytes=5000)
    assert (report.imported, report.quarantined) == (1, 1)
    locator, raw, reason = quarantine_of(case, report.source_id)[0]
    assert locator["lines"] == 2001 and "size bound" in reason and len(raw) <= 4096


def test_naive_times_take_the_import_zone_and_are_marked_assumed(case, tmp_path):
    path = tmp_path / "local.log"
    path.write_text("2025-07-01 09:00:00 summer\n2025-12-01 09:00:00 winter\n2025-12-01 09:00:00+05:30 stated\n")
    report = import_log(case, path, timezone="Europe/London")
    summer, winter, stated = items_of(case, report.source_id)
    assert summer["ts_utc"] == "2025-07-01T08:00:00.000000Z" and summer["ts_assumed"]
    assert summer["ts_zone"] == "Europe/London"
    assert winter["ts_utc"] == "2025-12-01T09:00:00.000000Z"
    assert stated["ts_utc"] == "2025-12-01T03:30:00.000000Z" and not stated["ts_assumed"]


def test_mapping_suggest_for_a_web_server_log_is_the_combined_preset(cli, tmp_path):
    path = tmp_path / "access.log.gz"
    path.write_bytes(gzip.compress(b'203.0.113.5 - bob [01/Mar/2025:10:00:00 +0100] "GET / HTTP/1.1" 200 5 "-" "x"\n'))
    code, out, err = cli("mapping", "suggest", path)
    assert code == 0, err
    suggestion = json.loads(out)
    assert suggestion["format"] == "weblog" and suggestion["mapping"]["ip"] == "remote_addr"
    assert "http_user_agent" in suggestion["fields"]


def test_iso_like_times_that_fromisoformat_refuses_are_still_read_stated(case, tmp_path):
    path = tmp_path / "app.log"
    path.write_text("2025-03-01 10:00:00 UTC started\n2025-03-01 10:00:01.250 +01:00 next\n")
    report = import_log(case, path, timezone="America/New_York")
    first, second = items_of(case, report.source_id)
    assert first["ts_utc"] == "2025-03-01T10:00:00.000000Z" and not first["ts_assumed"]
    assert second["ts_utc"] == "2025-03-01T09:00:01.250000Z" and not second["ts_assumed"]


def test_undated_ok_imports_the_lines_before_the_first_dated_entry_as_undated(case, tmp_path):
    path = tmp_path / "with_banner.log"
    path.write_text("=== service v2 ===\n2025-03-01 10:00:00 started\n")
    report = import_log(case, path, as_kind="text", undated_ok=True)
    banner, started = items_of(case, report.source_id)
    assert banner["ts_us"] is None and banner["text"] == "=== service v2 ===" and banner["warnings"]
    assert started["ts_utc"] == "2025-03-01T10:00:00.000000Z"

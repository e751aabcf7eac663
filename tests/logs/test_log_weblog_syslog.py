"""Web-server access logs (Common/Combined) and syslog (RFC 3164 and RFC 5424)."""

import os
from datetime import datetime, timezone

from log_helpers import counts, import_log, items_of, quarantine_of

COMBINED = [
    '203.0.113.5 - - [01/Mar/2025:10:00:00 +0100] "POST /v1/chat/completions HTTP/1.1" 200 5120 "-" '
    '"python-requests/2.31.0"\n',
    '203.0.113.6 - alice [01/Mar/2025:10:00:01 +0100] "GET /v1/models HTTP/2.0" 200 312 '
    '"https://example.com/a?b=\\"c\\"" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"\n',
    '203.0.113.7 - - [01/Mar/2025:10:00:02 +0100] "GET /x HTTP/1.1" 404 0 "-" "curl "quoted" agent/8.0"\n',
    '203.0.113.8 - - [01/Mar/2025:10:00:03 +0100] "\\x16\\x03\\x01" 400 157 "-" "-"\n',
    '10.0.0.1 - - [01/Mar/2025:10:00:04 +0000] "GET / HTTP/1.0" 304 -\n',  # Common Log Format
    "this is not an access log line\n",
    '10.0.0.2 - - [31/Feb/2025:10:00:05 +0000] "GET / HTTP/1.0" 200 1\n',
]


def test_combined_and_common_lines_with_odd_user_agents(case, tmp_path):
    path = tmp_path / "access.log"
    path.write_text("".join(COMBINED))
    report = import_log(case, path)
    assert report.importer == "weblog"
    assert counts(report) == (7, 5, 0, 2, 0, 0)
    items = items_of(case, report.source_id)
    assert items[0]["ip"] == "203.0.113.5" and items[0]["account"] is None
    assert items[0]["ts_utc"] == "2025-03-01T09:00:00.000000Z" and items[0]["ts_zone"] == "+01:00"
    assert items[0]["fields"]["method"] == "POST" and items[0]["fields"]["path"] == "/v1/chat/completions"
    assert items[1]["account"] == "alice" and items[1]["fields"]["http_referer"] == 'https://example.com/a?b=\\"c\\"'
    assert items[2]["fields"]["http_user_agent"] == 'curl "quoted" agent/8.0'
    assert items[3]["fields"]["request"] == "\\x16\\x03\\x01"
    assert "http_user_agent" not in items[4]["fields"] and items[4]["fields"]["status"] == "304"
    reasons = [q[2] for q in quarantine_of(case, report.source_id)]
    assert "not a Common or Combined" in reasons[0] and "timestamp cannot be read" in reasons[1]


SYSLOG = [
    "<34>1 2025-03-01T10:00:00.003+01:00 gw01.example.com api-gw 8710 ID47 "
    '[exampleSDID@32473 iut="3" eventSource="Application"] \ufeffkey sk-abc used from 203.0.113.5\n',
    "<165>1 2025-03-01T10:00:01Z gw01 api-gw - - - rate limit hit\n",
    "Mar  1 10:00:02 gw02 sshd[4242]: Accepted publickey for deploy\n",
    "<13>Mar  1 10:00:03 gw02 kernel: eth0 link up\n",
    "\n",
    "garbage without a date\n",
]


def test_both_syslog_forms_and_the_year_of_rfc3164(case, tmp_path):
    path = tmp_path / "messages"
    path.write_text("".join(SYSLOG), encoding="utf-8")
    report = import_log(case, path, year=2025)
    assert report.importer == "syslog"
    assert counts(report) == (6, 4, 0, 1, 1, 0)
    items = items_of(case, report.source_id)
    assert items[0]["fields"]["structured_data"].startswith("[exampleSDID@32473")
    assert items[0]["text"] == "key sk-abc used from 203.0.113.5"  # the RFC 5424 BOM dropped
    assert items[0]["ts_utc"] == "2025-03-01T09:00:00.003000Z"
    assert (items[1]["fields"]["facility"], items[1]["fields"]["severity"]) == (20, 5)
    assert items[2]["fields"]["tag"] == "sshd" and items[2]["fields"]["procid"] == "4242"
    assert items[2]["ts_utc"] == "2025-03-01T10:00:02.000000Z" and items[2]["ts_note"] == "year assumed"
    assert items[2]["ts_assumed"]


def test_year_less_lines_after_the_file_was_written_belong_to_the_year_before(case, tmp_path):
    path = tmp_path / "syslog.1"
    path.write_text("Dec 31 23:59:59 gw01 cron[1]: last of the year\nJan  1 00:00:01 gw01 cron[1]: first\n")
    written = datetime(2025, 1, 2, 6, 25, tzinfo=timezone.utc).timestamp()
    os.utime(path, (written, written))
    report = import_log(case, path)
    december, january = items_of(case, report.source_id)
    assert december["ts_utc"] == "2024-12-31T23:59:59.000000Z" and "year before" in december["ts_note"]
    assert january["ts_utc"] == "2025-01-01T00:00:01.000000Z" and january["ts_note"] == "year assumed"


def test_a_hostile_file_name_is_only_a_name(case, tmp_path):
    path = tmp_path / "acc\u202eess; rm -rf ~ $(id)\n.log"
    path.write_text(COMBINED[0])
    report = import_log(case, path)
    assert report.importer == "weblog" and report.imported == 1
    item = items_of(case, report.source_id)[0]
    assert item["source_name"] == path.name and "rm -rf" not in item["title"]


def test_an_access_log_with_a_malformed_minority_is_read_as_one_and_the_rest_quarantined(case, tmp_path):
    import random

    rng = random.Random(11)
    good = (
        '198.51.100.{n} - acct{a} [01/Mar/2025:10:{m:02d}:{s:02d} +0000] "POST /v1/generate HTTP/1.1" 200 {n}'
        ' "-" "harvester/1.0"'
    )
    broken = [
        '198.51.100.7 - - [01/Mar/2025:10:00:00 +0000] "GET /cut-short',  # the writer was killed mid-line
        "\x00\x00\x00\x00 binary garbage from a crashed rotation",
        "[Sat Mar 01 10:00:00.123 2025] [proxy:error] AH00957: connect to backend failed",  # an error log line
        "GET /v1/generate HTTP/1.1",
    ]
    lines, bad_lines = [], []
    for number in range(1, 601):
        if rng.random() < 0.4:  # 40 % of the lines cannot be read: still a minority
            lines.append(rng.choice(broken))
            bad_lines.append(number)
        else:
            lines.append(good.format(n=number % 250, a=number % 3, m=number // 60 % 60, s=number % 60))
    path = tmp_path / "access.log"
    path.write_text("\n".join(lines) + "\n")
    report = import_log(case, path)
    assert report.importer == "weblog"
    assert counts(report) == (600, 600 - len(bad_lines), 0, len(bad_lines), 0, 0)
    quarantined = quarantine_of(case, report.source_id)
    assert [loc["line"] for loc, _raw, _reason in quarantined] == bad_lines
    assert {reason for _loc, _raw, reason in quarantined} == {"not a Common or Combined Log Format line"}


def test_a_text_whose_lines_are_mostly_not_access_lines_stays_a_document(case, tmp_path):
    path = tmp_path / "notes.txt"
    lines = ['198.51.100.7 - - [01/Mar/2025:10:00:00 +0000] "GET / HTTP/1.1" 200 1'] * 4 + ["Meeting notes."] * 6
    path.write_text("\n".join(lines) + "\n")
    assert import_log(case, path).importer != "weblog"

"""CSV and TSV logs: dialects, quoted multi-line fields, encodings, bad rows."""

import gzip

from log_helpers import counts, import_log, items_of, quarantine_of, source_settings

HEADER = "Timestamp;Client-IP;User;Model;Prompt;Response\r\n"
ROWS = [
    (
        "2025-03-01T09:00:00+01:00;198.51.100.7;José Núñez;frontier-large;"
        '"Summarise ""Les Misérables""\r\nin two lines";'
        '"Valjean, naïve café…"\r\n'
    ),
    "2025-03-01 09:00:05.250;198.51.100.8;Zoë;frontier-small;hello;world\r\n",
]


def test_quoted_multiline_csv_keeps_every_field_and_points_at_the_starting_line(case, tmp_path):
    path = tmp_path / "gateway.csv"
    path.write_bytes((HEADER + "".join(ROWS)).encode("utf-8"))
    report = import_log(case, path)
    assert report.importer == "csv"
    assert counts(report) == (2, 2, 0, 0, 0, 0)
    first, second = items_of(case, report.source_id)
    assert first["fields"]["Prompt"] == 'Summarise "Les Misérables"\r\nin two lines'
    assert first["account"] == "José Núñez" and first["ip"] == "198.51.100.7" and first["model"] == "frontier-large"
    assert first["text"].startswith('Summarise "Les Misérables"') and first["text"].endswith("Valjean, naïve café…")
    assert first["locator"] == {"line": 2, "byte_offset": len(HEADER.encode()), "byte_length": len(ROWS[0].encode())}
    assert second["locator"]["line"] == 4  # the first record spans lines 2 and 3
    assert first["ts_zone"] == "+01:00" and not first["ts_assumed"]
    assert first["ts_utc"] == "2025-03-01T08:00:00.000000Z"
    assert second["ts_assumed"] and second["ts_utc"] == "2025-03-01T09:00:05.250000Z"  # naive: import zone
    settings = source_settings(case, report.source_id)
    assert settings["delimiter"] == ";" and settings["mapping"]["ip"] == "Client-IP"


def test_bom_utf16_and_windows_1252_files_read_the_same_text(case, tmp_path):
    text = HEADER + "".join(ROWS)
    variants = {
        "bom.csv": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "wide.csv": text.encode("utf-16"),
        "legacy.csv": text.replace("…", "...").encode("cp1252"),
    }
    for name, data in variants.items():
        path = tmp_path / name
        path.write_bytes(data)
        report = import_log(case, path)
        assert (report.imported, report.quarantined) == (2, 0), name
        first = items_of(case, report.source_id)[0]
        assert first["account"] == "José Núñez", name
        assert "Misérables" in first["text"] and "naïve" in first["text"], name
        assert list(first["fields"])[0] == "Timestamp", name  # no BOM glued to the first column
    encodings = [source_settings(case, sid)["encoding"] for sid in (1, 2, 3)]
    assert encodings[0].startswith("utf-8 (BOM)") and encodings[1].startswith("utf-16")
    assert encodings[2].startswith("cp1252")


def test_tsv_and_gzip_are_recognised_from_content(case, tmp_path):
    tsv = tmp_path / "export.dat"
    tsv.write_text("time\taccount\tprompt\n1740819600\tacme\tfirst\n1740819600123\tacme\tsecond\n")
    report = import_log(case, tsv)
    assert report.importer == "tsv" and report.imported == 2
    first, second = items_of(case, report.source_id)
    assert first["ts_utc"] == "2025-03-01T09:00:00.000000Z"  # epoch seconds
    assert second["ts_utc"] == "2025-03-01T09:00:00.123000Z"  # epoch milliseconds
    packed = tmp_path / "gateway.csv.gz"
    packed.write_bytes(gzip.compress((HEADER + "".join(ROWS)).encode()))
    report = import_log(case, packed)
    assert report.importer == "csv" and report.imported == 2


def test_malformed_rows_are_quarantined_with_line_offset_raw_and_reason(case, tmp_path):
    lines = [
        "timestamp,account,prompt\n",
        "# exported by the gateway\n",
        "2025-03-01T10:00:00Z,acme,fine\n",
        "\n",
        "2025-03-01T10:00:01Z,acme\n",  # wrong column count
        "yesterday-ish,acme,unreadable time\n",
        ",acme,no time at all\n",
        "2025-03-01T10:00:02Z,acme," + "x" * 3000 + "\n",  # over the size bound set below
        "2025-03-01T10:00:03Z,acme,last\n",
    ]
    path = tmp_path / "messy.csv"
    path.write_text("".join(lines))
    report = import_log(case, path, max_field_bytes=2000)
    assert counts(report) == (8, 2, 0, 4, 1, 1)
    quarantined = quarantine_of(case, report.source_id)
    offsets = [sum(len(x) for x in lines[:n]) for n in range(len(lines))]
    assert [q[0]["line"] for q in quarantined] == [5, 6, 7, 8]
    assert [q[0]["byte_offset"] for q in quarantined] == offsets[4:8]
    assert quarantined[0][1] == lines[4].encode()
    reasons = [q[2] for q in quarantined]
    assert "wrong column count" in reasons[0] and "timestamp cannot be read" in reasons[1]
    assert "no timestamp" in reasons[2] and "size bound" in reasons[3]


def test_undated_ok_imports_unreadable_times_as_undated_with_a_warning(case, tmp_path):
    path = tmp_path / "undated.csv"
    path.write_text("timestamp,account,prompt\nsoon,acme,a\n2025-03-01T10:00:00Z,acme,b\n")
    report = import_log(case, path, undated_ok=True)
    assert (report.imported, report.quarantined) == (2, 0)
    undated = items_of(case, report.source_id)[0]
    assert undated["ts_us"] is None and "imported as undated" in undated["warnings"][0]


def test_broken_utf8_is_replaced_and_a_windows_1252_line_read_as_such_both_flagged(case, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(
        b"timestamp,account,prompt\n"
        + "2025-03-01T10:00:00Z,acme,naïve caf".encode()
        + b"\xc3 ok\n"
        + "2025-03-01T10:00:01Z,zoë,naïve café\n".encode()
        + "2025-03-01T10:00:02Z,José,from a Windows export\n".encode("cp1252")
    )
    report = import_log(case, path)
    assert report.imported == 3
    damaged, clean, legacy = items_of(case, report.source_id)
    assert "naïve caf\ufffd ok" == damaged["fields"]["prompt"] and "replaced" in damaged["warnings"][0]
    assert not clean["warnings"]
    assert legacy["account"] == "José" and "read as Windows-1252" in legacy["warnings"][0]


def test_an_api_export_with_iso_times_and_free_text_is_csv_not_syslog_or_text(case, tmp_path):
    path = tmp_path / "warehouse_export.csv"
    path.write_text(
        "timestamp,account,ip,prompt,response\n"
        + "".join(
            f"2026-01-01T00:00:{n:02d}.457159Z,acct-{n}@example.com,203.0.113.{n},List the system steps {n},"
            f"Sure here they are\n"
            for n in range(40)
        )
    )
    report = import_log(case, path)
    assert report.importer == "csv" and report.imported == 40


def test_doubled_quotes_later_in_the_file_are_read_even_if_the_head_had_none(case, tmp_path):
    head = "".join(f"2025-03-01T10:00:{n:02d}Z,acme,plain {n}\n" for n in range(60))
    path = tmp_path / "late_quotes.csv"
    path.write_text("timestamp,account,prompt\n" + head * 20 + '2025-03-01T11:00:00Z,acme,"say ""hi"", then go"\n')
    report = import_log(case, path)
    assert report.quarantined == 0
    last = items_of(case, report.source_id)[-1]
    assert last["fields"]["prompt"] == 'say "hi", then go'


def test_every_value_written_by_csv_writer_reads_back_the_same(case, tmp_path):
    import csv
    import random

    rng = random.Random(3)
    pieces = ["plain", " padded ", "", "comma, inside", 'say "hi"', "two\nlines", "tab\there", "é ü 中", "-"]
    rows = [[f"2025-03-01T10:{n // 60:02d}:{n % 60:02d}Z"] + [rng.choice(pieces) for _ in range(4)] for n in range(300)]
    path = tmp_path / "written.csv"
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["timestamp", "account", "model", "prompt", "response"])
        writer.writerows(rows)
    report = import_log(case, path)
    assert (report.imported + report.duplicates, report.quarantined) == (300, 0)
    read_back = {tuple(i["fields"].values()) for i in items_of(case, report.source_id)}
    assert read_back == {tuple(r) for r in rows}


def test_dayfirst_decides_how_slashed_dates_are_read(case, tmp_path):
    path = tmp_path / "european.csv"
    path.write_text("date,account,prompt\n01/02/2025 10:00:00,acme,first\n13/02/2025 10:00:00,acme,second\n")
    report = import_log(case, path, dayfirst=True)
    first, second = items_of(case, report.source_id)
    assert first["ts_utc"] == "2025-02-01T10:00:00.000000Z" and second["ts_utc"] == "2025-02-13T10:00:00.000000Z"
    american = tmp_path / "american.csv"
    american.write_text("date,account,prompt\n01/02/2025 10:00:00,zeta,first\n13/02/2025 10:00:00,zeta,second\n")
    report = import_log(case, american)
    assert items_of(case, report.source_id)[0]["ts_utc"] == "2025-01-02T10:00:00.000000Z"
    assert report.quarantined == 1  # month 13 does not exist when the month comes first: never swapped
    assert "does not fit the format" in quarantine_of(case, report.source_id)[0][2]


def test_a_file_forced_as_csv_without_a_header_loses_no_row(case, tmp_path):
    path = tmp_path / "no_header.csv"
    path.write_text("2025-03-01T10:00:00Z,acme,first\n2025-03-01T10:00:01Z,acme,second\n")
    report = import_log(case, path, as_kind="csv", mapping={"timestamp": "column_1", "account": "column_2"})
    assert counts(report) == (2, 2, 0, 0, 0, 0)
    first = items_of(case, report.source_id)[0]
    assert first["fields"] == {"column_1": "2025-03-01T10:00:00Z", "column_2": "acme", "column_3": "first"}
    assert first["account"] == "acme"

"""Every value an exhibit, a sidecar or the chain of custody shows is covered by `verify`.

One real case (JSON-lines logs with fields read from the original and stored, a CSV log,
an email with an attachment, an image with its thumbnail, quarantined lines, a
duplicate) is changed with plain sqlite3, outside the application, one column at a time;
verify must fail and name the table and row.
"""

import gzip
import io
import json
import shutil
import sqlite3

import pytest
from PIL import Image

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files
from app.store.case_file import CaseFile
from app.store.verify import verify_case

JSONL_ROWS = [
    {
        "timestamp": "2026-01-05T10:00:00Z",
        "account": "acct-1",
        "api_key": "sk-live-1111",
        "ip": "203.0.113.5",
        "model": "m-large",
        "prompt": "Explain the rate limit policy",
        "response": "60 requests a minute",
    },
    {
        "timestamp": "2026-01-05 11:00:00",
        "account": "acct-2",
        "api_key": "sk-live-2222",
        "ip": "203.0.113.6",
        "model": "m-small",
        "prompt": "A naive time: the zone is assumed",
        "response": "ok",
    },
]
GZ_ROWS = [
    {
        "timestamp": "2026-01-06T09:00:00+02:00",
        "account": "acct-3",
        "api_key": "sk-live-3333",
        "ip": "198.51.100.9",
        "model": "m-large",
        "prompt": "Compressed: fields stored in the case",
        "response": "ok",
    },
]
CSV_LOG = (
    "timestamp,account,api_key,ip,model,prompt,response\r\n"
    "2026-01-07T08:00:00Z,acct-4,sk-live-4444,192.0.2.44,m-code,Write a parser,def parse(): ...\r\n"
)


def _message_with_attachment() -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Alice <alice@example.com>", "Bob <bob@example.com>", "The dataset"
    msg["Date"], msg["Message-ID"] = "Tue, 01 Jul 2025 10:00:00 +0000", "<m1@example.com>"
    msg.set_content("Attached: the extraction results.")
    msg.add_attachment(b"prompt,completion\nq,a\n", maintype="text", subtype="csv", filename="results.csv")
    return bytes(msg)


@pytest.fixture(scope="module")
def built_case(tmp_path_factory):
    """The case, built once through the real import pipeline."""
    folder = tmp_path_factory.mktemp("inputs")
    jsonl = folder / "api-log.jsonl"
    jsonl.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in JSONL_ROWS) + b"not json at all\n")
    gz = folder / "api-log-2.jsonl.gz"
    gz.write_bytes(gzip.compress(b"".join(json.dumps(r).encode() + b"\n" for r in GZ_ROWS + JSONL_ROWS[:1])))
    csv_log = folder / "gateway.csv"
    csv_log.write_bytes(CSV_LOG.encode())
    mail = folder / "message.eml"
    mail.write_bytes(_message_with_attachment())
    picture = folder / "photo.png"
    out = io.BytesIO()
    Image.new("RGB", (64, 32), (30, 90, 200)).save(out, format="PNG")
    picture.write_bytes(out.getvalue())
    empty = folder / "empty.log"  # stored and quarantined whole, no bytes kept
    empty.write_bytes(b"")
    path = tmp_path_factory.mktemp("case") / "rich.casefile"
    CaseFile.create(path, "Rich case", "CL-1", "Europe/Berlin", operator="tester").close()
    with CaseFile.open(path, operator="tester") as case:
        report = run_to_end(
            import_files(
                case,
                [jsonl, gz, csv_log, mail, picture, empty],
                ImportSettings(custodian="Jane Custodian", undated_ok=True),
            )
        )
    assert all(f.error is None and f.reconciles for f in report.files)
    return path


@pytest.fixture
def rich_case(built_case, tmp_path):
    path = tmp_path / built_case.name
    shutil.copy(built_case, path)
    return path


def verify(path):
    with CaseFile.open(path, operator="tester") as case:
        return run_to_end(verify_case(case))


def one(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def tamper(path, sql):
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()


LOG_ROW = "SELECT id FROM items WHERE kind = 'log_entry' AND account = 'acct-1' ORDER BY id LIMIT 1"
NAIVE_ROW = "SELECT id FROM items WHERE account = 'acct-2' ORDER BY id LIMIT 1"
GZ_ROW = "SELECT id FROM items WHERE account = 'acct-3'"
CSV_ROW = "SELECT id FROM items WHERE account = 'acct-4'"
EMAIL = "SELECT id FROM items WHERE kind = 'email'"
ATTACHMENT = "SELECT id FROM items WHERE kind = 'attachment'"
IMAGE = "SELECT id FROM items WHERE kind = 'image'"

# (what is changed, the row's id (a query), the change, the table verify must name)
ITEM_EDITS = [
    ("log row's account", LOG_ROW, "UPDATE items SET account = 'acct-forged' WHERE id = {id}"),
    ("log row's API key", LOG_ROW, "UPDATE items SET api_key = 'sk-forged' WHERE id = {id}"),
    ("log row's IP address", LOG_ROW, "UPDATE items SET ip = '10.9.9.9' WHERE id = {id}"),
    ("log row's model", LOG_ROW, "UPDATE items SET model = 'm-other' WHERE id = {id}"),
    ("log row's time zone", LOG_ROW, "UPDATE items SET ts_zone = 'America/New_York' WHERE id = {id}"),
    ("the 'zone assumed' flag", NAIVE_ROW, "UPDATE items SET ts_assumed = 0 WHERE id = {id}"),
    ("the time's note", NAIVE_ROW, "UPDATE items SET ts_note = 'stated by the log' WHERE id = {id}"),
    ("log row's UTC time", LOG_ROW, "UPDATE items SET ts_us = ts_us + 3600000000 WHERE id = {id}"),
    ("log row's warnings", LOG_ROW, "UPDATE items SET warnings = '[\"none\"]' WHERE id = {id}"),
    ("log row's duplicate key", LOG_ROW, "UPDATE items SET dedup_hash = 42 WHERE id = {id}"),
    ("log row's title", LOG_ROW, "UPDATE items SET title = 'harmless' WHERE id = {id}"),
    (
        "stored fields of a compressed log's row",
        GZ_ROW,
        "UPDATE item_bodies SET fields = replace(fields, 'sk-live-3333', 'sk-forged') WHERE id = {id}",
    ),
    ("compressed log row's API key", GZ_ROW, "UPDATE items SET api_key = 'sk-forged' WHERE id = {id}"),
    ("CSV row's account", CSV_ROW, "UPDATE items SET account = 'acct-forged' WHERE id = {id}"),
    ("CSV row's IP address", CSV_ROW, "UPDATE items SET ip = '10.9.9.9' WHERE id = {id}"),
    ("email's sender", EMAIL, "UPDATE items SET account = 'mallory@example.com' WHERE id = {id}"),
    ("email's thread", EMAIL, "UPDATE items SET thread_id = 'other-thread' WHERE id = {id}"),
    ("attachment's parent", ATTACHMENT, "UPDATE items SET parent_id = NULL WHERE id = {id}"),
    ("attachment moved to another source", ATTACHMENT, "UPDATE items SET source_id = 1 WHERE id = {id}"),
    (
        "attachment's bytes",
        ATTACHMENT,
        "UPDATE item_payloads SET data = data || x'00' WHERE item_id = {id} AND role = 'content'",
    ),
    (
        "image's thumbnail",
        IMAGE,
        "UPDATE item_payloads SET data = substr(data, 1, 40) WHERE item_id = {id} AND role = 'thumbnail'",
    ),
    ("image's thumbnail removed", IMAGE, "DELETE FROM item_payloads WHERE item_id = {id}"),
    ("listing hash recomputed by hand: removed", LOG_ROW, "UPDATE items SET listing_hash = NULL WHERE id = {id}"),
]


@pytest.mark.parametrize("what, row, sql", ITEM_EDITS, ids=[e[0] for e in ITEM_EDITS])
def test_an_items_changed_value_is_named(rich_case, what, row, sql):
    item_id = one(rich_case, row)
    tamper(rich_case, sql.format(id=item_id))
    result = verify(rich_case)
    assert not result.ok, what
    assert ("items", item_id) in [(p.table, p.id) for p in result.problems], [str(p) for p in result.problems]


def test_a_forged_account_is_named_in_plain_words_with_the_value_of_its_original(rich_case, cli):
    """The issue's case: a log row's account changed with a SQLite tool printed in the bundle."""
    item_id = one(rich_case, LOG_ROW)
    tamper(rich_case, f"UPDATE items SET account = 'acct-innocent' WHERE id = {item_id}")
    code, out, _ = cli("verify", rich_case, "--quiet")
    assert code == 1
    assert (
        f"items {item_id}: its account (account) changed since import: 'acct-innocent' where its original row "
        "says 'acct-1'"
    ) in out


@pytest.mark.parametrize(
    "row, column, words, original",
    [
        (CSV_ROW, "ip", "IP address", "192.0.2.44"),
        (GZ_ROW, "api_key", "API key", "sk-live-3333"),
        (LOG_ROW, "model", "model", "m-large"),
    ],
)
def test_a_log_rows_changed_column_is_named_from_its_fields(rich_case, row, column, words, original):
    item_id = one(rich_case, row)
    tamper(rich_case, f"UPDATE items SET {column} = 'forged' WHERE id = {item_id}")
    problems = [str(p) for p in verify(rich_case).problems]
    assert (
        f"items {item_id}: its {words} ({column}) changed since import: 'forged' where its original row says "
        f"{original!r}" in problems
    )


def test_a_value_that_is_not_in_the_fields_is_named_by_the_columns_covered(rich_case):
    item_id = one(rich_case, EMAIL)
    tamper(rich_case, f"UPDATE items SET thread_id = 'elsewhere' WHERE id = {item_id}")
    problems = [str(p) for p in verify(rich_case).problems]
    assert any(
        p.startswith(f"items {item_id}: its account, API key, IP address, model, thread, time zone") for p in problems
    ), problems


def test_a_forged_value_with_its_listing_hash_recomputed_is_still_found(rich_case):
    from app.core.hashing import LISTING_COLUMNS, item_listing_hash

    item_id = one(rich_case, LOG_ROW)
    conn = sqlite3.connect(rich_case)
    conn.execute(f"UPDATE items SET account = 'acct-forged' WHERE id = {item_id}")
    row = conn.execute(f"SELECT {', '.join(LISTING_COLUMNS)} FROM items WHERE id = ?", (item_id,)).fetchone()
    conn.execute("UPDATE items SET listing_hash = ? WHERE id = ?", (item_listing_hash(row, []), item_id))
    conn.commit()
    conn.close()
    result = verify(rich_case)
    source_id = one(rich_case, f"SELECT source_id FROM items WHERE id = {item_id}")
    assert ("items", f"source {source_id}") in [(p.table, p.id) for p in result.problems]


QUARANTINED = "SELECT id FROM quarantine ORDER BY id LIMIT 1"
OTHER_EDITS = [
    ("quarantine reason", "UPDATE quarantine SET reason = 'blank' WHERE id = ({q})", "quarantine", "{q}"),
    ("quarantine place", "UPDATE quarantine SET locator = '{{\"line\": 1}}' WHERE id = ({q})", "quarantine", "{q}"),
    ("quarantine kept bytes", "UPDATE quarantine SET raw = x'00' WHERE id = ({q})", "quarantine", "{q}"),
    (
        "quarantine bytes made text",
        "UPDATE quarantine SET raw = CAST(raw AS TEXT) WHERE id = ({q})",
        "quarantine",
        "{q}",
    ),
    ("quarantine row deleted", "DELETE FROM quarantine WHERE id = ({q})", "quarantine", "source 1"),
    (
        "reason a file was quarantined whole",
        "UPDATE quarantine SET reason = 'imported' WHERE raw IS NULL",
        "quarantine",
        "{w}",
    ),
    (
        "bytes given to a file quarantined whole",
        "UPDATE quarantine SET raw = x'00' WHERE raw IS NULL",
        "quarantine",
        "{w}",
    ),
    ("duplicate re-pointed", "UPDATE duplicates SET first_item_id = 2", "duplicates", "source 2"),
    ("duplicate deleted", "DELETE FROM duplicates", "duplicates", "source 2"),
    ("case time zone", "UPDATE meta SET value = 'UTC' WHERE key = 'timezone'", "meta", "timezone"),
    ("case name", "UPDATE meta SET value = 'Other case' WHERE key = 'name'", "meta", "name"),
    ("case number", "UPDATE meta SET value = 'CL-2' WHERE key = 'number'", "meta", "number"),
    (
        "case creation time",
        "UPDATE meta SET value = '2020-01-01T00:00:00Z' WHERE key = 'created_utc'",
        "meta",
        "created_utc",
    ),
    ("case time zone removed", "DELETE FROM meta WHERE key = 'timezone'", "meta", "timezone"),
    ("source's custodian", "UPDATE sources SET custodian = 'Someone Else' WHERE id = 1", "sources", 1),
    ("source's original name", "UPDATE sources SET original_name = 'other.jsonl' WHERE id = 1", "sources", 1),
    ("source's original path", "UPDATE sources SET original_path = '/elsewhere/x.jsonl' WHERE id = 1", "sources", 1),
    ("source's file time", "UPDATE sources SET mtime_utc = '2001-01-01T00:00:00Z' WHERE id = 1", "sources", 1),
    ("source's import time", "UPDATE sources SET imported_utc = '2001-01-01T00:00:00Z' WHERE id = 1", "sources", 1),
    ("source's operator", "UPDATE sources SET operator = 'mallory' WHERE id = 1", "sources", 1),
    (
        "source's settings (time zone)",
        'UPDATE sources SET settings = replace(settings, \'"timezone":"UTC"\', \'"timezone":"Asia/Tokyo"\')'
        " WHERE id = 1",
        "sources",
        1,
    ),
    ("source's importer", "UPDATE sources SET importer = 'csv' WHERE id = 1", "sources", 1),
    ("source's counts", "UPDATE sources SET quarantined_count = 0 WHERE id = 1", "sources", 1),
    (
        "source chunk turned into text",
        "UPDATE source_chunks SET data = CAST(data AS TEXT) WHERE source_id = 1",
        "source_chunks",
        "source 1 part 0",
    ),
    (
        "text index entry removed",
        "INSERT INTO items_fts(items_fts, rowid, title, text) SELECT 'delete', id, title, text FROM item_details"
        " WHERE id = 1",
        "items_fts",
        None,
    ),
    (
        "text index given words the item does not hold",
        "INSERT INTO items_fts(rowid, title, text) VALUES (1, 'x', 'confession')",
        "items_fts",
        None,
    ),
    (
        "privilege designation removed",
        "UPDATE taxonomy SET privilege = NULL WHERE code = 'PRIV-AC'",
        "taxonomy",
        "PRIV-AC",
    ),
    (
        "page legend changed",
        "UPDATE taxonomy SET legend = 'PUBLIC' WHERE legend IS NOT NULL AND code = (SELECT"
        " min(code) FROM taxonomy WHERE legend IS NOT NULL)",
        "taxonomy",
        "{l}",
    ),
    (
        "payload of no item",
        "INSERT INTO item_payloads(item_id, role, data) VALUES (999, 'content', x'01')",
        "item_payloads",
        "item 999 content",
    ),
]


@pytest.mark.parametrize("what, sql, table, row_id", OTHER_EDITS, ids=[e[0] for e in OTHER_EDITS])
def test_a_changed_custody_row_is_named(rich_case, what, sql, table, row_id):
    quarantined, whole = one(rich_case, QUARANTINED), one(rich_case, "SELECT id FROM quarantine WHERE raw IS NULL")
    legend = one(rich_case, "SELECT min(code) FROM taxonomy WHERE legend IS NOT NULL")
    tamper(rich_case, sql.format(q=quarantined))
    result = verify(rich_case)
    assert not result.ok, what
    expected = {"{q}": quarantined, "{w}": whole, "{l}": legend}.get(row_id, row_id)
    assert (table, expected) in [(p.table, p.id) for p in result.problems], [str(p) for p in result.problems]


def test_the_duplicate_fixture_has_a_duplicate_and_a_quarantined_line(rich_case):
    assert one(rich_case, "SELECT count(*) FROM duplicates") == 1
    assert one(rich_case, "SELECT count(*) FROM quarantine") == 2
    assert one(rich_case, "SELECT count(*) FROM quarantine WHERE raw IS NULL") == 1  # the empty file
    assert one(rich_case, "SELECT count(*) FROM item_payloads WHERE role = 'thumbnail'") == 1
    assert one(rich_case, "SELECT count(*) FROM item_bodies WHERE fields IS NULL") >= 2  # read from the original


def test_an_untouched_case_verifies_intact_with_everything_covered(rich_case, cli):
    result = verify(rich_case)
    assert result.ok, [str(p) for p in result.problems]
    assert result.not_covered == []
    assert result.checked["listed_values"] == result.checked["items"]
    assert result.checked["quarantined_records"] == 2 and result.checked["text_indexes"] >= 1
    code, out, _ = cli("verify", rich_case, "--quiet")
    assert code == 0 and "intact" in out and "Not covered" not in out


def _as_before_listing_hashes(path):
    """The case as an earlier Casefile left it (then upgraded): no listing or quarantine hashes, and
    audit entries without the digests and provenance recorded since (the chain re-hashed to fit)."""
    from app.core.head_record import record_path
    from app.store.audit import GENESIS, entry_hash

    conn = sqlite3.connect(path)
    conn.execute("UPDATE items SET listing_hash = NULL")
    conn.execute("UPDATE quarantine SET row_hash = NULL")
    prev = GENESIS
    rows = conn.execute("SELECT seq, ts_utc, actor, host, action, details FROM audit ORDER BY seq").fetchall()
    for seq, ts_utc, actor, host, action, details in rows:
        details = json.loads(details)
        for key in (
            "listing_digest",
            "quarantine_digest",
            "duplicates_digest",
            "source",
            "created_utc",
            "created_with",
            "designations",
        ):
            details.pop(key, None)
        text = json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = entry_hash(prev, seq, ts_utc, actor, host, action, text)
        conn.execute("UPDATE audit SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?", (text, prev, digest, seq))
        prev = digest
    # An earlier Casefile did not sign either: no signatures, no registered keys, and no record
    # of the case's head on this computer.
    conn.execute("UPDATE audit SET key_id = NULL, public_key = NULL, signature = NULL")
    conn.execute("DELETE FROM operator_keys")
    case_id = conn.execute("SELECT value FROM meta WHERE key = 'case_id'").fetchone()[0]
    conn.commit()
    conn.close()
    record_path(case_id).unlink(missing_ok=True)


def test_a_case_imported_before_these_hashes_verifies_and_says_what_is_not_covered(rich_case, cli):
    _as_before_listing_hashes(rich_case)
    result = verify(rich_case)
    assert result.ok, [str(p) for p in result.problems]
    notes = " ".join(result.not_covered)
    assert "items of sources 1, 2, 3, 4, 5, imported before Casefile hashed their listed values" in notes
    assert "a log row's account, API key, IP address and model against its original row; not their thread" in notes
    assert "quarantined records of sources 1, 6" in notes and "custodian" in notes and "created_utc" in notes
    code, out, _ = cli("verify", rich_case, "--quiet")
    assert code == 0 and "Not covered by any hash, so not proven unchanged:" in out


@pytest.mark.parametrize(
    "row, column, original",
    [(LOG_ROW, "account", "acct-1"), (GZ_ROW, "api_key", "sk-live-3333"), (CSV_ROW, "ip", "192.0.2.44")],
)
def test_a_case_imported_before_these_hashes_still_names_a_forged_log_row_value(rich_case, row, column, original):
    """An existing case (the issue's): a log row's account, key or IP changed is found from its original row."""
    _as_before_listing_hashes(rich_case)
    item_id = one(rich_case, row)
    tamper(rich_case, f"UPDATE items SET {column} = 'forged' WHERE id = {item_id}")
    problems = [str(p) for p in verify(rich_case).problems]
    assert [p for p in problems if p.startswith(f"items {item_id}: its ")] == [
        f"items {item_id}: its {dict(account='account', api_key='API key', ip='IP address')[column]} ({column}) "
        f"changed since import: 'forged' where its original row says {original!r}"
    ]


def test_a_case_imported_before_these_hashes_still_names_a_changed_count_or_file_name(rich_case):
    _as_before_listing_hashes(rich_case)
    tamper(rich_case, "UPDATE sources SET original_name = 'other.jsonl' WHERE id = 1")
    tamper(rich_case, "DELETE FROM quarantine")
    named = [(p.table, p.id) for p in verify(rich_case).problems]
    assert ("sources", 1) in named and ("quarantine", "source 1") in named


def test_an_earlier_case_of_every_log_format_verifies_intact(tmp_path):
    """Deriving a log row's values again from its fields gives what the import stored, for every log importer
    (else verify would call an untouched earlier case forged)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "logs"))
    from test_log_weblog_syslog import COMBINED, SYSLOG

    files = {
        "access.log": "".join(COMBINED),
        "gateway.syslog": "".join(SYSLOG),
        "service.log": "2025-03-01 10:00:00 UTC started\n2025-03-01 10:00:01.250 +01:00 next\n",
        "gateway.tsv": "timestamp\taccount\tip\tmodel\n2026-01-07T08:00:00Z\tacct-5\t192.0.2.5\tm-x\n",
        "numbers.jsonl": '{"timestamp": 1767225600, "account": 42, "ip": ["10.0.0.1"], "model": {"n": 1}}\n',
    }
    paths = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    path = tmp_path / "formats.casefile"
    CaseFile.create(path, "Formats", None, "UTC", operator="tester").close()
    with CaseFile.open(path, operator="tester") as case:
        report = run_to_end(import_files(case, paths, ImportSettings(undated_ok=True, year=2025)))
    assert {f.importer for f in report.files} >= {"weblog", "syslog", "text", "tsv", "jsonl"}
    _as_before_listing_hashes(path)
    result = verify(path)
    assert result.ok, [str(p) for p in result.problems]
    assert one(path, "SELECT count(*) FROM items WHERE account = '42'") == 1  # a number, as the import wrote it
    for importer in ("weblog", "syslog", "tsv"):
        item_id = one(
            path, f"SELECT min(i.id) FROM items i JOIN sources s ON s.id = i.source_id WHERE s.importer = '{importer}'"
        )
        tamper(path, f"UPDATE items SET ip = 'forged', account = 'forged' WHERE id = {item_id}")
    named = {p.id for p in verify(path).problems if p.table == "items"}
    assert len(named) == 3, named


def test_a_case_created_before_designations_were_recorded_still_names_a_removed_privilege(rich_case):
    """The privilege designation decides what an export withholds: checked against the shipped taxonomy."""
    _as_before_listing_hashes(rich_case)
    tamper(rich_case, "UPDATE taxonomy SET privilege = NULL WHERE code = 'PRIV-AC'")
    problems = [str(p) for p in verify(rich_case).problems]
    assert problems == [
        "taxonomy PRIV-AC: its privilege designation (what an export withholds) (privilege) changed "
        "outside the application: None where the case was created with 'AC'"
    ]

"""Identical lines inside one log are events: every line is an item; only other sources' copies are duplicates.

The rule for log rows (ItemRecord.dedup_events): within a source each line is an item;
the k-th copy of a line in a later source is a duplicate of the k-th item with that line,
so a line appears in the case as often as in the source holding the most copies of it.
Messages keep the old rule: the same email twice is one email and one duplicate.
"""

import json
import random
from collections import Counter

from log_helpers import counts, import_log

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers import item_writer
from app.importers.pipeline import import_files
from app.store.verify import verify_case

USERS = ["alice", "bob", "carol", "-"]


def apache_log(lines: int, seed: int = 7) -> list[str]:
    """A Combined Log Format access log where bursts repeat the same request in the same second."""
    rng = random.Random(seed)
    out = []
    while len(out) < lines:
        user = rng.choice(USERS)
        second = len(out) // 4
        line = (
            f"198.51.100.{rng.randrange(4)} - {user} [01/Mar/2025:10:{second // 60 % 60:02d}:{second % 60:02d}"
            f' +0000] "GET /v1/models/orion/generate HTTP/1.1" 200 {rng.choice([512, 1024])}'
            ' "-" "python-requests/2.31"'
        )
        out.extend([line] * min(rng.choice([1, 1, 2, 3, 5]), lines - len(out)))
    return out


def per_account(case, source_id=None) -> Counter:
    sql = "SELECT coalesce(account, '-'), count(*) FROM items"
    rows = case.conn.execute(
        sql + (" WHERE source_id = ?" if source_id else "") + " GROUP BY 1", (source_id,) if source_id else ()
    )
    return Counter(dict(rows.fetchall()))


def linked_to(case, source_id) -> list[tuple[int, int]]:
    """(source, line) of the item each duplicate of a source is linked to, in the source's order."""
    rows = case.conn.execute(
        "SELECT i.source_id, i.locator FROM duplicates d JOIN items i ON i.id = d.first_item_id"
        " WHERE d.source_id = ? ORDER BY d.id",
        (source_id,),
    )
    return [(source, json.loads(locator)["line"]) for source, locator in rows]


def test_every_line_of_a_log_with_repeated_requests_is_an_item(case, tmp_path, monkeypatch):
    monkeypatch.setattr(item_writer, "BATCH", 97)  # copies of a line in the same and in later batches
    lines = apache_log(2000)
    repeated = len(lines) - len(set(lines))
    assert repeated > 500  # the ground truth has as many repeats as the real Apache log had
    path = tmp_path / "access.log"
    path.write_text("\n".join(lines) + "\n")
    report = import_log(case, path)
    assert report.importer == "weblog"
    assert counts(report) == (2000, 2000, 0, 0, 0, 0)
    raw_per_account = Counter(line.split(" ")[2] for line in lines)
    assert per_account(case) == raw_per_account
    assert run_to_end(verify_case(case)).ok


def test_the_same_log_again_is_all_duplicates_each_copy_linked_to_its_own_item(case, tmp_path):
    lines = apache_log(300, seed=3)
    first, again = tmp_path / "access.log", tmp_path / "access-copy.log"
    first.write_text("\n".join(lines) + "\n")
    again.write_text("\n".join(lines) + "\n\n")  # other bytes (a blank line more): read again
    one = import_log(case, first)
    two = import_log(case, again)
    assert counts(two) == (301, 0, 300, 0, 1, 0)
    linked = case.conn.execute("SELECT first_item_id FROM duplicates WHERE source_id = ?", (two.source_id,))
    targets = [row[0] for row in linked]
    assert len(set(targets)) == 300  # every line of the copy matched a different item
    assert per_account(case) == Counter(line.split(" ")[2] for line in lines)
    assert one.imported == 300


def test_overlapping_extracts_match_copies_one_for_one(case, tmp_path):
    x = '203.0.113.9 - mallory [01/Mar/2025:10:00:00 +0000] "POST /v1/generate HTTP/1.1" 200 99 "-" "curl/8"'
    y = '203.0.113.9 - mallory [01/Mar/2025:10:00:01 +0000] "POST /v1/generate HTTP/1.1" 200 99 "-" "curl/8"'
    a, b, c = tmp_path / "a.log", tmp_path / "b.log", tmp_path / "c.log"
    a.write_text(f"{x}\n{y}\n")  # x once
    b.write_text(f"{x}\n{x}\n{y}\n{y}\n{y}\n")  # x twice, y three times
    c.write_text(f"{x}\n{x}\n{x}\n{y}\n")  # x three times, y once
    report_a = import_log(case, a)
    report_b = import_log(case, b)
    assert counts(report_b) == (5, 3, 2, 0, 0, 0)  # one x and two y's are new
    report_c = import_log(case, c)
    assert counts(report_c) == (4, 1, 3, 0, 0, 0)  # the third x is new
    assert case.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 6  # x 3 times, y 3 times: as in b, c
    # Each copy is linked to a different item: the first to a's, the next to b's own, in order.
    a_, b_ = report_a.source_id, report_b.source_id
    assert linked_to(case, report_b.source_id) == [(a_, 1), (a_, 2)]
    assert linked_to(case, report_c.source_id) == [(a_, 1), (b_, 2), (a_, 2)]
    assert run_to_end(verify_case(case)).ok


def test_the_rule_is_the_same_when_the_extracts_come_in_one_import(case, tmp_path):
    x = '203.0.113.9 - mallory [01/Mar/2025:10:00:00 +0000] "POST /v1/generate HTTP/1.1" 200 99 "-" "curl/8"'
    a, b = tmp_path / "a.log", tmp_path / "b.log"
    a.write_text(f"{x}\n")
    b.write_text(f"{x}\n{x}\n{x}\n")
    report = run_to_end(import_files(case, [a, b], ImportSettings()))
    assert [(f.imported, f.duplicates) for f in report.files] == [(1, 0), (2, 1)]
    assert case.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 3


def test_json_lines_rows_repeated_in_one_file_are_each_an_item(case, tmp_path):
    row = json.dumps({"timestamp": "2025-03-01T10:00:00Z", "account": "acme", "prompt": "same", "response": "r"})
    path = tmp_path / "api.jsonl"
    path.write_text(f"{row}\n" * 5)
    report = import_log(case, path)
    assert counts(report) == (5, 5, 0, 0, 0, 0)
    assert per_account(case) == Counter({"acme": 5})


def test_the_same_email_twice_in_one_mailbox_is_still_one_email_and_a_duplicate(case, tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "email"))
    from email_builders import mbox_of, simple_message

    message = simple_message(subject="Key rotation every three days")
    path = tmp_path / "box.mbox"
    path.write_bytes(mbox_of([message, message]))
    report = run_to_end(import_files(case, [path], ImportSettings())).files[0]
    assert (report.read, report.imported, report.duplicates) == (2, 1, 1)


def test_copies_are_matched_in_order_across_batches_the_case_and_this_import(case, tmp_path, monkeypatch):
    monkeypatch.setattr(item_writer, "BATCH", 3)  # a line's copies spread over many batches
    x = '203.0.113.9 - mallory [01/Mar/2025:10:00:00 +0000] "POST /v1/generate HTTP/1.1" 200 99 "-" "curl/8"'
    a, b, c = tmp_path / "a.log", tmp_path / "b.log", tmp_path / "c.log"
    a.write_text(f"{x}\n" * 5)
    b.write_text(f"{x}\n" * 7)
    c.write_text(f"{x}\n" * 9)
    source_a = import_log(case, a).source_id
    report = run_to_end(import_files(case, [b, c], ImportSettings()))  # a is in the case; b in this import
    assert [(f.imported, f.duplicates) for f in report.files] == [(2, 5), (2, 7)]
    source_b, source_c = (f.source_id for f in report.files)
    assert linked_to(case, source_b) == [(source_a, n) for n in range(1, 6)]
    assert linked_to(case, source_c) == [(source_a, n) for n in range(1, 6)] + [(source_b, 6), (source_b, 7)]
    assert case.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 9

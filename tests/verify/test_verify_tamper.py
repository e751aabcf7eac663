"""Changes made behind the application's back (plain sqlite3) are named by `verify`."""

import json
import sqlite3

import pytest

from app.store import annotations
from app.store.case_file import CaseFile


def tamper(path, sql, params=()):
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def verify_json(cli, path) -> tuple[int, dict]:
    code, out, _ = cli("verify", path, "--json")
    return code, json.loads(out)


def problems(report: dict) -> list[tuple]:
    return [(p["table"], p["id"]) for p in report["problems"]]


@pytest.fixture
def annotated(imported):
    """The imported case with a tag, a note and an exhibit, made through the application."""
    with CaseFile.open(imported, operator="tester") as case:
        annotations.tag_items(case, [2, 3], "HOT", note="look here")
        annotations.add_note(case, 2, "the first extraction burst")
        annotations.create_exhibit(case, "Exhibit A", [3, 2])
    return imported


def test_an_untouched_case_verifies_and_the_check_is_audited(annotated, cli):
    code, report = verify_json(cli, annotated)
    assert code == 0 and report["ok"] and report["problems"] == []
    assert report["checked"]["items"] == 16 and report["checked"]["tags"] == 2
    code, out, _ = cli("audit", annotated, "--json")
    assert json.loads(out)[-1]["action"] == "verify"


def test_changed_item_text_is_named(annotated, cli):
    tamper(annotated, "UPDATE item_bodies SET text = 'nothing to see' WHERE id = 4")
    code, report = verify_json(cli, annotated)
    assert code == 1
    assert ("items", 4) in problems(report)


def test_changed_item_and_its_hash_is_still_found_by_the_import_digest(annotated, cli):
    from app.core.hashing import item_content_hash

    conn = sqlite3.connect(annotated)
    row = conn.execute(
        "SELECT kind, title, fields, ts_original, ts_us, locator FROM item_details WHERE id = 5"
    ).fetchone()
    forged = item_content_hash(row[0], row[1], "forged text", *row[2:])
    conn.execute("UPDATE item_bodies SET text = 'forged text' WHERE id = 5")
    conn.execute("UPDATE items SET content_hash = ? WHERE id = 5", (forged,))
    conn.commit()
    conn.close()
    code, report = verify_json(cli, annotated)
    assert code == 1
    assert ("items", "source 1") in problems(report)


@pytest.mark.parametrize(
    "sql, named",
    [
        ("DELETE FROM items WHERE id = 16", [("items", "source 1"), ("item_bodies", 16)]),  # its text left behind
        ("DELETE FROM item_bodies WHERE id = 6", [("items", 6)]),  # an item's text and fields removed
    ],
)
def test_deleted_rows_are_named(annotated, cli, sql, named):
    tamper(annotated, sql)
    code, report = verify_json(cli, annotated)
    assert code == 1 and set(named) <= set(problems(report))


def test_changed_tag_row_is_named(annotated, cli):
    tamper(annotated, "UPDATE tags SET note = 'innocent' WHERE item_id = 2 AND code = 'HOT'")
    code, out, _ = cli("verify", annotated)
    assert code == 1
    assert "tags item 2 HOT" in out


def test_added_tag_row_is_named(annotated, cli):
    tamper(annotated, "INSERT INTO tags(item_id, code) VALUES (7, 'PRIV-AC')")
    code, report = verify_json(cli, annotated)
    assert code == 1 and ("tags", "item 7 PRIV-AC") in problems(report)


def test_one_byte_of_an_original_is_named(annotated, cli):
    conn = sqlite3.connect(annotated)
    data = bytearray(conn.execute("SELECT data FROM source_chunks WHERE source_id = 1 AND seq = 0").fetchone()[0])
    data[100] ^= 0x01
    conn.execute("UPDATE source_chunks SET data = ? WHERE source_id = 1 AND seq = 0", (bytes(data),))
    conn.commit()
    conn.close()
    code, out, _ = cli("verify", annotated)
    assert code == 1
    assert "sources 1: the stored original of api-log.jsonl no longer matches its recorded SHA-256" in out


def test_changed_audit_entry_is_named(annotated, cli):
    tamper(annotated, "UPDATE audit SET actor = 'someone else' WHERE seq = 2")
    code, report = verify_json(cli, annotated)
    assert code == 1 and ("audit", 2) in problems(report)


def test_removed_audit_entry_is_named(annotated, cli):
    tamper(annotated, "DELETE FROM audit WHERE seq = 3")
    code, report = verify_json(cli, annotated)
    assert code == 1 and ("audit", 3) in problems(report)


def test_changed_note_and_exhibit_are_named(annotated, cli):
    tamper(annotated, "UPDATE notes SET text = 'rewritten' WHERE id = 1")
    tamper(annotated, "UPDATE exhibit_items SET position = 1 - position WHERE exhibit_id = 1")
    code, report = verify_json(cli, annotated)
    assert code == 1
    assert {("notes", 1), ("exhibits", 1)} <= set(problems(report))

"""Tags, notes and exhibits return what they changed (for undo), and every change is audited."""

import json

import pytest

from app.store import annotations, audit
from app.store.case_file import CaseFile
from app.store.errors import CaseFileError


@pytest.fixture
def case_with_items(imported):
    with CaseFile.open(imported, operator="paralegal") as case:
        yield case


def actions(case) -> list[str]:
    return [e["action"] for e in audit.entries(case.conn)]


def test_tag_returns_only_newly_tagged_and_untag_restores_exactly(case_with_items):
    case = case_with_items
    assert annotations.tag_items(case, [2, 3], "TOS-COMPETE-TRAIN", "burst", "ToS 2025-06") == [2, 3]
    assert annotations.tag_items(case, [3, 4], "TOS-COMPETE-TRAIN") == [4]
    assert annotations.tag_items(case, [3], "TOS-COMPETE-TRAIN") == []  # nothing changed: nothing audited
    removed = annotations.untag_items(case, [2, 4, 5], "TOS-COMPETE-TRAIN")
    assert removed == [
        {"item_id": 2, "note": "burst", "tos_version": "ToS 2025-06"},
        {"item_id": 4, "note": None, "tos_version": None},
    ]
    annotations.restore_tags(case, "TOS-COMPETE-TRAIN", removed)
    assert annotations.item_tags(case, 2)[0]["note"] == "burst"
    assert annotations.item_tags(case, 2)[0]["who"] == "paralegal"
    assert actions(case)[-5:] == ["tag", "tag", "untag", "tag", "tag"]  # restored: one entry per note


def test_note_add_and_delete_round_trip(case_with_items):
    case = case_with_items
    note_id = annotations.add_note(case, 3, "compare with the 2 January burst")
    assert annotations.item_notes(case, 3)[0]["text"] == "compare with the 2 January burst"
    assert annotations.delete_note(case, note_id) == {"item_id": 3, "text": "compare with the 2 January burst"}
    assert annotations.item_notes(case, 3) == []
    assert actions(case)[-2:] == ["note.add", "note.delete"]


def test_exhibits_keep_their_order_and_changes(case_with_items):
    case = case_with_items
    exhibit_id = annotations.create_exhibit(case, "Exhibit 12", [5, 2, 9], "The extraction burst")
    assert annotations.exhibit(case, exhibit_id)["item_ids"] == [5, 2, 9]
    annotations.update_exhibit(case, exhibit_id, title="Exhibit 12A", item_ids=[9, 5])
    assert annotations.exhibit(case, exhibit_id)["title"] == "Exhibit 12A"
    assert [e["id"] for e in annotations.exhibits_of_item(case, 9)] == [exhibit_id]
    with pytest.raises(CaseFileError, match="each item once"):
        annotations.update_exhibit(case, exhibit_id, item_ids=[9, 9])
    annotations.delete_exhibit(case, exhibit_id)
    assert annotations.exhibits(case) == []
    assert actions(case)[-3:] == ["exhibit.create", "exhibit.update", "exhibit.delete"]


def test_unknown_items_and_categories_change_nothing(case_with_items):
    case = case_with_items
    count = len(actions(case))
    with pytest.raises(CaseFileError, match="no item 999"):
        annotations.tag_items(case, [2, 999], "HOT")
    with pytest.raises(CaseFileError, match="no category"):
        annotations.tag_items(case, [2], "NOT-A-CODE")
    assert case.conn.execute("SELECT count(*) FROM tags").fetchone()[0] == 0
    assert len(actions(case)) == count


def test_failed_change_writes_no_audit_entry(case_with_items):
    case = case_with_items
    count = len(actions(case))
    with pytest.raises(RuntimeError):
        with case.transaction():
            case.conn.execute("INSERT INTO notes(item_id, text) VALUES (2, 'half-done')")
            case.audit("note.add", {"note_id": 1, "item_id": 2, "text": "half-done"})
            raise RuntimeError("power cut")
    assert len(actions(case)) == count and annotations.item_notes(case, 2) == []


def test_audit_entries_chain_and_the_import_entry_carries_its_digest(imported, cli):
    code, out, _ = cli("audit", imported, "--json")
    entries = json.loads(out)
    assert [e["action"] for e in entries] == ["case.create", "import"]
    assert entries[0]["prev_hash"] == audit.GENESIS and entries[1]["prev_hash"] == entries[0]["hash"]
    details = entries[1]["details"]
    assert details["counts"]["read"] == 20 and len(details["item_digest"]) == 64
    assert details["sha256"] and details["first_item_id"] == 1 and details["last_item_id"] == 16
    assert entries[1]["actor"] == "tester"


def test_audit_entry_outside_a_transaction_is_refused(case_with_items):
    with pytest.raises(RuntimeError, match="inside the change's transaction"):
        case_with_items.audit("tag", {})

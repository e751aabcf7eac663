"""Review batches in the store: families kept whole, reviewed status with who and when, all audited,
replayed by verify (a forged batch or status is named), listed and made by `casefile batches`."""

import json
import sqlite3
from email.message import EmailMessage

import pytest

from app.core.cancel import run_to_end
from app.store import audit, review_batches
from app.store.case_file import CaseFile
from app.store.errors import CaseFileError
from app.store.verify import verify_case


def _email_with_attachments(count: int) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Alice <alice@example.com>", "Bob <bob@example.com>", "The dataset"
    msg["Date"], msg["Message-ID"] = "Tue, 01 Jul 2025 10:00:00 +0000", "<m1@example.com>"
    msg.set_content("Attached: the extraction results.")
    for n in range(count):
        msg.add_attachment(
            f"prompt,completion\nq{n},a\n".encode(), maintype="text", subtype="csv", filename=f"r{n}.csv"
        )
    return bytes(msg)


@pytest.fixture
def family_case(imported, tmp_path, cli):
    """16 log rows plus one email with two attachments (a family of three)."""
    eml = tmp_path / "dataset.eml"
    eml.write_bytes(_email_with_attachments(2))
    code, _out, err = cli("import", imported, eml, "--quiet", "--operator", "tester")
    assert code == 0, err
    return imported


def _ids(case, kind=None):
    sql = "SELECT id FROM items" + (" WHERE kind = ?" if kind else "") + " ORDER BY id"
    return [r[0] for r in case.conn.execute(sql, (kind,) if kind else ())]


def test_batches_keep_each_family_whole_and_complete_it(family_case):
    with CaseFile.open(family_case, operator="alice") as case:
        email = _ids(case, "email")[0]
        attachments = _ids(case, "attachment")
        logs = _ids(case, "log_entry")
        # Given only one attachment, between log rows: its email and sibling come with it.
        given = [logs[0], logs[1], attachments[1], logs[2], logs[3]]
        made = review_batches.make_batches(case, given, "First pass", size=3, reviewer="bob")
        contents = [review_batches.batch_item_ids(case.conn, b) for b in made]
        listed = review_batches.batches(case.conn)
    assert contents == [[logs[0], logs[1]], [email, *attachments], [logs[2], logs[3]]]
    assert [b["name"] for b in listed] == ["First pass 1", "First pass 2", "First pass 3"]
    assert {b["reviewer"] for b in listed} == {"bob"} and {b["who"] for b in listed} == {"alice"}
    assert [(b["reviewed"], b["total"]) for b in listed] == [(0, 2), (0, 3), (0, 2)]


def test_a_family_larger_than_the_size_is_a_batch_of_its_own():
    assert review_batches.split_families([[1], [2, 3, 4, 5], [6]], 2) == [[1], [2, 3, 4, 5], [6]]
    assert review_batches.split_families([[1], [2], [3]], 2) == [[1, 2], [3]]


def test_reviewed_status_records_who_and_when_and_is_audited(family_case):
    with CaseFile.open(family_case, operator="alice") as case:
        logs = _ids(case, "log_entry")
        (batch_id,) = review_batches.make_batches(case, logs[:4], "Hot docs")
        assert review_batches.set_reviewed(case, batch_id, logs[:2]) == logs[:2]
        assert review_batches.set_reviewed(case, batch_id, logs[:3]) == [logs[2]]  # only what changed
        status = review_batches.review_status(case.conn, batch_id, logs[0])
        assert status["reviewed_by"] == "alice" and status["reviewed_utc"].endswith("Z")
        assert review_batches.batch(case.conn, batch_id)["reviewed"] == 3
        assert review_batches.set_reviewed(case, batch_id, [logs[0]], reviewed=False) == [logs[0]]
        assert review_batches.review_status(case.conn, batch_id, logs[0]) == {"reviewed_by": None, "reviewed_utc": None}
        entries = [e for e in audit.entries(case.conn) if e["action"].startswith("batch.")]
    actions = [(e["action"], e["actor"]) for e in entries]
    assert actions == [("batch.create", "alice")] + [("batch.review", "alice")] * 3
    assert json.loads(entries[-1]["details"]) == {
        "batch_id": batch_id,
        "item_ids": [logs[0]],
        "reviewed": False,
        "at": None,
    }


def test_plain_word_errors(family_case):
    with CaseFile.open(family_case) as case:
        with pytest.raises(CaseFileError, match="needs a name"):
            review_batches.make_batches(case, [1], "  ")
        with pytest.raises(CaseFileError, match="no item 999"):
            review_batches.make_batches(case, [999], "x")
        with pytest.raises(CaseFileError, match="no review batch 7"):
            review_batches.set_reviewed(case, 7, [1])


def _tamper(path, sql):
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()


def _problems(path) -> list[str]:
    with CaseFile.open(path) as case:
        return [str(p) for p in run_to_end(verify_case(case, record=False)).problems]


@pytest.mark.parametrize(
    ("forgery", "expected"),
    [
        (
            "UPDATE review_batch_items SET reviewed_by = 'mallory', reviewed_utc = '2026-01-01T00:00:00Z'"
            " WHERE position = 3",
            "review_batch_items batch 1 item {item}: its reviewed status (who or when) changed",
        ),
        ("UPDATE review_batch_items SET reviewed_by = NULL, reviewed_utc = NULL WHERE position = 0", "batch 1 item"),
        ("UPDATE review_batches SET reviewer = 'someone else'", "review_batches 1: changed outside the application"),
        ("INSERT INTO review_batch_items VALUES (1, 16, 9, NULL, NULL)", "review_batch_items batch 1 item 16: not"),
        ("INSERT INTO review_batches VALUES (5, 'forged', NULL, 'x', 'now')", "review_batches 5: not recorded"),
    ],
)
def test_verify_names_a_batch_forged_outside_the_application(imported, forgery, expected):
    with CaseFile.open(imported, operator="alice") as case:
        logs = _ids(case, "log_entry")
        (batch_id,) = review_batches.make_batches(case, logs[:4], "Hot docs", reviewer="bob")
        review_batches.set_reviewed(case, batch_id, logs[:2])
        review_batches.update_batch(case, batch_id, reviewer="carol")
    assert _problems(imported) == []
    _tamper(imported, forgery)
    found = _problems(imported)
    assert any(expected.format(item=logs[3]) in p for p in found), found


def test_deleted_batches_verify_clean(imported):
    with CaseFile.open(imported, operator="alice") as case:
        first, second = review_batches.make_batches(case, _ids(case)[:4], "Pass", size=2)
        review_batches.set_reviewed(case, first, _ids(case)[:1])
        review_batches.delete_batch(case, first)
        assert [b["id"] for b in review_batches.batches(case.conn)] == [second]
    assert _problems(imported) == []


def test_cli_makes_and_lists_batches(imported, cli):
    code, out, err = cli("batches", imported, "--make", "Week 1", "--size", "5", "--reviewer", "bob")
    assert code == 0, err
    assert "Made 4 batches." in out and "Week 1 1" in out and "0 of 5 reviewed" in out
    code, out, _ = cli("batches", imported, "--json")
    listed = json.loads(out)
    assert [b["total"] for b in listed] == [5, 5, 5, 1] and {b["reviewer"] for b in listed} == {"bob"}
    code, out, _ = cli("batches", imported, "--make", "Sample", "--search", "Filler", "--json")
    made = json.loads(out)
    assert len(made["made"]) == 1 and made["batches"][-1]["total"] == 10


def test_production_items_follow_the_productions_and_verify_checks_them(imported, tmp_path, cli):
    code, _out, err = cli(
        "export", imported, tmp_path / "b.pdf", "--item", "3", "--item", "4", "--quiet", "--operator", "tester"
    )
    assert code == 0, err
    with CaseFile.open(imported) as case:
        produced = case.conn.execute("SELECT item_id, bates_first FROM production_items ORDER BY item_id").fetchall()
        exhibits = case.conn.execute("SELECT item_ids, bates_first FROM production_exhibits").fetchall()
    expected = sorted((i, first) for ids, first in exhibits for i in json.loads(ids))
    assert produced == expected and [p[0] for p in produced] == [3, 4]
    assert _problems(imported) == []
    _tamper(imported, "UPDATE production_items SET bates_first = bates_first + 100 WHERE item_id = 4")
    assert any("production_items item 4 production 1" in p for p in _problems(imported))


def test_usage_kept_for_sorting_is_audited_and_checked_by_verify(imported):
    from app.store.item_pages import make_sort_index
    from app.store.item_usage import index_usage, needs_indexing

    with CaseFile.open(imported, operator="alice") as case:
        assert needs_indexing(case.conn)
        assert run_to_end(index_usage(case)) == 16
        assert not needs_indexing(case.conn) and run_to_end(index_usage(case)) == 0
        run_to_end(make_sort_index(case, "ip"))  # an index made for a sort is no discrepancy
    assert _problems(imported) == []
    _tamper(imported, "UPDATE item_usage SET tokens = 999999 WHERE item_id = 3")
    assert any("item_usage items 1-16" in p for p in _problems(imported))

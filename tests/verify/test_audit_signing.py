"""Forging the audit log: entries are signed, the chain head is kept outside the case.

The forger here has the case file and a SQLite tool, and knows the published hash rule
(`app.store.audit.entry_hash`); they do not have the operator's private key.
"""

import json
import os
import sqlite3
import stat

import pytest

from app.core.hashing import canonical_json
from app.core.signing_keys import keys_dir, operator_key
from app.store import annotations, audit
from app.store.case_file import CaseFile
from case_helpers import older_case


def verify_json(cli, path, *extra) -> tuple[int, dict]:
    code, out, _ = cli("verify", path, "--json", *extra)
    return code, json.loads(out)


def problems(report: dict) -> list[tuple]:
    return [(p["table"], p["id"]) for p in report["problems"]]


def append_forged_entry(conn, action: str, details: dict, **signed) -> int:
    """An entry appended with the published hash rule, as a forger with a SQLite tool would."""
    seq, prev, actor, host = conn.execute(
        "SELECT seq, hash, actor, host FROM audit ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    details_json = canonical_json(details)
    ts = "2026-05-01T09:00:00.000000Z"
    digest = audit.entry_hash(prev, seq + 1, ts, actor, host, action, details_json, **signed)
    conn.execute(
        "INSERT INTO audit(seq, ts_utc, actor, host, action, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
        (seq + 1, ts, actor, host, action, details_json, prev, digest),
    )
    return seq + 1


@pytest.fixture
def privileged(imported):
    """The imported case with item 2 tagged privileged, through the application."""
    with CaseFile.open(imported, operator="tester") as case:
        annotations.tag_items(case, [2], "PRIV-AC")
        annotations.tag_items(case, [3], "HOT")
    return imported


def test_a_removed_privilege_tag_with_a_rehashed_untag_entry_is_caught(privileged, cli):
    conn = sqlite3.connect(privileged)
    conn.execute("DELETE FROM tags WHERE item_id = 2 AND code = 'PRIV-AC'")
    seq = append_forged_entry(conn, "untag", {"code": "PRIV-AC", "item_ids": [2]})
    conn.commit()
    conn.close()
    code, report = verify_json(cli, privileged)
    assert code == 1 and ("audit", seq) in problems(report)
    assert "is not signed" in report["problems"][0]["problem"]


def test_the_last_entry_cut_with_its_change_is_caught(privileged, cli):
    conn = sqlite3.connect(privileged)
    last = conn.execute("SELECT max(seq) FROM audit").fetchone()[0]
    conn.execute("DELETE FROM tags WHERE item_id = 3 AND code = 'HOT'")
    conn.execute("DELETE FROM audit WHERE seq = ?", (last,))
    conn.commit()
    conn.close()
    code, out, _ = cli("verify", privileged)
    assert code == 1
    assert f"audit {last}: missing: this computer recorded entry {last} of this case" in out
    assert "or this is an older copy" in out
    code, out, _ = cli("verify", privileged)  # the first verification's own entry does not paper over it
    assert code == 1 and f"audit {last}: is not the entry {last} this computer recorded" in out


def test_a_forgery_signed_with_another_key_is_caught(privileged, cli, tmp_path):
    forger = operator_key("tester", tmp_path / "forger-keys")  # same operator name, the forger's own key
    conn = sqlite3.connect(privileged)
    case_id = conn.execute("SELECT value FROM meta WHERE key = 'case_id'").fetchone()[0]
    real_key = conn.execute("SELECT key_id FROM operator_keys WHERE operator = 'tester'").fetchone()[0]
    conn.execute("DELETE FROM tags WHERE item_id = 2 AND code = 'PRIV-AC'")
    seq = append_forged_entry(conn, "untag", {"code": "PRIV-AC", "item_ids": [2]}, key_id=real_key)
    digest = conn.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()[0]
    conn.execute(
        "UPDATE audit SET key_id = ?, signature = ? WHERE seq = ?",
        (real_key, forger.sign(audit.entry_message(case_id, digest)), seq),
    )
    conn.commit()
    code, report = verify_json(cli, privileged)
    assert code == 1 and "its signature does not match the key of tester" in report["problems"][0]["problem"]

    # Signed under its own name, the forger's key slipped into the key table behind the log's back.
    conn.execute("DELETE FROM audit WHERE seq >= ?", (seq,))
    seq = append_forged_entry(conn, "untag", {"code": "PRIV-AC", "item_ids": [2]}, key_id=forger.key_id)
    digest = conn.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()[0]
    conn.execute(
        "UPDATE audit SET key_id = ?, signature = ? WHERE seq = ?",
        (forger.key_id, forger.sign(audit.entry_message(case_id, digest)), seq),
    )
    conn.execute(
        "INSERT INTO operator_keys VALUES (?, ?, 'tester', 'vm', 1, '2026-01-01T00:00:00Z')",
        (forger.key_id, forger.public_key),
    )
    conn.commit()
    conn.close()
    code, report = verify_json(cli, privileged)
    assert code == 1
    assert {("audit", seq), ("operator_keys", forger.key_id)} <= set(problems(report))
    assert any("which no earlier entry registered" in p["problem"] for p in report["problems"])


def test_a_key_registered_by_a_forged_entry_is_named_as_written_elsewhere(privileged, cli, tmp_path):
    """The limit, said plainly: anyone can make a key and register it with a well-formed entry.
    Verify cannot refuse it (a colleague on another computer does the same) but names it."""
    forger = operator_key("mallory", tmp_path / "forger-keys")
    conn = sqlite3.connect(privileged)
    case_id = conn.execute("SELECT value FROM meta WHERE key = 'case_id'").fetchone()[0]
    conn.execute("DELETE FROM tags WHERE item_id = 2 AND code = 'PRIV-AC'")
    seq = append_forged_entry(
        conn, "untag", {"code": "PRIV-AC", "item_ids": [2]}, key_id=forger.key_id, public_key=forger.public_key
    )
    digest = conn.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()[0]
    conn.execute(
        "UPDATE audit SET key_id = ?, public_key = ?, signature = ? WHERE seq = ?",
        (forger.key_id, forger.public_key, forger.sign(audit.entry_message(case_id, digest)), seq),
    )
    conn.execute(
        "INSERT INTO operator_keys VALUES (?, ?, 'tester', 'vm', ?, '2026-05-01T09:00:00.000000Z')",
        (forger.key_id, forger.public_key, seq),
    )
    conn.commit()
    conn.close()
    code, report = verify_json(cli, privileged)
    notes = " ".join(report["notes"])
    assert f"key {forger.key_id}, registered at entry {seq}" in notes
    assert f"Entries {seq}-{seq} were written after it, elsewhere as far as this computer knows" in notes


def test_keys_live_outside_the_case_readable_by_their_owner_only(case_path):
    key_files = list(keys_dir().glob("*.pem"))
    assert len(key_files) == 1 and key_files[0].name.startswith("tester-")
    assert stat.S_IMODE(os.stat(key_files[0]).st_mode) == 0o600
    assert str(keys_dir()).startswith(os.environ["CASEFILE_KEYS_DIR"])  # the test's folder, never the user's
    with CaseFile.open(case_path, operator="tester") as case:
        ((key_id, public_key),) = case.conn.execute("SELECT key_id, public_key FROM operator_keys").fetchall()
        assert (key_id, public_key) == (case.signer().key_id, case.signer().public_key)
        first = next(audit.entries(case.conn))
    assert first["action"] == "case.create" and first["public_key"] == public_key and first["signature"]
    assert b"PRIVATE KEY" not in case_path.read_bytes()


def test_an_untouched_case_verifies_with_every_entry_signed(privileged, cli):
    code, out, _ = cli("verify", privileged)
    assert code == 0 and out.startswith("Verified: the case is intact")
    assert "Note: Every entry is signed, by: tester on " in out
    assert "Note: The newest entry this computer recorded for this case" in out


def test_another_computer_without_a_key_folder_is_told_what_cannot_be_seen(privileged, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("CASEFILE_KEYS_DIR", str(tmp_path / "another-computer" / "keys"))
    code, out, _ = cli("verify", privileged)
    assert code == 0
    assert "This computer has no Casefile key folder" in out
    assert "Entries removed from the end of the log cannot be seen here" in out


def _version_8_case(path) -> None:
    """A case as Casefile wrote it before entries were signed (schema m008): three unsigned entries."""
    conn = older_case(path, "m009_signed_audit", 8)
    prev = audit.GENESIS
    for seq, action in enumerate(["case.create", "verify", "verify"], start=1):
        ts, details = f"2026-03-0{seq}T10:00:00.000000Z", canonical_json({"name": "old"} if seq == 1 else {})
        digest = audit.entry_hash(prev, seq, ts, "paralegal", "office-pc", action, details)
        conn.execute(
            "INSERT INTO audit(seq, ts_utc, actor, host, action, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
            (seq, ts, "paralegal", "office-pc", action, details, prev, digest),
        )
        prev = digest
    conn.close()


def test_a_case_made_before_signing_verifies_and_says_its_entries_are_unsigned(tmp_path, cli):
    path = tmp_path / "old.casefile"
    _version_8_case(path)
    code, out, _ = cli("verify", path)
    assert code == 0, out
    assert "Note: Entries 1-3 were made before signing was introduced; their order is proved, not their author." in out
    code, out, _ = cli("verify", path)  # the first verification's entry is the first signed one
    assert code == 0, out
    assert "Entries 1-3 were made before signing was introduced" in out
    assert "Every entry from entry 4 on is signed" in out


def test_a_changed_case_id_breaks_every_signature(privileged, cli):
    """The case id names the case in the record outside it; changing it to dodge that record shows."""
    conn = sqlite3.connect(privileged)
    conn.execute("UPDATE meta SET value = 'another-case' WHERE key = 'case_id'")
    conn.commit()
    conn.close()
    code, report = verify_json(cli, privileged)
    assert code == 1
    assert [p["id"] for p in report["problems"] if "signature does not match" in p["problem"]] == [1, 2, 3, 4]


def test_a_child_process_signs_with_the_tests_key_folder_too(casefile_proc, tmp_path):
    done = casefile_proc("new", tmp_path / "child.casefile", "--name", "Child", "--operator", "child-operator")
    assert done.returncode == 0, done.stderr
    assert [p.name.split("-")[0] for p in keys_dir().glob("*.pem")] == ["child"]


def test_a_damaged_key_is_named_in_plain_words_and_nothing_is_written(case_path):
    from app.store import taxonomy_edit
    from app.store.errors import CaseFileError

    (key_file,) = keys_dir().glob("tester-*.pem")
    key_file.write_text("not a key")
    with CaseFile.open(case_path, operator="tester") as case:
        before = audit.head(case.conn)
        with pytest.raises(CaseFileError, match="is damaged .*remove it and Casefile makes a new key"):
            taxonomy_edit.rename_category(case, "HOT", "Key document")
        assert audit.head(case.conn) == before
        assert [c.name for c in case.taxonomy() if c.code == "HOT"] == ["Hot document"]  # all or nothing

"""Mailboxes, folders, detection, duplicates across custodians and threads, through the
real CLI and pipeline into real case files."""

import json
import random

from email_builders import all_items, import_paths, mbox_of, simple_message


def _messages(count: int) -> list[bytes]:
    return [
        simple_message(
            subject=f"Batch {i}",
            sender=f"user{i % 7}@example.com",
            date=f"Tue, 01 Jul 2025 {i // 60 % 24:02d}:{i % 60:02d}:00 +0000",
            body=f"Message number {i}.\nFrom the desk of user {i % 7}.\n>From quoted {i}",
            message_id=f"<m{i}@example.com>",
            attachments=[("n.txt", "text/plain", f"note {i}".encode())] if i % 10 == 0 else (),
        )
        for i in range(count)
    ]


def test_mbox_of_1000_messages_reconciles_and_locates_each_message(tmp_path, case_path):
    data = mbox_of(_messages(1000))
    path = tmp_path / "big.mbox"
    path.write_bytes(data)
    report = import_paths(case_path, [path])
    file_report = report.files[0]
    assert (file_report.read, file_report.imported, file_report.quarantined) == (1000, 1000, 0)
    assert file_report.reconciles and file_report.items_created == 1100
    items = all_items(case_path)
    emails = [i for i in items if i["kind"] == "email"]
    by_number = {e["locator"]["message"]: e for e in emails}
    message = by_number[500]
    assert message["title"] == "Batch 499"
    offset, line = message["locator"]["byte_offset"], message["locator"]["line"]
    assert data[offset : offset + 5] == b"From "
    assert data[:offset].count(b"\n") + 1 == line
    attachments = [i for i in items if i["kind"] == "attachment"]
    assert {a["parent_id"] for a in attachments} == {e["id"] for e in emails if e["title"].endswith("0")}


def test_both_from_quoting_variants_restore_the_body(tmp_path, case_path):
    raw = simple_message(subject="quoting", body="From the start\n>From quoted once\nend")
    (tmp_path / "rd.mbox").write_bytes(mbox_of([raw], quote="mboxrd"))
    (tmp_path / "o.mbox").write_bytes(mbox_of([raw], quote="mboxo"))
    import_paths(case_path, [tmp_path / "rd.mbox"], custodian="rd")
    import_paths(case_path, [tmp_path / "o.mbox"], custodian="o")
    (rd_email,) = all_items(case_path)
    assert rd_email["text"] == "From the start\n>From quoted once\nend\n"
    assert [d["custodian"] for d in rd_email["duplicates"]] == ["o"]  # mboxo copy reads the same


def test_unquoted_from_in_a_body_does_not_split_the_message(tmp_path, case_path):
    raw = simple_message(subject="careless writer", body="Paragraph one.\n\nFrom the start, we said no.")
    data = b"From a@example.com Tue Jul  1 10:00:00 2025\n" + raw + b"\n"  # nothing quoted
    data += b"From b@example.com Tue Jul  1 11:00:00 2025\n" + simple_message(subject="second") + b"\n"
    (tmp_path / "careless.mbox").write_bytes(data)
    report = import_paths(case_path, [tmp_path / "careless.mbox"])
    assert (report.files[0].imported, report.files[0].quarantined) == (2, 0)
    first, _second = all_items(case_path)
    assert first["text"].endswith("From the start, we said no.\n")


def test_cr_only_mbox(tmp_path, case_path):
    data = mbox_of([simple_message(subject=f"cr {i}") for i in range(3)]).replace(b"\n", b"\r")
    (tmp_path / "cr.mbox").write_bytes(data)
    report = import_paths(case_path, [tmp_path / "cr.mbox"])
    assert report.files[0].imported == 3
    assert [i["title"] for i in all_items(case_path)] == ["cr 0", "cr 1", "cr 2"]


def test_reimport_adds_nothing_and_second_custodian_is_a_linked_duplicate(tmp_path, case_path, cli):
    messages = _messages(5)
    (tmp_path / "alice.mbox").write_bytes(mbox_of(messages))
    (tmp_path / "bob-copy.eml").write_bytes(messages[3])
    code, out, _ = cli("import", case_path, tmp_path / "alice.mbox", "--custodian", "alice", "--quiet")
    assert code == 0 and "imported 5" in out
    code, out, _ = cli("import", case_path, tmp_path / "alice.mbox", "--custodian", "alice", "--quiet")
    assert code == 0 and "already imported as source 1" in out
    code, out, _ = cli("import", case_path, tmp_path / "bob-copy.eml", "--custodian", "bob", "--quiet")
    assert code == 0 and "imported 0, duplicates 1" in out
    items = all_items(case_path)
    assert len([i for i in items if i["kind"] == "email"]) == 5
    first = next(i for i in items if i["title"] == "Batch 3")
    assert first["custodian"] == "alice"
    assert [(d["custodian"], d["source_id"]) for d in first["duplicates"]] == [("bob", 2)]
    code, out, _ = cli("verify", case_path, "--quiet")
    assert code == 0 and "intact" in out


def test_unreadable_message_in_an_mbox_is_quarantined_and_counts_reconcile(tmp_path, case_path, cli):
    good = mbox_of([simple_message(subject="good one"), simple_message(subject="good two")])
    garbage = b"From nobody Tue Jul  1 10:00:00 2025\n\x00\x01 binary junk, no header\n\n"
    data = b"stray text before the first message\n" + good + garbage
    (tmp_path / "mixed.mbox").write_bytes(data)
    code, out, _ = cli("import", case_path, tmp_path / "mixed.mbox", "--as", "mbox", "--quiet")
    assert code == 0
    assert "read 4, imported 2, duplicates 0, quarantined 2" in out
    code, out, _ = cli("quarantine", case_path, "--json")
    reasons = sorted(r["reason"] for r in json.loads(out))
    assert reasons == [
        "not an e-mail message: no e-mail header could be read",
        "text before the first message of the mailbox",
    ]


def test_same_message_as_eml_and_in_mbox_has_the_same_integrity_hash(tmp_path, case_path):
    raw = simple_message(subject="same bytes", body="From here on\nbody")
    (tmp_path / "one.eml").write_bytes(raw)
    (tmp_path / "box.mbox").write_bytes(mbox_of([raw]))
    import_paths(case_path, [tmp_path / "one.eml"])
    import_paths(case_path, [tmp_path / "box.mbox"], custodian="other")
    (email,) = all_items(case_path)
    import hashlib

    assert email["fields"]["integrity_sha256"] == hashlib.sha256(raw).hexdigest()
    assert len(email["duplicates"]) == 1


def test_thread_of_five_replies_imported_out_of_order_lists_in_order(tmp_path, case_path, cli):
    chain, messages = [], []
    for i in range(6):
        own = f"<t{i}@Example.com>"
        messages.append(
            simple_message(
                subject="Re: pricing" if i else "pricing",
                date=f"Wed, 02 Jul 2025 1{i}:00:00 +0200",
                message_id=own,
                in_reply_to=chain[-1] if chain else None,
                references=" ".join(chain) or None,
            )
        )
        chain.append(own)
    messages.append(simple_message(subject="pricing", body="unrelated, no ids"))
    random.Random(4).shuffle(messages)
    (tmp_path / "a.mbox").write_bytes(mbox_of(messages[:4]))
    (tmp_path / "b.mbox").write_bytes(mbox_of(messages[4:]))
    import_paths(case_path, [tmp_path / "b.mbox", tmp_path / "a.mbox"])
    code, out, _ = cli("items", case_path, "--thread", "t0@example.com", "--json")
    listed = json.loads(out)
    assert code == 0 and len(listed) == 6
    assert [r["ts_utc"][11:13] for r in listed] == ["08", "09", "10", "11", "12", "13"]
    assert [r["title"] for r in listed] == ["pricing"] + ["Re: pricing"] * 5
    loner = next(i for i in all_items(case_path) if i["text"].startswith("unrelated"))
    assert loner["thread_id"] is None
    code, out, _ = cli("items", case_path, "--thread", "<t0@Example.com>", "--json")  # as written in a header
    assert code == 0 and json.loads(out) == listed


def test_folder_import_keeps_the_folder_and_detects_each_format(tmp_path, case_path, cli):
    root = tmp_path / "export"
    (root / "alice" / "inbox").mkdir(parents=True)
    (root / "bob").mkdir()
    (root / "alice" / "inbox" / "one.eml").write_bytes(simple_message(subject="eml in folder"))
    (root / "bob" / "mail.txt").write_bytes(mbox_of([simple_message(subject="mbox in folder")]))
    code, out, err = cli("import", case_path, root, "--quiet")
    assert code == 0, err
    folders = {i["title"]: i["fields"]["folder"] for i in all_items(case_path)}
    assert folders == {"eml in folder": "export/alice/inbox", "mbox in folder": "export/bob"}


def test_as_email_forces_the_family(tmp_path, case_path, cli):
    path = tmp_path / "evidence.dat"
    path.write_bytes(simple_message(subject="forced"))
    code, out, _ = cli("import", case_path, path, "--as", "email", "--quiet")
    assert code == 0 and "imported 1" in out
    assert all_items(case_path)[0]["title"] == "forced"


def test_gzipped_mbox_is_detected_and_streamed(tmp_path, case_path):
    import gzip

    (tmp_path / "archive.mbox.gz").write_bytes(gzip.compress(mbox_of(_messages(20))))
    report = import_paths(case_path, [tmp_path / "archive.mbox.gz"])
    assert report.files[0].importer == "mbox" and report.files[0].imported == 20

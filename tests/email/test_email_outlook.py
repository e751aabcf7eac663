"""Outlook .msg files, built by the test (email_builders.build_msg), through the real
pipeline: fields, attachments by value, an embedded .msg as a child email."""

from datetime import datetime, timezone

from email_builders import all_items, build_msg, import_paths, payload, simple_message

SENT = datetime(2025, 7, 1, 10, 0, tzinfo=timezone.utc)


def _msg_fields(**extra):
    fields = {
        "subject": "Quarterly 数据 export",
        "body": "Body text of the Outlook message.",
        "sender_name": "Alice",
        "sender_email": "alice@example.com",
        "date": SENT,
        "recipients": [
            ("Bob", "bob@example.com", 1),
            ("Carol", "carol@example.com", 2),
            ("Hidden", "hidden@example.com", 3),
        ],
        "attachments": [
            {"name": "../../etc/passwd", "data": b"root:x:0:0", "mime": "text/plain"},
            {
                "message": {
                    "subject": "Inner forwarded",
                    "body": "inner body",
                    "sender_name": "Dan",
                    "sender_email": "dan@example.com",
                    "recipients": [("Alice", "alice@example.com", 1)],
                    "attachments": [{"name": "deep.txt", "data": b"deep text", "mime": "text/plain"}],
                }
            },
        ],
    }
    fields.update(extra)
    return fields


def test_msg_file_becomes_an_email_with_attachment_and_embedded_message(tmp_path, case_path, cli):
    path = tmp_path / "outlook.msg"
    data = build_msg(_msg_fields())
    path.write_bytes(data)
    code, out, err = cli("import", case_path, path, "--quiet", "--custodian", "alice")
    assert code == 0, err
    assert "read 1, imported 1" in out
    email, hostile, inner, deep = all_items(case_path)
    assert email["kind"] == "email" and email["title"] == "Quarterly 数据 export"
    assert email["text"] == "Body text of the Outlook message."
    assert email["account"] == "alice@example.com"
    assert email["ts_utc"] == "2025-07-01T10:00:00.000000Z"
    assert email["ts_note"] == "the Outlook sent-time property (no Date header)"
    fields = email["fields"]
    assert fields["to"] == ["Bob <bob@example.com>"] and fields["cc"] == ["Carol <carol@example.com>"]
    assert fields["bcc"] == ["Hidden <hidden@example.com>"]
    assert fields["attachment_names"] == ["../../etc/passwd", "Inner forwarded"]
    assert fields["attachment_count"] == 2
    import hashlib

    assert fields["integrity_sha256"] == hashlib.sha256(data).hexdigest()
    assert hostile["parent_id"] == email["id"] and hostile["title"] == "../../etc/passwd"
    assert payload(case_path, hostile["id"]) == b"root:x:0:0"
    assert hostile["fields"]["md5"] == hashlib.md5(b"root:x:0:0").hexdigest()
    assert inner["kind"] == "email" and inner["parent_id"] == email["id"] and inner["title"] == "Inner forwarded"
    assert inner["account"] == "dan@example.com" and inner["locator"] == {"attachment": "2"}
    assert deep["parent_id"] == inner["id"] and deep["text"] == "deep text"
    assert deep["locator"] == {"attachment": "2.1"}


def test_msg_with_transport_headers_is_threaded_with_its_received_date(tmp_path, case_path):
    headers = (
        "Received: from mx by mx; Tue, 1 Jul 2025 10:00:03 +0000\r\n"
        "From: Alice <alice@example.com>\r\nTo: Bob <bob@example.com>\r\n"
        "Subject: Quarterly\r\nDate: Tue, 01 Jul 2025 10:00:00 +0000\r\n"
        "Message-ID: <reply@example.com>\r\nIn-Reply-To: <root@example.com>\r\n"
        "References: <root@example.com>\r\n\r\n"
    )
    (tmp_path / "h.msg").write_bytes(
        build_msg(
            _msg_fields(
                subject="Quarterly", headers=headers, recipients=[("Bob", "bob@example.com", 1)], attachments=[]
            )
        )
    )
    import_paths(case_path, [tmp_path / "h.msg"], custodian="alice")
    (email,) = all_items(case_path)
    assert email["thread_id"] == "root@example.com"
    assert email["fields"]["message_id"] == "reply@example.com"
    assert email["fields"]["date_received"] == "Tue, 1 Jul 2025 10:00:03 +0000"
    assert email["fields"]["headers_raw"].startswith("Received:")


def test_corrupt_msg_is_quarantined(tmp_path, case_path, cli):
    data = build_msg(_msg_fields())
    path = tmp_path / "broken.msg"
    path.write_bytes(data[:1536] + b"\xff" * 512)
    code, out, err = cli("import", case_path, path, "--quiet")
    assert code == 0, err
    assert "quarantined 1" in out
    code, out, _ = cli("quarantine", case_path)
    assert "broken.msg" in out and "Outlook message" in out


def test_msg_attached_to_an_eml_becomes_a_child_email(tmp_path, case_path):
    attached = build_msg(_msg_fields(subject="Outlook original", attachments=[]))
    raw = simple_message(
        subject="FW: see the .msg", attachments=[("original.msg", "application/vnd.ms-outlook", attached)]
    )
    (tmp_path / "fw.eml").write_bytes(raw)
    import_paths(case_path, [tmp_path / "fw.eml"])
    email, child = all_items(case_path)
    assert child["kind"] == "email" and child["parent_id"] == email["id"] and child["title"] == "Outlook original"
    assert child["account"] == "alice@example.com" and child["locator"] == {"mime_part": "2"}
    assert payload(case_path, child["id"]) == attached
    assert email["fields"]["attachment_names"] == ["Outlook original"]

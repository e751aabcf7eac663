"""Internet mail (.eml) through the real pipeline into a real case file: MIME structure,
charsets, dates, broken input and hostile attachment names."""

import io
import sqlite3

from email_builders import all_items, import_paths, payload, simple_message
from reportlab.pdfgen import canvas


def _import_eml(tmp_path, case_path, raw: bytes, name="message.eml", **settings):
    path = tmp_path / name
    path.write_bytes(raw)
    report = import_paths(case_path, [path], **settings)
    assert report.files[0].reconciles
    return report, all_items(case_path)


def _pdf_bytes(text: str) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


ALTERNATIVE = b"""From: =?utf-8?b?5byg5LiJ?= <zhang@example.cn>
To: Bob <bob@example.com>, "Smith, Carol" <carol@example.com>
Cc: dave@example.com
Subject: =?UTF-8?B?5YWz5LqO5qih5Z6L6JK46aaP55qE5oql5ZGK?=
Date: Wed, 02 Jul 2025 09:30:00 +0800
Message-ID: <Root.1@Example.CN>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="ALT"

--ALT
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

6K+35p+l5pS25oql5ZGK44CC
--ALT
Content-Type: text/html; charset=utf-8

<html><body><p>HTML version</p></body></html>
--ALT--
"""


def test_alternative_prefers_plain_text_and_decodes_chinese_subject(tmp_path, case_path):
    _report, items = _import_eml(tmp_path, case_path, ALTERNATIVE)
    (email,) = items
    assert email["kind"] == "email"
    assert email["title"] == "关于模型蒸馏的报告"
    assert email["text"] == "请查收报告。"
    assert email["account"] == "zhang@example.cn"
    fields = email["fields"]
    assert fields["from"] == "张三 <zhang@example.cn>"
    assert fields["to"] == ["Bob <bob@example.com>", "Smith, Carol <carol@example.com>"]
    assert fields["cc"] == ["dave@example.com"]
    assert fields["body_html_present"] is True and fields["attachment_count"] == 0
    assert fields["message_id"] == "root.1@example.cn" and email["thread_id"] == "root.1@example.cn"
    assert email["ts_utc"] == "2025-07-02T01:30:00.000000Z"
    assert email["ts_original"] == "Wed, 02 Jul 2025 09:30:00 +0800"
    assert fields["integrity_sha256"] and fields["dedup_hash"]


def test_html_only_body_is_readable_text_without_scripts(tmp_path, case_path):
    raw = (
        b"From: a@example.com\nTo: b@example.com\nSubject: html\nDate: Tue, 01 Jul 2025 10:00:00 +0000\n"
        b"Content-Type: text/html; charset=iso-8859-1\n\n"
        b"<html><head><style>p {color: red}</style><script>document.write('run')</script></head>"
        b"<body><p>Caf\xe9 &amp; tea</p><img src='https://tracker.example/p.gif'><div>Line two</div></body></html>"
    )
    _report, (email,) = _import_eml(tmp_path, case_path, raw)
    assert [line for line in email["text"].split("\n") if line] == ["Café & tea", "Line two"]
    assert "run" not in email["text"] and "color" not in email["text"]


def test_mixed_with_pdf_and_text_attachments_as_children(tmp_path, case_path):
    pdf = _pdf_bytes("Harvested completions ledger")
    raw = simple_message(
        body="See attached.",
        attachments=[
            ("ledger.pdf", "application/pdf", pdf),
            ("notes.txt", "text/plain", b"prompt dump 42"),
            ("../../etc/passwd", "application/octet-stream", b"root:x:0:0:root:/root:/bin/bash\n"),
        ],
    )
    report, items = _import_eml(tmp_path, case_path, raw)
    email, ledger, notes, hostile = items
    assert report.files[0].items_created == 4 and report.files[0].imported == 1
    assert [c["parent_id"] for c in (ledger, notes, hostile)] == [email["id"]] * 3
    assert email["children"] == [ledger["id"], notes["id"], hostile["id"]]
    assert email["fields"]["attachment_names"] == ["ledger.pdf", "notes.txt", "../../etc/passwd"]
    assert "Harvested completions ledger" in ledger["text"]
    assert notes["text"] == "prompt dump 42" and notes["locator"] == {"mime_part": "3"}
    assert ledger["fields"]["mime_type"] == "application/pdf" and ledger["fields"]["size"] == len(pdf)
    assert payload(case_path, ledger["id"]) == pdf
    assert hostile["title"] == "../../etc/passwd" and hostile["fields"]["filename"] == "../../etc/passwd"
    assert payload(case_path, hostile["id"]) == b"root:x:0:0:root:/root:/bin/bash\n"
    assert not (tmp_path / "etc").exists()
    assert ledger["ts_utc"] == email["ts_utc"]  # listed beside their message


def test_nested_message_becomes_child_email_with_its_own_attachment(tmp_path, case_path):
    inner = simple_message(
        subject="Original offer",
        sender="Eve <eve@example.org>",
        date="Mon, 30 Jun 2025 08:00:00 +0000",
        body="Inner body.",
        attachments=[("terms.txt", "text/plain", b"inner terms")],
    )
    outer = (
        b"From: Bob <bob@example.com>\nTo: alice@example.com\nSubject: Fwd: Original offer\n"
        b"Date: Tue, 01 Jul 2025 10:00:00 +0000\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="OUT"\n\n--OUT\nContent-Type: text/plain\n\nForwarding.\n'
        b"--OUT\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n" + inner + b"\n--OUT--\n"
    )
    _report, items = _import_eml(tmp_path, case_path, outer)
    email, child, grandchild = items
    assert email["text"].strip() == "Forwarding."
    assert child["kind"] == "email" and child["parent_id"] == email["id"]
    assert child["title"] == "Original offer" and child["account"] == "eve@example.org"
    assert child["ts_utc"] == "2025-06-30T08:00:00.000000Z" and child["locator"] == {"mime_part": "2"}
    # Only a top-level message is a duplicate candidate: a forwarded copy is evidence in its own right.
    with sqlite3.connect(case_path) as conn:
        keyed = conn.execute("SELECT id FROM items WHERE dedup_hash IS NOT NULL").fetchall()
    assert keyed == [(email["id"],)]
    assert payload(case_path, child["id"]).replace(b"\r\n", b"\n").strip() == inner.strip()
    assert email["fields"]["attachment_names"] == ["Original offer"]
    assert grandchild["kind"] == "attachment" and grandchild["parent_id"] == child["id"]
    assert grandchild["text"] == "inner terms" and grandchild["locator"] == {"mime_part": "2.2"}


def test_eight_bit_body_without_charset_is_detected(tmp_path, case_path):
    russian = (
        "Добрый день! Направляю вам отчёт о запросах к модели за прошлую неделю. "
        "Пожалуйста, проверьте цифры и сообщите, если что-то не сходится."
    )
    raw = (
        b"From: ivan@example.ru\nTo: b@example.com\nSubject: report\nDate: Tue, 01 Jul 2025 10:00:00 +0300\n"
        b"Content-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n" + russian.encode("cp1251") + b"\n"
    )
    _report, (email,) = _import_eml(tmp_path, case_path, raw)
    assert email["text"].strip() == russian
    assert any("declares no charset" in w for w in email["warnings"])


def test_declared_japanese_and_cyrillic_charsets_come_through(tmp_path, case_path):
    japanese = "先週のAPI利用状況について報告いたします。"
    raw = (
        b"From: a@example.jp\nTo: b@example.com\nSubject: =?ISO-2022-JP?B?GyRCSnM5cBsoQg==?=\n"
        b"Date: Tue, 01 Jul 2025 10:00:00 +0900\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n"
        b"--B\nContent-Type: text/plain; charset=ISO-2022-JP\n\n"
        + japanese.encode("iso-2022-jp")
        + b"\n--B\nContent-Type: text/plain; charset=koi8-r\n\n"
        + "Привет".encode("koi8-r")
        + b"\n--B--\n"
    )
    _report, (email,) = _import_eml(tmp_path, case_path, raw)
    assert email["title"] == "報告"
    assert japanese in email["text"] and "Привет" in email["text"]
    assert email["warnings"] == []


def test_missing_date_takes_received_date_with_a_note(tmp_path, case_path):
    raw = (
        b"Received: from mx2.example.com by mx1.example.com; Thu, 3 Jul 2025 12:00:05 +0200 (CEST)\n"
        b"Received: from client by mx2.example.com; Thu, 3 Jul 2025 11:59:00 +0200\n"
        b"From: a@example.com\nTo: b@example.com\nSubject: no date\n\nbody\n"
    )
    _report, (email,) = _import_eml(tmp_path, case_path, raw)
    assert email["ts_utc"] == "2025-07-03T10:00:05.000000Z"
    assert email["ts_note"] == "received date used"
    assert email["fields"]["date"] is None
    assert email["fields"]["date_received"] == "Thu, 3 Jul 2025 12:00:05 +0200 (CEST)"


def test_no_date_at_all_is_undated_with_a_warning(tmp_path, case_path):
    raw = b"From: a@example.com\nTo: b@example.com\nSubject: timeless\nDate: sometime soon\n\nbody\n"
    _report, (email,) = _import_eml(tmp_path, case_path, raw)
    assert email["ts_us"] is None
    assert any("Date header cannot be read" in w for w in email["warnings"])
    assert any("undated" in w for w in email["warnings"])


def test_broken_mime_boundary_is_imported_with_a_warning(tmp_path, case_path):
    raw = (
        b"From: a@example.com\nTo: b@example.com\nSubject: broken\nDate: Tue, 01 Jul 2025 10:00:00 +0000\n"
        b'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="NEVER-USED"\n\n'
        b"--SOMETHING-ELSE\nContent-Type: text/plain\n\nthe body is still here\n"
    )
    report, (email,) = _import_eml(tmp_path, case_path, raw)
    assert report.files[0].imported == 1 and report.files[0].quarantined == 0
    assert "the body is still here" in email["text"]
    assert any("partly malformed" in w and "boundary" in w for w in email["warnings"])


def test_cr_only_line_endings(tmp_path, case_path):
    raw = simple_message(
        subject="Old Mac", body="First line.\nSecond line.", attachments=[("a.txt", "text/plain", b"attached")]
    ).replace(b"\n", b"\r")
    _report, items = _import_eml(tmp_path, case_path, raw)
    email, attachment = items
    assert email["title"] == "Old Mac" and email["account"] == "alice@example.com"
    assert "Second line." in email["text"]
    assert attachment["fields"]["filename"] == "a.txt"


def test_header_of_100_kb(tmp_path, case_path):
    references = " ".join(f"<ref{i}@example.com>" for i in range(5000))
    raw = simple_message(subject="long thread", references=references, message_id="<last@example.com>")
    assert len(raw) > 100_000
    _report, (email,) = _import_eml(tmp_path, case_path, raw)
    assert len(email["fields"]["references"]) == 5000
    assert email["thread_id"] == "ref0@example.com"
    assert len(email["fields"]["headers_raw"]) > 100_000


def test_unreadable_message_is_quarantined_with_the_reason(tmp_path, case_path, cli):
    path = tmp_path / "garbage.eml"
    path.write_bytes(b"\x00\x01\x02 not mail at all \xff\xfe" * 50)
    code, out, _err = cli("import", case_path, path, "--as", "eml", "--quiet")
    assert code == 0 and "quarantined 1" in out
    code, out, _err = cli("quarantine", case_path)
    assert "not an e-mail message" in out


def test_raw_eight_bit_header_is_detected(tmp_path, case_path):
    subject = "Отчёт о запросах к модели за прошлую неделю"
    raw = (
        b"From: a@example.com\nTo: b@example.com\nSubject: "
        + subject.encode("utf-8")
        + b"\nDate: Tue, 01 Jul 2025 10:00:00 +0000\n\nbody\n"
    )
    _report, (email,) = _import_eml(tmp_path, case_path, raw)
    assert email["title"] == subject

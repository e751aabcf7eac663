"""Outlook's winmail.dat unpacked into the files inside it; signed and encrypted mail said to be so."""

import struct

from email_builders import all_items, import_paths, payload, simple_message


def tnef(files: list[tuple[bytes, bytes]], body: bytes | None = None) -> bytes:
    """A TNEF stream (winmail.dat) holding `files` [(name, data)], as Outlook writes one."""

    def attribute(level: int, attribute_id: int, data: bytes) -> bytes:
        return struct.pack("<BII", level, attribute_id, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)

    stream = struct.pack("<IH", 0x223E9F78, 0x0102)
    stream += attribute(1, 0x00089006, struct.pack("<I", 0x00010000))  # TNEF version
    stream += attribute(1, 0x00069007, b"IPM.Microsoft Mail.Note\x00")  # message class
    if body is not None:
        stream += attribute(1, 0x0002800C, body)  # attBody: the plain-text body
    for name, data in files:
        stream += attribute(2, 0x00069002, b"\x01\x00\x00\x00" + b"\x00" * 10)  # a new attachment
        stream += attribute(2, 0x00018010, name + b"\x00")  # its (short) file name
        stream += attribute(2, 0x0006800F, data)  # its bytes
    return stream


def test_winmail_dat_is_unpacked_into_the_files_inside(tmp_path, case_path):
    wrapped = tnef(
        [
            (b"plan.txt", b"Harvest 2M prompts through 40 rotating keys."),
            (b"../../evil\x07.txt", b"hostile name inside"),
        ],
        body=b"See the attached plan.",
    )
    path = tmp_path / "outlook.eml"
    path.write_bytes(simple_message(subject="Plan", attachments=[("winmail.dat", "application/ms-tnef", wrapped)]))
    report = import_paths(case_path, [path])
    assert report.files[0].reconciles
    items = all_items(case_path)
    email, winmail = items[0], items[1]
    assert [i["kind"] for i in items] == ["email", "attachment", "attachment", "attachment"]
    assert winmail["fields"]["filename"] == "winmail.dat" and winmail["children"] == [items[2]["id"], items[3]["id"]]
    assert winmail["warnings"] == []  # whole and well-formed
    assert "See the attached plan." in winmail["text"]
    assert payload(case_path, winmail["id"]) == wrapped  # kept byte for byte
    plan = items[2]
    assert plan["fields"]["filename"] == "plan.txt" and plan["fields"]["mime_type"] == "text/plain"
    assert "40 rotating keys" in plan["text"] and plan["parent_id"] == winmail["id"]
    assert "\x07" not in items[3]["title"]  # a hostile name inside is made visible, as for any attachment
    assert email["children"] == [winmail["id"]]


def test_a_damaged_winmail_dat_is_kept_with_the_reason(tmp_path, case_path):
    broken = tnef([(b"plan.txt", b"data")])[:30]
    path = tmp_path / "broken.eml"
    path.write_bytes(simple_message(attachments=[("winmail.dat", "application/ms-tnef", broken)]))
    assert import_paths(case_path, [path]).files[0].reconciles
    winmail = all_items(case_path)[1]
    assert payload(case_path, winmail["id"]) == broken and winmail["children"] == []
    assert any("is damaged" in w for w in winmail["warnings"])


SIGNED = b"""From: Alice <alice@example.com>
To: Bob <bob@example.com>
Subject: Signed terms
Date: Tue, 01 Jul 2025 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="S"

--S
Content-Type: text/plain

I accept the terms.
--S
Content-Type: application/pkcs7-signature; name=smime.p7s
Content-Disposition: attachment; filename=smime.p7s
Content-Transfer-Encoding: base64

MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAKCAMIIB
--S--
"""

ENCRYPTED = b"""From: Alice <alice@example.com>
To: Bob <bob@example.com>
Subject: Sealed
Date: Tue, 01 Jul 2025 11:00:00 +0000
MIME-Version: 1.0
Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m
Content-Disposition: attachment; filename=smime.p7m
Content-Transfer-Encoding: base64

MIAGCSqGSIb3DQEHA6CAMIACAQAxggFHMIIBQwIBADArMCYxJDAiBgNVBAMTG1Rlc3QgQ0EgZm9y
"""


def test_signed_and_encrypted_messages_say_what_was_not_checked_or_read(tmp_path, case_path):
    (tmp_path / "signed.eml").write_bytes(SIGNED)
    (tmp_path / "sealed.eml").write_bytes(ENCRYPTED)
    report = import_paths(case_path, [tmp_path / "signed.eml", tmp_path / "sealed.eml"])
    assert all(f.reconciles for f in report.files)
    emails = {i["title"]: i for i in all_items(case_path) if i["kind"] == "email"}
    signed, sealed = emails["Signed terms"], emails["Sealed"]
    assert "I accept the terms." in signed["text"]
    assert any("signature was not checked" in w for w in signed["warnings"])
    assert any("cannot be read without the recipient's key" in w for w in sealed["warnings"])

"""Outlook .pst files (small public samples, tests/data/pst/LICENSES.md) through the real
pipeline: folders walked, locators, attachments and embedded messages as children,
calendar entries and contacts of their own kinds, ANSI and Unicode stores, quarantine of
an unreadable message, duplicates of the same message imported as .msg or .eml, verify."""

import hashlib
import shutil
from email.utils import parsedate_to_datetime
from pathlib import Path

from email_builders import all_items, build_msg, import_paths, payload, simple_message

from app.importers.email.pst import PstImporter, _MessageReader

DATA = Path(__file__).parent.parent / "data" / "pst"


def _copy(tmp_path, name):
    target = tmp_path / name
    shutil.copy(DATA / name, target)
    return target


def _imported(tmp_path, case_path, cli, name, counts):
    """Import a sample; assert its counts line; every item of the case."""
    code, out, err = cli("import", case_path, _copy(tmp_path, name), "--quiet")
    assert code == 0, err
    assert counts in out
    return all_items(case_path)


def _verified(case_path, cli):
    code, out, _ = cli("verify", case_path)
    assert code == 0, out


def test_every_folder_is_walked_and_each_message_names_its_folder_and_entry(tmp_path, case_path, cli):
    items = _imported(tmp_path, case_path, cli, "threeItems.pst", "read 4, imported 4, duplicates 0, quarantined 0")
    assert [i["kind"] for i in items] == ["email"] * 4
    top = "/Outlook データ ファイルのトップ"
    assert {i["title"]: i["fields"]["folder"] for i in items} == {
        "0": top,
        "1": f"{top}/first",
        "2": f"{top}/second",
        "3": f"{top}/third",
    }
    assert {i["locator"]["entry"] for i in items} == {2097284, 2097188, 2097220, 2097252}
    assert all(i["locator"]["folder"] == i["fields"]["folder"] for i in items)
    # the stored original is the PST, byte for byte
    _verified(case_path, cli)


def test_attachments_and_an_embedded_message_are_children_of_their_message(tmp_path, case_path, cli):
    parent, embedded, picture = _imported(tmp_path, case_path, cli, "msgInMsgInMsg.pst", "read 1, imported 1")
    assert parent["title"] == "I have sub attachments!" and parent["parent_id"] is None
    assert embedded["kind"] == "email" and embedded["parent_id"] == parent["id"]
    assert embedded["title"] == "I have attachments!"
    assert any("attached to its parent inside the Outlook file" in w for w in embedded["warnings"])
    assert picture["kind"] == "attachment" and picture["parent_id"] == parent["id"]
    assert picture["title"] == "blue.png"
    data = payload(case_path, picture["id"])
    assert data.startswith(b"\x89PNG") and picture["fields"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert parent["fields"]["attachment_names"] == ["I have attachments!", "blue.png"]
    _verified(case_path, cli)


def test_calendar_entries_and_contacts_are_items_of_their_own_kind(tmp_path, case_path, cli):
    found = _imported(tmp_path, case_path, cli, "dist-list.pst", "read 4, imported 4, duplicates 0, quarantined 0")
    items = {i["title"]: i for i in found if i["parent_id"] is None}
    meeting = items["Test appointment"]
    assert meeting["kind"] == "calendar"
    assert meeting["fields"]["folder"] == "/Top of Personal Folders/Calendar"
    assert meeting["ts_utc"] == "2016-08-02T15:00:00.000000Z"  # its start, not when it was saved
    assert "This is a complete test" in meeting["text"]
    assert items["contact name 1"]["kind"] == "contact"
    assert items["test dist list"]["kind"] == "contact"
    assert items["LocalFreebusy"]["kind"] == "outlook_item"  # kept, not dropped
    _verified(case_path, cli)


def test_ansi_and_unicode_stores_give_the_same_text(tmp_path, case_path, cli):
    unicode_path, ansi_path = _copy(tmp_path, "contacts.pst"), _copy(tmp_path, "contacts97-2002.pst")
    code, out, err = cli("import", case_path, unicode_path, ansi_path, "--quiet")
    assert code == 0, err
    unicode_item, ansi_item = all_items(case_path)
    assert unicode_item["kind"] == ansi_item["kind"] == "contact"
    # The ANSI store's strings are Shift-JIS (code page 932), named by the message's locale.
    assert ansi_item["title"] == unicode_item["title"] == "コム ドット イグザンプル 殿"
    assert ansi_item["fields"]["folder"] == "/Outlook データ ファイルのトップ/連絡先 (Contact dedicated)"
    assert ansi_item["fields"]["surname"] == "イグザンプル"
    from app.store.case_file import CaseFile

    with CaseFile.open(case_path) as case:
        stores = [r[0] for r in case.conn.execute("SELECT json_extract(settings, '$.outlook_store') FROM sources")]
    assert stores == ["Unicode", "ANSI (Outlook 97-2002)"]


def test_unicode_store_with_cjk_names(tmp_path, case_path, cli):
    path = _copy(tmp_path, "hello-cjk.pst")
    code, out, err = cli("import", case_path, path, "--quiet")
    assert code == 0, err
    message, *attachments = all_items(case_path)
    assert [a["title"] for a in attachments] == ["C 你好.png", "J こんにちは.png", "K 안녕하세요.png"]
    assert "J こんにちは" in message["text"]
    code, out, err = cli("items", case_path, "--search", "안녕하세요")
    assert code == 0 and "Hello +CJK" in out


def test_an_unreadable_message_is_quarantined_with_folder_and_reason(tmp_path, case_path, cli, monkeypatch):
    path = _copy(tmp_path, "threeItems.pst")
    real = _MessageReader.message

    def damaged(self, message, locator, folder):
        if folder.endswith("/second"):
            raise OSError("unable to read data block")
        return real(self, message, locator, folder)

    monkeypatch.setattr(_MessageReader, "message", damaged)
    code, out, err = cli("import", case_path, path, "--quiet")
    assert code == 0, err
    assert "read 4, imported 3, duplicates 0, quarantined 1" in out
    code, out, _ = cli("quarantine", case_path)
    assert "/second" in out and "2097220" in out and "unable to read data block" in out
    _verified(case_path, cli)


def test_the_same_message_as_msg_or_eml_is_a_duplicate_of_the_pst_message(tmp_path, case_path, cli):
    path = _copy(tmp_path, "hello-cjk.pst")
    cli("import", case_path, path, "--quiet")
    message, *attachments = all_items(case_path)
    files = [(a["title"], "image/png", payload(case_path, a["id"])) for a in attachments]
    headers = message["fields"]["headers_raw"]
    sent = parsedate_to_datetime(message["fields"]["date"])
    msg_path = tmp_path / "same.msg"
    msg_path.write_bytes(
        build_msg(
            {
                "subject": "Hello +CJK",
                "body": message["text"],
                "sender_email": "hmailuser@hmailserver.test",
                "date": sent,
                "headers": headers,
                "recipients": [("", "hmailuser@hmailserver.test", 1)],
                "attachments": [{"name": n, "data": d, "mime": m} for n, m, d in files],
            }
        )
    )
    eml_path = tmp_path / "same.eml"
    eml_path.write_bytes(
        simple_message(
            subject="Hello +CJK",
            sender="<hmailuser@hmailserver.test>",
            to="<hmailuser@hmailserver.test>",
            date=message["fields"]["date"],
            body=message["text"],
            attachments=files,
        )
    )
    report = import_paths(case_path, [msg_path, eml_path])
    assert [(f.read, f.imported, f.duplicates) for f in report.files] == [(1, 0, 1), (1, 0, 1)]


def test_progress_is_counted_in_messages(tmp_path):
    from app.core.records import ImportSettings
    from app.core.timestamps import TimestampParser
    from app.importers.base import ImportContext
    from datetime import datetime, timezone

    importer = PstImporter()
    ctx = ImportContext(ImportSettings(), TimestampParser("UTC"), "threeItems.pst", datetime.now(timezone.utc))
    with open(DATA / "threeItems.pst", "rb") as stream:
        seen = []
        for _record in importer.read(stream, ctx):
            seen.append(importer.progress())
    assert seen == [(1, 4, "messages"), (2, 4, "messages"), (3, 4, "messages"), (4, 4, "messages")]

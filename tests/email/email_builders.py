"""Test inputs built by the tests: MIME messages, mailboxes and Outlook .msg files.

The .msg builder writes a minimal valid OLE compound file (with extract-msg's own
OleWriter) holding the MS-OXMSG streams extract-msg reads: message class, subject,
body, sender, transport headers, recipients, attachments (by value and embedded
messages). No sample .msg with a keepable licence ships with the installed packages.
"""

import struct
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime

from extract_msg.ole_writer import OleWriter

PT_LONG, PT_SYSTIME, PT_UNICODE, PT_BINARY, PT_OBJECT = 0x0003, 0x0040, 0x001F, 0x0102, 0x000D
FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=timezone.utc)


def simple_message(
    subject="Hello",
    sender="Alice <alice@example.com>",
    to="Bob <bob@example.com>",
    date="Tue, 01 Jul 2025 10:00:00 +0000",
    body="Hello Bob.",
    message_id=None,
    in_reply_to=None,
    references=None,
    attachments=(),
) -> bytes:
    """A well-formed message as bytes (attachments: (name, mime type, bytes))."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    if date:
        msg["Date"] = date
    for name, value in (("Message-ID", message_id), ("In-Reply-To", in_reply_to), ("References", references)):
        if value:
            msg[name] = value
    msg.set_content(body)
    for name, mime_type, data in attachments:
        maintype, subtype = mime_type.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(msg)


def mbox_of(messages, quote="mboxrd") -> bytes:
    """An mbox holding the messages, body "From " lines quoted in the given variant."""
    out = []
    for index, raw in enumerate(messages):
        out.append(f"From sender{index}@example.com Tue Jul  1 10:00:00 2025\n".encode())
        text = raw.replace(b"\r\n", b"\n")
        for line in (text[:-1] if text.endswith(b"\n") else text).split(b"\n"):
            bare = line.lstrip(b">")
            if bare.startswith(b"From ") and (quote == "mboxrd" or line == bare):
                line = b">" + line
            out.append(line + b"\n")
        out.append(b"\n")
    return b"".join(out)


def _filetime(moment: datetime) -> int:
    return int((moment - FILETIME_EPOCH).total_seconds() * 10_000_000)


def _props(header: bytes, fixed: dict, strings: dict) -> bytes:
    """A __properties_version1.0 stream: fixed values inline, strings by size."""
    entries = []
    for tag, value in fixed.items():
        packed = struct.pack("<q", value) if (tag & 0xFFFF) == PT_SYSTIME else struct.pack("<I4x", value)
        entries.append(struct.pack("<II", tag, 6) + packed)
    for tag, data in strings.items():
        entries.append(struct.pack("<IIII", tag, 6, len(data), 0))
    return header + b"".join(entries)


def _add_message(writer: OleWriter, base: list, fields: dict, embedded: bool) -> None:
    strings = {
        0x001A0000 | PT_UNICODE: fields.get("class", "IPM.Note"),
        0x00370000 | PT_UNICODE: fields["subject"],
        0x10000000 | PT_UNICODE: fields.get("body", ""),
        0x0C1A0000 | PT_UNICODE: fields.get("sender_name", ""),
        0x0C1F0000 | PT_UNICODE: fields.get("sender_email", ""),
        0x5D010000 | PT_UNICODE: fields.get("sender_email", ""),
    }
    if fields.get("headers"):
        strings[0x007D0000 | PT_UNICODE] = fields["headers"]
    encoded = {tag: text.encode("utf-16-le") for tag, text in strings.items() if text is not None}
    for tag, data in encoded.items():
        writer.addEntry(base + [f"__substg1.0_{tag:08X}"], data)
    recipients, attachments = fields.get("recipients", []), fields.get("attachments", [])
    fixed = {0x0E070000 | PT_LONG: 1}
    if fields.get("date"):
        fixed[0x00390000 | PT_SYSTIME] = _filetime(fields["date"])
        fixed[0x0E060000 | PT_SYSTIME] = _filetime(fields["date"])
    counts = struct.pack("<8xIIII", len(recipients), len(attachments), len(recipients), len(attachments))
    writer.addEntry(
        base + ["__properties_version1.0"], _props(counts if embedded else counts + b"\0" * 8, fixed, encoded)
    )
    for index, (name, email, kind) in enumerate(recipients):
        _add_recipient(writer, base + [f"__recip_version1.0_#{index:08X}"], name, email, kind)
    for index, attachment in enumerate(attachments):
        _add_attachment(writer, base + [f"__attach_version1.0_#{index:08X}"], attachment)


def _add_recipient(writer: OleWriter, path: list, name: str, email: str, kind: int) -> None:
    strings = {
        0x30010000 | PT_UNICODE: name.encode("utf-16-le"),
        0x39FE0000 | PT_UNICODE: email.encode("utf-16-le"),
        0x30030000 | PT_UNICODE: email.encode("utf-16-le"),
    }
    writer.addEntry(path, storage=True)
    for tag, data in strings.items():
        writer.addEntry(path + [f"__substg1.0_{tag:08X}"], data)
    writer.addEntry(path + ["__properties_version1.0"], _props(b"\0" * 8, {0x0C150000 | PT_LONG: kind}, strings))


def _add_attachment(writer: OleWriter, path: list, attachment: dict) -> None:
    writer.addEntry(path, storage=True)
    if "message" in attachment:  # an embedded .msg
        writer.addEntry(path + ["__substg1.0_3701000D"], storage=True)
        _add_message(writer, path + ["__substg1.0_3701000D"], attachment["message"], embedded=True)
        strings, method = {0x37010000 | PT_OBJECT: b""}, 5
    else:
        name = attachment["name"].encode("utf-16-le")
        strings = {
            0x37070000 | PT_UNICODE: name,
            0x37040000 | PT_UNICODE: name,
            0x370E0000 | PT_UNICODE: attachment.get("mime", "application/octet-stream").encode("utf-16-le"),
            0x37010000 | PT_BINARY: attachment["data"],
        }
        for tag, data in strings.items():
            writer.addEntry(path + [f"__substg1.0_{tag:08X}"], data)
        method = 1
    writer.addEntry(path + ["__properties_version1.0"], _props(b"\0" * 8, {0x37050000 | PT_LONG: method}, strings))


def build_msg(fields: dict) -> bytes:
    """A .msg file's bytes. fields: subject, body, sender_name, sender_email, date (aware
    datetime), headers (transport header text), recipients [(name, email, 1=To/2=Cc/3=Bcc)],
    attachments [{name, data, mime} | {message: fields}]."""
    writer = OleWriter()
    writer.addEntry(["__nameid_version1.0"], storage=True)
    for stream in ("__substg1.0_00020102", "__substg1.0_00030102", "__substg1.0_00040102"):
        writer.addEntry(["__nameid_version1.0", stream], b"")
    _add_message(writer, [], fields, embedded=False)
    import io

    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def rfc2822(moment: datetime) -> str:
    return format_datetime(moment)


def import_paths(case_path, paths, **settings):
    """Import into the case as the app does; returns the ImportReport."""
    from app.core.cancel import CancelToken, run_to_end
    from app.core.records import ImportSettings
    from app.importers.pipeline import import_files
    from app.store.case_file import CaseFile

    with CaseFile.open(case_path, operator="tester") as case:
        return run_to_end(import_files(case, paths, ImportSettings(**settings), CancelToken()))


def all_items(case_path) -> list[dict]:
    """Every item of the case, by id, with get_item's detail (children, duplicates)."""
    from app.store.case_file import CaseFile
    from app.store.item_query import get_item

    with CaseFile.open(case_path) as case:
        ids = [r[0] for r in case.conn.execute("SELECT id FROM items ORDER BY id")]
        return [get_item(case.conn, i) for i in ids]


def payload(case_path, item_id: int) -> bytes | None:
    from app.store.case_file import CaseFile
    from app.store.item_query import item_payload

    with CaseFile.open(case_path) as case:
        return item_payload(case.conn, item_id)

"""Outlook data files (.pst, .ost) read with libpff (libpff-python, LGPL, loaded as a library).

Every folder is walked, depth first in the store's order. Each message becomes an item
with its folder path: e-mail as `email` (attachments and embedded messages as children,
read like a .msg so the same message imported as .eml or .msg is a duplicate), calendar
entries as `calendar`, contacts and distribution lists as `contact`, tasks, notes and
journal entries as `outlook_item`. A message that cannot be read is quarantined with its
folder, entry and reason, and the walk goes on. The locator names the folder path and
the entry (the message's descriptor id), so a reviewer can find it in Outlook.

The library reads the stored copy (never the path given) through a file object: memory
holds one message at a time, whatever the store's size. Strings of an ANSI store (Outlook
97-2002) are decoded in each message's code page (app/importers/email/mapi_props.py).
"""

import hashlib
import mimetypes
import struct
from collections import Counter
from email import message_from_string
from email.utils import format_datetime

from app.core.records import ItemRecord, Quarantined
from app.importers.base import ImportContext
from app.importers.email import mapi_props as mapi
from app.importers.email.message import ParsedEmail, attachment_record, email_record, email_timestamp
from app.importers.email.mime import read_headers
from app.importers.email.pst_embedded import NotAPropertyContext, embedded_properties
from app.importers.email.text import html_to_text
from app.importers.email.threads import id_list, normalise_id

PST_MAGIC = b"!BDN"
ANSI_VERSIONS = (14, 15)
SENT_TIME_NOTE = "the Outlook sent-time property (no Date header)"
CODE_PAGE_SAMPLE = 50  # messages looked at to find an ANSI store's code page for folder names
EMBEDDED_NOTE = (
    "This message is attached to its parent inside the Outlook file. Its own recipients and "
    "attachments cannot be read from there and are not listed"
)
_KINDS = (
    ("IPM.APPOINTMENT", "calendar"),
    ("IPM.SCHEDULE.MEETING", "calendar"),
    ("IPM.CONTACT", "contact"),
    ("IPM.DISTLIST", "contact"),
    ("IPM.TASK", "outlook_item"),
    ("IPM.STICKYNOTE", "outlook_item"),
    ("IPM.ACTIVITY", "outlook_item"),
)
_RECIPIENT_LISTS = {1: "to", 2: "cc", 3: "bcc"}
# Contact properties shown on the item (MS-OXOCNTC), by field name.
_CONTACT_FIELDS = (
    ("display_name", mapi.DISPLAY_NAME),
    ("given_name", 0x3A06),
    ("surname", 0x3A11),
    ("company", 0x3A16),
    ("job_title", 0x3A17),
    ("department", 0x3A18),
    ("business_phone", 0x3A08),
    ("home_phone", 0x3A09),
    ("mobile_phone", 0x3A1C),
    ("business_address", 0x3A15),
    ("email", mapi.EMAIL_ADDRESS),
)


def kind_of(message_class: str) -> str:
    """The item kind of an Outlook message class: mail and reports are e-mail; free/busy data,
    journal entries and anything unknown are kept as `outlook_item`, never dropped."""
    upper = message_class.upper()
    found = next((kind for prefix, kind in _KINDS if upper.startswith(prefix)), None)
    if found:
        return found
    return "email" if upper in ("", "IPM") or upper.startswith(("IPM.NOTE", "IPM.POST", "REPORT.")) else "outlook_item"


class PstImporter:
    name = "pst"
    family = "email"
    random_access = True  # libpff seeks in the file: it reads the stored copy

    def __init__(self):
        self._done, self._total = 0, 0

    def sniff(self, head: bytes, filename: str) -> int:
        if head.startswith(PST_MAGIC):
            return 98
        return 30 if filename.lower().endswith((".pst", ".ost")) else 0

    def progress(self) -> tuple[int, int, str]:
        """(messages read, messages in the store, unit): the pipeline reports this, not bytes."""
        return self._done, self._total, "messages"

    def read(self, stream, ctx: ImportContext):
        import pypff

        unicode_store = _is_unicode(stream)
        store = pypff.file()
        try:
            store.open_file_object(stream)
            root = store.get_root_folder()
        except (OSError, IOError) as exc:
            yield Quarantined({"whole_file": True}, b"", f"not a readable Outlook data file ({exc})")
            return
        try:
            folders = list(_folders(root, ctx))
            self._total = sum(_count(folder) for folder, _path in folders)
            fallback = _store_code_page(folders) if not unicode_store else mapi.DEFAULT_CODE_PAGE
            ctx.provenance.update(
                outlook_store="Unicode" if unicode_store else "ANSI (Outlook 97-2002)",
                code_page=None if unicode_store else fallback,
                folders=len(folders),
                messages=self._total,
            )
            try:
                named = mapi.named_ids(mapi.props_of(store.name_to_id_map))
            except (OSError, IOError, AttributeError):
                named = {}  # appointments then fall back to their start and end dates
            reader = _MessageReader(ctx, fallback, unicode_store, named)
            for folder, path in folders:
                yield from reader.folder(folder, _decoded_path(path, fallback), self)
        finally:
            store.close()


def _is_unicode(stream) -> bool:
    """Whether the store is Unicode (Outlook 2003 on) or ANSI: the header's version number."""
    stream.seek(10)
    version = struct.unpack("<H", stream.read(2) or b"\x00\x00")[0]
    stream.seek(0)
    return version not in ANSI_VERSIONS


def _folders(root, ctx: ImportContext):
    """(folder, [raw name parts]) of every folder below the root, depth first."""
    pending = [(root, [])]
    while pending:
        folder, path = pending.pop()
        yield folder, path
        children = []
        for index in range(_safe_count(folder, "number_of_sub_folders")):
            try:
                child = folder.get_sub_folder(index)
                children.append((child, path + [mapi.props_of(child).get(mapi.DISPLAY_NAME, (0, b""))]))
            except (OSError, IOError):
                children.append(None)
        pending.extend(reversed([c for c in children if c is not None]))


def _safe_count(folder, attribute: str) -> int:
    try:
        return getattr(folder, attribute)
    except (OSError, IOError):
        return 0


def _count(folder) -> int:
    return _safe_count(folder, "number_of_sub_messages")


def _store_code_page(folders) -> str:
    """The code page most messages of an ANSI store name (folder names are written in it)."""
    seen = Counter()
    for folder, _path in folders:
        for index in range(_count(folder)):
            try:
                props = mapi.props_of(folder.get_sub_message(index))
            except (OSError, IOError):
                continue
            seen[mapi.code_page_of(props, "")] += 1
            if sum(seen.values()) >= CODE_PAGE_SAMPLE:
                break
    seen.pop("", None)
    return seen.most_common(1)[0][0] if seen else mapi.DEFAULT_CODE_PAGE


def _decoded_path(parts, code_page: str) -> str:
    names = [mapi.text({0: part}, 0, code_page) or "(unnamed)" for part in parts]
    return "/" + "/".join(names)


class _MessageReader:
    def __init__(self, ctx: ImportContext, fallback: str, unicode_store: bool, named: dict[str, int]):
        self.ctx, self.fallback, self.unicode_store, self.named = ctx, fallback, unicode_store, named

    def folder(self, folder, path: str, progress: PstImporter):
        for index in range(_count(folder)):
            locator = {"folder": path, "entry": index + 1}
            try:
                message = folder.get_sub_message(index)
                locator["entry"] = message.identifier
                record = self.message(message, locator, path)
            except Exception as exc:  # noqa: BLE001 -- libpff raises OSError and others on damage
                record = Quarantined(
                    locator, b"", f"the message in folder {path} cannot be read ({exc.__class__.__name__}: {exc})"
                )
            progress._done += 1
            yield record

    def message(self, message, locator: dict, path: str) -> ItemRecord:
        props = mapi.props_of(message)
        code_page = mapi.code_page_of(props, self.fallback)
        kind = kind_of(mapi.text(props, mapi.MESSAGE_CLASS, code_page))
        parsed = self.parsed(props, code_page, message)
        if kind == "email":
            for number, attachment in enumerate(_attachments(message), start=1):
                self.attachment(attachment, str(number), parsed)
            record = email_record(parsed, locator, self.ctx, top_level=True)
            record.fields["folder"] = path
            return record
        return self.other(kind, props, code_page, parsed, locator, path, message)

    def parsed(self, props, code_page: str, message) -> ParsedEmail:
        """The message's fields as a .msg reader would give them (headers first, else MAPI)."""
        headers = mapi.text(props, mapi.TRANSPORT_HEADERS, code_page)
        parsed = read_headers(message_from_string(headers)) if headers else ParsedEmail()
        parsed.headers_raw = headers
        if not headers:
            parsed.sender, parsed.sender_address = mapi.sender(props, code_page)
            if parsed.sender and parsed.sender_address and parsed.sender != parsed.sender_address:
                parsed.sender = f"{parsed.sender} <{parsed.sender_address}>"
            _recipients(message, parsed, code_page)
            sent = mapi.moment(props, mapi.CLIENT_SUBMIT_TIME)
            if sent is not None:
                parsed.date_text, parsed.date_note = format_datetime(sent), SENT_TIME_NOTE
            parsed.references = id_list(mapi.text(props, mapi.REFERENCES, code_page))
        parsed.subject = mapi.subject(props, code_page) or parsed.subject
        parsed.message_id = parsed.message_id or normalise_id(mapi.text(props, mapi.INTERNET_MESSAGE_ID, code_page))
        parsed.in_reply_to = parsed.in_reply_to or normalise_id(mapi.text(props, mapi.IN_REPLY_TO, code_page))
        delivered = mapi.moment(props, mapi.MESSAGE_DELIVERY_TIME)
        if not parsed.date_received and delivered is not None:
            parsed.date_received = format_datetime(delivered)
        body = mapi.text(props, mapi.BODY, code_page)
        html = _html(props, code_page)
        parsed.body_html_present = bool(html)
        parsed.body = (body or html_to_text(html)).replace("\r\n", "\n")
        parsed.integrity_sha256 = _properties_digest(props)
        return parsed

    def attachment(self, attachment, number: str, parsed: ParsedEmail) -> None:
        props = mapi.props_of(attachment)
        method = mapi.integer(props, mapi.ATTACH_METHOD)
        try:
            data = attachment.read_buffer(attachment.size) if attachment.size else b""
        except (OSError, IOError) as exc:
            parsed.warnings.append(f"Attachment {number} could not be read from the Outlook file ({exc}).")
            return
        if method == mapi.ATTACH_EMBEDDED_MSG:
            parsed.children.append(self.embedded(data, number))
            return
        name = mapi.text(props, mapi.ATTACH_LONG_FILENAME) or mapi.text(props, mapi.ATTACH_FILENAME)
        name = name or mapi.text(props, mapi.DISPLAY_NAME)
        mime_type = mapi.text(props, mapi.ATTACH_MIME_TAG) or mimetypes.guess_type(name)[0]
        parsed.children.append(
            attachment_record(name, mime_type or "application/octet-stream", data, {"attachment": number})
        )

    def embedded(self, data: bytes, number: str) -> ItemRecord:
        """A child `email` for a message attached to a message (what its bytes hold)."""
        try:
            props, unread = embedded_properties(data, self.unicode_store)
        except (NotAPropertyContext, struct.error) as exc:
            record = attachment_record("", "application/vnd.ms-outlook", data, {"attachment": number})
            record.warnings.append(f"This attached message could not be read ({exc}); its bytes are kept.")
            return record
        code_page = mapi.code_page_of(props, self.fallback)
        parsed = self.parsed(props, code_page, None)
        parsed.warnings.append(EMBEDDED_NOTE + (" (nor its body, which is too long)." if mapi.BODY in unread else "."))
        record = email_record(parsed, {"attachment": number}, self.ctx, top_level=False)
        record.payloads["content"] = data
        return record

    def other(self, kind, props, code_page, parsed, locator, path, message) -> ItemRecord:
        """A calendar entry, contact, task or note: its own kind, with what Outlook shows of it."""
        warnings = list(parsed.warnings)
        fields = {
            "message_class": mapi.text(props, mapi.MESSAGE_CLASS, code_page),
            "folder": path,
            "subject": parsed.subject,
            "from": parsed.sender,
        }
        if kind == "calendar":
            start = self.named_moment(props, "start", mapi.START_DATE)
            end = self.named_moment(props, "end", mapi.END_DATE)
            fields.update(
                start=start and start.isoformat(),
                end=end and end.isoformat(),
                location=mapi.text(props, self.named.get("location", -1), code_page),
                attendees=parsed.to + parsed.cc,
            )
            stamp = self.ctx.timestamps.from_datetime(start.isoformat(), start, "start of the entry") if start else None
        elif kind == "contact":
            fields.update({name: mapi.text(props, tag, code_page) for name, tag in _CONTACT_FIELDS})
            fields["email"] = fields["email"] or mapi.text(props, self.named.get("email", -1), code_page)
            addresses = sorted({value for value in _strings(props, code_page) if "@" in value and " " not in value})
            fields["addresses"] = addresses
            created = mapi.moment(props, mapi.CREATION_TIME)
            stamp = (
                self.ctx.timestamps.from_datetime(created.isoformat(), created, "created in Outlook")
                if created
                else None
            )
        else:
            stamp = email_timestamp(parsed, self.ctx, warnings) if parsed.date_text or parsed.date_received else None
        children = []
        for number, attachment in enumerate(_attachments(message), start=1):
            holder = ParsedEmail()
            self.attachment(attachment, str(number), holder)
            children.extend(holder.children)
            warnings.extend(holder.warnings)
        fields["attachment_count"] = len(children)
        shown = [f"{k.replace('_', ' ')}: {v}" for k, v in fields.items() if isinstance(v, str) and v and k != "folder"]
        return ItemRecord(
            kind=kind,
            locator=locator,
            title=parsed.subject or fields.get("display_name") or f"({kind.replace('_', ' ')})",
            text="\n".join(shown + ([parsed.body] if parsed.body else [])),
            fields=fields,
            timestamp=stamp,
            account=parsed.sender_address or None,
            warnings=warnings,
            children=children,
            dedup_key=f"{kind}:{parsed.integrity_sha256}",
        )

    def named_moment(self, props, meaning: str, fallback_tag: int):
        found = mapi.moment(props, self.named[meaning]) if meaning in self.named else None
        return found or mapi.moment(props, fallback_tag)


def _attachments(message):
    if message is None or not hasattr(message, "number_of_attachments"):  # a plain item (free/busy data)
        return []
    return [message.get_attachment(i) for i in range(message.number_of_attachments)]


def _recipients(message, parsed: ParsedEmail, code_page: str) -> None:
    if message is None or not hasattr(message, "recipients"):
        return
    lists = {"to": [], "cc": [], "bcc": []}
    try:
        holder = message.recipients
        recipients = [holder.get_sub_item(i) for i in range(holder.number_of_sub_items)] if holder else []
    except (OSError, IOError) as exc:
        parsed.warnings.append(f"The recipients could not be read from the Outlook file ({exc}).")
        recipients = []
    for recipient in recipients:
        props = mapi.props_of(recipient)
        name = mapi.text(props, mapi.DISPLAY_NAME, code_page)
        address = (
            mapi.text(props, mapi.SMTP_ADDRESS, code_page) or mapi.text(props, mapi.EMAIL_ADDRESS, code_page)
        ).lower()
        if address.startswith("/o="):  # an Exchange directory name, not an address
            address = ""
        shown = f"{name} <{address}>" if name and address and name != address else (address or name)
        lists[_RECIPIENT_LISTS.get(mapi.integer(props, mapi.RECIPIENT_TYPE) or 1, "to")].append(shown)
        if address:
            parsed.recipient_addresses.append(address)
    parsed.to, parsed.cc, parsed.bcc = lists["to"], lists["cc"], lists["bcc"]


def _html(props, code_page: str) -> str:
    kind, data = props.get(mapi.HTML, (0, b""))
    if kind == mapi.PT_BINARY:
        return data.decode("utf-8", "replace") if data else ""
    return mapi.text(props, mapi.HTML, code_page)


def _strings(props, code_page: str):
    for tag, (kind, _data) in props.items():
        if kind in (mapi.PT_UNICODE, mapi.PT_STRING8):
            yield mapi.text(props, tag, code_page)


def _properties_digest(props) -> str:
    """A digest of the message's properties as stored: what the PST holds for it, hashed."""
    digest = hashlib.sha256()
    for tag in sorted(props):
        kind, data = props[tag]
        digest.update(struct.pack("<HHI", tag, kind, len(data)) + data)
    return digest.hexdigest()

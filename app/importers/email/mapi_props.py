"""MAPI properties as Outlook stores them: tags, types, strings in their code page, times.

Shared by the PST reader (app/importers/email/pst.py) and the reader of messages embedded
in a PST (pst_embedded.py). A property set is `{tag: (type, bytes)}`. Strings of type
PT_UNICODE are UTF-16; PT_STRING8 strings (every string of an ANSI store, Outlook
97-2002) are in the message's code page, which the message names (PR_MESSAGE_CODEPAGE,
else its internet code page, else its locale); otherwise the store's, else Windows-1252.
"""

import codecs
import struct
from datetime import datetime, timedelta, timezone

PT_SHORT, PT_LONG, PT_BOOLEAN, PT_SYSTIME = 0x0002, 0x0003, 0x000B, 0x0040
PT_STRING8, PT_UNICODE, PT_BINARY = 0x001E, 0x001F, 0x0102

# Property ids used here (MS-OXPROPS).
MESSAGE_CLASS = 0x001A
SUBJECT = 0x0037
CLIENT_SUBMIT_TIME = 0x0039
SENT_REPRESENTING_NAME = 0x0042
SENT_REPRESENTING_EMAIL = 0x0065
START_DATE, END_DATE = 0x0060, 0x0061
TRANSPORT_HEADERS = 0x007D
RECIPIENT_TYPE = 0x0C15
SENDER_NAME, SENDER_ADDRTYPE, SENDER_EMAIL = 0x0C1A, 0x0C1E, 0x0C1F
MESSAGE_DELIVERY_TIME = 0x0E06
BODY, HTML = 0x1000, 0x1013
INTERNET_MESSAGE_ID, REFERENCES, IN_REPLY_TO = 0x1035, 0x1039, 0x1042
DISPLAY_NAME, ADDRTYPE, EMAIL_ADDRESS = 0x3001, 0x3002, 0x3003
CREATION_TIME, LAST_MODIFICATION_TIME = 0x3007, 0x3008
ATTACH_DATA, ATTACH_FILENAME, ATTACH_METHOD = 0x3701, 0x3704, 0x3705
ATTACH_LONG_FILENAME, ATTACH_MIME_TAG = 0x3707, 0x370E
SMTP_ADDRESS = 0x39FE
INTERNET_CPID, MESSAGE_LOCALE_ID, MESSAGE_CODEPAGE = 0x3FDE, 0x3FF1, 0x3FFD
SENDER_SMTP_ADDRESS = 0x5D01

ATTACH_BY_VALUE, ATTACH_EMBEDDED_MSG = 1, 5
DEFAULT_CODE_PAGE = "cp1252"
# The ANSI code page of a Windows locale (LCID), for messages that name only their locale.
_LOCALE_CODE_PAGES = {
    0x0404: 950,
    0x0405: 1250,
    0x0408: 1253,
    0x040D: 1255,
    0x040E: 1250,
    0x0411: 932,
    0x0412: 949,
    0x0415: 1250,
    0x0419: 1251,
    0x041E: 874,
    0x041F: 1254,
    0x0422: 1251,
    0x0401: 1256,
    0x042A: 1258,
    0x0804: 936,
    0x0C04: 950,
    0x1004: 936,
}
_WINDOWS_CODE_PAGES = {874, 932, 936, 949, 950} | set(range(1250, 1259))
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=timezone.utc)

Props = dict[int, tuple[int, bytes]]


def props_of(item) -> Props:
    """{property id: (type, bytes)} of a pypff item (message, folder, attachment, recipient)."""
    found: Props = {}
    for record_set in item.record_sets:
        for entry in record_set.entries:
            found.setdefault(entry.entry_type, (entry.value_type, entry.data or b""))
    return found


def code_page_of(props: Props, fallback: str) -> str:
    """The code page a message's PT_STRING8 strings are written in."""
    for tag in (MESSAGE_CODEPAGE, INTERNET_CPID):
        number = integer(props, tag)
        if number in _WINDOWS_CODE_PAGES:
            return f"cp{number}"
    locale = integer(props, MESSAGE_LOCALE_ID)
    if locale is not None and (locale & 0xFFFF) in _LOCALE_CODE_PAGES:
        return f"cp{_LOCALE_CODE_PAGES[locale & 0xFFFF]}"
    return fallback


def text(props: Props, tag: int, code_page: str = DEFAULT_CODE_PAGE) -> str:
    """A string property ('' when absent); an undecodable byte becomes U+FFFD, never an error."""
    kind, data = props.get(tag, (0, b""))
    if kind == PT_UNICODE:
        return data.decode("utf-16-le", "replace").rstrip("\x00")
    if kind in (PT_STRING8, PT_BINARY) and data:
        try:
            codecs.lookup(code_page)
        except LookupError:
            code_page = DEFAULT_CODE_PAGE
        return data.decode(code_page, "replace").rstrip("\x00")
    return ""


def subject(props: Props, code_page: str) -> str:
    """The subject without its prefix marker (\\x01 and the prefix length, as Outlook stores it)."""
    value = text(props, SUBJECT, code_page)
    return value[2:] if value.startswith("\x01") else value


def integer(props: Props, tag: int) -> int | None:
    kind, data = props.get(tag, (0, b""))
    if kind == PT_LONG and len(data) >= 4:
        return struct.unpack("<i", data[:4])[0]
    if kind == PT_SHORT and len(data) >= 2:
        return struct.unpack("<h", data[:2])[0]
    return None


def moment(props: Props, tag: int) -> datetime | None:
    """A PT_SYSTIME property (FILETIME, UTC) as an aware datetime; None when absent or zero."""
    kind, data = props.get(tag, (0, b""))
    if kind != PT_SYSTIME or len(data) < 8:
        return None
    ticks = struct.unpack("<Q", data[:8])[0]
    if ticks == 0 or ticks >= 0x7FFFFFFFFFFFFFFF:
        return None
    try:
        return _FILETIME_EPOCH + timedelta(microseconds=ticks // 10)
    except OverflowError:  # a time past the year 9999: a damaged property
        return None


def sender(props: Props, code_page: str) -> tuple[str, str]:
    """(display name, address): the SMTP address where Outlook kept one beside an Exchange one."""
    name = text(props, SENDER_NAME, code_page) or text(props, SENT_REPRESENTING_NAME, code_page)
    address = text(props, SENDER_SMTP_ADDRESS, code_page)
    if not address and text(props, SENDER_ADDRTYPE, code_page).upper() != "EX":
        address = text(props, SENDER_EMAIL, code_page) or text(props, SENT_REPRESENTING_EMAIL, code_page)
    if "@" not in address:  # Outlook writes "Unknown" where it has no sender address
        address = ""
    return name, address.lower()


# Named properties (MS-OXPROPS): (property set, long id) -> meaning; their ids differ per store.
PSETID_APPOINTMENT = "00062002-0000-0000-c000-000000000046"
PSETID_ADDRESS = "00062004-0000-0000-c000-000000000046"
NAMED = {
    (PSETID_APPOINTMENT, 0x820D): "start",
    (PSETID_APPOINTMENT, 0x820E): "end",
    (PSETID_APPOINTMENT, 0x8208): "location",
    (PSETID_ADDRESS, 0x8083): "email",
    (PSETID_ADDRESS, 0x8093): "email2",
    (PSETID_ADDRESS, 0x80A3): "email3",
}


def named_ids(name_map: Props) -> dict[str, int]:
    """{meaning: property id in this store} from the store's name-to-id map (MS-PST 2.4.7)."""
    import uuid

    guids_data = name_map.get(0x0002, (0, b""))[1]
    entries = name_map.get(0x0003, (0, b""))[1]
    guids = [str(uuid.UUID(bytes_le=guids_data[i : i + 16])) for i in range(0, len(guids_data) - 15, 16)]
    found = {}
    for offset in range(0, len(entries) - 7, 8):
        number, guid_field, index = struct.unpack_from("<IHH", entries, offset)
        guid_index = guid_field >> 1
        if guid_field & 1 or guid_index < 3 or guid_index - 3 >= len(guids):
            continue  # a string name, or PS_MAPI / PS_PUBLIC_STRINGS: none used here
        meaning = NAMED.get((guids[guid_index - 3], number))
        if meaning:
            found[meaning] = 0x8000 + index
    return found

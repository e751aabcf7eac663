"""The e-mail text helpers every message goes through, fuzzed: a header value, a declared
charset and a Date header may be anything, and none of them may raise."""

import io

from fuzz_harness import context
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.core.timestamps import TimestampError
from app.importers.email.eml import EmlImporter
from app.importers.email.message import read_mail_date
from app.importers.email.text import decode_bytes, header_text

QUICK = settings(max_examples=200, deadline=None, derandomize=True, database=None)
HEADER_BITS = st.sampled_from(
    ["=?", "?=", "utf-8", "?B?", "?Q?", "=", "\x00", "\x0c", "\r\n ", "abc", "+/", "=?x?q?", "\udce9", "\x80"]
)
CHARSETS = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.sampled_from(
        [
            "utf\x008",
            "utf-7",
            "idna",
            "punycode",
            "rot13",
            "base64",
            "zlib",
            "hex",
            "uu",
            "bz2",
            "quopri",
            "unknown-8bit",
            "x-unknown",
        ]
    ),
)


@QUICK
@given(st.lists(st.one_of(HEADER_BITS, st.text(max_size=5)), max_size=12).map("".join))
@example("=?utf-8?B?=?utf-8?B?=")
@example("\udce9\x80")  # a raw 8-bit byte beside a non-ASCII character (an Outlook header)
def test_any_header_value_is_read(value):
    warnings = []
    assert isinstance(header_text(value, warnings=warnings, name="Subject"), str)


@QUICK
@given(st.binary(max_size=200), CHARSETS)
@example(b"\x00", "ROT13")  # "not a text encoding": a LookupError from bytes.decode
@example(b"body", "utf\x008")  # "embedded null character": a ValueError from codecs.lookup
def test_any_declared_charset_is_read(data, charset):
    text, _note = decode_bytes(data, charset)
    assert isinstance(text, str)


@QUICK
@given(st.text(max_size=60))
@example("Wed, 099999999999999999999999999999999999999992 Jul 2025 09:30:00 +0800")
@example("2025-03-01T10:00:00+81:00")
def test_any_date_header_is_a_date_or_unreadable(text):
    try:
        read_mail_date(text, context("x.eml"))
    except TimestampError:
        pass


def test_a_body_declaring_a_charset_that_is_not_a_text_encoding_is_still_read():
    raw = b"From: a@example.com\nSubject: s\nContent-Type: text/plain; charset=zlib\n\nplain words\n"
    (record,) = EmlImporter().read(io.BytesIO(raw), context("x.eml"))
    assert record.kind == "email" and record.text == "plain words\n"

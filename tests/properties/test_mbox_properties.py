"""Mailbox splitting: each message comes back as written, and no byte of the mailbox is lost."""

import io

from hypothesis import example, given, strategies as st

from app.importers.email.mbox import _message_bytes, split_mbox

FROM_LINE = "From sender@example.com Sat Mar  1 10:00:00 2025\n"
# Body lines of printable ASCII, among them lines a mailbox must quote ("From ...", ">From ...").
BODY_LINE = st.one_of(
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
    st.sampled_from(
        ["From the start, we trained on it", ">From quoted already", "From x Sat Mar  1 10:00:00 2025", ""]
    ),
)
MESSAGE = st.lists(BODY_LINE, max_size=8).map(
    lambda body: "Subject: test\nFrom: a@example.com\n\n" + "".join(line + "\n" for line in body)
)


def _quoted(message: str) -> str:
    """mboxrd: every line matching >*From gets one more '>'."""
    return "".join(
        ">" + line if line.lstrip(">").startswith("From ") else line for line in message.splitlines(keepends=True)
    )


def _mailbox(messages: list[str]) -> bytes:
    return "".join(FROM_LINE + _quoted(message) + "\n" for message in messages).encode("latin-1")


@given(st.lists(MESSAGE, max_size=6))
@example(["Subject: x\n\nFrom the start\n\n>From here\n"])
def test_each_message_comes_back_as_it_was_before_it_went_into_the_mailbox(messages):
    data = _mailbox(messages)
    parts = list(split_mbox(io.BytesIO(data)))
    assert [_message_bytes(lines) for _, _, _, lines in parts] == [m.encode("latin-1") for m in messages]
    for offset, line_no, from_line, _ in parts:
        assert from_line == FROM_LINE
        assert data[offset : offset + len(FROM_LINE)] == FROM_LINE.encode()
        assert data.split(b"\n")[line_no - 1] + b"\n" == FROM_LINE.encode()


@given(st.binary(max_size=800))
@example(b"text before\nFrom a@b Sat Mar  1 10:00:00 2025\r\nbody\rFrom b@c Sat Mar  1 10:00:00 2025\n")
def test_any_bytes_split_into_parts_that_together_are_the_whole_file(data):
    parts = list(split_mbox(io.BytesIO(data)))
    rebuilt = b"".join(((from_line or "") + "".join(lines)).encode("latin-1") for _, _, from_line, lines in parts)
    assert rebuilt == data
    for offset, _, from_line, lines in parts:
        first = from_line if from_line is not None else "".join(lines)
        assert data[offset:].startswith(first[:50].encode("latin-1"))
    assert all(from_line is not None for _, _, from_line, _ in parts[1:])  # only the first part may be a preamble

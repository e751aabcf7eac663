"""Line offsets: every line's place in the original is exact, whatever the encoding mix."""

import codecs
import io

from hypothesis import example, given, strategies as st

from app.importers.text_decoding import KEPT_BYTES, Encoding, detect_encoding, iter_lines, read_head

LIMIT = 1024 * 1024
# Lines without a line break inside (the line break is added), any characters.
LINE_TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\n\r"), max_size=40)
ENDINGS = st.sampled_from(["\n", "\r\n"])


def _lines(data: bytes, encoding: Encoding, limit: int = LIMIT):
    head, stream = read_head(io.BytesIO(data))
    return list(iter_lines(stream, encoding, limit))


def _assert_offsets_exact(lines, data: bytes, start: int = 0):
    """Each line starts where the one before it ended; together they are the whole file."""
    offset = start
    for number, line in enumerate(lines, start=1):
        assert line.number == number and line.offset == offset
        assert data[offset : offset + len(line.raw)] == line.raw
        offset += line.size
    assert offset == len(data)


@given(st.lists(st.tuples(LINE_TEXT, ENDINGS), max_size=12), st.booleans())
def test_utf8_lines_read_back_with_exact_offsets(lines, bom):
    text = "".join(body + end for body, end in lines)
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    encoding = detect_encoding(data)
    assert encoding.name == "utf-8"
    read = _lines(data, encoding)
    _assert_offsets_exact(read, data)
    assert "".join(line.text for line in read) == text
    assert all(line.damage is None for line in read)


@given(st.lists(st.tuples(LINE_TEXT, ENDINGS, st.sampled_from(["utf-8", "cp1252"])), max_size=12))
@example([("café", "\n", "cp1252"), ("naïve", "\n", "utf-8")])
def test_a_utf8_file_with_windows_1252_lines_keeps_every_line_in_place(lines):
    """Exports that mix the two are common: each line is read, none is lost or moved."""
    pieces = []
    for body, end, name in lines:
        pieces.append((body + end).encode(name, "replace"))
    data = b"".join(pieces)
    read = _lines(data, Encoding("utf-8"))
    _assert_offsets_exact(read, data)
    assert [line.raw for line in read] == [p for p in data.splitlines(keepends=True) if p]
    for line in read:
        if line.damage is None:
            assert line.text == line.raw.decode("utf-8")


@given(st.lists(st.tuples(LINE_TEXT, ENDINGS), max_size=12), st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_utf16_lines_read_back_with_exact_offsets(lines, name):
    text = "".join(body + end for body, end in lines)
    bom = codecs.BOM_UTF16_LE if name == "utf-16-le" else codecs.BOM_UTF16_BE
    data = bom + text.encode(name)
    encoding = detect_encoding(data)
    assert encoding.name == name
    read = _lines(data, encoding)
    _assert_offsets_exact(read, data, start=len(bom))
    assert "".join(line.text for line in read) == text


@given(st.binary(max_size=600), st.integers(min_value=1, max_value=64))
@example(b"\xff\xfe\x00", 8)  # a UTF-16 BOM and an odd byte
@example(b"a" * 100 + b"\nb", 16)  # a line over the bound, then a short one
def test_any_bytes_give_lines_that_cover_the_file(data, limit):
    encoding = detect_encoding(data)
    codecs.lookup(encoding.name)  # a real codec, whatever the bytes
    read = _lines(data, encoding, limit)  # never raises
    if not encoding.wide:  # UTF-16 sizes count the text as re-encoded: exact for valid text only
        _assert_offsets_exact(read, data)
        assert all(len(line.raw) <= max(limit + 1, KEPT_BYTES) for line in read)

"""Reading a text original line by line: its encoding, and where each line starts.

Every text-log importer needs the same three things: the encoding (a BOM, UTF-16
without one, UTF-8, else charset-normalizer's guess from the head -- typically
Windows-1252), each line's byte offset for the locator, and a damaged tail of a
gzip file reported rather than failing the whole import.
"""

import codecs
import io
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from charset_normalizer import from_bytes

HEAD_BYTES = 64 * 1024
KEPT_BYTES = 4096  # of a line over the size bound
_REPLACED = "bytes not valid {} were replaced with U+FFFD"
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Guesses that mean "some Western single-byte code page": read as Windows-1252 if it fits.
_WESTERN = {
    "ascii",
    "utf-8",
    "cp1250",
    "cp1252",
    "iso8859-1",
    "iso8859-15",
    "iso8859-2",
    "iso8859-9",
    "cp1254",
    "mac-roman",
    "cp850",
    "cp437",
}
# What a truncated or corrupt gzip member raises part-way through the stream.
STREAM_ERRORS = (EOFError, zlib.error, OSError)


@dataclass(frozen=True)
class Encoding:
    name: str  # a Python codec name
    bom: bytes = b""
    guessed: bool = False  # chosen by charset-normalizer, not by a BOM or a clean decode

    @property
    def wide(self) -> bool:
        return self.name.startswith("utf-16")

    def describe(self) -> str:
        how = "BOM" if self.bom else "guessed" if self.guessed else "detected"
        return f"{self.name} ({how})"


@dataclass(slots=True)
class Line:
    """One line of the original: where it starts, its bytes, its text (newline kept).

    A line longer than the size bound is not held whole: `raw` and `text` are its
    first KEPT_BYTES and `size` its full length, so memory stays flat.
    """

    number: int
    offset: int
    raw: bytes
    text: str
    damage: str | None  # bytes not valid in the encoding, and how they were read: a warning
    size: int  # bytes in the original


class StreamDamaged(Exception):
    """The stream ended in a way that cannot be read (a truncated gzip, say)."""

    def __init__(self, line_number: int, offset: int, reason: str):
        super().__init__(reason)
        self.line_number, self.offset, self.reason = line_number, offset, reason


def detect_encoding(head: bytes) -> Encoding:
    """The encoding of a text original from its first bytes."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return Encoding(name, bom)
    sample = head[:4096]
    if len(sample) >= 4:
        if sample[1::2].count(0) > len(sample) // 4 and sample[0::2].count(0) == 0:
            return Encoding("utf-16-le")
        if sample[0::2].count(0) > len(sample) // 4 and sample[1::2].count(0) == 0:
            return Encoding("utf-16-be")
    if _mostly_utf8(head):
        return Encoding("utf-8")
    return Encoding(_guess_single_byte(head), guessed=True)


def is_utf8_head(head: bytes) -> bool:
    """The first bytes of a file are UTF-8 (a last character cut by the end of the head allowed)."""
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # only a character cut by the end of the head


def _mostly_utf8(head: bytes) -> bool:
    """UTF-8, or UTF-8 with a few damaged bytes (more valid non-ASCII characters than errors).

    Windows-1252 text almost never forms valid multi-byte UTF-8 sequences, so a head
    with more of those than of invalid bytes is damaged UTF-8, not another encoding.
    """
    if is_utf8_head(head):
        return True
    text = head.decode("utf-8", "replace")
    errors = text.count("\ufffd")
    valid = sum(1 for char in text if ord(char) > 127) - errors
    return valid > errors


def _guess_single_byte(head: bytes) -> str:
    """charset-normalizer's guess, but Windows-1252 when that reads the head as well.

    On a short sample several code pages score alike (cp775, cp1250, cp1252, ...);
    Windows-1252 is by far the most common source of non-UTF-8 exports.
    """
    matches = list(from_bytes(head))
    if not matches:
        return "cp1252"
    best = matches[0]
    fits_1252 = any(codecs.lookup(m.encoding).name == "cp1252" and m.chaos <= best.chaos + 0.05 for m in matches)
    name = codecs.lookup(best.encoding).name
    if (fits_1252 or name in _WESTERN) and _decodes(head, "cp1252"):
        return "cp1252"
    return name


def _decodes(data: bytes, name: str) -> bool:
    try:
        data.decode(name)
        return True
    except UnicodeDecodeError:
        return False


def read_head(stream: BinaryIO) -> tuple[bytes, BinaryIO]:
    """The first bytes of a stream, and a stream that still starts at its beginning.

    A stream damaged within the head gives what could be read; the error is raised
    again once the returned stream reaches that point.
    """
    chunks, wanted, error = [], HEAD_BYTES, None
    while wanted > 0:
        try:
            chunk = stream.read(wanted)
        except STREAM_ERRORS as exc:
            error = exc
            break
        if not chunk:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
    head = b"".join(chunks)
    return head, io.BufferedReader(_Prefixed(head, stream, error), buffer_size=1024 * 1024)


def decode_head(head: bytes) -> str:
    """The head as text (a cut final character dropped), for sniffing."""
    encoding = detect_encoding(head)
    return head[len(encoding.bom) :].decode(encoding.name, "ignore")


def iter_lines(stream: BinaryIO, encoding: Encoding, limit: int) -> Iterator[Line]:
    """Every line of the stream, decoded; raises StreamDamaged where it cannot go on.

    A line of more than `limit` bytes comes cut to its start (see Line).
    """
    if encoding.wide:
        pieces = _wide_pieces(stream, encoding, limit)
    else:
        pieces = _byte_pieces(stream, encoding, limit)
    offset = len(encoding.bom) if encoding.wide else 0  # a byte line 1 holds its BOM
    number = 0
    while True:
        try:
            raw, text, damage, size = next(pieces)
        except StopIteration:
            return
        except STREAM_ERRORS as exc:
            raise StreamDamaged(number + 1, offset, _damage_reason(exc)) from exc
        number += 1
        yield Line(number, offset, raw, text, damage, size)
        offset += size


def _byte_pieces(stream: BinaryIO, encoding: Encoding, limit: int):
    """(raw, text, damage, size) of each line of an encoding where a newline is the byte 0x0A."""
    name, bom = encoding.name, encoding.bom
    readline = stream.readline
    while True:
        raw = readline(limit + 1)
        if not raw:
            return
        size = len(raw)
        if size > limit and raw[-1:] != b"\n":
            size += _rest_of_line(readline, limit, len)
            raw = raw[:KEPT_BYTES]
        body = raw
        if bom:
            body, bom = raw[len(bom) :], b""
        try:
            yield raw, body.decode(name), None, size
        except UnicodeDecodeError:
            yield (raw, *_salvage(body, name), size)


def _wide_pieces(stream: BinaryIO, encoding: Encoding, limit: int):
    """(raw, text, damage, size) of each line of UTF-16 text (raw re-encoded: same bytes)."""
    if encoding.bom:
        stream.read(len(encoding.bom))
    name = encoding.name
    readline = io.TextIOWrapper(stream, encoding=name, errors="replace", newline="").readline
    chars = max(limit // 2, 1)
    while True:
        text = readline(chars + 1)
        if not text:
            return
        raw = text.encode(name, "replace")
        size = len(raw)
        if len(text) > chars and text[-1:] != "\n":
            size += _rest_of_line(readline, chars, lambda piece: len(piece.encode(name, "replace")))
            raw, text = raw[:KEPT_BYTES], text[: KEPT_BYTES // 2]
        yield raw, text, _REPLACED.format(name) if "\ufffd" in text else None, size


def _salvage(body: bytes, name: str) -> tuple[str, str]:
    """(text, warning) of a line that is not valid in the file's encoding.

    In a UTF-8 file, a line with no valid multi-byte character at all is a Windows-1252
    line (exports that mix the two are common); otherwise the bad bytes are damage.
    """
    text = body.decode(name, "replace")
    if name == "utf-8" and not any(ord(c) > 127 and c != "\ufffd" for c in text) and _decodes(body, "cp1252"):
        return body.decode("cp1252"), "bytes not valid UTF-8 in this line were read as Windows-1252"
    return text, _REPLACED.format(name)


def _rest_of_line(readline, chunk: int, measure) -> int:
    """Read past the rest of an over-long line; its size in bytes."""
    skipped = 0
    while True:
        piece = readline(chunk)
        skipped += measure(piece)
        if not piece or piece[-1:] in (b"\n", "\n"):
            return skipped


def _damage_reason(exc: Exception) -> str:
    return f"the rest of the file cannot be read (truncated or damaged compressed data: {exc})"


class _Prefixed(io.RawIOBase):
    """Bytes already read from a stream, then the rest of the stream."""

    def __init__(self, prefix: bytes, rest: BinaryIO, error: Exception | None = None):
        self._prefix = memoryview(prefix)
        self._rest = rest
        self._error = error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._prefix:
            size = min(len(buffer), len(self._prefix))
            buffer[:size] = self._prefix[:size]
            self._prefix = self._prefix[size:]
            return size
        if self._error is not None:
            raise self._error
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

"""Compressed (gzip) originals: read what can be read, say where and why the rest could not be.

Every place that looks inside a `.gz` (choosing the importer, the import itself, the
wizard's preview, `mapping suggest`) reads it through `GunzipReader`, and names it by
`inner_name`, so they agree.

A truncated or damaged gzip never raises part-way: the reader ends its output at the
last complete line before the damage and keeps the cut line back (`withheld`); the
import then quarantines the rest from that place with the reason in words. (Python's
gzip module raises instead, and the buffered readers above it drop what they had
already decompressed with the error: a truncated 5,000-row log imported 0 rows.)

The expansion guard (`ExpansionCheck`) runs while the original is stored: a file that
expands to more than `expansion_ratio` times its size and over `expansion_floor_bytes`
(a 9 MB file of 2.6 GB, a 2 MB file of one 2 GB line) is not imported unless the user
allows large expansion. See `ExpansionRefused` for why it is refused, not cut.
"""

import io
import zlib
from dataclasses import dataclass

from app.core.records import ImportSettings, ItemRecord, Quarantined

GZIP_MAGIC = b"\x1f\x8b"
IN_STEP = 256 * 1024  # compressed bytes read at a time
OUT_STEP = 1024 * 1024  # decompressed bytes produced at a time: memory stays flat
WITHHELD_KEPT = 4096  # of a cut line, kept in its quarantine row (the original is stored whole)
# The importers whose records are single lines: the reader's cut at a line end leaves
# them only whole records. A text document keeps the text that could be read (with a
# warning). Any other importer's last record (a message) may be cut by the damage.
LINE_IMPORTERS = frozenset({"jsonl", "csv", "tsv", "weblog", "syslog", "text", "outputs_jsonl"})
TEXT_IMPORTERS = frozenset({"text_document", "outputs_text"})


def is_gzip(head: bytes) -> bool:
    return head[:2] == GZIP_MAGIC


def inner_name(name: str) -> str:
    """A file's name without its `.gz`: the name the importer is chosen by (`api.jsonl.gz` -> `api.jsonl`)."""
    return name[:-3] if name.lower().endswith(".gz") else name


@dataclass(frozen=True)
class EarlyEnd:
    """Why the decompressed content ended before the compressed file did."""

    kind: str  # "truncated", "damaged" or "trailing" (bytes after the last member)
    detail: str = ""  # zlib's words

    @property
    def cuts_content(self) -> bool:
        """The content stops in the middle (not: whole, with unreadable bytes after it)."""
        return self.kind != "trailing"


class Inflater:
    """Decompresses gzip members one after another as compressed bytes are fed in.

    Output comes in blocks of at most OUT_STEP bytes; damage ends the output and is
    noted in `end` instead of being raised.
    """

    def __init__(self):
        self._zobj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._started = False  # the current member has had input
        self.end: EarlyEnd | None = None
        self.total = 0  # decompressed bytes so far

    def feed(self, data: bytes):
        """The output blocks of `data` (a generator)."""
        while data and self.end is None:
            if self._zobj.eof:  # a member has ended: zero padding, another member, or stray bytes
                data = data.lstrip(b"\x00")
                if not data:
                    return
                if data[:1] != GZIP_MAGIC[:1]:
                    self.end = EarlyEnd("trailing")
                    return
                self._zobj, self._started = zlib.decompressobj(16 + zlib.MAX_WBITS), False
            self._started = True
            try:
                out = self._zobj.decompress(data, OUT_STEP)
            except zlib.error as exc:
                self.end = EarlyEnd("damaged", str(exc).removeprefix("Error -3 while decompressing data: "))
                return
            data = self._zobj.unused_data if self._zobj.eof else self._zobj.unconsumed_tail
            if out:
                self.total += len(out)
                yield out

    def finish(self) -> None:
        """No more input: a member not at its end marker was cut short."""
        if self.end is None and self._started and not self._zobj.eof:
            self.end = EarlyEnd("truncated", "it ends before its end marker")


class GunzipReader(io.RawIOBase):
    """The decompressed content of a gzip stream, never raising part-way.

    Output is handed on up to the end of the last complete line; the bytes after it wait
    for the next block (at most `holdback` of them, so one endless line is still streamed).
    If the stream then breaks off, those bytes are the cut line: kept back, not handed on.
    """

    def __init__(self, raw, holdback: int = 10 * 1024 * 1024, owns_raw: bool = False):
        super().__init__()
        self._raw = raw
        self._owns_raw = owns_raw  # closed with this reader (a file it was given to read)
        self._holdback = holdback
        self._inflater = Inflater()
        self._blocks = iter(())
        self._pending = bytearray()  # after the last newline: not handed on yet
        self._ready = memoryview(b"")
        self._finished = False
        self.produced = 0  # decompressed bytes handed on (or about to be)
        self.lines = 0  # newlines in them
        self.withheld = b""  # the start of the cut line, if the stream broke off
        self.withheld_size = 0

    @property
    def end(self) -> EarlyEnd | None:
        return self._inflater.end

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if self._owns_raw and not self.closed:
            self._raw.close()
        super().close()

    def readinto(self, buffer) -> int:
        while not self._ready:
            if self._finished:
                return 0
            self._fill()
        size = min(len(buffer), len(self._ready))
        buffer[:size] = self._ready[:size]
        self._ready = self._ready[size:]
        return size

    def _fill(self) -> None:
        out = self._next_block()
        if out is None:  # the end, whole or early
            self._finished = True
            if self.end is None or not self.end.cuts_content:
                self._publish(self._pending, 0)
            else:
                self.withheld, self.withheld_size = bytes(self._pending[:WITHHELD_KEPT]), len(self._pending)
            self._pending = bytearray()
            return
        cut = out.rfind(b"\n") + 1
        if cut == 0:  # no line ends in this block (the pending bytes never hold one)
            self._pending += out
            if len(self._pending) > self._holdback:  # a very long line: streamed, not held
                self._publish(self._pending, 0)
                self._pending = bytearray()
            return
        ready = memoryview(out)[:cut]
        if self._pending:
            self._pending += ready
            ready = self._pending
        self._pending = bytearray(memoryview(out)[cut:])
        self._publish(ready, out.count(b"\n", 0, cut))

    def _publish(self, data, lines: int) -> None:
        """Hand `data` on (not copied: it is not changed again)."""
        self.produced += len(data)
        self.lines += lines
        self._ready = memoryview(data)

    def _next_block(self) -> bytes | None:
        while True:
            out = next(self._blocks, None)
            if out is not None:
                return out
            if self.end is not None:
                return None
            data = self._raw.read(IN_STEP)
            if not data:
                self._inflater.finish()
                return None
            self._blocks = self._inflater.feed(data)


# -- the expansion guard ------------------------------------------------------------------


class ExpansionRefused(Exception):
    """A compressed file expands past the guard: it is not imported at all (nothing stored).

    Refused rather than cut: the case holds each original once (by its SHA-256), so a
    file imported in part could never be read in full later -- "import it again" would
    say "already imported". Refused while it is stored, after at most the guard's size
    of decompression and before any row is written, the user can import it again with
    large expansion allowed and get all of it. The other files of the import go on.
    """


class ExpansionCheck:
    """Fed the compressed original block by block as it is stored; raises ExpansionRefused."""

    def __init__(self, settings: ImportSettings, path):
        self.file_name = path.name
        self.ratio = settings.expansion_ratio
        self.compressed_size = path.stat().st_size
        self.limit = max(self.compressed_size * settings.expansion_ratio, settings.expansion_floor_bytes)
        self._inflater = None  # decided by the first block: only a gzip is checked

    def feed(self, block: bytes) -> None:
        if self._inflater is None:
            self._inflater = Inflater() if is_gzip(block) else False
        if not self._inflater:
            return
        for _ in self._inflater.feed(block):  # the output itself is not needed: only its size
            if self._inflater.total > self.limit:
                raise ExpansionRefused(
                    f"{self.file_name} expands to more than {self.ratio} times its size "
                    f"({human_size(self.compressed_size)} -> over {human_size(self.limit)} so far), so it was not "
                    f"imported; if you expect this, import it again with --allow-large-expansion (in the import "
                    f"wizard: tick 'Allow large expansion')"
                )


# -- reading ---------------------------------------------------------------------------------


def read_head(raw, size: int) -> bytes:
    """The first `size` bytes of a seekable stream, decompressed when it is gzip (what can be read).

    The stream is left at its start.
    """
    head = raw.read(size)
    raw.seek(0)
    if not is_gzip(head):
        return head
    try:
        with io.BufferedReader(GunzipReader(raw, holdback=size), buffer_size=size) as reader:
            return reader.read(size)
    finally:
        raw.seek(0)


def read_file_head(path, size: int) -> bytes:
    """`read_head` of a file on disk (the wizard's preview, `mapping suggest`)."""
    with open(path, "rb") as handle:
        return read_head(handle, size)


def open_decompressed(raw, settings: ImportSettings, owns_raw: bool = False):
    """(stream, GunzipReader or None): the content of a buffered binary stream, decompressed if gzip."""
    if not is_gzip(raw.peek(2)[:2]):
        return raw, None
    reader = GunzipReader(raw, holdback=settings.max_field_bytes + 1, owns_raw=owns_raw)
    return io.BufferedReader(reader, buffer_size=OUT_STEP), reader


def open_file_decompressed(path, settings: ImportSettings):
    """`open_decompressed` of a file on disk; closing the stream closes the file."""
    return open_decompressed(open(path, "rb"), settings, owns_raw=True)[0]


def unreadable_start(raw) -> str | None:
    """Why a gzip original gives no content at all (damaged from its first bytes), or None."""
    if not is_gzip(raw.peek(2)[:2]):
        return None
    reader = GunzipReader(raw, holdback=0)
    try:
        reader.read(1)
    finally:
        raw.seek(0)
    if reader.produced or reader.end is None:
        return None
    return (
        f"the compressed file cannot be decompressed at all: it is damaged from its first bytes ({reader.end.detail})"
    )


def until_the_break(records, reader: GunzipReader | None, importer_name: str):
    """The importer's records, then the rest of a broken-off gzip quarantined with place and reason.

    A line importer only ever saw whole lines, so its records stand and the cut line
    starts the quarantined rest; a text document keeps the text that could be read, with
    a warning. Any other importer's last record (a message of a mailbox, a whole .eml)
    ran into the break: it is quarantined in its place instead, as incomplete.
    """
    if reader is None:
        yield from records
        return
    if importer_name in LINE_IMPORTERS:
        yield from records
        if reader.end is not None:
            yield _rest(reader)
        return
    held = None
    for record in records:
        if held is not None:
            yield held
        held = record
    if reader.end is None:
        if held is not None:
            yield held
        return
    if isinstance(held, ItemRecord) and reader.end.cuts_content and importer_name not in TEXT_IMPORTERS:
        what = {"email": "message", "document": "document"}.get(held.kind, "record")
        yield Quarantined(
            held.locator, reader.withheld, f"{_why(reader)}; this {what} runs into that point, so it is incomplete"
        )
        return
    if isinstance(held, ItemRecord):
        why = _why(reader)
        held.warnings.append(
            f"{why[0].upper()}{why[1:]}: only what comes before is here; the rest is listed in the quarantine."
        )
    if held is not None:
        yield held
    yield _rest(reader)


def early_end_note(reader: GunzipReader | None) -> str | None:
    """One sentence for the import's report when a gzip ended early, else None."""
    return f"{_why(reader)}; see the quarantine" if reader is not None and reader.end else None


def _rest(reader: GunzipReader) -> Quarantined:
    locator = {"line": reader.lines + 1, "byte_offset": reader.produced}
    return Quarantined(locator, reader.withheld, f"{_why(reader)}; the rest could not be decompressed")


def _why(reader: GunzipReader) -> str:
    end, where = reader.end, f"after {reader.lines:,} lines" if reader.lines else f"after {reader.produced:,} bytes"
    if end.kind == "truncated":
        return f"the compressed file ends early {where}"
    if end.kind == "trailing":
        return f"the compressed file holds bytes that are not compressed data after its end ({where})"
    return f"the compressed file is damaged {where} ({end.detail})"


def human_size(size: int) -> str:
    """'9 MB', '2.2 GB': sizes in a sentence."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            value = size / scale
            return f"{value:.1f} {unit}".replace(".0 ", " ") if value < 10 else f"{value:,.0f} {unit}"
    return f"{size:,} bytes"

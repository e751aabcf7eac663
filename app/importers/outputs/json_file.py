"""A JSON file of model outputs: an array of records (evaluation sets, chat exports such
as ChatGPT's conversations.json), or one object holding a conversation or a list of them.

An array is streamed element by element with the standard library's
`json.JSONDecoder.raw_decode` (memory holds one element, not the file). Each element
is one `output` item; an element that is not a record is quarantined; where the JSON
itself breaks (a truncated file) the rest is quarantined with the reason.
"""

import codecs
import json
import re

from app.core.records import Quarantined
from app.importers.base import ImportContext
from app.importers.outputs.json_lines import FORCE_ONLY, sniff_records
from app.importers.outputs.records import OutputRecordReader, looks_like_outputs

READ_CHARS = 1 << 20
SNIFF_RECORDS = 5
MARKED = 85  # the head shows a chat export whose first record is longer than the head
WHITESPACE = " \t\r\n"
_DECODER = json.JSONDecoder()
_BRACKET_OR_QUOTE = re.compile(r'[\[\]{}"]')
_STRING_END = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.S)  # the rest of a string, escapes skipped
NESTED_TOO_DEEP = (
    "its values are nested too deeply to be read (hundreds of levels of brackets: no "
    "exporter writes that; the record is malformed or hostile)"
)


class NestedTooDeep(ValueError):
    """A JSON value nested beyond what the decoder (which recurses per level) can read; the
    cursor has been moved past it, so the records after it can still be read."""

    msg = NESTED_TOO_DEEP


_CHAT_MARKERS = (
    re.compile(r'"mapping"\s*:\s*\{.*"(current_node|parent|children)"', re.S),
    re.compile(r'"(chat_messages|messages)"\s*:\s*\[\s*\{[^{}]*"(role|sender|author)"', re.S),
    re.compile(r'"conversations"\s*:\s*\[\s*\{[^{}]*"from"', re.S),
)


class JsonText:
    """Decoded text of a stream, read on demand, with a cursor (`pos`) into it."""

    def __init__(self, stream):
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
        self.buf, self.pos, self.base, self.eof = "", 0, 0, False

    def more(self, size: int = READ_CHARS) -> bool:
        if self.eof:
            return False
        data = self.stream.read(size)
        self.buf += self.decoder.decode(data, final=not data)
        self.eof = not data
        return True

    def peek(self) -> str:
        """The next non-space character ('' at the end), the cursor moved onto it."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos : self.pos + 1]

    def value(self, limit: float):
        """(value, start, None) for the next JSON value, or (None, start, error)."""
        if self.pos > READ_CHARS:  # drop what was consumed: memory holds one element
            self.base += self.pos
            self.buf, self.pos = self.buf[self.pos :], 0
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
                if end < len(self.buf) or self.eof:
                    start, self.pos = self.pos, end
                    return value, start, None
            except json.JSONDecodeError as exc:
                if self.eof or len(self.buf) - self.pos > limit:
                    return None, self.pos, exc
            except RecursionError:
                return self._skip_nested(limit)
            self.more(max(READ_CHARS, len(self.buf) - self.pos))

    def _skip_nested(self, limit: float):
        """(None, start, NestedTooDeep) with the cursor after the value at the cursor, found by
        counting brackets outside strings; (None, start, JSONDecodeError) when it never ends."""
        start, depth, at = self.pos, 0, self.pos
        while True:
            found = _BRACKET_OR_QUOTE.search(self.buf, at)
            if found is None:
                if self.eof or len(self.buf) - start > limit:
                    return None, start, json.JSONDecodeError("a value nested too deeply is not closed", self.buf, start)
                at = len(self.buf)
                self.more()
                continue
            char, at = found.group(), found.end()
            if char == '"':
                closing = _STRING_END.match(self.buf, at)
                if closing is None:  # the string goes on past what has been read
                    if self.eof or len(self.buf) - start > limit:
                        return None, start, json.JSONDecodeError("a string is not closed", self.buf, at)
                    at = found.start()
                    self.more()
                    continue
                at = closing.end()
            elif char in "[{":
                depth += 1
            else:
                depth -= 1
                if depth <= 0:
                    self.pos = at
                    return None, start, NestedTooDeep(NESTED_TOO_DEEP)

    def rest(self, limit: int) -> str:
        """The text from the cursor on (at most `limit` characters), for quarantine."""
        while not self.eof and len(self.buf) - self.pos < limit:
            self.more()
        return self.buf[self.pos : self.pos + limit]


class OutputsJsonImporter:
    name = "outputs_json"
    family = "outputs"

    def sniff(self, head: bytes, filename: str) -> int:
        text = JsonText(None)
        text.buf, text.eof = head.decode("utf-8-sig", "ignore"), True
        first = text.peek()
        if first not in ("[", "{"):
            return 0
        if first == "[":
            text.pos += 1
            records = []
            while len(records) < SNIFF_RECORDS and text.peek() == "{":
                value, _start, error = text.value(len(head))
                if error:
                    break
                records.append(value)
                if text.peek() == ",":
                    text.pos += 1
            if records:
                return sniff_records(records)
        else:
            value, _start, error = text.value(len(head))
            if not error and text.peek():
                return 0  # a second value follows: JSON lines, not one JSON document
            if not error and (looks_like_outputs(value) or _record_list(value)):
                return sniff_records([value]) if looks_like_outputs(value) else MARKED
        return MARKED if any(m.search(text.buf[: len(head)]) for m in _CHAT_MARKERS) else FORCE_ONLY

    def read(self, stream, ctx: ImportContext):
        text = JsonText(stream)
        reader = OutputRecordReader(ctx)
        first = text.peek()
        if first == "[":
            text.pos += 1
            yield from self._array(text, reader, ctx)
        elif first == "{":
            yield from self._object(text, reader, ctx)
        else:
            yield Quarantined({"char_offset": text.pos}, text.rest(4096), "not a JSON array or object")

    def _array(self, text: JsonText, reader: OutputRecordReader, ctx: ImportContext):
        number = 0
        while text.peek() not in ("]", ""):
            number += 1
            value, start, error = text.value(ctx.settings.max_field_bytes)
            locator = {"record": number, "char_offset": text.base + start}
            if isinstance(error, NestedTooDeep):
                yield _skipped(text, start, locator, ctx)
            elif error:
                yield _broken(text, locator, ctx, f"the JSON breaks here ({error.msg}); the file may be truncated")
                return
            else:
                yield reader.item(value, locator, text.buf[start : text.pos])
            separator = text.peek()
            if separator == ",":
                text.pos += 1
            elif separator != "]":
                yield _broken(
                    text,
                    {"record": number + 1, "char_offset": text.base + text.pos},
                    ctx,
                    "expected ',' or ']' between records; the rest cannot be read as JSON",
                )
                return
        if text.peek() == "":
            ctx.provenance["warning"] = "The JSON array is not closed: the file may be truncated."
        else:
            text.pos += 1
            yield from _trailing(text, number + 1, ctx)

    def _object(self, text: JsonText, reader: OutputRecordReader, ctx: ImportContext):
        """One object (a conversation, or a wrapper around a list of records), or several
        objects one after another (JSON lines whose first line outgrew the sniffed head)."""
        number = 0
        while text.peek() == "{":
            value, start, error = text.value(float("inf"))
            locator = {"record": number + 1, "char_offset": text.base + start}
            if isinstance(error, NestedTooDeep):
                number += 1
                yield _skipped(text, start, locator, ctx)
                continue
            if error:
                yield _broken(text, locator, ctx, f"not valid JSON ({error.msg})")
                return
            records = _record_list(value) if number == 0 else None
            if records is None:
                number += 1
                yield reader.item(value, locator, text.buf[start : text.pos])
                continue
            key, items = records
            for number, record in enumerate(items, start=1):
                yield reader.item(record, {"record": number, "key": key}, json.dumps(record, ensure_ascii=False))
        yield from _trailing(text, number + 1, ctx)


def _record_list(value) -> tuple[str, list] | None:
    """(key, records) when an object is a wrapper around a list of output records."""
    if not isinstance(value, dict) or looks_like_outputs(value):
        return None
    for key, inner in value.items():
        if isinstance(inner, list) and inner and looks_like_outputs(inner[0]):
            return key, inner
    return None


def _broken(text: JsonText, locator: dict, ctx: ImportContext, reason: str) -> Quarantined:
    return Quarantined(locator, text.rest(ctx.settings.max_field_bytes), reason)


def _skipped(text: JsonText, start: int, locator: dict, ctx: ImportContext) -> Quarantined:
    """A record too deeply nested to decode, quarantined; the cursor is already past it."""
    return Quarantined(
        locator,
        text.buf[start : min(text.pos, start + ctx.settings.max_field_bytes)],
        f"record {locator['record']} cannot be read: {NESTED_TOO_DEEP}",
    )


def _trailing(text: JsonText, number: int, ctx: ImportContext):
    if text.peek():
        yield _broken(
            text, {"record": number, "char_offset": text.base + text.pos}, ctx, "text after the end of the JSON value"
        )

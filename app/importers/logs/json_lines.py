"""JSON API logs: one `log_entry` per JSON-lines row or per record of a records array.

JSON-lines (one object per line) is streamed; nested objects are addressed by dotted
paths (`identity.arn`) and arrays are kept as they are. A whole-document log -- an
AWS CloudTrail file `{"Records": [...]}` or a top-level array of objects -- is read
whole (up to a size bound) and each record becomes one item. The mapping
(app.core.mapping) is suggested from the first record unless the user gave one;
malformed lines are quarantined with their line number, byte offset and the reason.
A JSON-lines file whose lines are JSON strings (a list of prompts, say) gives one item
per line too, the string as its text (field `text`).
"""

import re

import orjson

from app.core.mapping import flatten_paths, suggest_mapping
from app.core.records import ItemRecord, Quarantined, Skipped
from app.core.row_fields import RECIPE_KEY, fields_json, jsonl_recipe
from app.importers.base import ImportContext
from app.importers.logs.rows import RAW_KEPT, LogRowBuilder, oversized
from app.importers.text_decoding import (
    STREAM_ERRORS,
    StreamDamaged,
    decode_head,
    detect_encoding,
    iter_lines,
    read_head,
)

SNIFF_LINES = 20
_RECORDS_ARRAY = re.compile(r'^\s*\{\s*"Records"\s*:\s*\[')
_TOP_ARRAY = re.compile(r"^\s*\[\s*(\{|\])")
STRING_FIELD = "text"
STRINGS_SCORE = 60  # lines of JSON strings: above a text document, below a log of objects
DOCUMENT_LIMIT = 32 * 1024 * 1024  # read whole, parsed in memory: bounded to keep memory < 300 MB


class JsonLinesLogImporter:
    name = "jsonl"
    family = "logs"

    def sniff(self, head: bytes, filename: str) -> int:
        text = decode_head(head)
        if _RECORDS_ARRAY.match(text):
            return 85
        if _TOP_ARRAY.match(text):
            return 30  # a plain JSON array: a more specific importer may know it better
        lines = [line for line in text.splitlines()[:SNIFF_LINES] if line.strip()]
        complete = lines[:-1] or lines  # the last line of the head may be cut short
        kinds = [_value_type(line) for line in complete]
        parsed = kinds.count(dict)
        if not parsed:
            return STRINGS_SCORE if complete and kinds.count(str) >= len(complete) * 0.8 else 0
        # A log with a few malformed lines near the top is still a JSON-lines log: those
        # lines are quarantined on import, not a reason to refuse the file.
        return 80 if parsed >= len(complete) * 0.8 else 60 if parsed >= len(complete) * 0.5 else 0

    def read(self, stream, ctx: ImportContext):
        head, stream = read_head(stream)
        encoding = detect_encoding(head)
        ctx.provenance["encoding"] = encoding.describe()
        text = head[len(encoding.bom) :].decode(encoding.name, "ignore")
        if _RECORDS_ARRAY.match(text) or _TOP_ARRAY.match(text):
            yield from self._read_document(stream, encoding, ctx)
        else:
            yield from self._read_lines(stream, encoding, ctx)

    def _read_lines(self, stream, encoding, ctx: ImportContext):
        limit = ctx.settings.max_field_bytes
        builder = None
        recipe = jsonl_recipe(encoding.name) if ctx.stream_is_original else None
        if recipe:
            ctx.provenance[RECIPE_KEY] = recipe
        lines = iter_lines(stream, encoding, limit)
        strings = None  # lines of JSON strings? Decided by the first line that is JSON
        try:
            for line in lines:
                locator = {"line": line.number, "byte_offset": line.offset}
                body = line.text.strip()
                if not body:
                    yield Skipped(locator, "blank")
                    continue
                if line.size > limit:
                    yield oversized(locator, line.raw, "line", limit, line.size)
                    continue
                value, problem = _parse_line(body)
                if strings is None and problem is None:
                    strings = isinstance(value, str)
                    if strings:
                        ctx.provenance["lines"] = "JSON strings"
                is_string = strings and isinstance(value, str)
                record = {STRING_FIELD: value} if is_string else value
                if problem or not isinstance(record, dict):
                    yield Quarantined(
                        locator,
                        line.raw,
                        problem
                        or (
                            "a JSON value that is neither text nor an object"
                            if strings
                            else "a JSON value that is not an object"
                        ),
                    )
                    continue
                builder = builder or self._builder(record, ctx, raw_summary=strings)
                item = builder.build(record, line.raw, locator, body, fields_json=None if is_string else body)
                if line.damage and not isinstance(item, Quarantined):
                    item.warnings.append(line.damage)
                elif (
                    recipe
                    and not is_string
                    and isinstance(item, ItemRecord)
                    # An undamaged line after the first decodes from its bytes exactly as read (the
                    # first may start with a byte-order mark): checked once, not a million times.
                    and (line.number > 1 or fields_json(recipe, line.raw) == body)
                ):
                    # The line's bytes in the original give these fields back exactly: not stored twice.
                    item.fields_in_original = True
                    locator["byte_length"] = line.size
                yield item
        except StreamDamaged as damage:
            yield Quarantined({"line": damage.line_number, "byte_offset": damage.offset}, b"", damage.reason)

    def _read_document(self, stream, encoding, ctx: ImportContext):
        try:
            data = stream.read(DOCUMENT_LIMIT + 1)
        except STREAM_ERRORS as exc:
            yield Quarantined(
                {"record": 1, "byte_offset": 0},
                b"",
                f"the JSON document cannot be read (truncated or damaged compressed data: {exc})",
            )
            return
        if len(data) > DOCUMENT_LIMIT:
            yield Quarantined(
                {"record": 1, "byte_offset": 0},
                data[:RAW_KEPT],
                f"a JSON document over the size bound of {DOCUMENT_LIMIT:,} bytes cannot be read "
                f"whole; convert it to JSON lines (one record per line) and import that",
            )
            return
        records = _document_records(data, encoding)
        if isinstance(records, str):
            yield Quarantined({"record": 1, "byte_offset": 0}, data[:RAW_KEPT], records)
            return
        del data  # only the parsed records are needed from here on
        ctx.provenance["records_array"] = True
        builder = None
        for index, record in enumerate(records, start=1):
            locator = {"record": index}
            try:
                raw = orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
            except (orjson.JSONEncodeError, RecursionError):  # orjson reads 1,024 levels but writes 254
                yield Quarantined(
                    locator, b"", "this record cannot be read: its values are nested too deeply (more than 254 levels)"
                )
                continue
            if not isinstance(record, dict):
                yield Quarantined(locator, raw, "a record that is not a JSON object")
                continue
            builder = builder or self._builder(record, ctx)
            yield builder.build(record, raw, locator, raw.decode("utf-8"))

    def _builder(self, first: dict, ctx: ImportContext, raw_summary: bool = False) -> LogRowBuilder:
        mapping = ctx.settings.mapping
        if mapping is None:
            mapping = suggest_mapping(flatten_paths(first))
            ctx.provenance["mapping_suggested"] = True
        return LogRowBuilder(self.name, mapping, ctx, raw_summary=raw_summary)


def _value_type(line: str) -> type | None:
    """The type of the JSON value on a line (dict, str, ...), None if it is not JSON."""
    try:
        return type(orjson.loads(line))
    except orjson.JSONDecodeError:
        return None


def _parse_line(body: str) -> tuple[object, str | None]:
    """(the JSON value on a line, None), or (None, the reason it is not JSON)."""
    try:
        return orjson.loads(body), None
    except orjson.JSONDecodeError as exc:
        return None, f"not valid JSON: {exc}"


def _document_records(data: bytes, encoding):
    """The list of records in a whole JSON document, or the reason there is none (a str)."""
    try:
        document = orjson.loads(data[len(encoding.bom) :].decode(encoding.name))
    except (orjson.JSONDecodeError, UnicodeDecodeError) as exc:
        return f"not valid JSON: {exc}"
    if isinstance(document, dict):
        document = document.get("Records")
    if not isinstance(document, list):
        return "a JSON document without a records array"
    return document

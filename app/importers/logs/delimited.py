"""CSV and TSV logs with a header row: one `log_entry` per record.

The csv module reads the records (quoted fields with embedded newlines included);
the dialect is sniffed from the head; the encoding is detected (UTF-8 with or without
a BOM, UTF-16, Windows-1252). A record's locator is the line where it starts. A
record with the wrong number of fields, or a field over the size bound, is
quarantined with its raw text; blank lines and '#' comment lines are counted.
"""

import csv
import re

from app.core.mapping import suggest_mapping
from app.core.records import ItemRecord, Quarantined, Skipped
from app.core.row_fields import RECIPE_KEY, csv_recipe, csv_values, split_row
from app.importers.base import ImportContext
from app.importers.logs.rows import RAW_KEPT, LogRowBuilder
from app.importers.text_decoding import StreamDamaged, decode_head, detect_encoding, iter_lines, read_head

SNIFF_BYTES = 16 * 1024
SNIFF_ROWS = 30
# csv.Sniffer's regexes take time quadratic (or worse) in its sample: 15 KB of crafted text
# took 5.5 s, and every file imported is sniffed. Its first rows, within this, say as much.
SNIFFER_CHARS = 4096
_NOT_A_NAME = re.compile(r"^\s*(\d{4}-\d\d-\d\d|\d+(\.\d+)?\s*$|[\[{<])")


class CsvLogImporter:
    name = "csv"
    family = "logs"
    delimiters = ",;|"

    def sniff(self, head: bytes, filename: str) -> int:
        sample = _sample(head)
        dialect = _dialect(sample, self.delimiters)
        if dialect is None:
            return 0
        rows = [row for row in csv.reader(sample.splitlines(), dialect) if row and not row[0].startswith("#")]
        rows = rows[:SNIFF_ROWS]
        if len(rows) < 2 or len(rows[0]) < 2 or not all(_looks_like_name(cell) for cell in rows[0]):
            return 0
        regular = sum(1 for row in rows if len(row) == len(rows[0]))
        return 70 if regular >= len(rows) * 0.75 else 0

    def read(self, stream, ctx: ImportContext):
        head, stream = read_head(stream)
        encoding = detect_encoding(head)
        dialect = sniff_dialect(head, self.delimiters) or _fallback_dialect(self.delimiters)
        ctx.provenance.update(encoding=encoding.describe(), delimiter=dialect.delimiter, quotechar=dialect.quotechar)
        csv.field_size_limit(ctx.settings.max_field_bytes)
        table = _Table(self.name, ctx, encoding.name, dialect)
        try:
            lines = iter_lines(stream, encoding, ctx.settings.max_field_bytes)
            for row, raw, locator, damage in _rows(lines, dialect, ctx.settings.max_field_bytes):
                if isinstance(row, csv.Error):
                    yield Quarantined(locator, raw[:RAW_KEPT], _csv_reason(row, ctx))
                    continue
                record = table.record(row, raw, locator, damage)
                if record is not None:  # None: the header row, which is not a record
                    yield record
        except StreamDamaged as damage:
            yield Quarantined({"line": damage.line_number, "byte_offset": damage.offset}, b"", damage.reason)


def _rows(lines, dialect, limit: int):
    """(fields or csv.Error, raw bytes, locator, encoding damage or None) of each record.

    A line without the quote character is split directly (the same fields csv.reader
    gives, several times faster); any other goes through csv.reader, which pulls the
    following lines when a quoted field spans them and enforces the field size bound.
    """
    source = _LineSource(lines)
    reader = csv.reader(source, dialect)
    for line in lines:
        locator = {"line": line.number, "byte_offset": line.offset}
        if line.size > limit:  # not held whole (see Line): over the bound whatever its fields
            yield csv.Error("field larger than field limit"), line.raw, locator, line.damage
            continue
        row = split_row(line.text, dialect)
        if row is not None:
            yield row, line.raw, locator, line.damage
            continue
        source.push(line)
        try:
            row = next(reader)
        except csv.Error as exc:
            row = exc
        yield row, source.take_raw(), locator, source.take_damage()


class TsvLogImporter(CsvLogImporter):
    name = "tsv"
    delimiters = "\t"


class _Table:
    """The header, the mapping and the row builder of one CSV source."""

    def __init__(self, format_name: str, ctx: ImportContext, encoding: str, dialect):
        self.format_name, self.ctx = format_name, ctx
        self.encoding, self.dialect = encoding, dialect
        self.header: list[str] | None = None
        self.builder: LogRowBuilder | None = None
        self.recipe: dict | None = None  # how a row's fields read again from the original

    def record(self, row: list[str], raw: bytes, locator: dict, damage: str | None):
        if not row or (len(row) == 1 and not row[0].strip()):
            return Skipped(locator, "blank")
        if row[0].startswith("#") and (self.header is None or len(row) != len(self.header)):
            return Skipped(locator, "comment")
        if self.header is None:
            names, named = first_row_names(row)
            self._start(names)
            if named:
                return None
        if len(row) != len(self.header):
            return Quarantined(
                locator, raw, f"wrong column count: {len(row)} fields where the header has {len(self.header)}"
            )
        fields = dict(zip(self.header, row))
        item = self.builder.build(fields, raw, locator)
        if damage and not isinstance(item, Quarantined):
            item.warnings.append(damage)
        elif self.recipe and isinstance(item, ItemRecord) and self._reads_back(raw, row):
            item.fields_in_original = True  # not stored twice: app/core/row_fields.py
            locator["byte_length"] = len(raw)
        return item

    def _reads_back(self, raw: bytes, row: list[str]) -> bool:
        """Whether the record's bytes, read on their own, give the same fields."""
        try:
            return csv_values(raw.decode(self.encoding), self.dialect) == row
        except (UnicodeDecodeError, csv.Error):
            return False

    def _start(self, names: list[str]) -> None:
        """The field names (see first_row_names)."""
        self.header = names
        self.ctx.provenance["header"] = self.header
        if self.ctx.stream_is_original:
            self.recipe = csv_recipe(self.encoding, self.dialect, self.header)
            self.ctx.provenance[RECIPE_KEY] = self.recipe
        mapping = self.ctx.settings.mapping
        if mapping is None:
            mapping = suggest_mapping(self.header)
            self.ctx.provenance["mapping_suggested"] = True
        self.builder = LogRowBuilder(self.format_name, mapping, self.ctx)


class _LineSource:
    """Feeds csv.reader a pushed line, then the following ones; keeps the record's raw bytes."""

    def __init__(self, lines):
        self.lines = lines
        self._next = None
        self._raw: list[bytes] = []
        self._damage: str | None = None

    def push(self, line) -> None:
        self._next = line

    def __iter__(self):
        while True:
            line, self._next = self._next, None
            if line is None:
                line = next(self.lines, None)
                if line is None:
                    return
            self._raw.append(line.raw)
            self._damage = self._damage or line.damage
            yield line.text

    def take_raw(self) -> bytes:
        raw, self._raw = b"".join(self._raw), []
        return raw

    def take_damage(self) -> str | None:
        damage, self._damage = self._damage, None
        return damage


ANY_DELIMITER = ",;|\t"  # the CSV importer's and the TSV importer's


def sniff_dialect(head: bytes, delimiters: str = ANY_DELIMITER):
    """The dialect of delimited text from the first bytes of a file, or None if it is not.

    The one sniff for CSV and TSV: the import reads with it and the wizard's preview
    shows the records it gives, so what the user maps is what gets imported.
    """
    return _dialect(_sample(head), delimiters)


def first_row_names(row: list[str]) -> tuple[list[str], bool]:
    """The field names the first row gives, and whether it is a header (else data: columns numbered)."""
    named = all(_looks_like_name(cell) for cell in row)
    return _unique_names(row if named else [f"column_{n}" for n in range(1, len(row) + 1)]), named


def _sample(head: bytes) -> str:
    """The head decoded, up to SNIFF_BYTES of whole lines."""
    return _complete_lines(decode_head(head)[:SNIFF_BYTES], cut=len(head) >= SNIFF_BYTES)


def _dialect(sample: str, delimiters: str):
    """The sniffed dialect, or None when the sample is not delimited text."""
    if not sample.strip() or sample.lstrip()[:1] in "{[":
        return None
    try:
        sniffed = csv.Sniffer().sniff(_sniffer_sample(sample), delimiters=delimiters)
    except csv.Error:
        first = sample.splitlines()[0] if sample.splitlines() else ""
        counts = {d: first.count(d) for d in delimiters}
        best = max(counts, key=counts.get)
        return _fallback_dialect(best) if counts[best] else None
    dialect = _fallback_dialect(sniffed.delimiter)
    dialect.quotechar = sniffed.quotechar or '"'
    dialect.skipinitialspace = sniffed.skipinitialspace
    # A sample without "" says nothing about escaping; RFC 4180 doubles quotes.
    dialect.escapechar = sniffed.escapechar
    dialect.doublequote = sniffed.escapechar is None or sniffed.doublequote
    return dialect


def _sniffer_sample(sample: str) -> str:
    """The first SNIFF_ROWS lines that are not blank, at most SNIFFER_CHARS (whole lines
    when the first fits)."""
    rows = [line for line in sample[: SNIFFER_CHARS * 4].splitlines(keepends=True) if line.strip()][:SNIFF_ROWS]
    text = "".join(rows)
    if len(text) <= SNIFFER_CHARS:
        return text
    cut = text.rfind("\n", 0, SNIFFER_CHARS)
    return text[: cut + 1] if cut > 0 else text[:SNIFFER_CHARS]


def _fallback_dialect(delimiter: str):
    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter[0]
    return Dialect


def _complete_lines(text: str, cut: bool) -> str:
    """The sample without its last line when the head may have cut it short."""
    return text.rsplit("\n", 1)[0] if cut and "\n" in text else text


def _looks_like_name(cell: str) -> bool:
    return len(cell) <= 100 and not _NOT_A_NAME.match(cell)


def _unique_names(row: list[str]) -> list[str]:
    """Header names, blank ones named by position and repeats numbered."""
    names, seen = [], {}
    for position, cell in enumerate(row, start=1):
        name = cell.strip().lstrip("\ufeff") or f"column_{position}"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return names


def _csv_reason(exc: csv.Error, ctx: ImportContext) -> str:
    if "field larger than field limit" in str(exc):
        return f"a field over the size bound of {ctx.settings.max_field_bytes:,} bytes"
    return f"not a readable CSV record: {exc}"

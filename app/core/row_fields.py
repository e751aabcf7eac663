"""A log row's fields, read again from its own bytes in the stored original.

A JSON-lines row's fields are its line; a CSV row's are its values under the header.
Storing them beside the original would keep every prompt and response three times
(original, searchable text, fields): 1.6 GB of a million-row case, written twice by
SQLite's write-ahead log. So a row whose fields read back from its bytes exactly is
stored without them. Its locator says where its bytes are (`byte_offset`,
`byte_length`), and its source's provenance holds the recipe (RECIPE_KEY): the format,
the encoding and, for CSV, the dialect and the header.

The importer checks each row before leaving its fields out (`fields_json(recipe, raw)`
gives back exactly what it would have stored); a row that does not read back -- a
damaged line, a line with the file's BOM, anything read from a decompressed stream --
keeps its fields stored. The row's content hash covers its fields as the import read
them, and `verify` reads them back and checks it: what is shown later is what was imported.
"""

import csv
import io

import orjson

RECIPE_KEY = "fields_from_original"


def jsonl_recipe(encoding: str) -> dict:
    return {"format": "jsonl", "encoding": encoding}


def csv_recipe(encoding: str, dialect, header: list[str]) -> dict:
    return {
        "format": "csv",
        "encoding": encoding,
        "header": header,
        "delimiter": dialect.delimiter,
        "quotechar": dialect.quotechar,
        "doublequote": dialect.doublequote,
        "escapechar": dialect.escapechar,
        "skipinitialspace": dialect.skipinitialspace,
    }


def csv_dialect(recipe: dict):
    """The csv dialect a recipe describes (the rest as csv.excel)."""

    class Dialect(csv.excel):
        delimiter = recipe["delimiter"]
        quotechar = recipe["quotechar"]
        doublequote = recipe["doublequote"]
        escapechar = recipe["escapechar"]
        skipinitialspace = recipe["skipinitialspace"]

    return Dialect


def split_row(text: str, dialect) -> list[str] | None:
    """A CSV record's fields when it is one line without quotes, or None (use csv.reader).

    Splitting directly gives the same fields as csv.reader, several times faster.
    """
    if dialect.skipinitialspace or dialect.escapechar is not None:
        return None
    if dialect.quotechar in text or "\r" in text[:-2]:
        return None
    return text.rstrip("\r\n").split(dialect.delimiter)


def csv_values(text: str, dialect) -> list[str]:
    """The fields of the one CSV record in `text` (its lines, newlines kept)."""
    row = split_row(text, dialect)
    if row is None:
        if len(text) > csv.field_size_limit():  # the import's own bound already let this row in
            csv.field_size_limit(len(text))
        row = next(csv.reader(io.StringIO(text, newline=""), dialect), [])
    return row


def fields_json(recipe: dict, raw: bytes, dialect=None) -> str | None:
    """The fields' JSON text of the row whose bytes are `raw`, or None if they do not read.

    `dialect`: csv_dialect(recipe), when the caller has it already.
    """
    try:
        text = raw.decode(recipe["encoding"])
    except (UnicodeDecodeError, LookupError):
        return None
    if recipe["format"] == "jsonl":
        return text.strip()
    if recipe["format"] == "csv":
        try:
            row = csv_values(text, dialect or csv_dialect(recipe))
        except csv.Error:
            return None
        header = recipe["header"]
        if len(row) != len(header):
            return None
        return orjson.dumps(dict(zip(header, row)), option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
    return None

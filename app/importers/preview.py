"""What the import wizard shows before anything is imported (Qt-free).

Which importer each chosen file would get (folders are walked by `folder_walk`), and the
first records of a log or output file with the suggested mapping. Nothing here writes
to the case: it only reads the first bytes of the files the user chose.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from app.core.mapping import TARGETS, apply_mapping, flatten_paths, load_preset, preset_names, suggest_mapping
from app.core.timestamps import TimestampError, TimestampParser
from app.importers.compressed import inner_name, is_gzip, read_file_head
from app.importers.logs.delimited import first_row_names, sniff_dialect
from app.importers.pipeline import HEAD_BYTES
from app.importers.registry import UnknownFormat, choose_importer
from app.importers.text_decoding import decode_head
from app.store.saved_mappings import saved_mapping, saved_mapping_names

MAPPED_FAMILIES = ("logs", "outputs")  # families whose fields the user maps
PREVIEW_ROWS = 20


@dataclass
class DetectedFile:
    """One file the user chose and the importer Casefile would use for it."""

    path: Path
    importer: str | None = None
    family: str | None = None
    problem: str | None = None  # one plain sentence when it cannot be imported
    # Why the file will be stored and quarantined whole rather than read (empty, format not
    # recognised): it is still imported, so that nothing the user chose is left out unsaid.
    quarantine_whole: str | None = None
    compressed: bool = False  # a gzip: the wizard offers to allow large expansion
    folder: str | None = None  # the folder it was found in (see folder_walk), recorded with its source

    @property
    def needs_mapping(self) -> bool:
        return self.family in MAPPED_FAMILIES


@dataclass
class Preview:
    """The first records of a file, their field paths and the suggested mapping."""

    records: list[dict] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    suggested: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first bytes of a file, decompressed when it is gzip (as far as it can be)."""
    return read_file_head(path, size)


def detect(path: Path) -> DetectedFile:
    """The importer a file would get, or why it cannot be imported."""
    try:
        if path.stat().st_size == 0:
            return DetectedFile(path, quarantine_whole="the file is empty (0 bytes)")
        with open(path, "rb") as handle:
            compressed = is_gzip(handle.read(2))
        head = read_head(path)
        importer = choose_importer(head, inner_name(path.name))
    except UnknownFormat:
        return DetectedFile(path, quarantine_whole="the format was not recognised")
    except OSError as exc:
        return DetectedFile(path, problem=f"The file cannot be read ({exc.strerror or exc}).")
    return DetectedFile(path, importer.name, importer.family, compressed=compressed)


def preview(path: Path, rows: int = PREVIEW_ROWS) -> Preview:
    """The first records of a tabular or JSON-lines file, and the mapping Casefile suggests."""
    head = read_head(path)
    records = _json_records(head, rows) or _csv_records(head, rows)
    if not records:
        return Preview(problem="No records could be read from the start of this file.")
    paths: list[str] = []
    for record in records:
        paths += [p for p in flatten_paths(record) if p not in paths]
    return Preview(records, paths, suggest_mapping(flatten_paths(records[0])))


def _json_records(head: bytes, rows: int) -> list[dict]:
    records = []
    for line in head.splitlines()[: rows * 2]:
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(value, dict):
            records.append(value)
    return records[:rows]


def _csv_records(head: bytes, rows: int) -> list[dict]:
    """The first records as the CSV or TSV import reads them: its dialect sniff, its encoding, its names."""
    dialect = sniff_dialect(head)
    if dialect is None:
        return []
    header: list[str] = []
    records: list[dict] = []
    try:
        for row in csv.reader(io.StringIO(decode_head(head)), dialect):  # quoted fields spanning lines read whole
            if not row or (not header and row[0].startswith("#")):  # blank, or a comment before the header
                continue
            if not header:
                header, named = first_row_names(row)
                if named:
                    continue
            records.append(dict(zip(header, row)))
            if len(records) > rows:
                break
    except csv.Error:
        pass
    return records[:rows] if len(header) > 1 else []


def mapped_rows(records: list[dict], mapping: dict[str, str], zone: str, dayfirst: bool) -> list[dict]:
    """Each record as the import would read it: {target: text}, the timestamp shown in UTC."""
    parser = TimestampParser(zone, dayfirst)
    rows = []
    for record in records:
        mapped = {t: _display(v) for t, v in apply_mapping(record, mapping).items()}
        if "timestamp" in mapped:
            try:
                stamp = parser.parse(apply_mapping(record, mapping)["timestamp"])
                mapped["utc"] = stamp.iso_utc() + (" (zone assumed)" if stamp.assumed else "")
            except TimestampError as exc:
                mapped["utc"] = f"unreadable: {exc}"
        rows.append(mapped)
    return rows


def _display(value) -> str:
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    return text if len(text) <= 200 else text[:200] + "…"


def saved_mappings(conn) -> dict[str, dict[str, str]]:
    """Mappings to offer by name: those saved in the case first, then the shipped presets."""
    offered = {f"{name} (saved in this case)": saved_mapping(conn, name) for name in saved_mapping_names(conn)}
    for name in preset_names():
        found = load_preset(name)
        if found is not None:
            offered[name] = found[1]
    return offered


def mapping_targets() -> tuple[str, ...]:
    return TARGETS

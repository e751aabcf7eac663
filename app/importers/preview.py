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
from app.importers.chat.generic import ChatJsonImporter, suggest_chat_mapping
from app.importers.chat.slack import SlackExportImporter, is_slack_export
from app.importers.compressed import inner_name, is_gzip, read_file_head
from app.importers.logs.delimited import first_row_names, sniff_dialect
from app.importers.outputs.records import suggest_outputs_mapping
from app.importers.pipeline import HEAD_BYTES
from app.importers.registry import UnknownFormat, all_importers, choose_importer
from app.importers.text_decoding import decode_head
from app.store.saved_mappings import saved_mapping, saved_mapping_names

MAPPED_FAMILIES = ("logs", "outputs")  # families whose fields the user maps
NOT_RECOGNISED = "the format was not recognised"
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
    chosen: bool = False  # the user changed the detected format (imported as with `--as`)

    def choose(self, importer: str) -> None:
        """Import the file with this importer rather than the one detected (the wizard's combo)."""
        family = dict(importer_choices()).get(importer)
        if family is None or importer == self.importer:
            return
        self.importer, self.family, self.chosen = importer, family, True
        if self.quarantine_whole == NOT_RECOGNISED:  # the user named its format: it is read, not quarantined
            self.quarantine_whole = None

    @property
    def needs_mapping(self) -> bool:
        return self.family in MAPPED_FAMILIES or self.importer == ChatJsonImporter.name


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
        if importer.family == "archive":
            with open(path, "rb") as handle:
                importer = SlackExportImporter() if is_slack_export(handle) else importer
    except UnknownFormat:
        return DetectedFile(path, quarantine_whole=NOT_RECOGNISED)
    except OSError as exc:
        return DetectedFile(path, problem=f"The file cannot be read ({exc.strerror or exc}).")
    return DetectedFile(path, importer.name, importer.family, compressed=compressed)


def importer_choices() -> list[tuple[str, str]]:
    """(importer name, family) of every format a file can be imported as (the zip archive is
    found from its bytes, never chosen)."""
    return [(imp.name, imp.family) for imp in all_importers() if imp.family != "archive"]


def preview(path: Path, rows: int = PREVIEW_ROWS, family: str | None = None) -> Preview:
    """The first records of a tabular or JSON-lines file, and the mapping Casefile suggests
    (for model outputs: the shipped preset their shape matches, as the import will use)."""
    head = read_head(path)
    records = _json_records(head, rows) or _csv_records(head, rows)
    if not records:
        return Preview(problem="No records could be read from the start of this file.")
    paths: list[str] = []
    for record in records:
        paths += [p for p in record_paths(record) if p not in paths]
    if family == "outputs":
        return Preview(records, paths, suggest_outputs_mapping(records[0]))
    if family == "chat":
        return Preview(records, paths, suggest_chat_mapping(records[0]))
    return Preview(records, paths, suggest_mapping(flatten_paths(records[0])))


def record_paths(record, prefix: str = "", depth: int = 0) -> list[str]:
    """Dotted paths of a record's fields, into the first element of a list of objects too
    (`choices.0.turns`), so that what a preset maps can be picked and checked."""
    found: list[str] = []
    if not isinstance(record, dict) or depth > 6:
        return found
    for key, value in record.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            found += record_paths(value, path, depth + 1)
            continue
        found.append(path)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            found += record_paths(value[0], f"{path}.0", depth + 1)
    return found


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

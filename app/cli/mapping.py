"""`casefile mapping ...`: suggest a field mapping for a log, save one in a case, list them.

`mapping suggest FILE` prints JSON the user can edit and pass back to `casefile import
--mapping FILE.json`, or store in the case with `mapping save CASE NAME FILE.json`.
"""

import json
from datetime import datetime, timezone
from pathlib import Path

from app.cli.opening import open_case
from app.core.mapping import flatten_paths, preset_names
from app.core.records import ImportSettings, ItemRecord
from app.core.timestamps import TimestampParser
from app.importers.base import ImportContext
from app.importers.compressed import inner_name, open_file_decompressed, read_file_head
from app.importers.pipeline import HEAD_BYTES
from app.importers.registry import choose_importer
from app.store.saved_mappings import save_mapping, saved_mapping_names
from app.core.wording import plural

SUGGEST_RECORDS = 1000  # records looked at for the first readable row


def register_mapping(sub) -> None:
    p = sub.add_parser(
        "mapping",
        help="field mappings for logs: suggest, save, list",
        description="Field mappings: which input field is the timestamp, the account, ...",
    )
    commands = p.add_subparsers(title="mapping commands", metavar="ACTION")
    suggest = commands.add_parser("suggest", help="print the suggested mapping of a log file as JSON")
    suggest.add_argument("file", metavar="FILE", type=Path)
    suggest.add_argument("--as", dest="as_kind", help="force the format (csv, tsv, jsonl, weblog, syslog, text)")
    suggest.set_defaults(run=cmd_mapping_suggest)
    save = commands.add_parser("save", help="save a mapping JSON file in the case under a name")
    save.add_argument("case", metavar="CASE", type=Path)
    save.add_argument("name", metavar="NAME")
    save.add_argument("mapping_file", metavar="FILE.json", type=Path)
    save.add_argument("--operator", help="who (default: the OS user)")
    save.set_defaults(run=cmd_mapping_save)
    listing = commands.add_parser("list", help="the mappings saved in a case and the shipped presets")
    listing.add_argument("case", metavar="CASE", type=Path, nargs="?")
    listing.set_defaults(run=cmd_mapping_list)


def cmd_mapping_suggest(args) -> int:
    suggestion = suggest_for_file(args.file, args.as_kind)
    print(json.dumps(suggestion, indent=2, ensure_ascii=False))
    return 0


def suggest_for_file(path: Path, as_kind: str | None = None) -> dict:
    """{"name", "format", "mapping", "fields"} for a log file: what an import would use."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} is not a readable file.")
    head = read_file_head(path, HEAD_BYTES)
    name = inner_name(path.name)
    importer = choose_importer(head, name, as_kind)
    settings = ImportSettings(as_kind=as_kind)
    ctx = ImportContext(
        settings=settings,
        timestamps=TimestampParser(year=datetime.now(timezone.utc).year),
        file_name=path.name,
        file_mtime=datetime.now(timezone.utc),
    )
    first = None
    with open_file_decompressed(path, settings) as stream:
        for count, record in enumerate(importer.read(stream, ctx)):
            if isinstance(record, ItemRecord) or count >= SUGGEST_RECORDS:
                first = record if isinstance(record, ItemRecord) else None
                break
    if first is None and "mapping" not in ctx.provenance:
        raise ValueError(f"{path}: no readable record in its first {SUGGEST_RECORDS:,}; nothing to suggest from.")
    return {
        "name": f"{name} ({importer.name})",
        "format": importer.name,
        "mapping": ctx.provenance.get("mapping", {}),
        "fields": flatten_paths(first.fields) if first else ctx.provenance.get("header", []),
    }


def cmd_mapping_save(args) -> int:
    try:
        document = json.loads(args.mapping_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{args.mapping_file} is not a readable JSON mapping: {exc}") from exc
    with open_case(args.case, args.operator) as case:
        mapping = save_mapping(case, args.name, document)
    print(f"Saved mapping {args.name!r} ({plural(len(mapping), 'field')}) in {args.case}.")
    return 0


def cmd_mapping_list(args) -> int:
    if args.case:
        with open_case(args.case) as case:
            for name in saved_mapping_names(case.conn):
                print(f"{name}  (saved in the case)")
    for name in preset_names():
        print(f"{name}  (preset)")
    return 0

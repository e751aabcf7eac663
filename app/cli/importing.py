"""`casefile import`: files and folders into a case, all or nothing."""

from pathlib import Path

from app.cli.arguments import case_arg
from app.cli.errors import UserError
from app.cli.opening import open_case
from app.cli.progress import run_with_progress
from app.core.records import ImportSettings
from app.importers.folder_walk import expand_inputs
from app.importers.pipeline import import_files
from app.store.saved_mappings import resolve_mapping


def register_import(sub) -> None:
    p = sub.add_parser(
        "import",
        help="import evidence files (all or nothing)",
        description="Import files or folders into the case in one all-or-nothing step.",
    )
    case_arg(p)
    p.add_argument("files", metavar="FILE", nargs="+", type=Path, help="files or folders to import")
    p.add_argument("--as", dest="as_kind", help="force the format (e.g. jsonl, csv, email, outputs)")
    p.add_argument("--mapping", help="a mapping saved in the case, a preset name, or a mapping JSON file")
    p.add_argument("--timezone", help="zone for times without an offset (default: the case's)")
    p.add_argument("--dayfirst", action="store_true", help="read 01/02 as 1 February")
    p.add_argument("--year", type=int, help="year for timestamps that have none (syslog)")
    p.add_argument("--undated-ok", action="store_true", help="import rows with unreadable times as undated")
    p.add_argument(
        "--allow-large-expansion",
        action="store_true",
        help="import a compressed file even if it expands to more than 100 times its size and over "
        "1 GB (otherwise such a file is not imported, and said so)",
    )
    p.add_argument("--no-ocr", dest="ocr", action="store_false", help="do not read scanned pages and images with OCR")
    p.add_argument("--custodian", help="whose evidence this is")
    p.add_argument("--operator", help="who imports it (default: the OS user)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_import)


def cmd_import(args) -> int:
    with open_case(args.case, args.operator) as case:
        # the case's saved mappings first, then the shipped presets, then a JSON file
        mapping_name, mapping = resolve_mapping(case.conn, args.mapping) if args.mapping else (None, None)
        settings = ImportSettings(
            as_kind=args.as_kind,
            timezone=args.timezone or case.timezone,
            dayfirst=args.dayfirst,
            year=args.year,
            custodian=args.custodian,
            operator=case.operator,
            mapping=mapping,
            mapping_name=mapping_name,
            undated_ok=args.undated_ok,
            allow_large_expansion=args.allow_large_expansion,
            ocr=args.ocr,
        )
        chosen = expand_inputs(args.files)
        for path in chosen.unreadable:
            raise UserError(f"{path} does not exist." if not path.exists() else f"{path} is not a readable file.")
        report = run_with_progress(import_files(case, chosen.import_paths(), settings), quiet=args.quiet)
    for file_report in report.files:
        print(file_report.summary())
    t = report.totals
    print(
        f"Total: read {t['read']:,} = imported {t['imported']:,} + duplicates {t['duplicates']:,} + "
        f"quarantined {t['quarantined']:,} + blank/comment {t['blank'] + t['comment']:,}"
    )
    if report.ocr_read:
        print(f"OCR text added to {report.ocr_read:,} scanned page file(s) (searchable, marked as OCR text).")
    if report.ocr_note:
        print(report.ocr_note)
    if chosen.hidden_note():
        print(chosen.hidden_note())
    return 0

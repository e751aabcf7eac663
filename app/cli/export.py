"""`casefile export` (a court-ready exhibit bundle) and `casefile productions`."""

import json
from pathlib import Path

from app.cli.opening import open_case
from app.cli.progress import run_with_progress
from app.core.timestamps import TimestampParser
from app.core.wording import plural


def register_export(sub) -> None:
    p = sub.add_parser("export", help="export a Bates-stamped exhibit bundle (PDF) with its sidecars")
    p.add_argument("case", metavar="CASE", type=Path, help="the case file (*.casefile)")
    p.add_argument("out", metavar="OUT.pdf", type=Path, help="the bundle to write (sidecars go beside it)")
    p.add_argument("--tag", action="append", default=[], help="items with this tag (repeatable: any of them)")
    p.add_argument("--all-tags", action="store_true", help="items must carry every --tag, not any")
    p.add_argument("--kind", action="append", default=[], help="only this kind (repeatable)")
    p.add_argument("--from", dest="date_from", help="on or after this date/time")
    p.add_argument("--to", dest="date_to", help="before this date/time")
    p.add_argument("--search", help="full-text query (FTS5 syntax)")
    p.add_argument("--exhibit", action="append", type=int, default=[], help="a hand-made exhibit by id (repeatable)")
    p.add_argument("--item", action="append", type=int, default=[], help="an item by id (repeatable)")
    p.add_argument("--include-privileged", action="store_true", help="produce PRIV-AC / PRIV-WP items too")
    p.add_argument("--exhibit-scheme", default="PX-0001", help="first exhibit id: PX-0001, DX-1, JX-001, 1, A")
    p.add_argument("--exhibit-start", type=int, help="start number (overrides the scheme's)")
    p.add_argument("--bates-prefix", default="CF")
    p.add_argument("--bates-start", type=int, help="first Bates number (default: after the highest produced)")
    p.add_argument("--bates-digits", type=int, default=7)
    p.add_argument("--page-size", choices=("A4", "Letter"), default="A4")
    p.add_argument("--title", default="Exhibit bundle")
    p.add_argument("--party", default="", help="the producing party")
    p.add_argument("--log-group", default="source,day", help="group log rows by: source, day, account")
    p.add_argument(
        "--loadfile",
        action="store_true",
        help="also write a Concordance DAT, an Opticon OPT and an image of every page "
        "(300 dpi: TIFF, JPEG where in colour)",
    )
    p.add_argument("--reproduce", type=int, metavar="PRODUCTION", help="re-create a recorded production")
    p.add_argument("--operator", help="who (default: the OS user)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_export)


def _date(text, zone):
    return TimestampParser(zone).parse(text).utc_us if text else None


def cmd_export(args) -> int:
    from app.export.bundle import ExportSettings, export_bundle, reproduce_production  # reportlab: only when used
    from app.export.selection import Selection
    from app.export.unfinished import clean_unfinished

    if not 6 <= args.bates_digits <= 15:
        raise ValueError("Bates numbers have 6 to 15 digits.")
    with open_case(args.case, args.operator) as case:
        for note in clean_unfinished(case, args.out.resolve().parent):  # said before the export, which may fail
            print(note)
        if args.reproduce:
            operation = reproduce_production(case, args.reproduce, args.out)
        else:
            selection = Selection(
                tags_any=[] if args.all_tags else args.tag,
                tags_all=args.tag if args.all_tags else [],
                kinds=args.kind,
                from_us=_date(args.date_from, case.timezone),
                to_us=_date(args.date_to, case.timezone),
                search=args.search,
                exhibit_ids=args.exhibit,
                item_ids=args.item,
                include_privileged=args.include_privileged,
            )
            settings = ExportSettings(
                title=args.title,
                party=args.party,
                exhibit_scheme=args.exhibit_scheme,
                exhibit_start=args.exhibit_start,
                bates_prefix=args.bates_prefix,
                bates_start=args.bates_start,
                bates_digits=args.bates_digits,
                page_size=args.page_size,
                log_group=[k.strip() for k in args.log_group.split(",") if k.strip()],
                loadfile=args.loadfile,
            )
            operation = export_bundle(case, args.out, selection, settings)
        result = run_with_progress(operation, quiet=args.quiet)
    for note in result.notes:
        print(note)
    what = f"production {result.production_id}" if not args.reproduce else f"a copy of production {args.reproduce}"
    print(
        f"Wrote {result.pdf} ({what}): {plural(result.exhibits, 'exhibit')}, {plural(result.pages, 'page')}, "
        f"Bates {result.bates_first} - {result.bates_last}; {plural(result.withheld, 'privileged item')} withheld."
    )
    if result.redaction_check:
        print(f"Redactions proved gone: {result.redaction_check}")
    for name, sha in result.files.items():
        print(f"  {name}  SHA-256 {sha}")
    return 0


def register_productions(sub) -> None:
    p = sub.add_parser("productions", help="the bundles produced from this case, with their Bates ranges")
    p.add_argument("case", metavar="CASE", type=Path, help="the case file (*.casefile)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(run=cmd_productions)


def cmd_productions(args) -> int:
    from app.export.productions import list_productions

    with open_case(args.case) as case:
        productions = list_productions(case.conn)
    if args.json:
        print(json.dumps(productions, indent=2, ensure_ascii=False))
        return 0
    for p in productions:
        digits = p["settings"].get("bates_digits", 7)
        print(
            f"{p['id']:>4}  {p['created_utc']}  {p['bates_prefix']}{p['bates_first']:0{digits}d}"
            f" - {p['bates_prefix']}{p['bates_last']:0{digits}d}  "
            f"{p['page_count']:,} pages, {p['exhibit_count']:,} exhibits  {p['pdf_name']}  {p['title']}  "
            f"(audit entry {p['audit_seq']}{', head signed' if p['head_signature'] else ''})"
        )
    print(f"{plural(len(productions), 'production')}.")
    return 0

"""`casefile`: the same operations as the desktop application, headless.

Exit status: 0 on success, 1 when a check fails or an operation cannot be done (the
reason in one plain sentence on stderr), 2 on bad usage.
"""

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path

from app import __version__
from app.cli_case import open_case
from app.cli_demo import register_demo
from app.cli_mapping import register_mapping
from app.cli_export import register_export, register_productions
from app.cli_progress import run_with_progress
from app.cli_taxonomy import register_taxonomy
from app.core.cancel import Cancelled
from app.core.records import ImportSettings, describe_locator
from app.core.timestamps import TimestampError, TimestampParser, format_utc_us
from app.importers.email_threads import normalise_id
from app.importers.pipeline import import_files
from app.importers.registry import UnknownFormat
from app.store import annotations, audit
from app.store.case_file import CaseFile, case_info
from app.store.errors import CaseFileError
from app.store.item_query import ItemFilter, iter_items, tags_of
from app.store.quarantine_rows import quarantined_rows
from app.store.saved_mappings import resolve_mapping
from app.store.verify import verify_case


class UserError(Exception):
    """A problem to report in one sentence, exit status 1."""


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args) or 0
    except (UserError, CaseFileError, UnknownFormat, TimestampError, FileNotFoundError, ValueError) as exc:
        print(f"casefile: {exc}", file=sys.stderr)
        return 1
    except Cancelled as exc:
        print(f"casefile: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("casefile: interrupted; the case was left as it was before.", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (`casefile items ... | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # unreadable file, disk full, ...: the system's reason, one sentence
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"casefile: {where}{exc.strerror or exc}.", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as exc:
        print(f"casefile: the case file could not be read or written ({exc}).", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casefile", description="Evidence case files for distillation disputes.")
    parser.add_argument("--version", action="version", version=f"casefile {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for register in COMMANDS:
        register(sub)
    return parser


def _case_arg(p) -> None:
    p.add_argument("case", metavar="CASE", type=Path, help="the case file (*.casefile)")


def _json_arg(p) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


# -- new -------------------------------------------------------------------------------

def register_new(sub) -> None:
    p = sub.add_parser("new", help="create an empty case file", description="Create an empty case file.")
    _case_arg(p)
    p.add_argument("--name", required=True, help="the case name, e.g. 'Northwind v. Example Dynamics'")
    p.add_argument("--number", help="the claim or docket number")
    p.add_argument("--timezone", default="UTC", help="IANA zone for display and naive times (default UTC)")
    p.add_argument("--operator", help="who creates it (default: the OS user)")
    p.set_defaults(run=cmd_new)


def cmd_new(args) -> int:
    case = CaseFile.create(args.case, args.name, args.number, args.timezone, args.operator)
    case.close()
    print(f"Created {args.case}")
    return 0


# -- import ----------------------------------------------------------------------------

def register_import(sub) -> None:
    p = sub.add_parser("import", help="import evidence files (all or nothing)",
                       description="Import files or folders into the case in one all-or-nothing step.")
    _case_arg(p)
    p.add_argument("files", metavar="FILE", nargs="+", type=Path, help="files or folders to import")
    p.add_argument("--as", dest="as_kind", help="force the format (e.g. jsonl, csv, email, outputs)")
    p.add_argument("--mapping", help="a mapping saved in the case, a preset name, or a mapping JSON file")
    p.add_argument("--timezone", help="zone for times without an offset (default: the case's)")
    p.add_argument("--dayfirst", action="store_true", help="read 01/02 as 1 February")
    p.add_argument("--year", type=int, help="year for timestamps that have none (syslog)")
    p.add_argument("--undated-ok", action="store_true", help="import rows with unreadable times as undated")
    p.add_argument("--allow-large-expansion", action="store_true",
                   help="import a compressed file even if it expands to more than 100 times its size and over "
                        "1 GB (otherwise such a file is not imported, and said so)")
    p.add_argument("--custodian", help="whose evidence this is")
    p.add_argument("--operator", help="who imports it (default: the OS user)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_import)


def expand_inputs(paths) -> list[tuple[Path, str | None]]:
    """Files as given, folders walked recursively (sorted); each with its folder."""
    files = []
    for path in paths:
        if path.is_dir():
            files += [(f, str(f.parent.relative_to(path.parent))) for f in sorted(path.rglob("*")) if f.is_file()]
        elif path.exists():
            files.append((path, None))
        else:
            raise UserError(f"{path} does not exist.")
    return files


def cmd_import(args) -> int:
    with open_case(args.case, args.operator) as case:
        # the case's saved mappings first, then the shipped presets, then a JSON file
        mapping_name, mapping = resolve_mapping(case.conn, args.mapping) if args.mapping else (None, None)
        settings = ImportSettings(
            as_kind=args.as_kind, timezone=args.timezone or case.timezone, dayfirst=args.dayfirst,
            year=args.year, custodian=args.custodian, operator=case.operator, mapping=mapping,
            mapping_name=mapping_name, undated_ok=args.undated_ok, allow_large_expansion=args.allow_large_expansion)
        files = expand_inputs(args.files)
        report = run_with_progress(import_files(case, files, settings), quiet=args.quiet)
    for file_report in report.files:
        print(file_report.summary())
    t = report.totals
    print(f"Total: read {t['read']:,} = imported {t['imported']:,} + duplicates {t['duplicates']:,} + "
          f"quarantined {t['quarantined']:,} + blank/comment {t['blank'] + t['comment']:,}")
    return 0


# -- info, items, quarantine -------------------------------------------------------------

def register_info(sub) -> None:
    p = sub.add_parser("info", help="counts of what the case holds")
    _case_arg(p)
    _json_arg(p)
    p.set_defaults(run=cmd_info)


def cmd_info(args) -> int:
    with open_case(args.case) as case:
        info = case_info(case)
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
    else:
        for key, value in info.items():
            print(f"{key}: {value}")
    return 0


def register_items(sub) -> None:
    p = sub.add_parser("items", help="list items chronologically (UTC, undated last)")
    _case_arg(p)
    p.add_argument("--kind", action="append", default=[], help="only this kind (repeatable)")
    p.add_argument("--tag", action="append", default=[], help="only items with this tag (repeatable: any)")
    p.add_argument("--from", dest="date_from", help="on or after this date/time")
    p.add_argument("--to", dest="date_to", help="before this date/time")
    p.add_argument("--search", help="full-text query (FTS5 syntax)")
    p.add_argument("--thread", help="only this email thread, in order")
    p.add_argument("--limit", type=int, default=None, help="at most N items")
    _json_arg(p)
    p.set_defaults(run=cmd_items)


def parse_date_arg(text: str | None, zone: str) -> int | None:
    if not text:
        return None
    return TimestampParser(zone).parse(text).utc_us


def thread_id_arg(case: CaseFile, text: str | None) -> str | None:
    """A thread as typed: a conversation id exactly, or a Message-ID as written in a header
    ('<ABC@Example.com>'), which email threads store normalised."""
    if not text or case.conn.execute("SELECT 1 FROM items WHERE thread_id = ? LIMIT 1", (text,)).fetchone():
        return text
    return normalise_id(text)


def cmd_items(args) -> int:
    with open_case(args.case) as case:
        item_filter = ItemFilter(kinds=args.kind, tags_any=args.tag, search=args.search,
                                 thread_id=thread_id_arg(case, args.thread),
                                 from_us=parse_date_arg(args.date_from, case.timezone),
                                 to_us=parse_date_arg(args.date_to, case.timezone))
        rows = []
        for row in iter_items(case.conn, item_filter):
            rows.append(row)
            if args.limit is not None and len(rows) >= args.limit:
                break
        tags = tags_of(case.conn, [r["id"] for r in rows])
    if args.json:
        out = [{"id": r["id"], "kind": r["kind"], "title": r["title"], "ts_utc": r["ts_utc"],
                "ts_assumed": r["ts_assumed"], "source_id": r["source_id"], "parent_id": r["parent_id"],
                "account": r["account"], "thread_id": r["thread_id"], "tags": tags[r["id"]]} for r in rows]
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        for r in rows:
            when = r["ts_utc"] or "undated"
            flag = " (zone assumed)" if r["ts_assumed"] else ""
            tag_text = f"  [{', '.join(tags[r['id']])}]" if tags[r["id"]] else ""
            print(f"{r['id']:>8}  {when}{flag}  {r['kind']:<10} {(r['title'] or '')[:80]}{tag_text}")
    return 0


def register_quarantine(sub) -> None:
    p = sub.add_parser("quarantine", help="records that could not be read, with where and why")
    _case_arg(p)
    _json_arg(p)
    p.set_defaults(run=cmd_quarantine)


def cmd_quarantine(args) -> int:
    with open_case(args.case) as case:
        rows = quarantined_rows(case.conn)
    records = [{"id": r[0], "source_id": r[1], "source": r[2], "locator": json.loads(r[3]), "reason": r[4],
                "raw": (r[5] or b"").decode("utf-8", "replace") if isinstance(r[5], bytes) else r[5]} for r in rows]
    if args.json:
        print(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        for r in records:
            where = describe_locator(r["locator"])
            print(f"{r['id']:>6}  {r['source']} ({where}): {r['reason']}")
        print(f"{len(records)} quarantined record(s).")
    return 0


# -- tag, untag, note --------------------------------------------------------------------

def register_tag(sub) -> None:
    for name, helptext in (("tag", "tag items with a category"), ("untag", "remove a category from items")):
        p = sub.add_parser(name, help=helptext)
        _case_arg(p)
        p.add_argument("item_ids", metavar="ITEM_ID", nargs="+", type=int)
        p.add_argument("--category", required=True, help="category code, e.g. TOS-COMPETE-TRAIN")
        p.add_argument("--operator", help="who (default: the OS user)")
        if name == "tag":
            p.add_argument("--note", help="a note on the tag")
            p.add_argument("--tos-version", help="the ToS version / effective date relied on")
        p.set_defaults(run=cmd_tag if name == "tag" else cmd_untag)


def cmd_tag(args) -> int:
    with open_case(args.case, args.operator) as case:
        changed = annotations.tag_items(case, args.item_ids, args.category, args.note, args.tos_version)
    print(f"Tagged {len(changed)} item(s) {args.category}; {len(args.item_ids) - len(changed)} already had it.")
    return 0


def cmd_untag(args) -> int:
    with open_case(args.case, args.operator) as case:
        removed = annotations.untag_items(case, args.item_ids, args.category)
    print(f"Removed {args.category} from {len(removed)} item(s).")
    return 0


def register_note(sub) -> None:
    p = sub.add_parser("note", help="add a note to an item")
    _case_arg(p)
    p.add_argument("item_id", metavar="ITEM_ID", type=int)
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--operator", help="who (default: the OS user)")
    p.set_defaults(run=cmd_note)


def cmd_note(args) -> int:
    with open_case(args.case, args.operator) as case:
        note_id = annotations.add_note(case, args.item_id, args.text)
    print(f"Added note {note_id} to item {args.item_id}.")
    return 0


# -- verify, audit -----------------------------------------------------------------------

def register_verify(sub) -> None:
    p = sub.add_parser("verify", help="prove originals, items, tags and the audit log are unchanged",
                       description="Re-hash every original, check every item, tag, note and exhibit against the "
                                   "audit log, check each entry's signature, and hold the log against the heads "
                                   "recorded outside the case: this computer's record, the recorded productions, "
                                   "and each bundle named with --against.")
    _case_arg(p)
    _json_arg(p)
    p.add_argument("--against", metavar="BUNDLE", type=Path, action="append", default=[],
                   help="a bundle exported from this case (its PDF, or its .chain-head.json): the case must still "
                        "hold the audit entry the bundle cites (catches an older copy or removed entries); repeatable")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_verify)


def cmd_verify(args) -> int:
    with open_case(args.case) as case:
        result = run_with_progress(verify_case(case, against=args.against), quiet=args.quiet or args.json)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
        return 0 if result.ok else 1
    if result.ok:
        checked = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in result.checked.items())
        print(f"Verified: the case is intact ({checked}).")
    else:
        print(f"Verification FAILED: {len(result.problems)} discrepancy(ies):")
        for problem in result.problems:
            print(f"  {problem}")
    if result.not_covered and not args.json:
        print("Not covered by any hash, so not proven unchanged:")
        for note in result.not_covered:
            print(f"  {note}")
    for note in result.notes:
        print(f"Note: {note}")
    return 0 if result.ok else 1


def register_audit(sub) -> None:
    p = sub.add_parser("audit", help="the audit log, oldest first")
    _case_arg(p)
    _json_arg(p)
    p.set_defaults(run=cmd_audit)


def cmd_audit(args) -> int:
    with open_case(args.case) as case:
        entries = list(audit.entries(case.conn))
    if args.json:
        for e in entries:
            e["details"] = json.loads(e["details"])
        print(json.dumps(entries, indent=2, ensure_ascii=False))
    else:
        for e in entries:
            details = e["details"] if len(e["details"]) < 160 else e["details"][:157] + "..."
            print(f"{e['seq']:>6}  {e['ts_utc']}  {e['actor']:<12} {e['action']:<16} {details}")
    return 0


# -- gui -------------------------------------------------------------------------------------

def register_gui(sub) -> None:
    p = sub.add_parser("gui", help="open the desktop application")
    p.add_argument("case", metavar="CASE", type=Path, nargs="?", help="a case file to open")
    p.add_argument("--demo", action="store_true",
                   help="open the demo case (built on first run in a per-user data folder)")
    p.add_argument("--quit-after-show", action="store_true",
                   help="exit once the main window is shown (a smoke test)")
    p.set_defaults(run=cmd_gui)


def cmd_gui(args) -> int:
    from app.__main__ import start_gui as gui_main  # the GUI is imported only when asked for
    case = args.case
    if args.demo:
        from app.cli_demo import demo_case_for_gui
        case = demo_case_for_gui()
    argv = [str(case)] if case else []
    if args.quit_after_show:
        from app.ui.smoke import run_quitting_after_show
        return run_quitting_after_show(gui_main, argv)
    return gui_main(argv)


COMMANDS = [register_new, register_import, register_info, register_items, register_quarantine,
            register_tag, register_note, register_verify, register_audit, register_gui,
            register_demo, register_taxonomy, register_mapping, register_export, register_productions]


if __name__ == "__main__":
    sys.exit(main())

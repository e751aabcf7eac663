"""`casefile facts`, `proof` and `chronology`: the facts of a case and the documents made of them."""

import json
import sys
from pathlib import Path

from app.cli.arguments import case_arg, json_arg
from app.cli.errors import UserError
from app.cli.opening import open_case
from app.core.timestamps import format_utc_us
from app.export.chronology import write_chronology
from app.export.proof_chart import summary, write_proof_chart
from app.store import case_facts
from app.store.production_cites import latest_production_id


def register_facts(sub) -> None:
    """Registers `facts`, `proof` and `chronology` (one entry in COMMANDS)."""
    p = sub.add_parser(
        "facts",
        help="list, add, edit or delete the facts of the case",
        description="List the case's facts in date order; with --add, --edit or --delete, change one.",
    )
    case_arg(p)
    json_arg(p)
    change = p.add_mutually_exclusive_group()
    change.add_argument("--add", metavar="TEXT", help="add a fact with this statement")
    change.add_argument("--edit", metavar="ID", type=int, help="change fact ID (the options given replace its own)")
    change.add_argument("--delete", metavar="ID", type=int, help="delete fact ID")
    p.add_argument("--statement", help="with --edit: the new statement")
    p.add_argument("--date", help="a date or time, a range ('2026-01-05 to 2026-01-20'), or '' for undated")
    p.add_argument("--status", choices=case_facts.STATUSES, help="undisputed (default), disputed or prospective")
    p.add_argument("--element", action="append", metavar="CODE", help="a claim element it supports (repeatable)")
    p.add_argument("--item", action="append", type=int, metavar="ID", help="an item that proves it (repeatable)")
    p.add_argument("--finding", action="append", metavar="REF", help="an analysis finding it relies on (repeatable)")
    p.add_argument("--witness", help="who can testify to it")
    p.add_argument("--opposing", metavar="TEXT", help="the other side's evidence or position")
    p.add_argument(
        "--opposing-item", action="append", type=int, metavar="ID", help="an item the other side relies on (repeatable)"
    )
    p.add_argument("--operator", help="who (default: the OS user)")
    p.set_defaults(run=cmd_facts, parser=p)
    _register_document(sub, "proof", "the proof chart: each claim element, its facts and cites", True)
    _register_document(sub, "chronology", "the facts in date order with their cites", False)


def _register_document(sub, name: str, what: str, with_csv: bool) -> None:
    p = sub.add_parser(name, help=f"write {what} (PDF, Word{', CSV' if with_csv else ''})")
    case_arg(p)
    p.add_argument("out", metavar="OUT.pdf", type=Path, help="the PDF to write")
    p.add_argument(
        "--production",
        type=int,
        metavar="N",
        help="cite exhibits and Bates numbers of production N (default: the latest)",
    )
    if with_csv:
        p.add_argument("--csv", type=Path, metavar="OUT.csv", help="also write the chart as CSV")
    p.add_argument("--docx", type=Path, metavar="OUT.docx", help="also write it as a Word document")
    p.add_argument("--page-size", choices=("A4", "Letter"), default="A4", help="paper size (landscape)")
    p.set_defaults(run=cmd_proof if with_csv else cmd_chronology)


def cmd_facts(args) -> int:
    with open_case(args.case, args.operator) as case:
        if args.add is not None:
            fact_id = case_facts.add_fact(
                case,
                args.add,
                args.date or "",
                args.status or "undisputed",
                args.element or (),
                args.item or (),
                args.opposing_item or (),
                args.finding or (),
                args.witness or "",
                args.opposing or "",
            )
            print(f"Added fact {fact_id}.")
        elif args.edit is not None:
            changes = {
                "statement": args.statement,
                "date": args.date,
                "status": args.status,
                "elements": args.element,
                "items": args.item,
                "opposing_items": args.opposing_item,
                "findings": args.finding,
                "witness": args.witness,
                "opposing": args.opposing,
            }
            if all(value is None for value in changes.values()):
                raise UserError("--edit needs something to change (--statement, --date, --status, --element, ...).")
            case_facts.update_fact(case, args.edit, **changes)
            print(f"Changed fact {args.edit}.")
        elif args.delete is not None:
            case_facts.delete_fact(case, args.delete)
            print(f"Deleted fact {args.delete}.")
        else:
            _print(case_facts.list_facts(case.conn), args.json)
    return 0


def _print(facts, as_json: bool) -> None:
    if as_json:
        listed = [
            {**f.record(), "start_utc": format_utc_us(f.start_us), "end_utc": format_utc_us(f.end_us)} for f in facts
        ]
        print(json.dumps(listed, indent=2, ensure_ascii=False))
        return
    if not facts:
        print("No facts yet. Add one with: casefile facts CASE --add TEXT --date DATE --element CODE --item ID")
        return
    for f in facts:
        evidence = f"{len(f.items)} item(s)" if f.items else "no evidence"
        print(f"{f.id:>4}  {f.date_text or 'undated':<26} {f.status:<11} {f.statement}")
        print(
            f"      {', '.join(f.elements) or 'no element'}; {evidence}"
            + (f"; witness {f.witness}" if f.witness else "")
        )


def _production(case, args) -> int | None:
    production_id = args.production if args.production is not None else latest_production_id(case.conn)
    if production_id is None:
        print("casefile: the case has no production yet; every item is cited as not produced.", file=sys.stderr)
    return production_id


def cmd_proof(args) -> int:
    with open_case(args.case) as case:
        chart = write_proof_chart(case, args.out, _production(case, args), args.csv, args.docx, args.page_size)
    print(f"Wrote {args.out}" + "".join(f" and {p}" for p in (args.csv, args.docx) if p) + ".")
    print(summary(chart))
    return 0


def cmd_chronology(args) -> int:
    with open_case(args.case) as case:
        facts = write_chronology(case, args.out, _production(case, args), args.docx, args.page_size)
    print(f"Wrote {args.out}" + (f" and {args.docx}" if args.docx else "") + f": {len(facts)} fact(s).")
    return 0

"""`casefile redact` and `casefile redactions`: hide text or page areas in productions.

Redactions are case data: the originals never change; every export burns them in and
proves them gone (app/export/redaction_proof.py).
"""

import json
from pathlib import Path

from app.cli.opening import open_case
from app.cli.progress import run_with_progress
from app.core.redaction_patterns import PATTERNS
from app.store import redactions


def register_redact(sub) -> None:
    """`redact` and `redactions`, the two commands of one subject."""
    p = sub.add_parser(
        "redact",
        help="redact text or a page area in what the case produces",
        description=(
            "Redact every match of a text (--match), regular expression (--pattern) or built-in pattern "
            "(--pattern-name) in chosen items, tags or the whole case; characters of one item's text "
            "(--item ID --span START,END); or a box on a page of an item's PDF or image (--item ID --page N "
            "--box X0,Y0,X1,Y1 in PDF points from the page's lower left; an image's pixels count as points). "
            "Built-in patterns: " + "; ".join(f"{p.name}: {p.description}" for p in PATTERNS.values()) + "."
        ),
    )
    p.add_argument("case", metavar="CASE", type=Path, help="the case file (*.casefile)")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--match", metavar="TEXT", help="redact every occurrence of this text")
    what.add_argument("--pattern", metavar="REGEX", help="redact every match of this regular expression")
    what.add_argument("--pattern-name", choices=list(PATTERNS), help="redact every match of a built-in pattern")
    what.add_argument("--box", metavar="X0,Y0,X1,Y1", help="redact this rectangle of --page of --item")
    what.add_argument("--span", metavar="START,END", help="redact these characters of --item's text")
    p.add_argument("--item", type=int, action="append", default=[], metavar="ID", help="an item (repeatable)")
    p.add_argument("--tag", action="append", default=[], metavar="CODE", help="items with this tag (repeatable)")
    p.add_argument("--page", type=int, help="the page of a --box (1 is the first)")
    p.add_argument("--ignore-case", action="store_true", help="--match or --pattern ignoring upper and lower case")
    p.add_argument("--preview", action="store_true", help="count the matches, redact nothing")
    p.add_argument("--reason", required=True, help="a redaction reason (privileged, personal, confidential, ...)")
    p.add_argument("--operator", help="who (default: the OS user)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_redact, parser=p)
    _register_redactions(sub)


def _register_redactions(sub) -> None:
    p = sub.add_parser(
        "redactions",
        help="list the case's redactions, or remove one",
        description="List every redaction (or those of --item); --remove ID takes one away (audited).",
    )
    p.add_argument("case", metavar="CASE", type=Path, help="the case file (*.casefile)")
    p.add_argument("--item", type=int, metavar="ID", help="only the redactions touching this item")
    p.add_argument("--remove", type=int, metavar="ID", help="remove this redaction")
    p.add_argument("--reasons", action="store_true", help="list the redaction reasons instead")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--operator", help="who (default: the OS user)")
    p.set_defaults(run=cmd_redactions, parser=p)


def _numbers(text: str, count: int, parser, option: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != count:
        parser.error(f"{option} takes {count} numbers separated by commas")
    return values


def cmd_redact(args) -> int:
    if (args.box or args.span) and len(args.item) != 1:
        args.parser.error("--box and --span need exactly one --item")
    if args.box and args.page is None:
        args.parser.error("--box needs --page")
    with open_case(args.case, args.operator) as case:
        if args.box:
            made = redactions.redact_box(
                case, args.item[0], args.page, _numbers(args.box, 4, args.parser, "--box"), args.reason
            )
        elif args.span:
            start, end = (int(v) for v in _numbers(args.span, 2, args.parser, "--span"))
            made = redactions.redact_span(case, args.item[0], start, end, args.reason)
        else:
            rule = {
                "literal": args.match,
                "regex": args.pattern,
                "pattern": args.pattern_name,
                "item_ids": args.item,
                "tags": args.tag,
                "ignore_case": args.ignore_case,
            }
            rule = {k: v for k, v in rule.items() if v not in (None, [], False)}
            redactions.resolve_reason(case.conn, args.reason)  # a wrong reason is said before searching
            found = run_with_progress(redactions.find_matches(case.conn, rule), args.quiet)
            total = sum(sum(hits.values()) for hits in found.values())
            if args.preview:
                print(f"{total:,} match(es) in {len(found):,} item(s); nothing was redacted (--preview).")
                return 0
            made = redactions.redact_matches(case, rule, args.reason, found)
        reason = redactions.reason_names(case.conn).get(made.reason, made.reason)
        print(f"Redaction {made.id} ({reason}): {made.describe()}.")
    return 0


def cmd_redactions(args) -> int:
    with open_case(args.case, args.operator) as case:
        if args.reasons:
            rows = redactions.reasons(case.conn)
            if args.json:
                print(json.dumps([{"code": c, "name": n} for c, n in rows], indent=2))
            else:
                for code, name in rows:
                    print(f"{code:<22} {name}")
            return 0
        if args.remove is not None:
            removed = redactions.remove_redaction(case, args.remove)
            print(f"Removed redaction {args.remove} ({removed['redaction'].describe()}).")
            return 0
        found = redactions.list_redactions(case.conn, args.item)
        names = redactions.reason_names(case.conn)
        if args.json:
            print(json.dumps([{**r.as_dict(), "reason_name": names.get(r.reason, r.reason)} for r in found], indent=2))
            return 0
        if not found:
            print("No redactions.")
        for r in found:
            print(f"{r.id:>5}  {names.get(r.reason, r.reason):<16} {r.describe()}  ({r.who}, {r.created_utc[:19]})")
    return 0

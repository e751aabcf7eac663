"""`casefile new` (create a case file) and `casefile info` (what it holds)."""

import json

from app.cli.arguments import case_arg, json_arg
from app.cli.opening import open_case
from app.store.case_file import CaseFile, case_info


def register_new(sub) -> None:
    p = sub.add_parser("new", help="create an empty case file", description="Create an empty case file.")
    case_arg(p)
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


def register_info(sub) -> None:
    p = sub.add_parser("info", help="counts of what the case holds")
    case_arg(p)
    json_arg(p)
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

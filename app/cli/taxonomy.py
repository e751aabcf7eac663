"""`casefile taxonomy`: list a case's categories, or add, rename or describe one."""

import json
from pathlib import Path

from app.cli.opening import open_case
from app.store import taxonomy_edit


def register_taxonomy(sub) -> None:
    p = sub.add_parser(
        "taxonomy",
        help="list or edit the case's categories",
        description="List the case's categories; with --add, --rename or --describe, change one.",
    )
    p.add_argument("case", metavar="CASE", type=Path, help="the case file (*.casefile)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    change = p.add_mutually_exclusive_group()
    change.add_argument("--add", metavar="CODE", help="add a category (or, with --parent, an element)")
    change.add_argument("--rename", metavar="CODE", help="give a category the --name given")
    change.add_argument("--describe", metavar="CODE", help="give a category the --description given")
    p.add_argument("--name", help="the category's name")
    p.add_argument("--group", help="the group of a new category (TOS, CLAIMS, FACTS, HANDLING, ...)")
    p.add_argument("--parent", help="the claim a new element belongs to, e.g. CLAIM-DTSA")
    p.add_argument("--description", help="what the category means")
    p.add_argument("--operator", help="who (default: the OS user)")
    p.set_defaults(run=cmd_taxonomy, parser=p)


def cmd_taxonomy(args) -> int:
    if (args.add or args.rename) and not args.name:
        args.parser.error("--add and --rename need --name")
    if args.describe and args.description is None:
        args.parser.error("--describe needs --description")
    with open_case(args.case, args.operator) as case:
        if args.add:
            row = taxonomy_edit.add_category(case, args.add, args.name, args.group, args.parent, args.description or "")
            print(f"Added {row['code']} ({row['name']}) to {row['grp']}.")
        elif args.rename:
            taxonomy_edit.rename_category(case, args.rename, args.name)
            print(f"Renamed {args.rename} to {args.name!r}.")
        elif args.describe:
            taxonomy_edit.describe_category(case, args.describe, args.description)
            print(f"Described {args.describe}.")
        else:
            _print(case.taxonomy(), args.json)
    return 0


def _print(categories, as_json: bool) -> None:
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "code": c.code,
                        "name": c.name,
                        "description": c.description,
                        "group": c.group,
                        "parent": c.parent,
                        "privilege": c.privilege,
                        "records_tos_version": c.records_tos_version,
                    }
                    for c in categories
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    group = None
    for c in categories:
        if c.group != group:
            group = c.group
            print(group)
        indent = "    " if c.parent else "  "
        print(f"{indent}{c.code:<{40 - len(indent)}} {c.name}")

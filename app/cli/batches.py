"""`casefile batches`: list review batches with their progress, or make them from a search."""

import json

from app.cli.arguments import case_arg, json_arg
from app.cli.opening import open_case
from app.store import review_batches
from app.store.item_query import ItemFilter, iter_items


def register_batches(sub) -> None:
    p = sub.add_parser("batches", help="review batches and their progress; --make makes them from a search")
    case_arg(p)
    p.add_argument("--make", metavar="NAME", help="make batches named NAME (numbered when several)")
    p.add_argument(
        "--size", type=int, default=review_batches.DEFAULT_SIZE, help="items per batch (families kept whole)"
    )
    p.add_argument("--reviewer", help="the reviewer the new batches are assigned to")
    p.add_argument("--search", help="with --make: only items matching this full-text query")
    p.add_argument("--tag", action="append", default=[], help="with --make: only items with this tag (repeatable: any)")
    p.add_argument("--kind", action="append", default=[], help="with --make: only this kind (repeatable)")
    p.add_argument("--operator", help="who is working (recorded in the audit log; default: the OS user)")
    json_arg(p)
    p.set_defaults(run=cmd_batches)


def cmd_batches(args) -> int:
    with open_case(args.case, operator=args.operator) as case:
        made: list[int] = []
        if args.make:
            item_filter = ItemFilter(kinds=args.kind, tags_any=args.tag, search=args.search)
            ids = [row["id"] for row in iter_items(case.conn, item_filter)]
            made = review_batches.make_batches(case, ids, args.make, args.size, args.reviewer)
        listed = review_batches.batches(case.conn)
    if args.json:
        print(json.dumps({"made": made, "batches": listed} if args.make else listed, indent=2, ensure_ascii=False))
        return 0
    if args.make:
        print(f"Made {len(made)} batch{'es' if len(made) != 1 else ''}.")
    for b in listed:
        reviewer = b["reviewer"] or "unassigned"
        print(f"{b['id']:>5}  {b['name']:<30} {reviewer:<20} {b['reviewed']:,} of {b['total']:,} reviewed")
    if not listed:
        print("No review batches yet.")
    return 0

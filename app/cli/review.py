"""Reviewing a case from the terminal: `items`, `quarantine`, `tag`, `untag`, `note`."""

import json

from app.analysis.extraction.model import INDICATOR_NAMES
from app.analysis.extraction.report import latest_run
from app.cli.arguments import case_arg, json_arg
from app.cli.errors import UserError
from app.cli.opening import open_case
from app.core.records import describe_locator
from app.core.timestamps import TimestampParser
from app.importers.email.threads import normalise_id
from app.store import annotations, findings
from app.store.case_file import CaseFile
from app.store.quarantine_rows import quarantined_rows
from app.store.item_query import ItemFilter, iter_items, tags_of
from app.core.wording import plural


def register_items(sub) -> None:
    p = sub.add_parser("items", help="list items chronologically (UTC, undated last)")
    case_arg(p)
    p.add_argument("--kind", action="append", default=[], help="only this kind (repeatable)")
    p.add_argument("--tag", action="append", default=[], help="only items with this tag (repeatable: any)")
    p.add_argument("--from", dest="date_from", help="on or after this date/time")
    p.add_argument("--to", dest="date_to", help="before this date/time")
    p.add_argument("--search", help="full-text query (FTS5 syntax)")
    p.add_argument("--thread", help="only this email thread, in order")
    p.add_argument("--limit", type=int, default=None, help="at most N items")
    p.add_argument(
        "--finding",
        metavar="ACCOUNT[:CODE]",
        help="only the rows behind an account's indicator in the latest extraction analysis "
        "(e.g. acct-0007:template_reuse; the account alone: all its fired indicators)",
    )
    json_arg(p)
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


def finding_arg(case: CaseFile, text: str | None) -> list[int]:
    """ACCOUNT:CODE (or ACCOUNT) in the latest extraction run -> the indicator ids whose rows to list."""
    if not text:
        return []
    run_id = latest_run(case.conn)
    account, _, code = text.rpartition(":")
    if account and code not in INDICATOR_NAMES and findings.find_finding(case.conn, run_id, account) is not None:
        raise UserError(f"There is no indicator {code!r}; the indicators are {', '.join(INDICATOR_NAMES)}.")
    if not account or code not in INDICATOR_NAMES:
        account, code = text, ""
    if code:
        return [findings.find_indicator(case.conn, run_id, account, code)]
    finding_id = findings.find_finding(case.conn, run_id, account)
    if finding_id is None:
        raise UserError(f"The latest extraction analysis has no account {account!r}.")
    fired = [i["id"] for i in findings.finding_indicators(case.conn, finding_id) if i["fired"]]
    if not fired:
        raise UserError(f"No indicator fired for {account!r} in the latest extraction analysis.")
    return fired


def cmd_items(args) -> int:
    with open_case(args.case) as case:
        item_filter = ItemFilter(
            kinds=args.kind,
            tags_any=args.tag,
            search=args.search,
            thread_id=thread_id_arg(case, args.thread),
            from_us=parse_date_arg(args.date_from, case.timezone),
            to_us=parse_date_arg(args.date_to, case.timezone),
            finding_indicators=finding_arg(case, args.finding),
        )
        rows = []
        for row in iter_items(case.conn, item_filter):
            rows.append(row)
            if args.limit is not None and len(rows) >= args.limit:
                break
        tags = tags_of(case.conn, [r["id"] for r in rows])
    if args.json:
        out = [
            {
                "id": r["id"],
                "kind": r["kind"],
                "title": r["title"],
                "ts_utc": r["ts_utc"],
                "ts_assumed": r["ts_assumed"],
                "source_id": r["source_id"],
                "parent_id": r["parent_id"],
                "account": r["account"],
                "thread_id": r["thread_id"],
                "tags": tags[r["id"]],
            }
            for r in rows
        ]
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
    case_arg(p)
    json_arg(p)
    p.set_defaults(run=cmd_quarantine)


def cmd_quarantine(args) -> int:
    with open_case(args.case) as case:
        rows = quarantined_rows(case.conn)
    records = [
        {
            "id": r[0],
            "source_id": r[1],
            "source": r[2],
            "locator": json.loads(r[3]),
            "reason": r[4],
            "raw": (r[5] or b"").decode("utf-8", "replace") if isinstance(r[5], bytes) else r[5],
        }
        for r in rows
    ]
    if args.json:
        print(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        for r in records:
            where = describe_locator(r["locator"])
            print(f"{r['id']:>6}  {r['source']} ({where}): {r['reason']}")
        print(f"{plural(len(records), 'quarantined record')}.")
    return 0


def register_tag(sub) -> None:
    for name, helptext in (("tag", "tag items with a category"), ("untag", "remove a category from items")):
        p = sub.add_parser(name, help=helptext)
        case_arg(p)
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
    print(
        f"Tagged {plural(len(changed), 'item')} {args.category}; {len(args.item_ids) - len(changed):,} already had it."
    )
    return 0


def cmd_untag(args) -> int:
    with open_case(args.case, args.operator) as case:
        removed = annotations.untag_items(case, args.item_ids, args.category)
    print(f"Removed {args.category} from {plural(len(removed), 'item')}.")
    return 0


def register_note(sub) -> None:
    p = sub.add_parser("note", help="add a note to an item")
    case_arg(p)
    p.add_argument("item_id", metavar="ITEM_ID", type=int)
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--operator", help="who (default: the OS user)")
    p.set_defaults(run=cmd_note)


def cmd_note(args) -> int:
    with open_case(args.case, args.operator) as case:
        note_id = annotations.add_note(case, args.item_id, args.text)
    print(f"Added note {note_id} to item {args.item_id}.")
    return 0

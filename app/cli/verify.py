"""`casefile verify` (prove the case unchanged) and `casefile audit` (its log)."""

import json
from pathlib import Path

from app.cli.arguments import case_arg, json_arg
from app.cli.opening import open_case
from app.cli.progress import run_with_progress
from app.store import audit
from app.store.verify import verify_case


def register_verify(sub) -> None:
    p = sub.add_parser(
        "verify",
        help="prove originals, items, tags and the audit log are unchanged",
        description="Re-hash every original, check every item, tag, note and exhibit against the "
        "audit log, check each entry's signature, and hold the log against the heads "
        "recorded outside the case: this computer's record, the recorded productions, "
        "and each bundle named with --against.",
    )
    case_arg(p)
    json_arg(p)
    p.add_argument(
        "--against",
        metavar="BUNDLE",
        type=Path,
        action="append",
        default=[],
        help="a bundle exported from this case (its PDF, or its .chain-head.json): the case must still "
        "hold the audit entry the bundle cites (catches an older copy or removed entries); repeatable",
    )
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
    case_arg(p)
    json_arg(p)
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

"""`casefile analyze`: which accounts harvested the model, and why (app/analysis/extraction)."""

import json
from pathlib import Path

from app.analysis.extraction.operation import analyse_extraction, case_settings
from app.analysis.extraction.report import exhibit_for_account, run_report, text_table
from app.cli.arguments import case_arg, json_arg
from app.cli.errors import UserError
from app.cli.opening import open_case
from app.cli.progress import run_with_progress
from app.store import findings


def register_analyze(sub) -> None:
    p = sub.add_parser(
        "analyze",
        help="find the accounts that harvested the model's outputs (ranked, with indicators)",
        description="Compute each account's extraction indicators over the case's log rows, flag the "
        "accounts that harvested substantial output and show at least two independent indicators, "
        "link accounts into clusters, and store the findings in the case. `casefile items CASE "
        "--finding ACCOUNT:CODE` lists the rows behind an indicator.",
    )
    case_arg(p)
    json_arg(p)
    p.add_argument(
        "--settings", type=Path, metavar="FILE", help="a JSON file of settings laid over the defaults (recorded)"
    )
    p.add_argument("--source", type=int, metavar="ID", help="only the log rows of this source (and its members)")
    p.add_argument("--all", action="store_true", help="list every account, not the first 20")
    p.add_argument(
        "--exhibit",
        metavar="ACCOUNT",
        action="append",
        default=[],
        help="also make the account's 'Extraction indicators' summary exhibit (repeatable; export it with "
        "casefile export CASE --exhibit ID)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_analyze)


def cmd_analyze(args) -> int:
    with open_case(args.case) as case:
        settings = case_settings(case, args.settings)
        run_id = run_with_progress(analyse_extraction(case, settings, args.source), quiet=args.quiet or args.json)
        report = run_report(case.conn, run_id)
        made = {}
        for account in args.exhibit:
            finding_id = findings.find_finding(case.conn, run_id, account)
            if finding_id is None:
                raise UserError(f"The analysis found no account {account!r}; no exhibit was made for it.")
            made[account] = exhibit_for_account(case, finding_id)
    report["exhibits"] = made
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print("\n".join(text_table(report, None if args.all else 20)))
        for account, exhibit_id in made.items():
            print(f"Made summary exhibit {exhibit_id} of {account}: casefile export CASE --exhibit {exhibit_id}")
    return 0

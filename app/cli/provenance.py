"""`casefile provenance`: which model outputs copy which of our logged responses; canaries and lab names."""

import json
from pathlib import Path

from app.analysis.provenance.operation import provenance_settings, trace_outputs
from app.analysis.provenance.sentences import link_sentence, output_link_sentence, when_utc
from app.analysis.settings import load_settings
from app.cli.arguments import case_arg, json_arg
from app.cli.opening import open_case
from app.cli.progress import run_with_progress
from app.store import provenance_links as store


def register_provenance(sub) -> None:
    p = sub.add_parser(
        "provenance",
        help="link model outputs to the logged responses they copy; find canaries and self-identification",
        description="Compare every model output with our logged responses and print the links: the share "
        "of the output's words in passages shared with a response, the shared words and the longest "
        "shared passage. Canary strings and the lab's names are registered per case and looked for in "
        "every output and document. The run is stored in the case (audited); --stored prints it again.",
    )
    case_arg(p)
    json_arg(p)
    p.add_argument(
        "--threshold",
        type=float,
        metavar="X",
        help="link when at least this share (0-1) of an output's words is in shared passages (default: the "
        "analysis settings' link_share)",
    )
    p.add_argument("--settings", type=Path, metavar="FILE", help="analysis settings (JSON) laid over the defaults")
    p.add_argument("--stored", action="store_true", help="print the stored run without computing it again")
    p.add_argument("--add-canary", action="append", default=[], metavar="TEXT", help="register a canary string")
    p.add_argument("--remove-canary", action="append", default=[], metavar="TEXT", help="remove a canary string")
    p.add_argument("--canaries", action="store_true", help="list the case's canary strings and stop")
    p.add_argument(
        "--add-lab-name",
        action="append",
        default=[],
        metavar="NAME",
        help="register a name of the lab or its model, for self-identification ('Northwind AI', 'Sage')",
    )
    p.add_argument("--remove-lab-name", action="append", default=[], metavar="NAME", help="remove a lab name")
    p.add_argument("--lab-names", action="store_true", help="list the case's lab names and stop")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_provenance)


def cmd_provenance(args) -> int:
    with open_case(args.case) as case:
        _edit_terms(case, args)
        if args.canaries or args.lab_names:
            listed = {
                "canaries": store.terms(case.conn, "canary") if args.canaries else None,
                "lab_names": store.terms(case.conn, "lab_name") if args.lab_names else None,
            }
            _print_terms({k: v for k, v in listed.items() if v is not None}, args.json)
            return 0
        if not args.stored:
            settings = load_settings(args.settings)
            settings["provenance"] = provenance_settings(settings, args.threshold)
            run_with_progress(trace_outputs(case, settings), quiet=args.quiet or args.json)
        report = stored_report(case.conn)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print_report(report)
    return 0


def stored_report(conn) -> dict:
    """The stored run as the CLI prints it (`--json`): links, marks, the run's settings and state."""
    run = store.latest_run(conn)
    if run is None:
        return {"links": [], "output_links": [], "marks": [], "run": None}
    links = [
        {
            **_figures(link, "response_id"),
            "output_words": link["output_words"],
            "response_words": link["response_words"],
            "same_text_count": link["same_text_count"],
            "response_account": link["response_account"],
            "response_time": when_utc(link["response_ts_us"]),
            "sentence": link_sentence(link),
            "passages": link["passages"],
        }
        for link in store.links(conn)
    ]
    output_links = [
        {**_figures(link, "other_output_id"), "sentence": output_link_sentence(link), "passages": link["passages"]}
        for link in store.links(conn, target_kind="output")
    ]
    return {"links": links, "output_links": output_links, "marks": store.marks(conn), "run": run}


def _figures(link: dict, other_key: str) -> dict:
    """The keys the issue names: output_id, the other item's id, similarity, shared_words, longest_run."""
    return {
        "output_id": link["output_id"],
        other_key: link["response_id"],
        "similarity": round(link["similarity"], 4),
        "shared_words": link["shared_words"],
        "longest_run": link["longest_run"],
    }


def _edit_terms(case, args) -> None:
    for kind, added, removed in (
        ("canary", args.add_canary, args.remove_canary),
        ("lab_name", args.add_lab_name, args.remove_lab_name),
    ):
        for text in added:
            if not store.add_term(case, kind, text):
                print(f"{store.TERM_KINDS[kind].capitalize()} {text.strip()!r} was registered already.")
        for text in removed:
            store.remove_term(case, kind, text)


def _print_terms(listed: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(listed, indent=2, ensure_ascii=False))
        return
    for kind, texts in listed.items():
        print(f"{kind.replace('_', ' ').capitalize()}: {len(texts)}")
        for text in texts:
            print(f"  {text}")


def _print_report(report: dict) -> None:
    run = report["run"]
    if run is None:
        print("No provenance run is stored in this case yet.")
        return
    if not run["outputs_compared"] or not run["responses_compared"]:
        missing = "model outputs (items of kind output)" if not run["outputs_compared"] else "logged API responses"
        print(f"The case holds no {missing}: there is nothing to trace yet.")
    outputs = len({link["output_id"] for link in report["links"]})
    print(
        f"{len(report['links']):,} link(s) from {outputs:,} of {run['outputs_compared']:,} model outputs to our "
        f"logged responses ({run['responses_compared']:,} rows, {run['distinct_responses']:,} distinct responses; "
        f"settings {run['settings_hash'][:12]})."
    )
    for link in report["links"]:
        print(f"output {link['output_id']} <- response {link['response_id']}: {link['sentence']}")
    if report["output_links"]:
        print(f"{len(report['output_links']):,} pair(s) of outputs share passages (an output copying another):")
        for link in report["output_links"]:
            print(f"  output {link['output_id']} ~ output {link['other_output_id']}: {link['sentence']}")
    if report["marks"]:
        print(f"{len(report['marks']):,} canary or self-identification find(s):")
        for mark in report["marks"]:
            what = "canary" if mark["kind"] == "canary" else "self-identification"
            print(f"  item {mark['item_id']}: {what} {mark['found']!r} ({mark['how']}; looked for {mark['term']!r})")

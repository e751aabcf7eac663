"""`casefile demo DIR`, and where `casefile gui --demo` keeps the demo case.

The demo for `gui --demo` lives in a per-user data folder (the same for a source
checkout and a frozen build, so it is built once per user): `$CASEFILE_DEMO_DIR` if
set, else `%LOCALAPPDATA%\\Casefile\\demo` on Windows, `~/Library/Application
Support/Casefile/demo` on macOS, `$XDG_DATA_HOME/casefile/demo` (default
`~/.local/share/casefile/demo`) elsewhere.
"""

import os
import sys
from pathlib import Path

from app.cli.progress import run_with_progress
from app.core.paths import user_data_dir
from app.demo.build import CASE_FILE_NAME, DemoExists, build_demo


def register_demo(sub) -> None:
    p = sub.add_parser(
        "demo",
        help="build the fictional demo case: inputs and DIR/demo.casefile",
        description="Write the demo inputs under DIR/inputs, import them into DIR/demo.casefile "
        "and tag them as a reviewer would (fictional parties only).",
    )
    p.add_argument("folder", metavar="DIR", type=Path, help="the folder to build in (created if missing)")
    p.add_argument("--force", action="store_true", help="rebuild when DIR already holds a demo case")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_demo)


def cmd_demo(args) -> int:
    report = build_and_report(args.folder, args.force, args.quiet)
    return 0 if report is not None else 1


def build_and_report(folder: Path, replace: bool, quiet: bool):
    """Build the demo, printing what was imported, skipped and tagged; None if it exists."""
    try:
        report = run_with_progress(build_demo(folder, replace), quiet=quiet)
    except DemoExists as exc:
        print(f"casefile: {exc}", file=sys.stderr)
        return None
    for line in report.imported:
        print(line)
    for line in report.skipped:
        print(line)
    tags = ", ".join(f"{code} {count}" for code, count in sorted(report.tagged.items()))
    print(f"Tagged: {tags}")
    print(f"Traced: {report.links:,} model outputs copy our logged responses; flagged: {report.flagged} accounts.")
    print(f"Created {report.case_path}")
    return report


def user_demo_folder() -> Path:
    """The per-user folder of the demo case opened by `casefile gui --demo`."""
    override = os.environ.get("CASEFILE_DEMO_DIR")
    if override:
        return Path(override)
    return user_data_dir() / "demo"


def demo_case_for_gui() -> Path:
    """The demo case file, built first (with progress on the terminal) if it is not there yet."""
    folder = user_demo_folder()
    case_path = folder / CASE_FILE_NAME
    if not case_path.exists():
        print(f"Building the demo case in {folder} (first run only)...", file=sys.stderr)
        run_with_progress(build_demo(folder, replace=True))
    return case_path

"""`build_demo(DIR)`: write the demo inputs, import them into DIR/demo.casefile, review them.

A generator of `Progress` (like every long operation) returning a `DemoReport`. Files
whose kind no installed importer reads are written anyway and listed as skipped, so
the demo still builds while an importer is missing.
"""

from dataclasses import dataclass, field
from pathlib import Path

from app.core.cancel import CancelToken, Progress
from app.core.records import ImportSettings
from app.demo import story
from app.analysis.extraction.operation import analyse_extraction
from app.demo.facts import add_demo_facts
from app.store.findings import run_accounts
from app.demo.inputs import DemoInput, write_inputs
from app.demo.outputs import trace_to_the_logs
from app.demo.tagging import apply_review
from app.importers.pipeline import HEAD_BYTES, import_files
from app.importers.registry import UnknownFormat, choose_importer
from app.store.case_file import CaseFile

CASE_FILE_NAME = "demo.casefile"
PARTIAL_NAME = "demo-incomplete.casefile"
INPUTS_FOLDER = "inputs"
OPERATOR = "demo"


@dataclass
class DemoReport:
    case_path: Path
    inputs: list[DemoInput]
    imported: list[str] = field(default_factory=list)  # file reports' summaries
    skipped: list[str] = field(default_factory=list)  # plain sentences: which file, why
    tagged: dict[str, int] = field(default_factory=dict)
    links: int = 0  # outputs linked to the logged responses they copy
    flagged: int = 0  # accounts the extraction analysis flags


class DemoExists(Exception):
    """The folder already holds a demo case."""


def build_demo(folder: Path, replace: bool = False, token: CancelToken | None = None):
    """Build the demo case under `folder` (a Progress generator returning a DemoReport)."""
    folder = Path(folder)
    case_path = folder / CASE_FILE_NAME
    if case_path.exists() and not replace:
        raise DemoExists(f"{case_path} already exists; remove it or rebuild with --force.")
    folder.mkdir(parents=True, exist_ok=True)
    yield Progress("Writing the demo inputs", 0, None, "files")
    inputs = write_inputs(folder / INPUTS_FOLDER)
    # Built under a temporary name and renamed when complete: an interrupted build never
    # leaves a half-made demo.casefile for `casefile gui --demo` to open.
    partial = folder / PARTIAL_NAME
    _remove_case(partial)
    case = CaseFile.create(partial, story.CASE_NAME, story.CASE_NUMBER, story.CASE_ZONE, operator=OPERATOR)
    try:
        report = DemoReport(case_path, inputs)
        for group in _import_groups(inputs, report):
            settings = ImportSettings(
                as_kind=group[0].family, timezone=case.timezone, custodian=group[0].custodian, operator=OPERATOR
            )
            result = yield from import_files(case, [i.path for i in group], settings, token)
            report.imported += [f.summary() for f in result.files]
        yield Progress("Tagging the demo evidence", 0, None, "items")
        report.tagged = apply_review(case)
        yield Progress("Writing down the facts", 0, None, "facts")
        add_demo_facts(case)
        yield Progress("Tracing the outputs to the lab's responses", 0, None, "steps")
        report.links = len((yield from trace_to_the_logs(case, token)).links)
        # The analysis is stored with the case, so the Findings view opens with its results.
        run_id = yield from analyse_extraction(case, token=token)
        report.flagged = len(run_accounts(case.conn, run_id, flagged_only=True))
    finally:
        case.close()
    _remove_case(case_path)
    partial.replace(case_path)
    return report


def _remove_case(case_path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{case_path}{suffix}").unlink(missing_ok=True)


def _import_groups(inputs: list[DemoInput], report: DemoReport) -> list[list[DemoInput]]:
    """Importable inputs grouped by (family, custodian), in order; the rest noted as skipped."""
    groups: dict[tuple[str, str], list[DemoInput]] = {}
    for item in inputs:
        reason = _unreadable_reason(item)
        if reason:
            report.skipped.append(f"{item.path.name}: not imported ({reason}).")
        else:
            groups.setdefault((item.family, item.custodian), []).append(item)
    return list(groups.values())


def _unreadable_reason(item: DemoInput) -> str | None:
    """Why no installed importer reads this input, or None when one does."""
    with open(item.path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    try:
        choose_importer(head, item.path.name, item.family)
    except UnknownFormat:
        return f"no {item.family} importer for this format is installed yet"
    return None

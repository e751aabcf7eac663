"""Opening a case for a `casefile` command: the same for every command.

A case left open by a killed process is recovered as it is opened; what happened is
said on stderr (stdout stays the command's own output, e.g. JSON).
"""

import sys
from pathlib import Path

from app.store.case_file import CaseFile


def open_case(path: Path, operator: str | None = None) -> CaseFile:
    case = CaseFile.open(path, operator=operator)
    if case.recovery is not None:
        print(f"casefile: {case.recovery.message}", file=sys.stderr)
    return case

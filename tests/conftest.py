"""Shared fixtures. Qt runs offscreen in every test."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.store.case_file import CaseFile  # noqa: E402


@pytest.fixture
def case_path(tmp_path) -> Path:
    """A new, empty case file on disk."""
    path = tmp_path / "test.casefile"
    CaseFile.create(path, "Test case", "CL-2026-0001", "UTC", operator="tester").close()
    return path


@pytest.fixture
def case(case_path):
    """The new case, open."""
    opened = CaseFile.open(case_path, operator="tester")
    yield opened
    opened.close()


@pytest.fixture
def cli(capsys):
    """Run `casefile ...` in-process; returns (exit code, stdout, stderr)."""
    from app.cli import main

    def run(*args):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
        out = capsys.readouterr()
        return code, out.out, out.err
    return run

"""The linter and the type checker, run by the suite so that CI fails on a lint or type error.

The rules and the checked packages are configured in pyproject.toml ([tool.ruff], [tool.mypy]).
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, input=stdin, capture_output=True, text=True)


def test_ruff_finds_nothing():
    result = _run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_file_is_formatted():
    result = _run("ruff", "format", "--no-cache", "--check", ".")
    assert result.returncode == 0, "run `ruff format .`: " + result.stdout + result.stderr


def test_the_format_check_sees_an_unformatted_file():
    """A self-test that the format check can fail: code laid out by hand is reported."""
    source = "def f( a,b ):\n    return {'a':a,\n  'b':b}\n"
    result = _run(
        "ruff", "format", "--no-cache", "--check", "--stdin-filename", "app/core/example.py", "-", stdin=source
    )
    assert result.returncode == 1


def test_ruff_flags_an_unused_import_and_a_time_without_zone():
    """The rules in pyproject.toml apply to app/: a self-test that the lint can fail."""
    source = "import os\nfrom datetime import datetime\n\nSTARTED = datetime.now()\n"
    result = _run(
        "ruff",
        "check",
        "--no-cache",
        "--output-format",
        "concise",
        "--stdin-filename",
        "app/core/example.py",
        "-",
        stdin=source,
    )
    assert result.returncode == 1
    assert "F401" in result.stdout and "DTZ005" in result.stdout


def test_mypy_passes_on_core_and_store(tmp_path):
    result = _run("mypy", "--cache-dir", str(tmp_path / "mypy-cache"))
    assert result.returncode == 0, result.stdout + result.stderr
    checked = int(re.search(r"in (\d+) source files", result.stdout).group(1))
    assert checked >= len(list((ROOT / "app" / "store").glob("*.py")))  # the configured packages, not none


def test_mypy_flags_a_wrong_return_type(tmp_path):
    """The same settings find a type error: a self-test that the check can fail."""
    wrong = tmp_path / "wrong.py"
    wrong.write_text("def count() -> int:\n    return 'many'\n", encoding="utf-8")
    result = _run(
        "mypy", "--cache-dir", str(tmp_path / "mypy-cache"), "--config-file", str(ROOT / "pyproject.toml"), str(wrong)
    )
    assert result.returncode == 1 and "return-value" in result.stdout

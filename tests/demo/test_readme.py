"""The README a newcomer follows: the two commands first, the same commands in CI."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN = "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/casefile gui --demo"
TEST = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest -q"


def test_readme_starts_with_the_run_and_test_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    first_block = lines[lines.index("```") + 1 :]
    assert first_block[:3] == [RUN, TEST, "```"]
    assert all(not line.strip() or line.startswith("#") for line in lines[: lines.index("```")])


def test_ci_runs_the_readme_test_command_verbatim():
    assert TEST in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_every_command_in_the_cli_reference_exists():
    from app.cli import build_parser

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = {name.split()[0] for name in re.findall(r"^#### `casefile (.+)`", text, flags=re.M)}
    commands = set(build_parser()._subparsers._group_actions[0].choices)  # noqa: SLF001
    assert documented == commands, "run: python docs/cli_reference.py"


def test_every_file_the_readme_links_to_exists():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = {t for t in re.findall(r"\]\(([^)#\s]+)\)", text) if "://" not in t}
    assert {
        "docs/main-window.png",
        "docs/import-wizard.png",
        "docs/export-dialog.png",
        "docs/timeline.png",
        "docs/bundle-page-1.png",
    } <= targets
    assert [t for t in sorted(targets) if not (ROOT / t).exists()] == []


def _cli_reference():
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "docs" / "cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_cli_reference_in_the_readme_is_current(monkeypatch):
    """The README's command-line reference is exactly what `casefile COMMAND --help` prints today."""
    monkeypatch.setenv("COLUMNS", "100")  # the generator sets it; restored after the test
    cli_reference = _cli_reference()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert cli_reference.updated_readme(text) == text, "run: python docs/cli_reference.py"


def test_a_stale_cli_reference_is_caught(monkeypatch):
    """An option documented but no longer offered (or offered but not documented) fails the check above."""
    monkeypatch.setenv("COLUMNS", "100")
    cli_reference = _cli_reference()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    stale = text.replace("  --loadfile ", "  --load-file", 1)
    assert stale != text and cli_reference.updated_readme(stale) == text

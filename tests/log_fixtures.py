"""Fixtures shared by the store, import, verify and CLI tests: JSON-lines logs written by the tests themselves."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Six log rows, deliberately out of order, one naive (zone assumed), one undated.
LOG_ROWS = [
    {
        "timestamp": "2026-01-05T10:00:00Z",
        "account": "acct-1",
        "model": "m-large",
        "prompt": "Explain the rate limit policy",
        "response": "The policy allows 60 requests",
    },
    {
        "timestamp": "2026-01-03T08:30:00+02:00",
        "account": "acct-2",
        "model": "m-small",
        "prompt": "Translate the contract",
        "response": "Le contrat",
    },
    {
        "timestamp": 1767225600,
        "account": "acct-1",
        "model": "m-large",
        "prompt": "Epoch seconds row",
        "response": "distillation dataset sample",
    },
    {
        "timestamp": "2026-01-04 12:00:00",
        "account": "acct-3",
        "model": "m-large",
        "prompt": "Naive time row",
        "response": "answer",
    },
    {"account": "acct-3", "model": "m-small", "prompt": "No time at all", "response": "undated"},
    {
        "timestamp": "1767312000123",
        "account": "acct-2",
        "model": "m-code",
        "prompt": "Epoch milliseconds row",
        "response": "code output",
    },
]
# Ordinary rows after those (February, so they sort after the six above): a log is mostly good rows.
FILLER_ROWS = [
    {
        "timestamp": f"2026-02-{day:02d}T09:00:00Z",
        "account": "acct-9",
        "model": "m-small",
        "prompt": f"Filler request {day}",
        "response": "ok",
    }
    for day in range(1, 11)
]
MALFORMED = [b'{"timestamp": "2026-01-01T00:00:00Z", "prompt": "cut sho\n', b"not json at all\n", b"[1, 2, 3]\n"]


def log_bytes(rows=LOG_ROWS + FILLER_ROWS, malformed=MALFORMED, blank_lines: int = 1) -> bytes:
    """JSON lines: the rows, then malformed lines and blank lines mixed in after row 2."""
    lines = [json.dumps(r).encode() + b"\n" for r in rows]
    return b"".join(lines[:2] + list(malformed) + [b"\n"] * blank_lines + lines[2:])


@pytest.fixture
def log_file(tmp_path) -> Path:
    """A JSON-lines API log: 16 good rows (one undated), 3 malformed lines, 1 blank line."""
    path = tmp_path / "api-log.jsonl"
    path.write_bytes(log_bytes())
    return path


@pytest.fixture
def imported(case_path, log_file, cli):
    """The case with the log imported through the CLI."""
    code, out, err = cli("import", case_path, log_file, "--quiet", "--undated-ok", "--operator", "tester")
    assert code == 0, err
    return case_path


def child_env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture(name="child_env")
def child_env_fixture() -> dict:
    """Environment for a child Python process that imports `app` from this tree."""
    return child_env()


@pytest.fixture
def casefile_proc():
    """Run `python -m app.cli ARGS` in a real child process; returns CompletedProcess."""

    def run(*args, timeout=60):
        return subprocess.run(
            [sys.executable, "-m", "app.cli", *map(str, args)],
            cwd=ROOT,
            env=child_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


@pytest.fixture
def make_log():
    """`make_log(rows, malformed, blank_lines)` -> the bytes of a JSON-lines log."""
    return log_bytes


@pytest.fixture
def sha256_of():
    def digest(path) -> str:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()

    return digest

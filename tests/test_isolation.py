"""A test run never touches the real user's settings, data, keys or demo case.

A child pytest runs with HOME pointing at a sentinel folder and every other user-folder
variable removed, so anything not isolated by tests/conftest.py would land in the
sentinel. It runs the probe (which writes everywhere Casefile keeps per-user files, in
process and in a grandchild) and real tests that use settings, keys and subprocesses.
"""

import os
import subprocess
import sys
from pathlib import Path

from user_folders import USER_FOLDER_VARIABLES

ROOT = Path(__file__).resolve().parents[1]

PROBE = "tests/isolation_probe.py"
# Real tests that write settings, signing keys or start child processes.
REAL_TESTS = ["tests/ui/test_ui_settings.py", "tests/ui/test_ui_entry_point.py", "tests/verify/test_audit_signing.py"]


def _pytest_with_home(home: Path, *args) -> subprocess.CompletedProcess:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in USER_FOLDER_VARIABLES and not name.startswith("PYTEST_")
    }
    env.update(HOME=str(home), PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def _files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_a_test_run_leaves_the_real_home_untouched(tmp_path):
    home = tmp_path / "real-home"
    home.mkdir()
    done = _pytest_with_home(home, PROBE, *REAL_TESTS)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert _files_under(home) == []


def test_the_check_sees_writes_when_nothing_isolates_them(tmp_path):
    """Without tests/conftest.py the probe writes into HOME: the check above can fail."""
    home = tmp_path / "real-home"
    home.mkdir()
    done = _pytest_with_home(home, "--noconftest", PROBE)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    written = _files_under(home)
    assert "isolation-probe.txt" in written
    assert any(name.endswith("Casefile.ini") for name in written), written
    assert any(name.endswith("keys/isolation-probe.txt") for name in written), written

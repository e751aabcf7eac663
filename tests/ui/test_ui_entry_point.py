"""`python -m app` (the GUI entry, `casefile-gui` when frozen) takes `casefile gui`'s arguments."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_gui_entry(*args, tmp_path):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


def test_gui_entry_opens_the_case_given(case_path, tmp_path):
    done = _run_gui_entry(str(case_path), "--quit-after-show", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Window shown:" in done.stdout and "Test case" in done.stdout


def test_gui_entry_explains_bad_arguments_in_words(tmp_path):
    done = _run_gui_entry("--no-such-option", tmp_path=tmp_path)
    assert done.returncode == 2 and "unrecognized arguments" in done.stderr

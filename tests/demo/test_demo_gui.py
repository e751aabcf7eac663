"""The README's run command: `casefile gui --demo` builds the demo case and shows the window."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_gui_demo(demo_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CASEFILE_DEMO_DIR": str(demo_dir), "QT_QPA_PLATFORM": "xcb"}
    command = ["xvfb-run", "-a", sys.executable, "-m", "app.cli", "gui", "--demo", "--quit-after-show"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="Xvfb is not installed (apt-get install -y xvfb)")
def test_run_command_builds_the_demo_and_shows_the_main_window(tmp_path):
    demo_dir = tmp_path / "user-data" / "demo"
    first = _run_gui_demo(demo_dir)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "Building the demo case" in first.stderr
    assert "Window shown: Northwind AI v. Example Dynamics" in first.stdout
    assert (demo_dir / "demo.casefile").is_file()
    built = (demo_dir / "demo.casefile").stat().st_mtime_ns

    second = _run_gui_demo(demo_dir)  # the demo is built on first run only
    assert second.returncode == 0, second.stderr[-2000:]
    assert "Building" not in second.stderr and "Window shown: Northwind AI" in second.stdout
    assert (demo_dir / "demo.casefile").stat().st_mtime_ns == built

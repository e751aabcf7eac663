"""Writes wherever Casefile keeps per-user files, in this process and in a child process.

Not collected on its own (the name does not start with `test_`): tests/test_isolation.py
runs it in a child pytest whose HOME is a sentinel folder, and checks the sentinel stays
empty -- and, run without tests/conftest.py, that the probe really does reach HOME.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WRITE_EVERYWHERE = """
from pathlib import Path
from PySide6.QtCore import QSettings
from app.cli.demo import user_demo_folder
from app.core.paths import user_data_dir
from app.core.signing_keys import keys_dir
from app.ui import settings as S
S.set_application_names()
settings = S.Settings()
settings.set(S.BATES_PREFIX, "PROBE")
settings.sync()
assert settings.qsettings.status() == QSettings.Status.NoError
for folder in (Path.home(), user_data_dir(), keys_dir(), user_demo_folder()):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "isolation-probe.txt").write_text("written by tests/isolation_probe.py")
"""


def test_writes_in_this_process():
    exec(WRITE_EVERYWHERE, {})


def test_writes_in_a_child_process():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", WRITE_EVERYWHERE], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

"""Regression: PySide6 6.12.0 on Python 3.11 aborts after a few thousand Qt calls that
return nothing (`Fatal Python error: none_dealloc`). pyproject.toml pins <6.12 there;
this test makes 200,000 such calls, in a child process so an abort fails the test
instead of killing the test run."""

import subprocess
import sys

LOOP = """
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
widget = QWidget()
for _ in range(200_000):
    widget.update()
print("survived")
"""


def test_200000_void_qt_calls_survive(child_env):
    env = {**child_env, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", LOOP], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "survived"

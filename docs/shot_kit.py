"""What the screenshot scripts share (docs/make_*_screenshots.py).

Each script builds the demo case once, then runs itself again in a child process per
picture, so that each picture gets its own offscreen screen and scale factor
(`shoot_in_child`). The child opens the window with settings kept out of the user's
(`isolated_app`), lets Qt settle, grabs, and closes once no worker is left (`close_when_idle`).
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def settle(app, times: int = 5) -> None:
    for _ in range(times):
        app.processEvents()


def isolated_app():
    """The QApplication, with settings in a temporary folder (never the user's)."""
    from PySide6.QtWidgets import QApplication

    from app.ui import settings as S

    S.set_application_names()
    S.isolate_settings(Path(tempfile.mkdtemp()))
    return QApplication.instance() or QApplication([])


def close_when_idle(app, window) -> None:
    """Close the window once every worker it started has ended."""
    from app.ui.task_runner import running_tasks

    while running_tasks():
        app.processEvents()
    window.close()


def demo_case(work: Path) -> Path:
    """The demo case in `work/demo`, built if it is not there yet."""
    from app.core.cancel import run_to_end
    from app.demo.build import build_demo

    case_path = work / "demo" / "demo.casefile"
    if not case_path.exists():
        run_to_end(build_demo(work / "demo"))
    return case_path


def screen_platform(width: int, height: int, folder: Path) -> str:
    """An offscreen platform with one screen of this size (the default offscreen screen is 800x800)."""
    config = folder / f"screen-{width}x{height}.json"
    screen = {"name": "desk", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96}
    config.write_text(json.dumps({"screens": [screen]}))
    return f"offscreen:configfile={config}"


def shoot_in_child(script: str, args: list, scale: int = 1, screen: tuple[int, int] | None = None) -> None:
    """Run `script --shoot ARGS...` at this scale factor; `screen`: a screen of that size times the scale."""
    env = {**os.environ, "QT_SCALE_FACTOR": str(scale)}
    if screen is not None:  # a screen that holds the window at this scale: a window never opens larger
        env["QT_QPA_PLATFORM"] = screen_platform(screen[0] * scale, screen[1] * scale, Path(tempfile.mkdtemp()))
    subprocess.run([sys.executable, script, "--shoot", *map(str, args)], env=env, check=True)

"""Screenshots of the review layout on a 1366x768 laptop and on a full-HD laptop at 200%.

    python docs/make_review_screenshots.py [WORK_DIR]

The demo case (built in WORK_DIR, default a temporary folder) in the main window, an
email selected and a search active (docs/make_main_window_screenshots.py shoots), on
an offscreen screen of each size: docs/review-1366x768.png, docs/review-200pct.png.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.cancel import run_to_end  # noqa: E402
from app.demo.build import build_demo  # noqa: E402

DOCS = ROOT / "docs"
SCREENS = (  # (physical size, scale, file)
    ((1366, 768), "1", "review-1366x768.png"),
    ((1920, 1080), "2", "review-200pct.png"),
)


def main() -> None:
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    case_path = work / "demo" / "demo.casefile"
    if not case_path.exists():
        run_to_end(build_demo(work / "demo"))
    for (width, height), scale, name in SCREENS:
        config = work / f"screen-{width}x{height}.json"
        screen = {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96}
        config.write_text(json.dumps({"screens": [screen]}))
        env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": scale}
        shooter = DOCS / "make_main_window_screenshots.py"
        subprocess.run([sys.executable, str(shooter), "--shoot", str(case_path), str(DOCS / name)], env=env, check=True)
        print(f"wrote docs/{name}")


if __name__ == "__main__":
    main()

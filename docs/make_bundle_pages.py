"""Render the first pages of the demo's hot-documents bundle to docs/bundle-page-N.png.

    python docs/make_bundle_pages.py [PAGES]     # default 4; needs pdftoppm (poppler-utils)

Builds the demo case in a temporary folder, exports the evidence tagged HOT exactly as
the README shows, and renders the first PAGES pages at 100 dpi.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
DPI = "100"


def main(argv) -> int:
    pages = int(argv[0]) if argv else 4
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is not installed (apt-get install -y poppler-utils).", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        casefile = [sys.executable, "-m", "app.cli"]
        subprocess.run(
            casefile + ["demo", str(folder / "demo"), "--quiet"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )
        subprocess.run(
            casefile
            + [
                "export",
                str(folder / "demo" / "demo.casefile"),
                str(folder / "hot.pdf"),
                "--tag",
                "HOT",
                "--bates-prefix",
                "NW",
                "--party",
                "Northwind AI",
                "--title",
                "Plaintiff's hot documents",
                "--page-size",
                "Letter",
                "--quiet",
            ],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            ["pdftoppm", "-r", DPI, "-png", "-f", "1", "-l", str(pages), str(folder / "hot.pdf"), str(folder / "page")],
            check=True,
        )
        for old in DOCS.glob("bundle-page-*.png"):
            old.unlink()
        for number, png in enumerate(sorted(folder.glob("page-*.png")), start=1):
            shutil.copyfile(png, DOCS / f"bundle-page-{number}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

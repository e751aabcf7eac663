"""Export benchmark: a mixed bundle (emails, log excerpts, merged PDFs) against a floor
of plain reportlab pages carrying the same text, measured in the same run.

    python bench/bench_export.py --scale 1 --record        # ~1,000 pages: the issue's figure
    python bench/bench_export.py --scale 0.5,1 --record    # memory flat in the page count?

The case is built once per scale through the real import pipeline (generated .eml files,
a JSON-lines log from bench/floor.py, generated multi-page PDFs). The export is the real
`export_bundle` (drawing, merging, stamping, index, certificate, sidecars, recording). The
floor draws each page's extracted text with `canvas.drawString` in Helvetica, one page per
bundle page, compressed, saved: the least any bundle of that text can cost. Each
measurement runs in its own subprocess; peak memory is its ru_maxrss.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

RESULTS = ROOT / "bench" / "results" / "export.txt"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_case(workdir: Path, scale: float) -> Path:
    """A case with emails, log rows and PDFs in the proportions of a real bundle."""
    from app.core.cancel import run_to_end
    from app.core.records import ImportSettings
    from app.importers.pipeline import import_files
    from app.store.case_file import CaseFile
    from floor import write_log_lines

    inputs = workdir / "inputs"
    inputs.mkdir()
    paths = [_write_emails(inputs, int(300 * scale))]
    write_log_lines(inputs / "api.jsonl", int(1000 * scale))
    paths.append(inputs / "api.jsonl")
    paths += [_write_pdf(inputs / f"doc{n:03d}.pdf", 10, n) for n in range(int(25 * scale))]
    case_path = workdir / "bench.casefile"
    with CaseFile.create(case_path, "Bench v. Export", "B-1", "UTC", operator="bench") as case:
        run_to_end(import_files(case, paths, ImportSettings(timezone="UTC")))
    return case_path


def _write_emails(folder: Path, count: int) -> Path:
    import mailbox

    box = mailbox.mbox(str(folder / "mail.mbox"))
    paragraph = (
        "We discussed the extraction schedule and the rotation of keys across the accounts; "
        "the team will continue collecting responses for the training set. "
    ) * 14
    for n in range(count):
        message = EmailMessage()
        message["From"] = f"sender{n % 17}@example.com"
        message["To"] = "team@example.org"
        message["Subject"] = f"Status update {n}"
        message["Date"] = f"Mon, {1 + n % 28:02d} Jun 2026 {n % 24:02d}:{n % 60:02d}:00 +0000"
        message["Message-ID"] = f"<m{n}@example.com>"
        message.set_content(paragraph)
        box.add(message)
    box.close()
    return folder / "mail.mbox"


def _write_pdf(path: Path, pages: int, seed: int) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    for page in range(pages):
        canvas.setFont("Helvetica", 10)
        for line in range(50):
            canvas.drawString(60, 780 - line * 14, f"Document {seed} page {page + 1} line {line}: contract terms text")
        canvas.showPage()
    canvas.save()
    return path


def run_export(case_path: str, out: str, small_cache: bool = False) -> dict:
    from app.core.cancel import run_to_end
    from app.export.bundle import ExportSettings, export_bundle
    from app.export.selection import Selection
    from app.store.case_file import CaseFile

    started = time.perf_counter()
    with CaseFile.open(case_path, operator="bench") as case:
        if small_cache:  # SQLite's page cache (64 MiB in a case file) fills with what is read: take it out
            case.conn.execute("PRAGMA cache_size = -2048")
        result = run_to_end(export_bundle(case, out, Selection(), ExportSettings(title="Bench bundle")))
    return {"seconds": time.perf_counter() - started, "pages": result.pages, "peak_mb": peak_mb()}


def run_floor(texts_path: str, out: str) -> dict:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas
    from reportlab import rl_config

    rl_config.useA85 = 0  # as the export does: the same stream encoding on both sides
    texts = json.loads(Path(texts_path).read_text())
    started = time.perf_counter()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    for text in texts:
        canvas.setFont("Helvetica", 8)
        y = 800
        for line in text.splitlines():
            canvas.drawString(40, y, line[:160])
            y -= 9.5
        canvas.showPage()
    canvas.save()
    return {"seconds": time.perf_counter() - started, "pages": len(texts), "peak_mb": peak_mb()}


def in_subprocess(*args) -> dict:
    done = subprocess.run([sys.executable, __file__, "--worker", *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(scale: float, repeat: int) -> dict:
    """Best of `repeat` alternating runs of each (the machine is shared; the best is the least disturbed)."""
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        workdir = Path(tmp)
        case_path = build_case(workdir, scale)
        exports, floors = [], []
        small = in_subprocess("export-small-cache", str(case_path), str(workdir / "small.pdf"))
        for run in range(repeat):
            out = workdir / f"bundle{run}.pdf"
            exports.append(in_subprocess("export", str(case_path), str(out)))
            if run == 0:
                texts = [page.extract_text() for page in PdfReader(str(out)).pages]
                (workdir / "texts.json").write_text(json.dumps(texts))
            floors.append(in_subprocess("floor", str(workdir / "texts.json"), str(workdir / "floor.pdf")))
    best = lambda runs: {**min(runs, key=lambda r: r["seconds"]), "peak_mb": max(r["peak_mb"] for r in runs)}  # noqa: E731
    return {"scale": scale, "export": best(exports), "floor": best(floors), "small_cache_mb": small["peak_mb"]}


def summary(m: dict) -> str:
    e, f = m["export"], m["floor"]
    return (
        f"scale {m['scale']}: {e['pages']:,} pages; export {e['seconds']:.2f} s ({e['pages'] / e['seconds']:.0f} "
        f"pages/s), floor {f['seconds']:.2f} s ({f['pages'] / f['seconds']:.0f} pages/s); ratio export/floor "
        f"{e['seconds'] / f['seconds']:.2f}x; peak memory export {e['peak_mb']:.0f} MB (with a 2 MB SQLite cache "
        f"{m['small_cache_mb']:.0f} MB), floor {f['peak_mb']:.0f} MB"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="1", help="comma-separated scales (1 = ~1,000 pages)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best time counts")
    parser.add_argument("--record", action="store_true", help=f"write {RESULTS.relative_to(ROOT)}")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, *rest = args.worker
        if kind.startswith("export"):
            print(json.dumps(run_export(*rest, small_cache=kind == "export-small-cache")))
        else:
            print(json.dumps(run_floor(*rest)))
        return 0
    lines = [summary(measure(float(s), args.repeat)) for s in args.scale.split(",")]
    for line in lines:
        print(line)
    if args.record:
        RESULTS.write_text(
            f"python bench/bench_export.py --scale {args.scale} --repeat {args.repeat}\n" + "\n".join(lines) + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

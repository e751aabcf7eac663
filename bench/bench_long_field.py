"""Export of one log row with one very long field: seconds by field length.

With `--shape row` the case holds 30 ordinary log rows and one whose prompt has the
given length (the bundle is one log excerpt of all 31); `--shape alone` is that row
alone in its file, as in the issue (one long JSON line is imported as a text document
and drawn in a proportional font); `--shape document`, a .txt file of that length.

    python bench/bench_long_field.py --chars 50000,100000,200000,1000000 --record
    python bench/bench_long_field.py --chars 50000 --kind words --timeout 600

Before the fix, wrapping was quadratic in the length of a field (a 1 MB field did not
finish in 9.5 minutes); now it is linear and only the first pages' worth of a field is
drawn, the rest stated on the page. Each length is exported in its own subprocess (the
real `export_bundle`: draw, stamp, sidecars, record) with a time limit; `--kind` picks
the field's text: `words` (prose-like, spaces every few letters), `solid` (no spaces:
base64 or minified data), `latin` (accented words) or `cjk` (Chinese, no spaces). `--record` appends to
bench/results/long_field.txt.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "long_field.txt"

TEXTS = {
    "words": "the model answered with a long chain of reasoning about keys ",
    "solid": "QmFzZTY0IGRhdGEgd2l0aG91dCBhbnkgc3BhY2VzIGF0IGFsbA",
    "latin": "naïve café résumé über straße façade ",
    "cjk": "每三天更换一次密钥注册推理公司的账户",
}

CHILD = """
import json, sys, time
from pathlib import Path
from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.export.bundle import ExportSettings, export_bundle
from app.export.selection import Selection
from app.importers.pipeline import import_files
from app.store.case_file import CaseFile
folder, chars, text, shape = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
field = (text * (chars // len(text) + 1))[:chars]
log = folder / ("notes.txt" if shape == "document" else "api.jsonl")
rows = [{"timestamp": f"2026-03-01T09:{n:02d}:00Z", "account": "acct-1", "model": "m", "prompt": f"short {n}",
         "response": "ok"} for n in range(30)]  # ordinary rows first, so the file is seen as a JSON-lines log
rows.append({"timestamp": "2026-03-01T10:00:00Z", "account": "acct-1", "model": "m", "prompt": field, "response": "ok"})
rows = rows if shape == "row" else rows[-1:]
log.write_text("".join(json.dumps(row) + "\\n" for row in rows) if shape != "document" else field, encoding="utf-8")
with CaseFile.create(folder / "bench.casefile", "Bench", "B-1", "UTC", operator="bench") as case:
    run_to_end(import_files(case, [log], ImportSettings(timezone="UTC")))
    started = time.perf_counter()
    result = run_to_end(export_bundle(case, folder / "bundle.pdf", Selection(), ExportSettings()))
    print(json.dumps({"seconds": round(time.perf_counter() - started, 2), "pages": result.pages}))
"""


def measure(chars: int, kind: str, shape: str, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-long-field-") as folder:
        try:
            done = subprocess.run(
                [sys.executable, "-c", CHILD, folder, str(chars), TEXTS[kind], shape],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=True,
            )
        except subprocess.TimeoutExpired:
            return {
                "chars": chars,
                "kind": kind,
                "shape": shape,
                "seconds": None,
                "note": f"did not finish in {timeout:g} s",
            }
        return {"chars": chars, "kind": kind, "shape": shape, **json.loads(done.stdout.splitlines()[-1])}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", default="50000,100000,200000,1000000")
    parser.add_argument("--kind", choices=sorted(TEXTS), default="words")
    parser.add_argument(
        "--shape",
        choices=("row", "alone", "document"),
        default="row",
        help="row: a log row's prompt among 30 short rows; alone: that row alone in its file "
        "(the issue's case: one long JSON line is imported as a text document); "
        "document: the whole text of a .txt file",
    )
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--label", default="", help="written with --record (e.g. the commit)")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args(argv)
    for chars in (int(c) for c in args.chars.split(",")):
        row = {
            "when": time.strftime("%Y-%m-%d %H:%M"),
            "label": args.label,
            **measure(chars, args.kind, args.shape, args.timeout),
        }
        print(json.dumps(row), flush=True)
        if args.record:
            with open(RESULTS, "a", encoding="utf-8") as out:
                out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()

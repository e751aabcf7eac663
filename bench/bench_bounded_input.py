"""Bounded work on hostile input: a gzip of one enormous line, and the cost for ordinary .gz logs.

    python bench/bench_bounded_input.py --line-mb 500                    # this tree
    python bench/bench_bounded_input.py --line-mb 500 --tree /tmp/old    # another checkout (before)
    python bench/bench_bounded_input.py --line-mb 2200 --allow --cases document   # the issue's 2.2 GB
    python bench/bench_bounded_input.py --rows 100000 --cases gz_log      # a .jsonl.gz log's import time

Cases, each imported into a new case file in its own subprocess (peak RSS = ru_maxrss):
- document: `notes.txt.gz`, LINE_MB megabytes of 'a' and no newline (a text document);
- log: `api.jsonl.gz`, one JSON row and then that line (a JSON-lines log);
- gz_log: `api.jsonl.gz` of ROWS synthetic ~1.6 KB API-log rows (bench/floor.py), to see
  what reading through the gzip reader and the expansion check cost an ordinary import.
`--allow` imports with large expansion allowed (a 2.2 GB line from 2 MB is otherwise
refused by the guard -- also measured: how long the refusal takes).
Results: bench/results/bounded_input.txt with `--record`.
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from floor import write_log_lines  # noqa: E402

MEASURE = """
import json, resource, sys, time
from pathlib import Path
from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files
from app.store.case_file import CaseFile

case_path, path, chosen = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
case = CaseFile.create(case_path, "Bench", None, "UTC", operator="bench")
started, cpu = time.monotonic(), time.process_time()
report = run_to_end(import_files(case, [path], ImportSettings(**chosen))).files[0]
case.close()
print(json.dumps({"seconds": round(time.monotonic() - started, 2), "cpu_s": round(time.process_time() - cpu, 2),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  "summary": report.summary()[-160:]}))
"""


def write_one_line(path: Path, megabytes: int, first_line: bytes = b"") -> Path:
    """A gzip of `megabytes` MB of 'a' with no newline, compressed as it is written."""
    block = b"a" * (1024 * 1024)
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(first_line)
        for _ in range(megabytes):
            handle.write(block)
    return path


def write_gz_log(path: Path, rows: int) -> Path:
    plain = path.with_suffix("")
    write_log_lines(plain, rows)
    with open(plain, "rb") as source, gzip.open(path, "wb", compresslevel=6) as packed:
        while block := source.read(1 << 20):
            packed.write(block)
    plain.unlink()
    return path


def measure(tree: Path, work: Path, path: Path, chosen: dict) -> dict:
    case_path = work / "bench.casefile"
    for leftover in work.glob("bench.casefile*"):
        leftover.unlink()
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(case_path), str(path), json.dumps(chosen)],
        capture_output=True,
        text=True,
        cwd=tree,
        env=env,
    )
    if done.returncode:
        return {"failed": done.stderr.strip().splitlines()[-1][:200]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--line-mb", type=int, default=500)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--tree", type=Path, default=ROOT, help="the source tree to measure (default: this one)")
    parser.add_argument("--cases", default="document,log", help="document, log, gz_log (comma-separated)")
    parser.add_argument("--allow", action="store_true", help="import with large expansion allowed")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    chosen = {"allow_large_expansion": True} if args.allow else {}
    lines = []
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as folder:
        work = Path(folder)
        for case in args.cases.split(","):
            if case == "document":
                path = write_one_line(work / "notes.txt.gz", args.line_mb)
            elif case == "log":
                first = json.dumps({"timestamp": "2026-03-01T10:00:00Z", "prompt": "before"}).encode() + b"\n"
                path = write_one_line(work / "api.jsonl.gz", args.line_mb, first)
            else:
                path = write_gz_log(work / "api.jsonl.gz", args.rows)
            size = f"{args.line_mb} MB line" if case != "gz_log" else f"{args.rows:,} rows"
            result = measure(args.tree, work, path, chosen)
            line = (
                f"{time.strftime('%Y-%m-%d %H:%M')} tree={args.tree.name} case={case} ({size}, "
                f"{path.stat().st_size / 1e6:.1f} MB compressed) settings={chosen or 'default'}: "
                f"{json.dumps(result, ensure_ascii=False)}"
            )
            print(line, flush=True)
            lines.append(line)
            path.unlink()
    if args.record:
        with open(ROOT / "bench" / "results" / "bounded_input.txt", "a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

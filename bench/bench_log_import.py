"""Log import (issue 3): JSON-lines and CSV API logs through the real pipeline, against the floor.

    python bench/bench_log_import.py --rows 1000000 --record   # the issue's measurement
    python bench/bench_log_import.py --rows 50000              # quick run while tuning

The same synthetic rows (bench/floor.py: ~1.6 KB each, with prompt and response text)
are written once as JSON lines and once as CSV. The floor (json.loads + one
executemany + FTS5 build afterwards) runs over the JSON lines; each import is the real
thing -- format detected from content, case file created, originals hashed and stored,
rows parsed, mapped, deduplicated, inserted, text indexed, audited, committed. Every
measurement runs in its own subprocess (bench_import.in_subprocess), so each peak
memory figure is that process's own ru_maxrss. The parsers alone (the importer's
records built, nothing stored) are timed too: their share of the import.
"""

import argparse
import csv
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from bench_import import in_subprocess  # noqa: E402
from floor import log_lines, write_log_lines  # noqa: E402

RESULTS = BENCH / "results" / "log_import.txt"
TARGET_RATIO, TARGET_PEAK_MB = 1.5, 300


def write_csv(path: Path, rows: int, wide: bool = False) -> Path:
    """The floor's rows as CSV with a header (streamed: memory stays flat)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8", buffering=4 * 1024 * 1024) as out:
        writer = None
        for line in log_lines(rows, wide=wide):
            row = json.loads(line)
            if writer is None:
                writer = csv.writer(out)
                writer.writerow(list(row))
            writer.writerow(list(row.values()))
    return path


def parse_only(path: Path) -> dict:
    """Seconds for the detected importer to yield every record of `path`, nothing stored."""
    from datetime import datetime, timezone

    from app.core.records import ImportSettings
    from app.core.timestamps import TimestampParser
    from app.importers.base import ImportContext
    from app.importers.registry import choose_importer

    with open(path, "rb") as handle:
        importer = choose_importer(handle.read(64 * 1024), path.name)
    ctx = ImportContext(ImportSettings(), TimestampParser("UTC"), path.name, datetime.now(timezone.utc))
    start = time.perf_counter()
    with open(path, "rb") as handle:
        records = sum(1 for _ in importer.read(io.BufferedReader(handle, 1024 * 1024), ctx))
    return {"importer": importer.name, "records": records, "parse_s": time.perf_counter() - start}


def parse_in_subprocess(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--parse-only", str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(rows: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        jsonl_dir, csv_dir = Path(tmp) / "jsonl", Path(tmp) / "csv"
        jsonl_dir.mkdir()
        jsonl = write_log_lines(jsonl_dir / "api-log.jsonl", rows)
        table = write_csv(csv_dir / "api-log.csv", rows)
        sizes = {"jsonl_mb": jsonl.stat().st_size / 1e6, "csv_mb": table.stat().st_size / 1e6}
        floor = in_subprocess("floor", jsonl, jsonl_dir)
        jsonl_import = {**in_subprocess("import", jsonl, jsonl_dir), **parse_in_subprocess(jsonl)}
        jsonl.unlink()  # disk: the CSV run does not need the JSON lines any more
        csv_import = {**in_subprocess("import", table, csv_dir), **parse_in_subprocess(table)}
    return {"rows": rows, **sizes, "floor": floor, "jsonl": jsonl_import, "csv": csv_import}


def summary(m: dict) -> str:
    floor, rows = m["floor"], m["rows"]
    lines = [
        f"{rows:,} rows (JSON lines {m['jsonl_mb']:,.0f} MB, CSV {m['csv_mb']:,.0f} MB):",
        f"  floor       : {floor['total_s']:.1f} s ({rows / floor['total_s']:,.0f} rows/s;"
        f" rows {floor['rows_s']:.1f} s + text index {floor['index_s']:.1f} s), peak {floor['peak_mb']:.0f} MB",
    ]
    for name in ("jsonl", "csv"):
        run = m[name]
        ratio = run["total_s"] / floor["total_s"]
        imported = run["counts"]["imported"]
        verdict = "meets" if ratio <= TARGET_RATIO and run["peak_mb"] < TARGET_PEAK_MB else "MISSES"
        lines.append(
            f"  {name:<5} import: {run['total_s']:.1f} s ({rows / run['total_s']:,.0f} rows/s; rows"
            f" {run['rows_s']:.1f} s + text index/commit {run['index_s']:.1f} s), peak {run['peak_mb']:.0f} MB,"
            f" {imported:,} imported; ratio to floor {ratio:.2f}x (rows {run['rows_s'] / floor['rows_s']:.2f}x,"
            f" index {run['index_s'] / floor['index_s']:.2f}x) -- {verdict} the target"
            f" ({TARGET_RATIO}x, < {TARGET_PEAK_MB} MB)"
        )
        lines.append(
            f"        parser alone ({run['importer']}): {run['parse_s']:.1f} s"
            f" ({run['parse_s'] / run['total_s']:.0%} of the import)"
        )
        starts = {k: round(v, 1) for k, v in run["stage_starts_s"].items()}
        lines.append(f"        stage starts (s): {json.dumps(starts)}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--record", action="store_true", help=f"append the results to {RESULTS}")
    parser.add_argument("--parse-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.parse_only:
        print(json.dumps(parse_only(args.parse_only)))
        return 0
    text = summary(measure(args.rows))
    print(text)
    if args.record:
        RESULTS.parent.mkdir(exist_ok=True)
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        with open(RESULTS, "a") as out:
            out.write(f"== {stamp} (2 shared cores; other engineers' work running) ==\n{text}\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

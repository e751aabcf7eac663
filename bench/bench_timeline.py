"""The timeline's counts on a case of a million log rows, against one full scan.

    python bench/bench_timeline.py --rows 1000000 --record

Floor: `SELECT count(ts_us) FROM items` (one pass over the rows, in the same run).
Measured: `timeline_for(conn, unit)` for automatic (the outlier check plus the count),
hour, day and week buckets, each in its own subprocess (peak memory, no warm cache
shared between measurements except the OS's). Results: bench/results/timeline.txt.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ui"), str(ROOT / "bench")]

# unit[@zone]: days and weeks of a zone other than UTC are local calendar days (app/store/timeline_counts.py)
MEASURES = ("floor", "auto", "hour", "day", "week", "day@America/Los_Angeles", "hour@Asia/Kolkata")


def measure(case_path: str, what: str) -> dict:
    from floor import peak_rss_mb

    from app.store.case_file import CaseFile
    from app.store.timeline_counts import timeline_for

    with CaseFile.open(case_path) as case:
        started = time.perf_counter()
        if what == "floor":
            case.conn.execute("SELECT count(ts_us) FROM items").fetchone()
            bars = 0
        else:
            unit, _, zone = what.partition("@")
            bars = len(timeline_for(case.conn, unit, zone=zone or "UTC").buckets)
        seconds = time.perf_counter() - started
    return {"what": what, "seconds": seconds, "bars": bars, "peak_rss_mb": peak_rss_mb()}


def run(rows: int) -> list[dict]:
    from ui_big_case import build_big_case

    folder = Path(tempfile.mkdtemp(prefix="bench-timeline-"))
    case_path = build_big_case(folder / "big.casefile", rows)
    results = []
    for what in MEASURES:
        out = subprocess.run(
            [sys.executable, __file__, "--measure", what, str(case_path)], check=True, capture_output=True, text=True
        ).stdout
        results.append(json.loads(out))
    floor = results[0]["seconds"]
    for result in results:
        result["ratio_to_floor"] = result["seconds"] / floor
    return results


def report(rows: int, results: list[dict]) -> str:
    lines = [f"timeline counts on {rows:,} log rows (floor: one count(ts_us) scan)"]
    for r in results:
        lines.append(
            f"  {r['what']:>23}: {r['seconds']:.3f} s  = {r['ratio_to_floor']:.1f}x floor, "
            f"{r['bars']:,} bars, peak {r['peak_rss_mb']:.0f} MB"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--record", action="store_true", help="write bench/results/timeline.txt")
    parser.add_argument("--measure", nargs=2, metavar=("WHAT", "CASE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure[1], args.measure[0])))
        return 0
    text = report(args.rows, run(args.rows))
    print(text)
    if args.record:
        (ROOT / "bench" / "results" / "timeline.txt").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Kill an import at many points of import, commit and checkpoint; the case must survive each.

    python bench/bench_kill_sweep.py                              # 40 byte points, 3k + 1k rows
    python bench/bench_kill_sweep.py --points 200 --record        # a long sweep, appended to results
    python bench/bench_kill_sweep.py --base-rows 2000 --rows 200000 --polled 10   # the issue's sizes

Two kinds of kill point (tests/kill_points.py says how they work):
- byte points: the kernel stops the child at the first write reaching byte L of any
  file, for L spread evenly from 64 KiB to the final size of the case file. With a base
  case larger than the import's write-ahead log, the points below the log's size fall in
  the import and its commit, the others in the checkpoint (the log copied into the case
  file). Deterministic: the same L kills at the same write every run.
- polled points (--polled N): SIGKILL when the log has grown to 1/(N+1), 2/(N+1), ... of
  its final size (during the import), and when the case file has grown by those fractions
  (during the checkpoint; at the issue's sizes it takes seconds, so the kill lands in it).

After every kill the case is opened (recovered), verified, and must hold the whole import
or none of it. Prints one line per point and a summary; --record appends the summary to
bench/results/kill_sweep.txt.
"""

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH.parent / "tests"))

from kill_points import (  # noqa: E402 (tests/ is put on the path first)
    MARKER_WORD,
    check_after_kill,
    counts,
    fresh_copy,
    isolated_env,
    kill_at_byte,
    kill_when_grown,
    measure,
    short_of_header,
    write_log,
)

RESULTS = BENCH / "results" / "kill_sweep.txt"


def build_base(folder: Path, rows: int) -> Path:
    from app.core.records import ImportSettings
    from app.importers.pipeline import import_files
    from app.store.case_file import CaseFile

    base = folder / "base.casefile"
    CaseFile.create(base, "Kill sweep").close()
    with CaseFile.open(base) as case:
        for _ in import_files(case, [write_log(folder / "base.jsonl", rows)], ImportSettings()):
            pass
    return base


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-rows", type=int, default=3000, help="rows in the case before the import")
    parser.add_argument("--rows", type=int, default=1000, help="rows the killed import adds")
    parser.add_argument("--points", type=int, default=40, help="byte points (0: none)")
    parser.add_argument("--polled", type=int, default=0, help="polled SIGKILL points per phase")
    parser.add_argument("--record", action="store_true", help="append the summary to bench/results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        folder = Path(tmp)
        env = isolated_env(folder)
        base = build_base(folder, args.base_rows)
        log = write_log(folder / "added.jsonl", args.rows, first=args.base_rows, word=MARKER_WORD)
        sizes = measure(base, log, folder / "measure", env)
        print(
            f"case {sizes.base_bytes:,} bytes; the import's log {sizes.wal_bytes:,}; "
            f"after the checkpoint {sizes.final_bytes:,}"
        )
        if sizes.wal_bytes >= sizes.base_bytes and args.points:
            print(
                "note: the log outgrows the base case, so byte points past the log's size "
                "stop the import, not the checkpoint (use --polled for the checkpoint)"
            )
        from app.store.case_file import CaseFile

        with CaseFile.open(base) as case:
            before = counts(case)
        tally: Counter = Counter()
        started = time.perf_counter()
        low = 64 * 1024
        for i in range(args.points):
            limit = low + (sizes.final_bytes - low) * i // max(args.points - 1, 1) - (i == args.points - 1)
            case_path = fresh_copy(base, folder / "run")
            kill_at_byte(case_path, log, env, limit)
            _report(f"byte {limit:>13,}", case_path, before, args.rows, tally, sizes)
        wal = Path(str(folder / "run" / base.name) + "-wal")
        for i in range(1, args.polled + 1):
            case_path = fresh_copy(base, folder / "run")
            kill_when_grown(case_path, log, env, wal, sizes.wal_bytes * i // (args.polled + 1))
            _report(f"SIGKILL, log at {i}/{args.polled + 1}", case_path, before, args.rows, tally, sizes)
        for i in range(1, args.polled + 1):
            case_path = fresh_copy(base, folder / "run")
            grown = sizes.base_bytes + (sizes.final_bytes - sizes.base_bytes) * i // (args.polled + 1)
            try:
                kill_when_grown(case_path, log, env, case_path, grown)
            except AssertionError:  # the checkpoint finished before the kill: the point is lost, not failed
                tally["checkpoint ended before the kill"] += 1
                continue
            _report(f"SIGKILL, case at {i}/{args.polled + 1}", case_path, before, args.rows, tally, sizes)
        seconds = time.perf_counter() - started
    summary = (
        f"{time.strftime('%Y-%m-%d %H:%M')}  base {args.base_rows:,} rows + import {args.rows:,}: "
        f"{sum(tally.values())} kills in {seconds:.0f} s; "
        + ", ".join(f"{k}: {v}" for k, v in sorted(tally.items()))
        + "; every one opened, verified, whole or nothing"
    )
    print(summary)
    if args.record:
        RESULTS.parent.mkdir(exist_ok=True)
        with open(RESULTS, "a") as out:
            out.write(summary + "\n")
    return 0


def _report(label: str, case_path: Path, before: dict, rows: int, tally: Counter, sizes) -> None:
    short = short_of_header(case_path)  # killed mid-checkpoint: the state
    checked = check_after_kill(case_path, before, rows)  # raises if the case did not survive
    tally[f"import {checked['outcome']}{' (case file short)' if short else ''}"] += 1
    print(
        f"{label}: import {checked['outcome']:4}  {'case file short of its header; ' if short else ''}"
        f"{checked['message']}"
    )


if __name__ == "__main__":
    sys.exit(main())

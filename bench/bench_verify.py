"""`verify` of a case holding one large API log: seconds per stage, and the import before it.

    python bench/bench_verify.py --rows 100000,250000 --record

Writes the floor's synthetic JSON-lines log (bench/floor.py, ~1.6 KB rows), imports it
into a new case through the real pipeline, then runs `verify_case` on it; each in its own
subprocess (import, then verify), with wall and CPU seconds. The verify's progress
labels time its stages (re-hashing the original, content hashes with fields read back,
listed values, the text index). Results are appended to `bench/results/verify.txt`.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from floor import cpu_seconds, peak_rss_mb, write_log_lines  # noqa: E402

RESULTS = BENCH / "results" / "verify.txt"


def import_log(log: str, case_path: str) -> dict:
    from app.core.cancel import run_to_end
    from app.core.records import ImportSettings
    from app.importers.pipeline import import_files
    from app.store.case_file import CaseFile

    CaseFile.create(case_path, "bench", None, "UTC").close()
    wall, cpu = time.perf_counter(), cpu_seconds()
    with CaseFile.open(case_path, operator="bench") as case:
        run_to_end(import_files(case, [Path(log)], ImportSettings(undated_ok=True)))
    return {
        "import_s": round(time.perf_counter() - wall, 2),
        "import_cpu_s": round(cpu_seconds() - cpu, 2),
        "import_peak_mb": round(peak_rss_mb()),
    }


def verify(case_path: str) -> dict:
    from app.store.case_file import CaseFile
    from app.store.verify import verify_case

    stages: dict[str, float] = {}
    wall, cpu = time.perf_counter(), cpu_seconds()
    with CaseFile.open(case_path, operator="bench") as case:
        steps = verify_case(case)
        label, since = None, time.perf_counter()
        try:
            while True:
                progress = next(steps)
                if progress.stage != label:
                    now = time.perf_counter()
                    if label:
                        stages[label] = round(stages.get(label, 0) + now - since, 2)
                    label, since = progress.stage, now
        except StopIteration as stop:
            result = stop.value
    stages[label] = round(stages.get(label, 0) + time.perf_counter() - since, 2)
    return {
        "verify_s": round(time.perf_counter() - wall, 2),
        "verify_cpu_s": round(cpu_seconds() - cpu, 2),
        "verify_peak_mb": round(peak_rss_mb()),
        "ok": result.ok,
        "stages": stages,
    }


def in_subprocess(*args: str) -> dict:
    """One measurement in its own process: its peak memory is its own."""
    done = subprocess.run([sys.executable, __file__, "--worker", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="100000")
    parser.add_argument("--record", action="store_true", help=f"append the results to {RESULTS}")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, *paths = args.worker
        print(json.dumps(import_log(*paths) if kind == "import" else verify(*paths)))
        return 0
    lines = []
    for rows in (int(r) for r in args.rows.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-verify-") as folder:
            log = write_log_lines(Path(folder) / "api.jsonl", rows)
            case_path = str(Path(folder) / "bench.casefile")
            figures = {
                "rows": rows,
                **in_subprocess("import", str(log), case_path),
                **in_subprocess("verify", case_path),
            }
        line = json.dumps(figures)
        print(line, flush=True)
        lines.append(line)
    if args.record:
        with open(RESULTS, "a", encoding="utf-8") as out:
            out.write(f"# {time.strftime('%Y-%m-%d %H:%M')}\n" + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

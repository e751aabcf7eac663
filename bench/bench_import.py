"""Import of JSON-lines API logs through the real pipeline, against the floor (bench/floor.py).

    python bench/bench_import.py --rows 1000000              # the issue's measurement
    python bench/bench_import.py --rows 250000,1000000       # memory at two sizes
    python bench/bench_import.py --rows 50000 --verify       # quick run while tuning

For each size: the synthetic log is written once; the floor and the import each run in
their own subprocess (peak memory = that process's ru_maxrss). The import is the real
thing: CaseFile.create + import_files (hash, store the original, parse, insert, text
index, audit, commit). Results are appended to bench/results/import.txt with --record.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from floor import cpu_seconds, measure_floor, peak_rss_mb, write_log_lines  # noqa: E402

RESULTS = BENCH / "results" / "import.txt"
CPU_AT_START = cpu_seconds()  # interpreter start-up is not part of either measurement


def run_import(log: Path, case_path: Path, verify: bool) -> dict:
    """Import `log` into a new case; seconds per stage, the counts and peak memory."""
    from app.core.records import ImportSettings
    from app.importers.pipeline import import_files
    from app.store.case_file import CaseFile
    from app.store.verify import verify_case

    CaseFile.create(case_path, "bench").close()
    case = CaseFile.open(case_path)
    stages: dict[str, float] = {}
    cpu: dict[str, float] = {}
    peaks: dict[str, float] = {}
    start = time.perf_counter()
    operation = import_files(case, [log], ImportSettings())
    while True:
        try:
            report = next(operation)
        except StopIteration as done:
            result = done.value
            break
        stage = " ".join(report.stage.split(" ")[:2])  # Hashing / Storing / Importing / Indexing text / ...
        if stage not in stages:
            stages[stage] = time.perf_counter() - start
            cpu[stage] = cpu_seconds()
            peaks[stage] = round(peak_rss_mb())  # the peak so far, i.e. up to this stage's start
    total = time.perf_counter() - start
    cpu["end"] = cpu_seconds()
    names = list(cpu)
    out = {
        "total_s": total,
        "stage_starts_s": stages,
        "counts": result.totals,
        "stage_cpu_s": {a: round(cpu[b] - cpu[a], 2) for a, b in zip(names, names[1:])},
        "cpu_s": round(cpu["end"] - CPU_AT_START, 2),
        "peak_mb": round(peak_rss_mb(), 1),
        "peak_mb_before_stage": peaks,
    }
    index_start = min((v for k, v in stages.items() if k.startswith("Indexing")), default=total)
    out["rows_s"] = index_start  # hashing, storing the original, parsing and inserting the rows
    out["index_s"] = total - index_start  # the text index, the listing indexes and the commit
    out["case_mb"] = round(case_path.stat().st_size / 1e6)
    if verify:
        began = time.perf_counter()
        checked = _drain(verify_case(case))
        out["verify_s"] = time.perf_counter() - began
        out["verify_ok"] = checked.ok
    case.close()
    return out


def _drain(operation):
    while True:
        try:
            next(operation)
        except StopIteration as done:
            return done.value


def worker(kind: str, log: str, workdir: str, verify: bool) -> None:
    if kind == "floor":
        result = measure_floor(Path(log), Path(workdir) / "floor.db")
    else:
        result = run_import(Path(log), Path(workdir) / "bench.casefile", verify)
    result.setdefault("peak_mb", round(peak_rss_mb(), 1))  # the import's own figures exclude verify
    result.setdefault("cpu_s", round(cpu_seconds() - CPU_AT_START, 2))
    print(json.dumps(result))


def fill_page_cache() -> None:
    """Read the files named in BENCH_FILL (os.pathsep-separated) before a measurement.

    On this kind of VM, memory the guest frees goes back to the host and costs kernel time
    when written into again (bench/README.md). Reading files larger together than the
    machine's memory leaves no free memory: every measurement then starts alike.
    """
    for name in filter(None, os.environ.get("BENCH_FILL", "").split(os.pathsep)):
        with open(name, "rb") as handle:
            while handle.read(16 * 1024 * 1024):
                pass


def in_subprocess(kind: str, log: Path, workdir: Path, verify: bool = False) -> dict:
    fill_page_cache()
    done = subprocess.run(
        [sys.executable, __file__, "--worker", kind, str(log), str(workdir)] + (["--verify"] if verify else []),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    for name in os.listdir(workdir):  # each measurement starts from an empty folder
        if name != log.name:
            os.remove(workdir / name)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(rows: int, verify: bool) -> dict:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        workdir = Path(tmp)
        log = write_log_lines(workdir / "api-log.jsonl", rows)
        size_mb = log.stat().st_size / 1e6
        floor = in_subprocess("floor", log, workdir)
        imported = in_subprocess("import", log, workdir, verify)
    return {"rows": rows, "file_mb": round(size_mb), "floor": floor, "import": imported}


def summary(m: dict) -> str:
    f, i = m["floor"], m["import"]
    lines = [
        f"{m['rows']:,} rows ({m['file_mb']:,} MB):",
        f"  floor : rows {f['rows_s']:.1f} s + text index {f['index_s']:.1f} s = {f['total_s']:.1f} s"
        f" ({m['rows'] / f['total_s']:,.0f} rows/s), peak {f['peak_mb']:.0f} MB",
        f"  import: rows {i['rows_s']:.1f} s + text index/commit {i['index_s']:.1f} s = {i['total_s']:.1f} s"
        f" ({m['rows'] / i['total_s']:,.0f} rows/s), peak {i['peak_mb']:.0f} MB, case {i['case_mb']:,} MB",
        f"  ratio to floor: whole import {i['total_s'] / f['total_s']:.2f}x"
        f" (rows {i['rows_s'] / f['rows_s']:.2f}x, text index {i['index_s'] / f['index_s']:.2f}x);"
        f" CPU time {i['cpu_s']:.1f} s vs {f['cpu_s']:.1f} s = {i['cpu_s'] / f['cpu_s']:.2f}x"
        f" (floor's CPU: rows {f['rows_cpu_s']:.1f} s, text index {f['index_cpu_s']:.1f} s)",
        f"  stage starts (s): {json.dumps({k: round(v, 1) for k, v in i['stage_starts_s'].items()})};"
        f" CPU per stage (s): {json.dumps(i['stage_cpu_s'])}",
        f"  peak MB before each stage: {json.dumps(i['peak_mb_before_stage'])}",
    ]
    if "verify_s" in i:
        lines.append(f"  verify afterwards: {'ok' if i['verify_ok'] else 'FAILED'} in {i['verify_s']:.1f} s")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000000", help="rows per run; comma-separated for several sizes")
    parser.add_argument("--verify", action="store_true", help="run verify after the import (and time it)")
    parser.add_argument("--record", action="store_true", help=f"append the results to {RESULTS}")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "LOG", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker, args.verify)
        return 0
    texts = []
    for rows in (int(n) for n in args.rows.split(",")):
        text = summary(measure(rows, args.verify))
        print(text, flush=True)
        texts.append(text)
    if args.record:
        RESULTS.parent.mkdir(exist_ok=True)
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        with open(RESULTS, "a") as out:
            out.write(f"== {stamp} (2 shared cores; other work running) ==\n" + "\n".join(texts) + "\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

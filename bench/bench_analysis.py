"""The extraction analysis against the import of the same case: time ratio and peak memory.

    python bench/bench_analysis.py --rows 1000000 --record    # the issue's measurement
    python bench/bench_analysis.py --rows 200000              # on a shared machine

The log is the labelled generator of the tests (tests/analysis/labelled_logs.py): the
extraction styles and look-alikes of the suite, with as many ordinary customers as it
takes to reach the size (~250 requests each). It is written once; the import (the real
pipeline into a new case) and the analysis (`analyse_extraction`, findings stored) each
run in their own subprocess, so each peak is that process's ru_maxrss. The targets: the
analysis in at most 0.5x the import's time, at most 300 MB. The run also checks that the
labelled extraction accounts are flagged and no other (recall and false positives at
size). --record appends to bench/results/analysis.txt with the machine's load.
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
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "tests" / "analysis"))

from floor import cpu_seconds  # noqa: E402

RESULTS = BENCH / "results" / "analysis.txt"
ROWS_PER_CUSTOMER = 250
FIXED_ROWS = 30_000  # the labelled styles and look-alikes at scale 1


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM): ru_maxrss survives exec on Linux, so a
    child started by a parent that held the generated log would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_log(path: Path, rows: int) -> dict:
    from labelled_logs import labelled_rows

    customers = max(25, (rows - FIXED_ROWS) // ROWS_PER_CUSTOMER)
    records, labels = labelled_rows(seed=16, scale=1.0, benign_accounts=customers)
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return {"rows": len(records), "labels": labels}


def run_import(log: Path, case_path: Path) -> dict:
    from app.core.cancel import run_to_end
    from app.core.records import ImportSettings
    from app.importers.pipeline import import_files
    from app.store.case_file import CaseFile

    CaseFile.create(case_path, "bench", timezone_name="UTC").close()
    start, cpu = time.perf_counter(), cpu_seconds()
    with CaseFile.open(case_path) as case:
        run_to_end(import_files(case, [log], ImportSettings(timezone="UTC")))
    return {"s": time.perf_counter() - start, "cpu_s": cpu_seconds() - cpu, "peak_mb": round(peak_rss_mb(), 1)}


def run_analysis(case_path: Path) -> dict:
    from app.analysis.extraction.operation import analyse_extraction
    from app.core.cancel import run_to_end
    from app.store import findings
    from app.store.case_file import CaseFile

    stages: dict[str, float] = {}
    start, cpu = time.perf_counter(), cpu_seconds()

    def seen(report) -> None:
        stages.setdefault(report.stage, round(time.perf_counter() - start, 2))

    with CaseFile.open(case_path) as case:
        run_id = run_to_end(analyse_extraction(case), seen)
        flagged = [a["account"] for a in findings.run_accounts(case.conn, run_id, flagged_only=True)]
    return {
        "s": time.perf_counter() - start,
        "cpu_s": cpu_seconds() - cpu,
        "peak_mb": round(peak_rss_mb(), 1),
        "stage_starts_s": stages,
        "flagged": flagged,
    }


def runner_measure(case_path: Path) -> dict:
    """For `python -m bench`: the analysis over the runner's imported case (its own process)."""
    result = run_analysis(Path(case_path))
    return {
        "seconds": result["s"],
        "cpu_s": result["cpu_s"],
        "peak_mb": result["peak_mb"],
        "flagged": len(result["flagged"]),
    }


def child(kind: str, *paths: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", kind, *paths], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the {kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(rows: int, folder: Path) -> dict:
    log = folder / f"gateway-{rows}.jsonl"
    made = child("write", str(log), str(rows))  # in a child: the generator holds every row in memory
    case_path = folder / f"bench-{rows}.casefile"
    imported = child("import", str(log), str(case_path))
    analysed = child("analysis", str(case_path))
    expected = sorted(a for a, label in made["labels"].items() if label.startswith("extraction:"))
    flagged = sorted(analysed.pop("flagged"))
    return {
        "rows": made["rows"],
        "accounts": len(made["labels"]),
        "import": imported,
        "analysis": analysed,
        "ratio": analysed["s"] / imported["s"],
        "cpu_ratio": analysed["cpu_s"] / imported["cpu_s"],
        "recall": len(set(flagged) & set(expected)) / len(expected),
        "false_positives": sorted(set(flagged) - set(expected)),
    }


def report(result: dict) -> str:
    load = " ".join(f"{v:.1f}" for v in os.getloadavg())
    a, i = result["analysis"], result["import"]
    return "\n".join(
        [
            f"== {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} (2 shared cores; load average {load}) ==",
            f"{result['rows']:,} rows, {result['accounts']:,} accounts:",
            f"  import  : {i['s']:.1f} s (CPU {i['cpu_s']:.1f} s), peak {i['peak_mb']:.0f} MB",
            f"  analysis: {a['s']:.1f} s (CPU {a['cpu_s']:.1f} s), peak {a['peak_mb']:.0f} MB "
            f"(targets: <= 0.5x the import, <= 300 MB)",
            f"  ratio to the import: {result['ratio']:.2f}x wall, {result['cpu_ratio']:.2f}x CPU",
            f"  stage starts (s): {json.dumps(a['stage_starts_s'])}",
            f"  recall {result['recall']:.0%}, false positives {result['false_positives'] or 'none'}",
        ]
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="200000", help="rows, or several sizes separated by commas")
    parser.add_argument("--record", action="store_true", help="append the report to bench/results/analysis.txt")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *paths = args.child
        if kind == "write":
            result = write_log(Path(paths[0]), int(paths[1]))
        elif kind == "import":
            result = run_import(Path(paths[0]), Path(paths[1]))
        else:
            result = run_analysis(Path(paths[0]))
        print(json.dumps(result))
        return 0
    for rows in (int(r) for r in args.rows.split(",")):
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as folder:
            text = report(measure(rows, Path(folder)))
        print(text)
        if args.record:
            RESULTS.parent.mkdir(exist_ok=True)
            with open(RESULTS, "a", encoding="utf-8") as out:
                out.write(text + "\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

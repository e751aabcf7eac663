"""One runner over every benchmark at a chosen size: one table of ratios, also as JSON.

    python -m bench --rows 100000                  # or: python bench/run.py --rows 1000000
    python -m bench --rows 300000 --tree /tmp/before --label before   # another checkout's code

Realistic rows (a dozen fields, prompts and responses of a few hundred words from a
30,000-word Zipf vocabulary: bench/floor.py) written once as JSON lines and as CSV. Then,
each measurement in its own process (bench/run_workers.py; its peak memory is its own):
the floor and both imports in the same page-cache state (BENCH_FILL, bench/README.md);
the imported case made reviewable (a second custodian's log, one item in 200 tagged);
every bench/bench_*.py that offers `runner_measure(case_path)` (the analysis); search,
filter and sort pages with the store's own paging; the real MainWindow under a watchdog
timer (bench/run_gui.py); the exhibit export against the reportlab floor. The table says
for each figure its target and whether it is met; the JSON (with the machine's load)
goes to bench/results/run-<rows>-<label>-<time>.json.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from bench_import import fill_page_cache  # noqa: E402
from bench_log_import import write_csv  # noqa: E402
from floor import write_log_lines  # noqa: E402

RESULTS = BENCH / "results"
WORKERS = BENCH / "run_workers.py"
TARGETS = {
    "import_ratio": 1.2,
    "import_peak_mb": 300,
    "search_first_page_ms": 100,
    "filter_page_ms": 20,
    "gui_gap_ms": 100,
    "open_s": 0.3,
    "open_growth_mb": 50,
}


def worker(kind: str, *args, tree: str | None = None) -> dict:
    """One measurement in its own process; its JSON answer."""
    env = dict(os.environ)
    if tree:
        env["BENCH_TREE"] = str(tree)
    done = subprocess.run(
        [sys.executable, str(WORKERS), kind, *map(str, args)], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        print(f"{kind} failed:\n{done.stderr[-4000:]}", file=sys.stderr)
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def plugged_benches() -> list[str]:
    """bench_*.py modules offering `runner_measure(case_path) -> dict` (e.g. bench_analysis.py)."""
    found = []
    for path in sorted(BENCH.glob("bench_*.py")):
        if "def runner_measure(" in path.read_text(encoding="utf-8"):
            found.append(path.stem)
    return found


def prepare_data(work: Path, rows: int) -> dict[str, Path]:
    """The logs, written once per size and kept in `work` for the next run."""
    paths = {
        "jsonl": work / "jsonl" / "api-log.jsonl",
        "csv": work / "csv" / "api-log.csv",
        "extra": work / "extra" / "second-custodian.jsonl",
    }
    for path in paths.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    if not paths["jsonl"].exists():
        write_log_lines(paths["jsonl"].with_suffix(".part"), rows, wide=True).rename(paths["jsonl"])
    if not paths["csv"].exists():
        write_csv(paths["csv"].with_suffix(".part"), rows, wide=True).rename(paths["csv"])
    if not paths["extra"].exists():
        write_log_lines(paths["extra"], max(1000, rows // 50), seed=8, wide=True)
    return paths


def run(rows: int, work: Path, tree: str | None, sections: set[str], export_scale: float) -> dict:
    paths = prepare_data(work, rows)
    case = work / "case" / "bench.casefile"
    case.parent.mkdir(exist_ok=True)
    out: dict = {"rows": rows}

    def step(name: str, kind: str, *args) -> dict:
        print(f"[{time.strftime('%H:%M:%S')}] {name} ...", file=sys.stderr, flush=True)
        out[name] = worker(kind, *args, tree=tree)
        return out[name]

    if "import" in sections or not case.exists():
        fill_page_cache()
        step("floor", "floor", paths["jsonl"], work / "floor")
        fill_page_cache()
        step("import_jsonl", "import", paths["jsonl"], case)
        fill_page_cache()
        step("import_csv", "import", paths["csv"], work / "csv" / "bench.casefile")
        (work / "csv" / "bench.casefile").unlink(missing_ok=True)
        shutil.rmtree(work / "floor", ignore_errors=True)
    prepared = step("prepare", "prepare", case, paths["extra"])
    tag = prepared.get("tag", "")
    if "analysis" in sections:
        for name in plugged_benches():
            out.setdefault("plugged", {})[name] = worker("analysis", case, tree=tree)
    if "queries" in sections:
        step("queries", "queries", case, tag)
    if "gui" in sections:
        step("gui", "gui", case, tag)
    if "export" in sections:
        with tempfile.TemporaryDirectory(prefix="bench-export-", dir=work) as folder:
            exported = step("export", "export", export_scale, folder)
            if "texts" in exported:
                step("export_floor", "export-floor", exported["texts"], folder)
    return out


def table(m: dict) -> str:
    """One line per figure: section, measure, value, the floor or context, target, verdict."""
    lines: list[tuple] = []

    def add(section, measure, value, against="", target=None, unit="", measured=None):
        verdict = "" if target is None or measured is None else ("ok" if measured <= target else "MISSES")
        lines.append((section, measure, value, against, f"{target}{unit}" if target is not None else "", verdict))

    def pages(section, label, entry, context=""):
        worst = max(entry["first_page_ms"], entry["next_page_ms"])
        value = f"{entry['first_page_ms']:.1f} / {entry['next_page_ms']:.1f} ms"
        add(section, f"{label}: first / next page", value, context, target, " ms", worst)

    floor = m.get("floor", {})
    for name in ("import_jsonl", "import_csv"):
        run, kind = m.get(name) or {}, name[7:]
        if "total_s" in run and "total_s" in floor:
            ratio = run["total_s"] / floor["total_s"]
            add("import", f"{kind} vs floor", f"{ratio:.2f}x", f"floor {floor['total_s']:.1f} s",
                TARGETS["import_ratio"], "x", ratio)  # fmt: skip
            add("import", f"{kind} seconds (rows + index)", f"{run['rows_s']:.1f} + {run['index_s']:.1f} s",
                f"floor {floor['rows_s']:.1f} + {floor['index_s']:.1f} s")  # fmt: skip
            floor_cpu = floor["rows_cpu_s"] + floor["index_cpu_s"]  # steadier than wall time on a shared machine
            add("import", f"{kind} CPU vs floor's CPU", f"{run['cpu_s'] / floor_cpu:.2f}x",
                f"{run['cpu_s']:.1f} s vs {floor_cpu:.1f} s")  # fmt: skip
            add("import", f"{kind} peak memory", f"{run['peak_mb']:.0f} MB", f"floor {floor['peak_mb']:.0f} MB",
                TARGETS["import_peak_mb"], " MB", run["peak_mb"])  # fmt: skip
    for name, plugged in m.get("plugged", {}).items():
        seconds, base = plugged.get("seconds"), m.get("import_jsonl", {}).get("total_s")
        if seconds and base:
            add("analysis", f"{name} vs import", f"{seconds / base:.2f}x",
                f"{seconds:.1f} s vs import {base:.1f} s; {plugged.get('flagged', '?')} accounts flagged")  # fmt: skip
            add("analysis", f"{name} peak memory", f"{plugged.get('peak_mb', 0):.0f} MB")
        else:
            add("analysis", name, plugged.get("error", "no figure"))
    q = m.get("queries", {})
    target = TARGETS["search_first_page_ms"]
    for label, s in q.get("search", {}).items():
        pages("search", f"{label} {s['query']!r}", s, f"{s['count']:,} hits, counted in {s['count_ms']:.0f} ms")
        add("search", f"{label}: first page by account desc", f"{s['first_page_by_account_ms']:.1f} ms", "",
            target, " ms", s["first_page_by_account_ms"])  # fmt: skip
    target = TARGETS["filter_page_ms"]
    for label, f in q.get("filters", {}).items():
        pages("filter", label, f)
        add("filter", f"{label}: first page by account desc", f"{f['by_account_desc']:.1f} ms", "",
            target, " ms", f["by_account_desc"])  # fmt: skip
    for label, s in q.get("sorts", {}).items():
        if "index_s" in s:  # its index is made on the first sort by it
            context = f"after its index, made on the first sort in {s['index_s']:.1f} s"
        elif s.get("looked_up"):
            context = "look-up: every row sorted (ids and keys) a page"
        else:
            context = ""
        pages("sort", label, s, context)
    if "peak_mb" in q:
        add("search", "queries' process peak memory", f"{q['peak_mb']:.0f} MB")
    g = m.get("gui", {})
    if "open" in g:
        opened = g["open"]
        imports = f"modules imported before: {opened['imports_s']:.2f} s" if "imports_s" in opened else ""
        add("open", "first screen", f"{opened['first_screen_s']:.3f} s", imports, TARGETS["open_s"], " s",
            opened["first_screen_s"])  # fmt: skip
        add("open", "process growth", f"{opened['growth_mb']:.0f} MB", "", TARGETS["open_growth_mb"], " MB",
            opened["growth_mb"])  # fmt: skip
    for name, a in g.items():
        if isinstance(a, dict) and "gap_ms" in a:
            shown = f"first rows {a['first_reset_s']:.2f} s, " if a.get("first_reset_s") is not None else ""
            cpu = f" (cpu {a['gap_cpu_ms']:.0f})" if "gap_cpu_ms" in a else ""
            add("gui", f"{name}: longest gap", f"{a['gap_ms']:.0f} ms{cpu}", f"{shown}done {a['settled_s']:.2f} s",
                TARGETS["gui_gap_ms"], " ms", a["gap_ms"])  # fmt: skip
    if "peak_mb" in g:
        add("gui", "window process peak memory", f"{g['peak_mb']:.0f} MB")
    e, ef = m.get("export", {}).get("export"), m.get("export_floor")
    if e and ef and "seconds" in ef:
        add("export", f"bundle of {e['pages']:,} pages vs reportlab floor", f"{e['seconds'] / ef['seconds']:.2f}x",
            f"{e['seconds']:.1f} s vs {ef['seconds']:.1f} s")  # fmt: skip
        add("export", "peak memory", f"{e['peak_mb']:.0f} MB", f"floor {ef['peak_mb']:.0f} MB")
    for name in ("floor", "import_jsonl", "import_csv", "prepare", "queries", "gui", "export", "export_floor"):
        if (m.get(name) or {}).get("error"):
            add("error", name, m[name]["error"][:90], "", 0, "", 1)
    widths = [max(len(str(row[i])) for row in lines + [HEADER]) for i in range(len(HEADER))]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in [HEADER, *lines])


HEADER = ("section", "measure", "value", "against", "target", "verdict")


def machine_state() -> dict:
    with open("/proc/meminfo") as handle:
        mem = {k: int(v.split()[0]) // 1024 for k, v in (line.split(":", 1) for line in handle)}
    return {
        "load": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "mem_available_mb": mem.get("MemAvailable"),
        "mem_total_mb": mem.get("MemTotal"),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="log rows (e.g. 100000, 300000, 1000000)")
    parser.add_argument("--tree", help="run the application code of this checkout instead (before/after)")
    parser.add_argument("--label", default="", help="a word for the results file (e.g. before, after)")
    parser.add_argument("--only", help="comma-separated sections: import,analysis,queries,gui,export")
    parser.add_argument("--export-scale", type=float, default=0.5, help="bench_export's scale (1 = ~1,000 pages)")
    parser.add_argument("--work", help="folder for the logs and the case (kept for the next run; else BENCH_TMP)")
    parser.add_argument("--table", help="print the table of a results JSON file and stop")
    args = parser.parse_args(argv)
    if args.table:
        print(table(json.loads(Path(args.table).read_text())["results"]))
        return 0
    sections = set((args.only or "import,analysis,queries,gui,export").split(","))
    base = Path(args.work or os.environ.get("BENCH_TMP") or tempfile.gettempdir())
    work = base / f"casefile-bench-{args.rows}" / (args.label or "this")
    work.mkdir(parents=True, exist_ok=True)
    shared = base / f"casefile-bench-{args.rows}"  # the logs are shared by every label
    for name in ("jsonl", "csv", "extra"):
        (shared / name).mkdir(exist_ok=True)
        if not (work / name).exists():
            (work / name).symlink_to(shared / name)
    before = machine_state()
    started = time.time()
    results = run(args.rows, work, args.tree, sections, args.export_scale)
    record = {
        "rows": args.rows,
        "label": args.label,
        "tree": args.tree or str(BENCH.parent),
        "started_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(started)),
        "minutes": round((time.time() - started) / 60, 1),
        "machine_before": before,
        "machine_after": machine_state(),
        "results": results,
    }
    text = table(results)
    print(f"{args.rows:,} rows, {args.label or 'this tree'}; load {before['load']} on {before['cpus']} cores")
    print(text)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M", time.gmtime(started))
    name = f"run-{args.rows}-{args.label or 'this'}-{stamp}.json"
    (RESULTS / name).write_text(json.dumps(record, indent=1, default=str) + "\n")
    print(f"written: bench/results/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

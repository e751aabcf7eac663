"""Output provenance at scale: outputs traced against a log, timed as a ratio of that log's import.

    python bench/bench_provenance.py --rows 1000000 --outputs 100000 --record   # the issue's figure
    python bench/bench_provenance.py --rows 100000 --outputs 10000              # quick, shared machine

The log is `floor.log_lines` (~1.6 KB rows; responses are sentences drawn from a pool of
20,000, so every sentence is in hundreds of responses: boilerplate by the ceiling, and a
hard case for candidate generation). The outputs: 2% verbatim copies of logged
responses, 2% light edits (four words changed, inserted or deleted), the rest new text
from the same sentence pool (unrelated, but sharing whole sentences with many responses).
Each step runs in its own subprocess, timed and with its own peak memory (`ru_maxrss`):
1. the log imported into a new case (the reference: ratio 1x = as long as that import);
2. the outputs imported (not part of the ratio);
3. `trace_outputs` over the case: the figure (target at most 1x the log's import, peak
   memory at most 300 MB). Recall of the copies and false links are printed too.
Results are appended to bench/results/provenance.txt with `--record`.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from floor import _sentence_pool, _text, log_lines, peak_rss_mb  # noqa: E402

COPY_SHARE = 0.02


def write_inputs(folder: Path, rows: int, outputs: int) -> tuple[Path, Path, dict]:
    """The log and the outputs; returns their paths and the truth {output id: (kind, request id)}."""
    log = folder / "api-log.jsonl"
    rng = random.Random(11)
    copy_every = max(1, int(1 / (2 * COPY_SHARE)))
    wanted = {}  # row number -> output number
    step = max(1, rows // max(1, outputs // copy_every))
    for n, row in enumerate(range(0, rows, step)):
        if n * copy_every < outputs:
            wanted[row] = n * copy_every
    copied: dict[int, tuple[str, str]] = {}
    with open(log, "wb") as out:
        for number, line in enumerate(log_lines(rows)):
            out.write(line)
            if number in wanted:
                row = json.loads(line)
                copied[wanted[number]] = (row["request_id"], row["response"])
    pool = _sentence_pool(random.Random(7))  # the log's own pool (floor.log_lines, seed 7): shared sentences
    truth = {}
    path = folder / "outputs.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for number in range(outputs):
            if number in copied:
                request, response = copied[number]
                kind = "verbatim" if number % (2 * copy_every) == 0 else "light_edit"
                text = response if kind == "verbatim" else _edit(response, rng)
            else:
                request, kind, text = None, "unrelated", _text(rng, pool, 820)
            truth[f"out-{number}"] = (kind, request)
            out.write(json.dumps({"id": f"out-{number}", "prompt": f"question {number}", "response": text}) + "\n")
    return log, path, truth


def _edit(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(2):
        words[rng.randrange(len(words))] = "changed"
    words.insert(rng.randrange(len(words)), "inserted")
    del words[rng.randrange(len(words))]
    return " ".join(words)


def child(step: str, case_path: Path, path: Path | None) -> dict:
    from app.core.cancel import run_to_end
    from app.core.records import ImportSettings
    from app.importers.pipeline import import_files
    from app.store.case_file import CaseFile

    start = time.perf_counter()
    cpu = time.process_time()
    if step == "log":
        CaseFile.create(case_path, "bench", None, "UTC", operator="bench").close()
    with CaseFile.open(case_path, operator="bench") as case:
        if step in ("log", "outputs"):
            family = "logs" if step == "log" else "outputs"
            run_to_end(import_files(case, [path], ImportSettings(as_kind=family)))
            result = {}
        else:
            from app.analysis.provenance.operation import trace_outputs
            from app.analysis.settings import load_settings

            traced = run_to_end(trace_outputs(case, load_settings()))
            result = {
                "links": _links_by_name(case.conn, [x for x in traced.links if x.target_kind == "response"]),
                "output_links": sum(1 for x in traced.links if x.target_kind == "output"),
                "run": traced.run,
            }
    return {
        **result,
        "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - cpu,
        "peak_rss_mb": peak_rss_mb(),
    }


def _links_by_name(conn, links) -> list:
    """(output's id, request id) of each link, read back from the items' fields."""
    from app.store.item_query import get_item

    named = []
    for link in links:
        output = get_item(conn, link.output_id)["fields"]["original"]["id"]
        named.append((output, get_item(conn, link.response_id)["fields"]["request_id"]))
    return named


def run_child(step: str, case_path: Path, path: Path | None = None) -> dict:
    command = [sys.executable, __file__, "--child", step, str(case_path)] + ([str(path)] if path else [])
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(rows: int, outputs: int) -> str:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        folder = Path(tmp)
        log, output_file, truth = write_inputs(folder, rows, outputs)
        case_path = folder / "bench.casefile"
        imported = run_child("log", case_path, log)
        run_child("outputs", case_path, output_file)
        traced = run_child("trace", case_path)
    copies = {o: r for o, (kind, r) in truth.items() if r}
    found = {tuple(x) for x in traced["links"]}
    recall = sum(1 for o, r in copies.items() if (o, r) in found) / max(1, len(copies))
    false = sum(1 for o, r in found if copies.get(o) != r)
    load = os.getloadavg()
    run = traced["run"]
    return "\n".join(
        [
            f"== {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} (load average {load[0]:.1f}, {os.cpu_count()}"
            " cores, shared) ==",
            f"{rows:,} log rows, {outputs:,} outputs ({len(copies):,} copies: verbatim and light edits)",
            f"  log import : {imported['seconds']:.1f} s (CPU {imported['cpu_seconds']:.1f} s),"
            f" peak {imported['peak_rss_mb']:.0f} MB",
            f"  provenance : {traced['seconds']:.1f} s (CPU {traced['cpu_seconds']:.1f} s),"
            f" peak {traced['peak_rss_mb']:.0f} MB; {run['distinct_responses']:,} distinct responses,"
            f" {run['candidates']:,} candidate pairs",
            f"  ratio to the log's import: {traced['seconds'] / imported['seconds']:.2f}x"
            f" (CPU {traced['cpu_seconds'] / imported['cpu_seconds']:.2f}x); target <= 1x, <= 300 MB",
            f"  recall of the copies {recall:.3f}; false links {false}; links between outputs"
            f" {traced['output_links']:,} (none copied: any is false)",
        ]
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--outputs", type=int, default=10_000)
    parser.add_argument("--record", action="store_true", help="append to bench/results/provenance.txt")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        step, case_path, *rest = args.child
        print(json.dumps(child(step, Path(case_path), Path(rest[0]) if rest else None)))
        return 0
    text = measure(args.rows, args.outputs)
    print(text)
    if args.record:
        with open(ROOT / "bench" / "results" / "provenance.txt", "a", encoding="utf-8") as out:
            out.write(text + "\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

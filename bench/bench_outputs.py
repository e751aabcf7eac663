"""Importing model outputs: chat records as JSON lines and as one JSON array.

    python bench/bench_outputs.py --sizes 20000 100000

For each size, chat records (system, user, assistant; the prompts and responses of
`floor.log_lines`, ~1.6 KB) are written as JSON lines and as a JSON array, then
measured in separate subprocesses:
- floor: `json.loads` per line, one `executemany` into a plain table, an FTS5 index
  over the turns' text afterwards (the log floor's shape, for chat records);
- import: `import_files` into a new case file (hash, store, parse, insert, FTS, audit).
Reported: seconds, records/s, import/floor time ratio, peak RSS (ru_maxrss) of each,
and each import's peak RSS at the largest size over the smallest (1.0 = flat memory:
the JSON array is streamed element by element). Results: bench/results/outputs.txt.
"""

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_mbox import child_import  # noqa: E402 -- import_files into a new case, timed
from floor import FLOOR_PRAGMAS, log_lines, peak_rss_mb  # noqa: E402

SYSTEM = "You are Orca, a helpful assistant made by Example Dynamics."


def chat_records(n: int):
    for line in log_lines(n):
        row = json.loads(line)
        yield {
            "id": row["request_id"],
            "created_at": row["timestamp"],
            "model": row["model"],
            "messages": [
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": row["prompt"]},
                {"role": "assistant", "content": row["response"]},
            ],
        }


def write_inputs(workdir: Path, n: int) -> tuple[Path, Path]:
    lines, array = workdir / f"chats-{n}.jsonl", workdir / f"chats-{n}.json"
    with open(lines, "w", encoding="utf-8") as jl, open(array, "w", encoding="utf-8") as ja:
        ja.write("[\n")
        for index, record in enumerate(chat_records(n)):
            text = json.dumps(record, ensure_ascii=False)
            jl.write(text + "\n")
            ja.write(("," if index else "") + text + "\n")
        ja.write("]\n")
    return lines, array


def child_floor(path: Path) -> dict:
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        conn = sqlite3.connect(str(Path(tmp) / "floor.db"), isolation_level=None)
        for pragma in FLOOR_PRAGMAS:
            conn.execute(pragma)
        conn.execute("CREATE TABLE outputs (id INTEGER PRIMARY KEY, model TEXT, text TEXT, fields TEXT)")
        conn.execute("CREATE VIRTUAL TABLE outputs_fts USING fts5(text, content='outputs', content_rowid='id')")
        start = time.perf_counter()
        conn.execute("BEGIN")
        with open(path, "rb") as handle:
            rows = (
                (r["model"], "\n\n".join(m["content"] for m in r["messages"]), line.decode())
                for line in handle
                for r in (json.loads(line),)
            )
            conn.executemany("INSERT INTO outputs(model, text, fields) VALUES (?,?,?)", rows)
        conn.execute("INSERT INTO outputs_fts(rowid, text) SELECT id, text FROM outputs")
        conn.execute("COMMIT")
        seconds = time.perf_counter() - start
        count = conn.execute("SELECT count(*) FROM outputs").fetchone()[0]
        conn.close()
    return {"records": count, "seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def run_child(kind: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(size: int, workdir: Path) -> dict:
    lines, array = write_inputs(workdir, size)
    return {
        "size": size,
        "mb": lines.stat().st_size / 1e6,
        "floor": run_child("floor", lines),
        "jsonl": run_child("import", lines),
        "json": run_child("import", array),
    }


def report(results: list[dict]) -> str:
    lines = [
        "model outputs import (bench/bench_outputs.py); floor = json.loads per line + executemany"
        " + FTS5 after, nothing else",
        "",
    ]
    for r in results:
        floor = r["floor"]
        for kind in ("jsonl", "json"):
            i = r[kind]
            lines.append(
                f"{r['size']:>7,} chat records ({r['mb']:.0f} MB) as {kind:<5}: import "
                f"{i['seconds']:.1f} s ({i['messages'] / i['seconds']:,.0f} rec/s), floor "
                f"{floor['seconds']:.1f} s; time ratio import/floor {i['seconds'] / floor['seconds']:.2f}; "
                f"peak RSS import {i['peak_rss_mb']:.0f} MB, floor {floor['peak_rss_mb']:.0f} MB"
            )
    small, large = results[0], results[-1]
    lines.append("")
    for kind in ("jsonl", "json"):
        lines.append(
            f"records x{large['size'] / small['size']:.1f}: {kind} import peak RSS ratio "
            f"{large[kind]['peak_rss_mb'] / small[kind]['peak_rss_mb']:.2f} (1.0 = flat)"
        )
    return "\n".join(lines) + "\n"


CHILDREN = {"floor": child_floor, "import": child_import}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20000, 100000])
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help="(internal) one measurement")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "outputs.txt")
    args = parser.parse_args(argv)
    if args.child:  # in the subprocess: one measurement, printed as JSON
        print(json.dumps(CHILDREN[args.child[0]](Path(args.child[1]))))
        return 0
    with tempfile.TemporaryDirectory() as workdir:
        text = report([measure(size, Path(workdir)) for size in sorted(args.sizes)])
    print(text, end="")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

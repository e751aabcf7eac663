"""What the CJK bigram index costs: import of ASCII and of Chinese/Japanese log rows, and search.

    python bench/bench_cjk.py --rows 100000 --base /tmp/casefile-before   # import, this code vs a checkout
    python bench/bench_cjk.py --search DEMO.casefile                       # search answer times
    python bench/bench_cjk.py --search OLD-DEMO.casefile --base /tmp/casefile-before   # ... before

Import: the floor's synthetic JSON-lines rows (bench/floor.py), once as they are (ASCII)
and once with prompt and response in Chinese and Japanese (the same size in bytes; every
row goes to the CJK index). Each import runs in its own subprocess, this code and the
code in `--base` (a checkout without the change, e.g. `git archive <rev> | tar -x -C DIR`)
alternately, `--repeat` times; the median wall and CPU seconds are reported, and their
ratios. CPU seconds (user + system, both threads) are the steadier figure on a shared
machine. Search: the median time of the first page (200 items) and of the count, for
each query, on an existing case.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from floor import cpu_seconds, log_lines  # noqa: E402

HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
KANA = [chr(c) for c in range(0x3041, 0x3094)]
SEARCHES = (
    "密钥",
    "注册",
    "推理",
    "公司",
    "每三天更换一次密钥",
    "密",
    "密钥 OR rotation",
    "rotation",
    "distillation",
    '"rate limit"',
    "key*",
)


def _cjk_words(rng: random.Random, count: int = 20000) -> list[str]:
    """Made-up words of 1-4 Han characters, some with kana endings, Zipf-weighted when used.

    Characters are Zipf-weighted too, as in real text (the 1,000 most common Han characters
    cover ~90% of Chinese text): uniform characters would make ~9 million distinct bigrams.
    """
    char_weights = [1 / rank for rank in range(1, len(HAN) + 1)]
    words = []
    for _ in range(count):
        word = "".join(rng.choices(HAN, weights=char_weights, k=rng.choice((1, 2, 2, 2, 3, 4))))
        if rng.random() < 0.3:
            word += "".join(rng.choices(KANA, k=rng.randint(1, 3)))
        words.append(word)
    return words


def write_cjk_lines(path: Path, n: int, seed: int = 7) -> None:
    """The floor's rows with prompt and response as CJK sentences of the same byte length."""
    rng = random.Random(seed)
    words = _cjk_words(rng)
    weights = [1 / rank for rank in range(1, len(words) + 1)]
    pool = ["".join(rng.choices(words, weights=weights, k=rng.randint(6, 14))) + "。" for _ in range(5000)]

    def text(chars: int) -> str:
        parts, size = [], 0
        while size < chars:
            parts.append(pool[rng.randrange(len(pool))])
            size += len(parts[-1])
        return "".join(parts)

    with open(path, "wb", buffering=4 * 1024 * 1024) as out:
        for line in log_lines(n, seed):
            row = json.loads(line)
            row["prompt"], row["response"] = text(140), text(273)  # 3 bytes a character: ~420 and ~820 bytes
            out.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")


def write_ascii_lines(path: Path, n: int) -> None:
    with open(path, "wb", buffering=4 * 1024 * 1024) as out:
        for line in log_lines(n):
            out.write(line)


def use_code(code: str) -> None:
    """Import `app` from `code`: first on the path, and the editable install's finder set aside."""
    sys.meta_path[:] = [f for f in sys.meta_path if not type(f).__module__.startswith("__editable__")]
    sys.path.insert(0, code)


def worker(code: str, log: str, case_dir: str) -> None:
    """One import into a new case, with the code in `code`."""
    use_code(code)
    from app.core.cancel import run_to_end
    from app.core.records import ImportSettings
    from app.importers.pipeline import import_files
    from app.store.case_file import CaseFile

    case_path = Path(case_dir) / "bench.casefile"
    CaseFile.create(case_path, "bench").close()
    case = CaseFile.open(case_path)
    cpu, wall = cpu_seconds(), time.perf_counter()
    run_to_end(import_files(case, [Path(log)], ImportSettings()))
    result = {"wall_s": time.perf_counter() - wall, "cpu_s": cpu_seconds() - cpu}
    case.close()
    print(json.dumps(result))


def measure_import(code: Path, log: Path) -> dict:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as case_dir:
        done = subprocess.run(
            [sys.executable, __file__, "--worker", str(code), str(log), case_dir],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_import(rows: int, base: Path, repeat: int) -> None:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as folder:
        logs = {"ascii": Path(folder) / "ascii.jsonl", "cjk": Path(folder) / "cjk.jsonl"}
        write_ascii_lines(logs["ascii"], rows)
        write_cjk_lines(logs["cjk"], rows)
        times: dict = {}
        for _ in range(repeat):
            for kind, log in logs.items():
                for label, code in (("before", base), ("after", ROOT)):
                    times.setdefault((kind, label), []).append(measure_import(code, log))
    print(f"{rows:,} JSON-lines rows, median of {repeat} runs each (wall s / CPU s):")
    for kind in logs:
        before, after = (
            [statistics.median(m[key] for m in times[(kind, label)]) for key in ("wall_s", "cpu_s")]
            for label in ("before", "after")
        )
        print(
            f"  {kind:5}  before {before[0]:6.2f} / {before[1]:6.2f}   after {after[0]:6.2f} / {after[1]:6.2f}"
            f"   ratio wall {after[0] / before[0]:.3f}, CPU {after[1] / before[1]:.3f}"
        )


def bench_search(case_path: Path, repeat: int, code: Path) -> None:
    use_code(str(code))
    from app.store.case_file import CaseFile
    from app.store.item_query import ItemFilter, count_items, list_items

    with CaseFile.open(case_path) as case:
        items = case.conn.execute("SELECT count(*) FROM items").fetchone()[0]
        print(f"search on {case_path.name} ({items:,} items), median of {repeat} (first page of 200 / count):")
        for query in SEARCHES:
            page, counted, found = [], [], 0
            for _ in range(repeat):
                start = time.perf_counter()
                list_items(case.conn, ItemFilter(search=query), 200)
                page.append(time.perf_counter() - start)
                start = time.perf_counter()
                found = count_items(case.conn, ItemFilter(search=query))
                counted.append(time.perf_counter() - start)
            print(
                f"  {query!r:24} {found:6,} items  {statistics.median(page) * 1000:7.2f} ms"
                f" / {statistics.median(counted) * 1000:7.2f} ms"
            )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--base", type=Path, help="a checkout of the code before the change")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--search", type=Path, help="time searches on this case instead")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker)
    elif args.search:
        bench_search(args.search, max(args.repeat, 20), args.base or ROOT)
    else:
        bench_import(args.rows, args.base, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())

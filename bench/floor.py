"""The floor every import benchmark is compared with, and the synthetic API-log lines.

The floor (issue 2): the same JSON lines parsed with `json.loads`, inserted with ONE
`executemany` in ONE transaction into a plain table, then an FTS5 index built over the
same text afterwards. Same page size, WAL and synchronous setting as a case file, so
the ratio measures the application's overhead, not a different storage setup.

    python bench/floor.py --rows 100000          # prints rows/s and index time

Other benchmarks reuse `write_log_lines(path, n)` (deterministic ~1.6 KB lines) and
`measure_floor(path)`; run each measurement in its own subprocess for peak memory.
"""

import argparse
import itertools
import json
import random
import resource
import sqlite3
import sys
import tempfile
import time
import zlib
from pathlib import Path

LINE_BYTES = 1600
WORDS = (
    "the model response request token policy data training output prompt user "
    "account access system answer question explain write code function return value "
    "list table report summary analysis result error review contract term service "
    "limit rate usage billing key region compete distil extract dataset label sample "
    "chain reasoning step translate language english french german legal court "
    "evidence exhibit witness claim damages breach notice assent secret measure"
).split()
MODELS = ("frontier-large-2026-01", "frontier-small-2025-11", "frontier-code-2026-02")
FLOOR_PRAGMAS = (
    "PRAGMA page_size = 16384",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA cache_size = -65536",
)


def _vocabulary(rng: random.Random, size: int = 30000) -> list[str]:
    """Common words first, then made-up words: a realistic spread of distinct terms."""
    syllables = ["ka", "lo", "mi", "ne", "ra", "to", "su", "ve", "di", "pa", "ger", "ion", "tal", "ment", "ous"]
    words = list(WORDS)
    while len(words) < size:
        words.append("".join(rng.choices(syllables, k=rng.randint(2, 4))))
    return words


def _sentence_pool(rng: random.Random, count: int = 20000) -> list[str]:
    """Sentences with Zipf-distributed words (weight 1/rank), as in natural text."""
    vocabulary = _vocabulary(rng)
    cumulative = list(itertools.accumulate(1 / rank for rank in range(1, len(vocabulary) + 1)))
    pool = []
    for _ in range(count):
        words = rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(8, 18))
        pool.append(" ".join(words).capitalize() + ".")
    return pool


def log_lines(n: int, seed: int = 7, start_epoch: int = 1767225600, wide: bool = False):
    """Yield `n` JSON-lines API-log rows (bytes, newline-terminated) of ~1.6 KB each.

    Fields: timestamp (ISO 8601, UTC), account, api_key, ip, model, request_id, status,
    tokens, prompt, response; `wide` adds organization and latency_ms (a dozen fields,
    as bench/run.py's realistic rows). Deterministic for a given seed.
    """
    rng = random.Random(seed)
    pool = _sentence_pool(rng)
    accounts = [f"acct-{i:05d}@example-competitor.com" for i in range(500)]
    for i in range(n):
        ts = start_epoch + i * 2 + rng.randint(0, 1)
        account = accounts[rng.randrange(len(accounts))]
        row = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{rng.randrange(1000000):06d}Z",
            "account": account,
            "api_key": f"sk-{zlib.crc32(account.encode()):08x}{i % 7}",
            "ip": f"203.0.{rng.randrange(256)}.{rng.randrange(256)}",
            "model": MODELS[i % len(MODELS)],
            "request_id": f"req_{seed:02d}{i:012d}",
            "status": 200 if rng.random() > 0.02 else 429,
            "tokens": rng.randint(200, 2000),
            "prompt": _text(rng, pool, 420),
            "response": _text(rng, pool, 820),
        }
        if wide:
            row["organization"] = account.split("@")[1].split(".")[0] + f"-{i % 11}"
            row["latency_ms"] = rng.randint(80, 9000)
        yield json.dumps(row).encode("utf-8") + b"\n"


def _text(rng: random.Random, pool: list[str], length: int) -> str:
    parts, size = [], 0
    while size < length:
        sentence = pool[rng.randrange(len(pool))]
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)


def write_log_lines(path, n: int, seed: int = 7, wide: bool = False) -> Path:
    """Write `n` synthetic log lines to `path` (streamed: memory stays flat)."""
    path = Path(path)
    with open(path, "wb", buffering=4 * 1024 * 1024) as out:
        for line in log_lines(n, seed, wide=wide):
            out.write(line)
    return path


def _rows(path: Path):
    with open(path, "rb") as handle:
        for line in handle:
            row = json.loads(line)
            yield (
                row["timestamp"],
                row["account"],
                row["api_key"],
                row["ip"],
                row["model"],
                row["prompt"] + "\n" + row["response"],
                line.decode("utf-8"),
            )


def measure_floor(path, db_path=None) -> dict:
    """Time the floor over the lines in `path`: {'rows', 'rows_s', 'index_s', 'total_s'}."""
    path = Path(path)
    with tempfile.TemporaryDirectory(dir=Path(db_path).parent if db_path else None) as tmp:
        conn = sqlite3.connect(str(db_path or Path(tmp) / "floor.db"), isolation_level=None)
        for pragma in FLOOR_PRAGMAS:
            conn.execute(pragma)
        conn.execute(
            "CREATE TABLE logs (id INTEGER PRIMARY KEY, ts TEXT, account TEXT, api_key TEXT,"
            " ip TEXT, model TEXT, text TEXT, fields TEXT)"
        )
        conn.execute("CREATE VIRTUAL TABLE logs_fts USING fts5(text, content='logs', content_rowid='id')")
        start, start_cpu = time.perf_counter(), cpu_seconds()
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO logs(ts, account, api_key, ip, model, text, fields) VALUES (?,?,?,?,?,?,?)", _rows(path)
        )
        conn.execute("COMMIT")
        rows_done, rows_cpu = time.perf_counter(), cpu_seconds()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO logs_fts(rowid, text) SELECT id, text FROM logs")
        conn.execute("COMMIT")
        index_done, index_cpu = time.perf_counter(), cpu_seconds()
        count = conn.execute("SELECT count(*) FROM logs").fetchone()[0]
        conn.close()
    return {
        "rows": count,
        "rows_s": rows_done - start,
        "index_s": index_done - rows_done,
        "total_s": index_done - start,
        "rows_cpu_s": rows_cpu - start_cpu,
        "index_cpu_s": index_cpu - rows_cpu,
    }


def cpu_seconds() -> float:
    """CPU time this process used (user + system): steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--input", help="an existing JSON-lines file (otherwise one is generated)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.input) if args.input else write_log_lines(Path(tmp) / "logs.jsonl", args.rows)
        result = measure_floor(path)
    result["peak_mb"] = round(peak_rss_mb(), 1)
    result["rows_per_s"] = round(result["rows"] / result["rows_s"])
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

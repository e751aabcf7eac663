"""Importing a large mbox streams: peak memory does not grow with the mailbox.

    python bench/bench_mbox.py --sizes 20000 100000

For each size an mbox of synthetic messages (~1.7 KB; every 20th with a small text
attachment) is written, then measured in separate subprocesses:
- floor: the standard library reading every message (`mailbox.mbox` + the email
  parser), nothing stored;
- import: `import_files` into a new case file (hash, store, parse, insert, FTS, audit).
Reported: seconds, messages/s, import/floor time ratio, peak RSS (ru_maxrss) of each,
and the import's peak RSS at the largest size over the smallest (flat memory ~1.0).
Results: bench/results/mbox.txt.
"""

import argparse
import base64
import json
import mailbox
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from floor import peak_rss_mb  # noqa: E402

WORDS = (
    "model output prompt completion harvest token api key request response distillation "
    "dataset training competitor pricing contract invoice meeting schedule review"
).split()


def write_mbox(path: Path, count: int, seed: int = 11, every: int = 20, attach_kb: int = 0) -> Path:
    """A deterministic mbox of `count` messages, written as it is generated; every
    `every`th message has an attachment (a line of text, or `attach_kb` KB of base64)."""
    rng = random.Random(seed)
    with open(path, "wb") as out:
        for i in range(count):
            body = "\n".join(" ".join(rng.choices(WORDS, k=12)) for _ in range(18))
            head = (
                f"From sender{i % 50}@example.com Tue Jul  1 10:00:00 2025\n"
                f"From: Sender {i % 50} <sender{i % 50}@example.com>\nTo: team{i % 9}@example.org\n"
                f"Subject: Report {i}\n"
                f"Date: Tue, 01 Jul 2025 {i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d} +0000\n"
                f"Message-ID: <m{i}@example.com>\nReferences: <m{i - i % 5}@example.com>\nMIME-Version: 1.0\n"
            )
            if i % every:
                out.write(f"{head}Content-Type: text/plain; charset=utf-8\n\n{body}\n\n".encode())
            else:
                out.write(
                    (
                        f"{head}Content-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\n"
                        f"{body}\n--B\nContent-Type: text/plain; name=a.txt\nContent-Disposition: attachment; "
                        f"filename=a.txt\n{_attachment(rng, i, attach_kb)}\n--B--\n\n"
                    ).encode()
                )
    return path


def _attachment(rng: random.Random, i: int, kb: int) -> str:
    if not kb:
        return f"\nattached {i}"
    data = base64.encodebytes(rng.randbytes(kb * 1024)).decode()
    return f"Content-Transfer-Encoding: base64\n\n{data}"


def child_floor(path: Path) -> dict:
    start = time.perf_counter()
    count = sum(1 for _ in mailbox.mbox(str(path), create=False))
    return {"messages": count, "seconds": time.perf_counter() - start, "peak_rss_mb": peak_rss_mb()}


def child_import(path: Path) -> dict:
    from app.core.cancel import run_to_end
    from app.core.records import ImportSettings
    from app.importers.pipeline import import_files
    from app.store.case_file import CaseFile

    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        case_path = Path(tmp) / "bench.casefile"
        CaseFile.create(case_path, "bench", None, "UTC", operator="bench").close()
        start = time.perf_counter()
        with CaseFile.open(case_path, operator="bench") as case:
            report = run_to_end(import_files(case, [path], ImportSettings()))
        seconds = time.perf_counter() - start
    file_report = report.files[0]
    assert file_report.reconciles and file_report.quarantined == 0
    return {
        "messages": file_report.imported,
        "items": file_report.items_created,
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
    }


def run_child(kind: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(size: int, workdir: Path, every: int, attach_kb: int) -> dict:
    path = write_mbox(workdir / f"mail-{size}.mbox", size, every=every, attach_kb=attach_kb)
    floor, imported = run_child("floor", path), run_child("import", path)
    return {"size": size, "mbox_mb": path.stat().st_size / 1e6, "floor": floor, "import": imported}


def report(results: list[dict], shape: str) -> str:
    lines = [
        "mbox import (bench/bench_mbox.py); floor = stdlib mailbox.mbox + email parser, nothing stored",
        f"messages: ~1.7 KB of text, {shape}",
        "",
    ]
    for r in results:
        f, i = r["floor"], r["import"]
        lines.append(
            f"{r['size']:>7,} messages ({r['mbox_mb']:.0f} MB): import {i['seconds']:.1f} s "
            f"({i['messages'] / i['seconds']:,.0f} msg/s, {i['items']:,} items), floor {f['seconds']:.1f} s; "
            f"time ratio import/floor {i['seconds'] / f['seconds']:.2f}; peak RSS import "
            f"{i['peak_rss_mb']:.0f} MB, floor {f['peak_rss_mb']:.0f} MB"
        )
    small, large = results[0], results[-1]
    lines += [
        "",
        f"messages x{large['size'] / small['size']:.1f}: import peak RSS ratio "
        f"{large['import']['peak_rss_mb'] / small['import']['peak_rss_mb']:.2f} (1.0 = flat), "
        f"floor peak RSS ratio {large['floor']['peak_rss_mb'] / small['floor']['peak_rss_mb']:.2f}",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20000, 100000])
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"))
    parser.add_argument("--attach-every", type=int, default=20, help="every Nth message has an attachment")
    parser.add_argument("--attach-kb", type=int, default=0, help="attachment size (default: one line of text)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "mbox.txt")
    args = parser.parse_args(argv)
    if args.child:
        kind, path = args.child
        print(json.dumps((child_floor if kind == "floor" else child_import)(Path(path))))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        results = [measure(size, Path(tmp), args.attach_every, args.attach_kb) for size in sorted(args.sizes)]
    which = "every message" if args.attach_every == 1 else f"every {args.attach_every}th message"
    text = report(results, f"{which} with a {f'{args.attach_kb} KB' if args.attach_kb else 'one-line'} attachment")
    print(text, end="")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "a") as out:  # one run per block: the text-only and the attachment-heavy shapes
        out.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What redaction costs an export: the same bundle without and with a redaction in every row.

    python bench/bench_redaction.py --rows 3000 [--record]

Builds a case of `rows` API-log rows, each with an email address in its response, and
exports it twice in the same run: first with no redactions (the floor: the export as it
was), then after redacting every email address with the built-in pattern (one string per
row burned in, the bundle and its sidecars searched for all of them with pypdf and
PDFium). Reports both times, their ratio, the proof's share, seconds per page and peak
memory. `--record` appends the line to bench/results/redaction.txt.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from app.core.cancel import run_to_end  # noqa: E402
from app.core.records import ImportSettings  # noqa: E402
from app.export import redaction_proof  # noqa: E402
from app.export.bundle import ExportSettings, export_bundle  # noqa: E402
from app.export.selection import Selection  # noqa: E402
from app.importers.pipeline import import_files  # noqa: E402
from app.store import redactions  # noqa: E402
from app.store.case_file import CaseFile  # noqa: E402
from floor import peak_rss_mb  # noqa: E402


def _log(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for n in range(rows):
            row = {
                "timestamp": 1_740_787_200 + n * 37,
                "account": f"acct-{n % 17}",
                "model": "frontier-large",
                "prompt": f"Question {n}: " + "explain the proof in full detail " * 3,
                "response": f"Answer {n}: write to user{n}@corp.example for the rest. " + "lorem ipsum dolor " * 6,
            }
            out.write(json.dumps(row) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-redaction-"))
    os.environ.setdefault("CASEFILE_KEYS_DIR", str(work / "keys"))
    _log(work / "log.jsonl", args.rows)
    case = CaseFile.create(work / "c.casefile", "bench", operator="bench")
    run_to_end(import_files(case, [work / "log.jsonl"], ImportSettings(timezone="UTC")))

    def export(name: str) -> tuple[float, int]:
        start = time.perf_counter()
        result = run_to_end(export_bundle(case, work / f"{name}.pdf", Selection(), ExportSettings()))
        return time.perf_counter() - start, result.pages

    floor_s, pages = export("plain")
    start = time.perf_counter()
    rule = {"pattern": "email"}
    found = run_to_end(redactions.find_matches(case.conn, rule))
    redactions.redact_matches(case, rule, "personal", found)
    find_s = time.perf_counter() - start
    proof = {"s": 0.0}
    prove = redaction_proof.prove_gone

    def timed(*a):
        begin = time.perf_counter()
        try:
            return prove(*a)
        finally:
            proof["s"] = time.perf_counter() - begin

    redaction_proof.prove_gone = timed
    redacted_s, redacted_pages = export("redacted")
    line = (
        f"{time.strftime('%Y-%m-%d %H:%M')} rows={args.rows} pages={redacted_pages} load={os.getloadavg()[0]:.1f}: "
        f"export {floor_s:.1f} s without redactions, {redacted_s:.1f} s with {sum(len(h) for h in found.values())} "
        f"redacted strings (ratio {redacted_s / floor_s:.1f}x; proof {proof['s']:.1f} s = "
        f"{1000 * proof['s'] / redacted_pages:.0f} ms/page); finding them {find_s:.2f} s; "
        f"peak {peak_rss_mb():.0f} MB"
    )
    print(line)
    if args.record:
        with open(ROOT / "bench" / "results" / "redaction.txt", "a", encoding="utf-8") as out:
            out.write(line + "\n")
    case.close()


if __name__ == "__main__":
    main()

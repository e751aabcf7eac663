"""The long mutation fuzzer: mutated seed files into every importer, crashes reported and kept.

    python bench/fuzz_importers.py --runs 50000 [--seed 1] [--minutes 30] [--save]

Seeds are tests/fuzz/corpus/ (one small file per importer, see tests/fuzz/make_corpus.py);
each run mutates one (bit flips, interesting bytes and tokens such as
`=?utf-8?B?=?utf-8?B?=`, a NUL, thousands of nested brackets or MIME boundaries,
deletions, duplications, truncation, splices with another seed), sniffs it with every
importer and reads it with one, making each record ready for the case as the item writer
does (tests/fuzz/fuzz_harness.py says what counts as a finding). A run over 2 s of CPU
time is a finding ("slow"), over 20 s is stopped ("hang").

Reported: runs, records read, runs per second, and each distinct finding (importer,
stage, error, where) with how many runs hit it and the input that found it first. With
--save those inputs go to tests/fuzz/crashes/, replayed by tests/fuzz/test_fuzz_crashes.py
through the real import pipeline: fix the defect, then keep the file as its test.
Deterministic for a given --seed and --runs (apart from what is slow).
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "fuzz")]

from fuzz_harness import fuzz  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--minutes", type=float, default=None, help="stop after this long, whatever --runs says")
    parser.add_argument("--slow", type=float, default=2.0, help="CPU seconds after which a run is a finding")
    parser.add_argument("--save", action="store_true", help="keep each finding's input in tests/fuzz/crashes/")
    parser.add_argument("--record", action="store_true", help="append the summary to bench/results/fuzz.txt")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # Pillow's and pypdf's words on every broken file they are given
    started = time.monotonic()
    deadline = started + args.minutes * 60 if args.minutes else None

    def on_finding(finding):
        saved = f" -> {finding.save()}" if args.save else ""
        print(f"FINDING {finding.importer} {finding.stage}: {finding.error[:200]} [{finding.where}]{saved}", flush=True)

    def on_progress(report):
        print(
            f"... {report.runs:,} runs, {len(report.findings)} findings, {time.monotonic() - started:,.0f} s",
            flush=True,
        )

    report = fuzz(
        args.runs,
        args.seed,
        on_finding=on_finding,
        slow_seconds=args.slow,
        on_progress=on_progress,
        should_stop=(lambda: time.monotonic() > deadline) if deadline else None,
    )
    seconds = time.monotonic() - started
    lines = [
        f"runs {report.runs:,}  records read {report.records:,}  {seconds:,.0f} s  "
        f"{report.runs / max(seconds, 1e-9):,.1f} runs/s  seed {args.seed}",
        f"distinct findings {len(report.findings)}  runs with a finding {sum(report.hits.values()):,}",
    ]
    lines += [
        f"  {report.hits[key]:>6}x {finding.importer} {finding.stage}: {finding.error[:160]} [{finding.where}]"
        for key, finding in report.findings.items()
    ]
    print("\n".join(lines))
    if args.record:
        with open(ROOT / "bench" / "results" / "fuzz.txt", "a", encoding="utf-8") as out:
            out.write(
                f"\n## {time.strftime('%Y-%m-%d %H:%M')} python bench/fuzz_importers.py "
                f"{' '.join(argv if argv is not None else sys.argv[1:])}\n" + "\n".join(lines) + "\n"
            )
    return 1 if report.findings else 0


if __name__ == "__main__":
    sys.exit(main())

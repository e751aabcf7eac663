"""Driving a core operation (a Progress generator) from the terminal with a progress bar."""

import sys

from tqdm import tqdm

from app.core.cancel import Progress


def run_with_progress(operation, quiet: bool = False):
    """Run a generator of Progress to its end, drawing a bar on stderr; return its value."""
    bar = None
    stage = None
    try:
        while True:
            try:
                report = next(operation)
            except StopIteration as finished:
                return finished.value
            if quiet or not isinstance(report, Progress):
                continue
            if report.stage != stage:
                if bar is not None:
                    bar.close()
                stage = report.stage
                scale = report.unit == "bytes"
                bar = tqdm(
                    total=report.total,
                    desc=stage,
                    unit="B" if scale else f" {report.unit}",
                    unit_scale=scale,
                    unit_divisor=1024 if scale else 1000,
                    file=sys.stderr,
                    leave=False,
                    dynamic_ncols=True,
                    disable=None,
                )
            bar.n = report.done
            if report.records:  # the bar's own rate and ETA are in bytes; rows/s is what users count
                elapsed = bar.format_dict["elapsed"]
                rate = f", {report.records / elapsed:,.0f} rows/s" if elapsed > 0 else ""
                bar.set_postfix_str(f"{report.records:,} rows{rate}", refresh=False)
            bar.refresh()
    finally:
        if bar is not None:
            bar.close()
        operation.close()

"""Arguments most commands share, spelt the same everywhere."""

from pathlib import Path


def case_arg(p) -> None:
    p.add_argument("case", metavar="CASE", type=Path, help="the case file (*.casefile)")


def json_arg(p) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of text")

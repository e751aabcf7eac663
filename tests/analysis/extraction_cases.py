"""Cases for the extraction tests: generated labelled logs, or the demo's logs, imported
through the real pipeline into a case file on disk."""

import json
from pathlib import Path

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files
from app.store.case_file import CaseFile
from labelled_logs import labelled_rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def case_with_logs(folder: Path, paths: list[Path]) -> Path:
    case_path = folder / "analysis.casefile"
    CaseFile.create(case_path, "Extraction test", "CL-16", "UTC", operator="tester").close()
    with CaseFile.open(case_path, operator="tester") as case:
        run_to_end(import_files(case, paths, ImportSettings(timezone="UTC")))
    return case_path


def labelled_case(folder: Path, seed: int = 16, scale: float = 1.0) -> tuple[Path, dict[str, str]]:
    rows, labels = labelled_rows(seed, scale)
    return case_with_logs(folder, [write_jsonl(folder / "gateway.jsonl", rows)]), labels


def demo_logs_case(folder: Path) -> Path:
    from app.demo.logs import write_logs

    return case_with_logs(folder, write_logs(folder))

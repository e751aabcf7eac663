"""One hostile file through the real import pipeline into a new case file, checked."""

import tempfile
from pathlib import Path

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files
from app.store.case_file import CaseFile

# The pipeline's own safety net (see pipeline._contained): an importer that needed it failed
# to quarantine a bad record itself and lost the rest of the file.
SAFETY_NET = "could not be read from here on"


def import_checked(data: bytes, file_name: str, importer: str) -> dict:
    """Import `data` as `file_name` with `--as importer`; the counts, after checking that the
    import succeeded, the counts reconcile with what the case holds, and no record needed the
    pipeline's safety net."""
    with tempfile.TemporaryDirectory() as folder:
        path, case_path = Path(folder) / file_name, Path(folder) / "fuzz.casefile"
        path.write_bytes(data)
        CaseFile.create(case_path, "Fuzz", "F-1", "UTC", operator="fuzz").close()
        with CaseFile.open(case_path, operator="fuzz") as case:
            report = run_to_end(import_files(case, [path], ImportSettings(as_kind=importer)))
            (file_report,) = report.files
            assert file_report.error is None and file_report.reconciles, file_report.summary()
            items = case.conn.execute("SELECT count(*) FROM items").fetchone()[0]
            reasons = [r[0] for r in case.conn.execute("SELECT reason FROM quarantine")]
            duplicates = (
                case.conn.execute("SELECT count(*) FROM duplicates").fetchone()[0]
                if case.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'duplicates'").fetchone()
                else None
            )
    assert items == file_report.items_created, (items, file_report.summary())
    assert len(reasons) == file_report.quarantined, (reasons, file_report.summary())
    assert not [r for r in reasons if r.startswith(SAFETY_NET)], reasons
    if duplicates is not None:
        assert duplicates == file_report.duplicates
    return {"read": file_report.read, "imported": file_report.imported, "quarantined": file_report.quarantined}

"""This machine's record of how far each case's audit log had got.

Removing the newest audit entries together with the changes they recorded leaves a
chain that still fits together; so does presenting a copy of the case made before a
change. Neither can be seen from inside the case. So after each change the newest entry
(its number and hash) is written here, in the operator's key folder, outside the case,
keyed by the case's id; `verify` checks that the case still holds that entry.
"""

import json
import os
import threading
from pathlib import Path

from app.core.signing_keys import keys_dir


def record_path(case_id: str, folder: Path | None = None) -> Path:
    return (folder or keys_dir()) / "heads" / f"{case_id}.json"


def recorded_head(case_id: str, folder: Path | None = None) -> dict | None:
    """{"seq", "hash", "utc", "path"} last written for the case here, or None."""
    try:
        record = json.loads(record_path(case_id, folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    readable = isinstance(record, dict) and isinstance(record.get("seq"), int) and isinstance(record.get("hash"), str)
    return record if readable else None


def write_head(case_id: str, seq: int, hash_: str, utc: str, case_path: Path, folder: Path | None = None) -> None:
    """Replace the record (written aside and renamed, so it is never half-written)."""
    path = record_path(case_id, folder)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")  # writers never share one
    body = json.dumps({"case_id": case_id, "seq": seq, "hash": hash_, "utc": utc, "path": str(case_path)})
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(body)
    os.replace(temporary, path)

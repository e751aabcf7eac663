"""Editing a case's own taxonomy: add a category or element, rename it, describe it.

Each case starts with a copy of the default taxonomy; a legal team adapts it to its
case. Codes never change once created (tags refer to them); names and descriptions
may. Every change is audited in the same transaction, and `verify` replays the
audited changes against the table.
"""

import re

from app.store.case_file import CaseFile
from app.store.errors import CaseFileError

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]*(/[A-Z0-9][A-Z0-9-]*)?$")
COLUMNS = ("code", "name", "description", "grp", "parent_code")


def category_row(case: CaseFile, code: str) -> dict | None:
    row = case.conn.execute(f"SELECT {', '.join(COLUMNS)} FROM taxonomy WHERE code = ?", (code,)).fetchone()
    return dict(zip(COLUMNS, row)) if row else None


def _existing_row(case: CaseFile, code: str) -> dict:
    """The row of a category already checked to exist, or just written."""
    row = category_row(case, code)
    assert row is not None, code
    return row


def add_category(
    case: CaseFile, code: str, name: str, group: str | None = None, parent: str | None = None, description: str = ""
) -> dict:
    """Add a category (or, with `parent`, an element of a claim); returns the new row."""
    code, name = code.strip().upper(), name.strip()
    if parent and "/" not in code:
        code = f"{parent}/{code}"  # elements are coded CLAIM/ELEMENT, as in the default taxonomy
    _check_new(case, code, name, parent)
    if parent:
        group = _existing_row(case, parent)["grp"]
    elif not group or not _group_exists(case, group):
        known = ", ".join(r[0] for r in case.conn.execute("SELECT DISTINCT grp FROM taxonomy ORDER BY position"))
        raise CaseFileError(f"Give the category a group, one of: {known}.")
    with case.transaction() as conn:
        position = _position_after(conn, parent or None, group)
        conn.execute("UPDATE taxonomy SET position = position + 1 WHERE position >= ?", (position,))
        conn.execute(
            "INSERT INTO taxonomy(code, name, description, grp, parent_code, position) VALUES (?,?,?,?,?,?)",
            (code, name, description, group, parent, position),
        )
        row = _existing_row(case, code)
        case.audit("taxonomy.add", row)
    return row


def rename_category(case: CaseFile, code: str, name: str) -> dict:
    """Give a category a new name; returns {'before': row, 'after': row} (undo: rename back)."""
    if not name.strip():
        raise CaseFileError("A category needs a name.")
    return _update(case, code, "name", name.strip())


def describe_category(case: CaseFile, code: str, description: str) -> dict:
    """Give a category a new description; returns {'before': row, 'after': row}."""
    return _update(case, code, "description", description.strip())


def _update(case: CaseFile, code: str, column: str, value: str) -> dict:
    before = category_row(case, code)
    if before is None:
        raise CaseFileError(f"There is no category {code!r} in this case's taxonomy.")
    with case.transaction() as conn:
        conn.execute(f"UPDATE taxonomy SET {column} = ? WHERE code = ?", (value, code))
        after = _existing_row(case, code)
        case.audit("taxonomy.update", {**after, "before": before})
    return {"before": before, "after": after}


def _check_new(case: CaseFile, code: str, name: str, parent: str | None) -> None:
    if parent:
        row = category_row(case, parent)
        if row is None or row["parent_code"]:
            raise CaseFileError(f"{parent} is not a category that can have elements.")
    if not CODE_RE.match(code):
        raise CaseFileError(f"{code!r} is not a usable code; use capitals, digits and hyphens, e.g. TOS-SCRAPING.")
    if not name:
        raise CaseFileError("A category needs a name.")
    if category_row(case, code):
        raise CaseFileError(f"The category {code} already exists.")


def _group_exists(case: CaseFile, group: str) -> bool:
    return case.conn.execute("SELECT 1 FROM taxonomy WHERE grp = ?", (group,)).fetchone() is not None


def _position_after(conn, parent: str | None, group: str) -> int:
    """Display position: after the parent's last element, or at the end of the group."""
    arg: tuple[str, ...]
    if parent:
        sql, arg = "SELECT max(position) FROM taxonomy WHERE code = ? OR parent_code = ?", (parent, parent)
    else:
        sql, arg = "SELECT max(position) FROM taxonomy WHERE grp = ?", (group,)
    return conn.execute(sql, arg).fetchone()[0] + 1

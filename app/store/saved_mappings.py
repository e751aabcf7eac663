"""Field mappings saved in a case by name, and finding a mapping by name.

`--mapping NAME` looks in the case first, then the shipped presets, then takes NAME as
a mapping JSON file; so a team's edited mapping travels with the case file.
"""

import json
import sqlite3

from app.core.mapping import load_mapping, load_preset, parse_mapping
from app.store.case_file import CaseFile, utc_now_iso


def save_mapping(case: CaseFile, name: str, document) -> dict:
    """Store (or replace) a mapping under `name` in the case, audited; returns the mapping."""
    name = name.strip()
    if not name:
        raise ValueError("A saved mapping needs a name.")
    _name, mapping = parse_mapping(document, name, f"to save as {name!r}")
    with case.transaction():
        replaced = saved_mapping(case.conn, name) is not None
        case.conn.execute(
            "INSERT INTO saved_mappings(name, mapping, who, created_utc) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(name) DO UPDATE SET mapping = excluded.mapping, who = excluded.who,"
            " created_utc = excluded.created_utc",
            (name, json.dumps(mapping, sort_keys=True), case.operator, utc_now_iso()))
        case.audit("mapping.save", {"name": name, "mapping": mapping, "replaced": replaced})
    return mapping


def saved_mapping(conn: sqlite3.Connection, name: str) -> dict | None:
    """The mapping saved in the case under `name`, or None."""
    row = conn.execute("SELECT mapping FROM saved_mappings WHERE name = ?", (name,)).fetchone()
    return json.loads(row[0]) if row else None


def saved_mapping_names(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM saved_mappings ORDER BY name")]


def resolve_mapping(conn: sqlite3.Connection, name_or_file: str) -> tuple[str, dict]:
    """(name, mapping): saved in the case, else a shipped preset, else a JSON file."""
    saved = saved_mapping(conn, name_or_file)
    if saved is not None:
        return name_or_file, saved
    return load_preset(name_or_file) or load_mapping(name_or_file)

"""Field mappings saved in a case by name, and finding a mapping by name.

`--mapping NAME` looks in the case first, then the shipped presets, then takes NAME as
a mapping JSON file; so a team's edited mapping travels with the case file. Stored,
replaced and refused by the same rules as saved searches (see saved_by_name).
"""

import sqlite3

from app.core.mapping import load_mapping, load_preset, parse_mapping
from app.store.case_file import CaseFile
from app.store.saved_by_name import SavedByName

MAPPINGS = SavedByName("saved_mappings", "mapping", "mapping")


def save_mapping(case: CaseFile, name: str, document) -> dict:
    """Store (or replace) a mapping under `name` in the case, audited; returns the mapping."""
    name = MAPPINGS.checked_name(name)
    _name, mapping = parse_mapping(document, name, f"to save as {name!r}")
    MAPPINGS.save(case, name, mapping)
    return mapping


def saved_mapping(conn: sqlite3.Connection, name: str) -> dict | None:
    """The mapping saved in the case under `name`, or None."""
    return MAPPINGS.get(conn, name)


def saved_mapping_names(conn: sqlite3.Connection) -> list[str]:
    return MAPPINGS.names(conn)


def resolve_mapping(conn: sqlite3.Connection, name_or_file: str) -> tuple[str, dict]:
    """(name, mapping): saved in the case, else a shipped preset, else a JSON file."""
    saved = saved_mapping(conn, name_or_file)
    if saved is not None:
        return name_or_file, saved
    return load_preset(name_or_file) or load_mapping(name_or_file)

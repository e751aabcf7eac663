"""What a case keeps under a name the user gives (saved searches, saved mappings): one pattern.

Each kind is a table (name, a JSON value, who, created_utc). Saving under a name that
exists replaces it; saving and deleting are audited in the same transaction ("search.save",
"mapping.delete", ...), the audit saying whether an earlier one was replaced. A blank
name, or deleting a name nothing is saved under, raises `SavedNameError`. Values are
written with orjson, keys sorted, and read back as dicts.
"""

import sqlite3
from dataclasses import dataclass

import orjson

from app.store.case_file import CaseFile, utc_now_iso
from app.store.errors import SavedNameError


@dataclass(frozen=True)
class SavedByName:
    table: str  # a fixed name from this package, never user input
    column: str  # the value's column, also its key in the audit details
    what: str  # "search", "mapping": the word in messages and audit actions

    def save(self, case: CaseFile, name: str, value: dict) -> str:
        """Store (or replace) `value` under `name` (stripped), audited; returns the name."""
        name = self.checked_name(name)
        data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
        with case.transaction() as conn:
            replaced = self.get(conn, name) is not None
            conn.execute(
                f"INSERT INTO {self.table}(name, {self.column}, who, created_utc) VALUES (?, ?, ?, ?)"
                f" ON CONFLICT(name) DO UPDATE SET {self.column} = excluded.{self.column},"
                " who = excluded.who, created_utc = excluded.created_utc",
                (name, data, case.operator, utc_now_iso()),
            )
            case.audit(f"{self.what}.save", {"name": name, self.column: orjson.loads(data), "replaced": replaced})
        return name

    def checked_name(self, name: str) -> str:
        """The name stripped; SavedNameError if nothing is left."""
        if not name.strip():
            raise SavedNameError(f"A saved {self.what} needs a name.")
        return name.strip()

    def get(self, conn: sqlite3.Connection, name: str) -> dict | None:
        """The value saved under `name`, or None."""
        row = conn.execute(f"SELECT {self.column} FROM {self.table} WHERE name = ?", (name,)).fetchone()
        return orjson.loads(row[0]) if row else None

    def names(self, conn: sqlite3.Connection) -> list[str]:
        return [r[0] for r in conn.execute(f"SELECT name FROM {self.table} ORDER BY name")]

    def all(self, conn: sqlite3.Connection) -> list[tuple[str, dict]]:
        """(name, value) pairs, by name."""
        return [
            (name, orjson.loads(data))
            for name, data in conn.execute(f"SELECT name, {self.column} FROM {self.table} ORDER BY name")
        ]

    def delete(self, case: CaseFile, name: str) -> None:
        with case.transaction() as conn:
            if conn.execute(f"DELETE FROM {self.table} WHERE name = ?", (name,)).rowcount == 0:
                raise SavedNameError(f"There is no saved {self.what} {name!r}.")
            case.audit(f"{self.what}.delete", {"name": name})

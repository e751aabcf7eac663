"""`IN (...)` lists for SQLite queries: one `?` per value, and chunks that keep each query small.

Values are always bound, never spliced into the SQL. SQLite caps the bound parameters of
one statement (999 in older builds), so a long list of ids is looked up CHUNK at a time.
"""

CHUNK = 900


def marks(values) -> str:
    """'?,?,?' for an IN list of these values."""
    return ",".join("?" * len(values))


def chunks(values, size: int = CHUNK):
    """The values in lists of at most `size`, in order."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]

"""The status line's counts read a whole index once: through a small page cache, which is
put back afterwards (opening a million-row case grew the window by ~35 MB of such pages)."""

from app.store.case_file import headline_counts
from app.store.tables import LEAN_CACHE_KIB, lean_cache


def test_counts_leave_the_cache_size_as_it_was(case):
    before = case.conn.execute("PRAGMA cache_size").fetchone()[0]
    seen = []
    with lean_cache(case.conn):
        seen.append(case.conn.execute("PRAGMA cache_size").fetchone()[0])
    assert seen == [-LEAN_CACHE_KIB]
    counts = headline_counts(case.conn)
    assert counts == {"items": 0, "sources": 0, "tags": 0, "quarantine": 0}
    assert case.conn.execute("PRAGMA cache_size").fetchone()[0] == before

"""Shared steps of the outputs/document/image tests: import a file, look at its items."""

import json

from case_helpers import import_reconciled as import_one, items_of  # noqa: F401 (re-exported)

from app.core.cancel import run_to_end
from app.store.item_query import ItemFilter, count_items, iter_items
from app.store.verify import verify_case


def search_ids(case, query: str) -> set[int]:
    return {row["id"] for row in iter_items(case.conn, ItemFilter(search=query))}


def count_kind(case, kind: str) -> int:
    return count_items(case.conn, ItemFilter(kinds=[kind]))


def verify_ok(case) -> None:
    result = run_to_end(verify_case(case))
    assert result.ok, [str(p) for p in result.problems]


def write_jsonl(path, records) -> None:
    path.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in records))

"""A large import with Chinese and Japanese rows: the CJK index is written in steps while rows
stream in (by item count and by size), and every row is found afterwards; ASCII rows get no
row in it."""

import json

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers import item_writer
from app.importers.pipeline import import_files
from app.store import cjk_index
from app.store.item_query import ItemFilter, count_items, list_items


def _row(i: int) -> bytes:
    prompt = (
        f"请说明第{i}号密钥的用途"
        if i % 3 == 0
        else f"第{i}号の推論結果を送ってください"
        if i % 3 == 1
        else f"plain {i}"
    )
    return (
        json.dumps({"timestamp": 1767225600 + i, "account": f"a{i % 5}", "prompt": prompt}, ensure_ascii=False).encode()
        + b"\n"
    )


def test_cjk_rows_indexed_in_steps_are_all_found(case, tmp_path, monkeypatch):
    monkeypatch.setattr(item_writer, "BATCH", 40)
    monkeypatch.setattr(item_writer, "INDEX_STEP", 300)  # steps by count ...
    monkeypatch.setattr(cjk_index, "INSERT_STEP_BYTES", 2000)  # ... and by the bigram text held
    log = tmp_path / "api.jsonl"
    log.write_bytes(b"".join(_row(i) for i in range(1200)))
    report = run_to_end(import_files(case, [log], ImportSettings()))
    assert report.totals["imported"] == 1200
    assert case.conn.execute("SELECT count(*) FROM items_cjk").fetchone()[0] == 800  # "plain" rows have none
    assert count_items(case.conn, ItemFilter(search="密钥")) == 400
    assert count_items(case.conn, ItemFilter(search="推論結果")) == 400
    assert count_items(case.conn, ItemFilter(search="plain")) == 400
    for i in (0, 297, 300, 603, 1197):  # the first step, either side of a step, the tail
        found = list_items(case.conn, ItemFilter(search=f"第{i}号密钥"))
        assert [row["id"] for row in found] == [i + 1]
    assert list_items(case.conn, ItemFilter(search="第1号密钥")) == []  # 第1号 is Japanese, 第12号 is not 第1号

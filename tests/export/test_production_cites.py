"""Cites into a production come from its own records: the exhibit list's exhibit and Bates
begin for every produced item, "not produced" for any other."""

import csv

from app.core.cancel import run_to_end
from app.export.bundle import ExportSettings, export_bundle
from app.export.selection import Selection
from app.store.production_cites import NOT_PRODUCED, cite_text, cites_for_items, latest_production_id
from export_builders import import_paths, log_row, write_log


def test_cites_equal_the_exhibit_list_and_unproduced_items_say_so(case, tmp_path):
    rows = [
        log_row(f"2026-03-0{day}T01:00:00Z", f"prompt {day}", f"answer {day}", account=f"acct-{day}")
        for day in (1, 2, 3)
    ]
    write_log(tmp_path / "api.jsonl", rows)
    import_paths(case, [tmp_path / "api.jsonl"])
    ids = [r[0] for r in case.conn.execute("SELECT id FROM items ORDER BY id")]
    produced = ids[:2]
    result = run_to_end(
        export_bundle(case, tmp_path / "out.pdf", Selection(item_ids=produced), ExportSettings(log_group=["account"]))
    )
    assert latest_production_id(case.conn) == result.production_id
    with open(tmp_path / "out.exhibits.csv", newline="", encoding="utf-8-sig") as handle:
        listed = [(row["Exhibit"], row["Bates begin"]) for row in csv.DictReader(handle)]
    cites = cites_for_items(case.conn, result.production_id, ids)
    assert sorted((cites[i].exhibit, cites[i].bates_begin) for i in produced) == sorted(listed)
    assert cites[ids[2]] is None and cite_text(cites[ids[2]]) == NOT_PRODUCED
    assert all(cite_text(c) == NOT_PRODUCED for c in cites_for_items(case.conn, None, ids).values())

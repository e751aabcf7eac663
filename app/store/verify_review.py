"""`verify` for what reviewing adds to a case.

Review batches: the batches, their items and each item's review status, replayed from
the audit log (batch.create / update / review / delete) against the tables. A batch
forged or edited outside the application (an item added, a status flipped, a reviewer's
name changed) no longer matches what the log says the application did.

`item_usage` (a log row's status and tokens, for sorting): each `usage.index` run's
rows against the digest its audit entry recorded; rows no run wrote are named.

`production_items` (where each produced item starts, for sorting by Bates number) is
derived from `production_exhibits`, which verify checks against the log: it must say
exactly what they say.
"""

import json

from app.store.item_usage import rows_digest, stored_rows
from app.store.verify_result import Discrepancy, VerifyResult, compare_replayed


def check_batches(conn, entries, result: VerifyResult) -> None:
    expected_batches: dict[int, tuple] = {}
    expected_status: dict[tuple[int, int], tuple] = {}
    for entry in entries:
        action, d = entry["action"], entry["details"]
        if action == "batch.create":
            expected_batches[d["batch_id"]] = (d["name"], d.get("reviewer"), tuple(d["item_ids"]))
            for item_id in d["item_ids"]:
                expected_status[(d["batch_id"], item_id)] = (None, None)
        elif action == "batch.update" and d.get("batch_id") in expected_batches:
            expected_batches[d["batch_id"]] = (d["name"], d.get("reviewer"), expected_batches[d["batch_id"]][2])
        elif action == "batch.review":
            status = (entry["actor"], d.get("at")) if d.get("reviewed") else (None, None)
            for item_id in d.get("item_ids", []):
                expected_status[(d["batch_id"], item_id)] = status
        elif action == "batch.delete":
            removed = expected_batches.pop(d["batch_id"], None)
            for item_id in removed[2] if removed else ():
                expected_status.pop((d["batch_id"], item_id), None)
    actual_batches: dict[int, tuple] = {}
    for batch_id, name, reviewer in conn.execute("SELECT id, name, reviewer FROM review_batches"):
        ids = tuple(
            r[0]
            for r in conn.execute(
                "SELECT item_id FROM review_batch_items WHERE batch_id = ? ORDER BY position", (batch_id,)
            )
        )
        actual_batches[batch_id] = (name, reviewer, ids)
    compare_replayed("review_batches", expected_batches, actual_batches, result)
    actual_status = {
        (r[0], r[1]): (r[2], r[3])
        for r in conn.execute("SELECT batch_id, item_id, reviewed_by, reviewed_utc FROM review_batch_items")
    }
    for key in sorted(actual_status.keys() - expected_status.keys()):
        result.problems.append(
            Discrepancy("review_batch_items", f"batch {key[0]} item {key[1]}", "not recorded in the audit log")
        )
    for key in sorted(expected_status.keys() & actual_status.keys()):
        if expected_status[key] != actual_status[key]:
            result.problems.append(
                Discrepancy(
                    "review_batch_items",
                    f"batch {key[0]} item {key[1]}",
                    "its reviewed status (who or when) changed outside the application",
                )
            )
    result.checked["review_batch_items"] = len(actual_status)


def check_production_items(conn, result: VerifyResult) -> None:
    derived: dict[tuple[int, int], tuple[int, int]] = {}
    for production_id, position, ids, bates_first in conn.execute(
        "SELECT production_id, position, item_ids, bates_first FROM production_exhibits"
        " ORDER BY production_id, position"
    ):
        for item_id in json.loads(ids):
            derived.setdefault((item_id, production_id), (position, bates_first))
    actual = {
        (r[0], r[1]): (r[2], r[3])
        for r in conn.execute("SELECT item_id, production_id, position, bates_first FROM production_items")
    }
    for key in sorted(derived.keys() ^ actual.keys()) + sorted(
        k for k in derived.keys() & actual.keys() if derived[k] != actual[k]
    ):
        result.problems.append(
            Discrepancy(
                "production_items",
                f"item {key[0]} production {key[1]}",
                "does not match the production's exhibits (where the item was produced)",
            )
        )
    result.checked["production_items"] = len(actual)


def check_usage(conn, entries, result: VerifyResult) -> None:
    covered = 0
    for entry in entries:
        if entry["action"] != "usage.index":
            continue
        d = entry["details"]
        rows = stored_rows(conn, d["after_id"], d["through_id"])
        covered += len(rows)
        if rows_digest(rows) != d["digest"]:
            result.problems.append(
                Discrepancy(
                    "item_usage",
                    f"items {d['after_id'] + 1}-{d['through_id']}",
                    "the status or token counts kept for sorting differ from those recorded",
                )
            )
    stored = conn.execute("SELECT count(*) FROM item_usage").fetchone()[0]
    if stored != covered:
        result.problems.append(
            Discrepancy("item_usage", None, f"{stored - covered:+,} rows not written by the application")
        )
    result.checked["item_usage"] = stored

"""The review a paralegal would have done on the demo case: tags, notes and exhibits.

Items are found by what they are (an email's Message-ID, a log row's account and key,
an output's text), never by item id, so the tagging holds whatever order the
importers insert in. Kinds that were not imported are simply not tagged.
"""

import json

from app.demo import correspondence, story
from app.demo.inputs import LETTER_NAME, SCREENSHOT_NAME, TERMS_NAME
from app.demo.logs import SUSPICIOUS
from app.store import annotations
from app.store.case_file import CaseFile
from app.store.sql_lists import marks

EMAIL_TAGS = {  # message key -> categories
    "nw-alert": ("HOT", "TOS-AUTOMATED-EXTRACTION", "VOLUME-PATTERN"),
    "nw-alert-re": ("HOT", "TOS-RATE-LIMIT-CIRCUMVENTION"),
    "nw-priv-1": ("PRIV-AC",),
    "nw-priv-2": ("PRIV-AC", "HOT"),  # hot but privileged: withheld, listed in the privilege log
    "nw-priv-3": ("PRIV-AC",),
    "nw-screenshot": ("HOT", "ATTRIBUTION"),
    "nw-cease": ("HOT", "NOTICE"),
    "nw-cease-reply": ("NOTICE",),
    "exd-project": ("HOT", "TOS-COMPETE-TRAIN", "TOS-FRAUDULENT-ACCOUNT"),
    "exd-project-re": ("HOT", "TOS-RATE-LIMIT-CIRCUMVENTION", "TOS-KEY-SHARING-RESALE"),
    "exd-progress": ("VOLUME-PATTERN",),
    "exd-mix": ("HOT", "TOS-COMPETE-TRAIN"),
}
HOT_ACCOUNT = "acct-0007"
HOT_FIRST_DAYS = "2026-03-10"  # acct-0007's first keys (before this date) are hot evidence


def apply_review(case: CaseFile) -> dict[str, int]:
    """Tag, annotate and group the demo evidence; returns {category: items tagged}."""
    tagged: dict[str, int] = {}

    def tag(ids, code, note=None):
        ids = sorted(set(ids))
        if ids:
            version = story.TOS_VERSION if code.startswith("TOS-") else None
            annotations.tag_items(case, ids, code, note, version)
            tagged[code] = tagged.get(code, 0) + len(ids)

    for code, ids in _email_tags(case).items():
        tag(ids, code)
    first_of_key = _first_row_of_each_key(case)
    tag(first_of_key, "TOS-RATE-LIMIT-CIRCUMVENTION", "first request on a new API key")
    hot_rows = _hot_rows(case, first_of_key)
    tag(hot_rows, "HOT", "key rotation by acct-0007 in its first days")
    tag(
        _ids(
            case,
            "SELECT id FROM items WHERE kind = 'log_entry' AND account = ? AND ts_original LIKE '2026-03-18%'",
            (HOT_ACCOUNT,),
        ),
        "TOS-AUTOMATED-EXTRACTION",
    )
    leaks = _ids(case, "SELECT id FROM item_details WHERE kind = 'output' AND text LIKE '%trained by Northwind AI%'")
    tag(leaks[:4], "HOT", "Orca names Northwind AI as its maker")
    tag(leaks, "ATTRIBUTION")
    tag(
        _ids(case, "SELECT id FROM item_details WHERE kind = 'output' AND text LIKE '%Sage structured walkthrough%'"),
        "TOS-COMPETE-TRAIN",
    )
    terms, letter, shot = (_item_of_source(case, name) for name in (TERMS_NAME, LETTER_NAME, SCREENSHOT_NAME))
    tag(terms, "ASSENT-TO-TERMS")
    tag(letter, "NOTICE")
    tag(letter + shot, "HOT")
    tag(shot, "ATTRIBUTION")
    _notes_and_exhibits(case, shot, leaks, hot_rows)
    return tagged


def _ids(case: CaseFile, sql: str, params=()) -> list[int]:
    return [row[0] for row in case.conn.execute(sql + " ORDER BY 1", params)]


def _email_tags(case: CaseFile) -> dict[str, list[int]]:
    by_message_id = {}
    for item_id, fields in case.conn.execute("SELECT id, fields FROM item_details WHERE kind = 'email'"):
        message_id = (json.loads(fields or "{}").get("message_id") or "").strip("<> ")
        by_message_id[message_id] = item_id
    result: dict[str, list[int]] = {}
    for key, codes in EMAIL_TAGS.items():
        for domain in (story.LAB_DOMAIN, story.COMPETITOR_DOMAIN):
            item_id = by_message_id.get(correspondence.message_id(key, domain).strip("<>"))
            if item_id is not None:
                for code in codes:
                    result.setdefault(code, []).append(item_id)
    return result


def _first_row_of_each_key(case: CaseFile) -> list[int]:
    return _ids(
        case,
        f"SELECT MIN(id) FROM items WHERE kind = 'log_entry' AND account IN ({marks(SUSPICIOUS)})"
        " GROUP BY account, api_key",
        tuple(SUSPICIOUS),
    )


def _hot_rows(case: CaseFile, first_of_key: list[int]) -> list[int]:
    if not first_of_key:
        return []
    return _ids(
        case,
        f"SELECT id FROM items WHERE id IN ({marks(first_of_key)}) AND account = ? AND ts_original < ?",
        (*first_of_key, HOT_ACCOUNT, HOT_FIRST_DAYS),
    )


def _item_of_source(case: CaseFile, file_name: str) -> list[int]:
    return _ids(
        case,
        "SELECT i.id FROM items i JOIN sources s ON s.id = i.source_id"
        " WHERE s.original_name = ? AND i.parent_id IS NULL",
        (file_name,),
    )[:1]


def _notes_and_exhibits(case: CaseFile, shot: list[int], leaks: list[int], hot_rows: list[int]) -> None:
    if shot:
        annotations.add_note(
            case,
            shot[0],
            "Captured by T. Reyes from Orca's public chat on 21 April 2026; "
            "the same answer was reproduced in orca-outputs.jsonl.",
        )
    if shot or leaks:
        annotations.create_exhibit(
            case,
            "Orca identifies itself as Northwind's Sage",
            shot + leaks[:2],
            "The screenshot and the first collected outputs in which Orca names "
            "Northwind AI as the company that trained it.",
        )
    if hot_rows:
        annotations.create_exhibit(
            case,
            "Key rotation by acct-0007 (Quillon Research)",
            hot_rows,
            "The first request made with each new API key in the account's first days.",
        )

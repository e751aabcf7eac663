"""One chat message -> one `conversation` item: what Slack and the generic chat importer share.

A message item names its channel, its sender (resolved to a name where the export says
who an id is), its time, and its thread: `thread_id` joins a thread's root and its
replies, so the evidence table's thread view shows them in order. The original record is
kept in the item's fields; nothing is lost. The same message read twice (the export
imported as a zip and again as a folder) is one item: its dedup key is channel and
message id.
"""

import hashlib

import orjson

from app.core.records import ItemRecord
from app.core.timestamps import Timestamp

TITLE_CHARS = 90


def message_item(
    *,
    channel: str,
    sender: str,
    text: str,
    stamp: Timestamp | None,
    locator: dict,
    message_id: str,
    thread: str | None,
    original: dict,
    extra: dict | None = None,
    warnings: list[str] | None = None,
    children: list[ItemRecord] | None = None,
    source_kind: str = "chat",
) -> ItemRecord:
    """A `conversation` item; `thread` is the id of the thread's root (None: no thread)."""
    one_line = " ".join(text.split())
    title = f"{channel}: {sender}: {one_line}" if one_line else f"{channel}: {sender}"
    fields = {
        "channel": channel,
        "sender": sender,
        "message_id": message_id,
        "thread": thread,
        "is_reply": bool(thread) and thread != message_id,
        **(extra or {}),
        "original": original,
    }
    # serialised here, not by the item writer: a record nested past what JSON can store fails
    # here, where the importer quarantines it, not on the writer's thread
    fields_json = orjson.dumps(fields, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
    key = hashlib.sha256(f"{source_kind}\x00{channel}\x00{message_id}".encode()).hexdigest()[:32]
    return ItemRecord(
        kind="conversation",
        locator=locator,
        title=title[:TITLE_CHARS],
        text=f"{sender}: {text}" if text else sender,
        fields=fields,
        timestamp=stamp,
        account=sender or None,
        thread_id=f"{source_kind}:{channel}:{thread}" if thread else None,
        dedup_key=f"{source_kind}:{key}",
        warnings=warnings or [],
        children=children or [],
        fields_json=fields_json,
    )

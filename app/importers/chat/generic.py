"""Chat messages from other tools (Teams, Discord, WhatsApp converters...): a JSON array or
JSON lines of message records, read through a field mapping like the logs' one.

The mapping names the time (`timestamp`), the sender (`account`), the channel or room
(`conversation_id`), the text (`message`) and the thread or message replied to (`thread`);
it is suggested from the first record's field names (chat names first: sender, author,
room, body...) or given with `--mapping` (the preset `chat-messages` is the common shape).
Each record is one `conversation` item; a record without text is quarantined with why.
"""

import json

import orjson

from app.core.mapping import TARGET_SYNONYMS, apply_mapping, flatten_paths, normalise_name
from app.core.records import Quarantined, Skipped
from app.core.timestamps import TimestampError
from app.importers.base import ImportContext
from app.importers.chat.messages import message_item
from app.importers.outputs.records import LOG_LIKE_NAMES, NESTED_TOO_DEEP

CHAT_SYNONYMS = {
    "timestamp": TARGET_SYNONYMS["timestamp"] + ("sentat", "senttime", "datesent", "postedat"),
    "account": ("sender", "author", "from", "speaker", "sendername", "authorname", "fromname", "username", "user"),
    "conversation_id": ("channel", "room", "chat", "conversation", "group", "channelname", "roomname", "chatname"),
    "message": ("text", "message", "content", "body", "msg", "messagetext"),
    "thread": ("thread", "threadid", "threadts", "replyto", "inreplyto", "parentid", "parent"),
}
NOT_CHAT = LOG_LIKE_NAMES | {"level", "severity", "loglevel", "prompt", "response", "completion"}
SNIFF_LINES = 20
SURE = 86  # above a JSON-lines log (80): records with a sender, a room and a text are messages


def suggest_chat_mapping(record: dict) -> dict[str, str]:
    paths = flatten_paths(record)
    names = {normalise_name(p.split(".")[-1]): p for p in reversed(paths)}
    mapping = {}
    for target, synonyms in CHAT_SYNONYMS.items():
        found = next((names[normalise_name(s)] for s in synonyms if normalise_name(s) in names), None)
        if found and found not in mapping.values():
            mapping[target] = found
    return mapping


def looks_like_chat(record) -> bool:
    if not isinstance(record, dict):
        return False
    try:
        return _looks_like_chat(record)
    except RecursionError:  # nested too deeply to be a message
        return False


def _looks_like_chat(record: dict) -> bool:
    mapping = suggest_chat_mapping(record)
    names = {normalise_name(p.split(".")[-1]) for p in flatten_paths(record)}
    return {"account", "message", "conversation_id"} <= set(mapping) and not names & NOT_CHAT


class ChatJsonImporter:
    name = "chat_json"
    family = "chat"

    def sniff(self, head: bytes, filename: str) -> int:
        records = _head_records(head)
        if records and all(looks_like_chat(r) for r in records):
            return SURE
        return 0

    def read(self, stream, ctx: ImportContext):
        mapping = ctx.settings.mapping
        data = stream.read(ctx.settings.max_text_bytes + 1)
        text = data.decode("utf-8-sig", "replace")
        stripped = text.lstrip()
        if stripped.startswith("["):
            try:
                values = json.loads(stripped)
            except (ValueError, RecursionError) as exc:
                yield Quarantined({"whole_file": True}, data[:4096], f"the JSON array cannot be read ({exc})")
                return
            rows = [({"record": n}, value, None) for n, value in enumerate(values, start=1)]
        else:
            rows = []
            for number, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    rows.append(({"line": number}, None, "blank"))
                    continue
                try:
                    rows.append(({"line": number}, orjson.loads(line), None))
                except orjson.JSONDecodeError as exc:
                    rows.append(({"line": number}, line, f"not valid JSON: {exc}"))
        for locator, value, problem in rows:
            if problem == "blank":
                yield Skipped(locator, "blank")
                continue
            if problem or not isinstance(value, dict):
                yield Quarantined(locator, str(value)[:4096], problem or "a JSON value that is not a message record")
                continue
            if mapping is None:
                mapping = suggest_chat_mapping(value)
                ctx.provenance.update(mapping=mapping, mapping_suggested=True)
            try:
                yield self._item(value, locator, mapping, ctx)
            except (RecursionError, orjson.JSONEncodeError):
                yield Quarantined(locator, str(locator), NESTED_TOO_DEEP)

    def _item(self, record: dict, locator: dict, mapping: dict, ctx: ImportContext):
        mapped = apply_mapping(record, mapping)
        said = mapped.get("message")
        if not isinstance(said, str) or not said.strip():
            return Quarantined(locator, json.dumps(record)[:4096], "no message text found in the record")
        stamp, warnings = None, []
        if "timestamp" in mapped:
            try:
                stamp = ctx.timestamps.parse(mapped["timestamp"])
            except TimestampError as exc:
                warnings.append(f"The time cannot be read ({exc}); the message is listed as undated.")
        message_id = str(record.get("id") or record.get("message_id") or json.dumps(locator, sort_keys=True))
        thread = mapped.get("thread")
        return message_item(
            channel=str(mapped.get("conversation_id") or "(no channel)"),
            sender=str(mapped.get("account") or "(unknown)"),
            text=said,
            stamp=stamp,
            locator=locator,
            message_id=message_id,
            thread=str(thread) if thread not in (None, "") else None,
            original=record,
            warnings=warnings,
        )


def _head_records(head: bytes) -> list:
    text = head.decode("utf-8-sig", "ignore").lstrip()
    if text.startswith("["):
        decoder, records, pos = json.JSONDecoder(), [], 1
        while len(records) < 5:
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            try:
                value, pos = decoder.raw_decode(text, pos)
            except (ValueError, RecursionError):  # RecursionError: nested too deeply to be a message
                break
            records.append(value)
        return records
    lines = [line for line in text.splitlines()[:SNIFF_LINES] if line.strip()]
    records = []
    for line in lines[:-1] or lines:
        try:
            records.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            return []
    return records

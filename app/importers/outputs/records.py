"""Model-output records -> `output` items: prompt/response pairs, chat records, chat trees.

Shared by the JSON-lines and JSON-array importers. A record is one of three shapes:
- a *pair*: prompt and response fields, found through THE field mapping
  (app.core.mapping), suggested from the first record's field names;
- a *chat*: a list of messages with a role and a content (OpenAI `messages`,
  ShareGPT `conversations` with from/value, Claude `chat_messages` with sender/text);
- a *tree*: a chat export whose messages branch (see outputs_tree).
The item keeps the original record in fields["original"]: nothing is lost.
"""

import hashlib

import orjson

from app.core.mapping import apply_mapping, flatten_paths, normalise_name, preset_for_record, suggest_mapping
from app.core.records import ItemRecord, Quarantined
from app.core.timestamps import TimestampError
from app.importers.base import ImportContext
from app.importers.outputs.tree import conversation_tree, flatten_tree

MESSAGE_LIST_KEYS = ("messages", "conversations", "conversation", "turns", "chat_messages", "dialog", "dialogue")
ROLE_KEYS = ("role", "from", "sender", "speaker")
CONTENT_KEYS = ("content", "value", "text", "parts")
ROLES = {
    "user": "user",
    "human": "user",
    "you": "user",
    "prompter": "user",
    "prompt": "user",
    "question": "user",
    "assistant": "assistant",
    "gpt": "assistant",
    "bot": "assistant",
    "ai": "assistant",
    "model": "assistant",
    "chatgpt": "assistant",
    "claude": "assistant",
    "chatbot": "assistant",
    "response": "assistant",
    "answer": "assistant",
    "system": "system",
    "developer": "system",
    "tool": "tool",
    "function": "tool",
}
# Field names that mark an API *log* line, not a dataset of outputs: a record carrying
# any of them is left to the log importers unless the user says `--as outputs`.
LOG_LIKE_NAMES = frozenset(
    {
        "status",
        "statuscode",
        "httpstatus",
        "ip",
        "ipaddress",
        "clientip",
        "sourceip",
        "sourceipaddress",
        "remoteaddr",
        "remoteip",
        "apikey",
        "apikeyid",
        "keyid",
        "accesskeyid",
        "useragent",
        "httpuseragent",
        "latency",
        "latencyms",
        "durationms",
        "method",
        "httpmethod",
        "requestpath",
        "endpoint",
        "requestid",
        "account",
        "accountid",
        "orgid",
        "organization",
        "organizationid",
        "customerid",
        "tenant",
        "tenantid",
        "principal",
        "arn",
    }
)
TITLE_CHARS = 100
NESTED_TOO_DEEP = (
    "its values are nested too deeply to be stored (more than 250 levels of brackets: no "
    "exporter writes that; the record is malformed or hostile)"
)
_STORED_JSON = orjson.OPT_NON_STR_KEYS  # as the item writer stores fields


def normalise_role(value) -> str:
    """'human' -> 'user', 'gpt' -> 'assistant'; an unknown role is kept, lower-cased."""
    text = str(value or "").strip().lower()
    return ROLES.get(text, text or "unknown")


def content_text(value) -> str:
    """The text of a message content: a string, a list of parts, ChatGPT's {parts: [...]}."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(t for t in (content_text(part) for part in value) if t)
    if isinstance(value, dict):
        for key in ("text", "parts", "content", "value"):
            if key in value:
                return content_text(value[key])
        return f"[{value.get('type') or value.get('content_type') or 'non-text content'}]"
    return str(value)


def message_role(message: dict) -> str | None:
    for key in ROLE_KEYS:
        if isinstance(message.get(key), str):
            return message[key]
    author = message.get("author")
    return author.get("role") if isinstance(author, dict) else None


def is_message(value) -> bool:
    return isinstance(value, dict) and message_role(value) is not None and any(k in value for k in CONTENT_KEYS)


def turn_of(message: dict) -> dict:
    """{role, content} of one message, plus its id, name and time when it has them."""
    content = next((message[k] for k in CONTENT_KEYS if k in message), None)
    turn = {"role": normalise_role(message_role(message)), "content": content_text(content)}
    for key, names in (
        ("id", ("id", "uuid")),
        ("name", ("name",)),
        ("created", ("create_time", "created_at", "timestamp")),
    ):
        value = next((message[n] for n in names if message.get(n) is not None), None)
        if isinstance(value, (str, int, float)):
            turn[key] = value
    return turn


def message_list(record: dict, mapping: dict) -> tuple[str, list] | None:
    """(key, messages) when the record holds a chat: a known key, else a mapped prompt list."""
    keys = [k for k in MESSAGE_LIST_KEYS if k in record] + [mapping.get("prompt")]
    for key in keys:
        value = record.get(key) if key else None
        if isinstance(value, list) and value and all(is_message(m) for m in value[:20]):
            return key, value
    return None


def shallow(record: dict) -> dict:
    """The record without its message list or tree: what field names are suggested from."""
    return {k: v for k, v in record.items() if k not in MESSAGE_LIST_KEYS and k != "mapping"}


def suggest_outputs_mapping(record: dict) -> dict:
    """The shipped preset whose shape the record has, else a suggestion from its field names."""
    preset = preset_for_record(record)
    return preset[1] if preset else suggest_mapping(flatten_paths(shallow(record)))


def output_evidence(record) -> tuple[bool, bool]:
    """(has output fields, has log fields): a chat, a tree, or a prompt or response; and
    any field of an API log line."""
    if not isinstance(record, dict):
        return False, False
    try:
        paths = flatten_paths(shallow(record))
    except RecursionError:  # nested too deeply to be an output (it is quarantined on import)
        return False, False
    log_like = any(normalise_name(p.split(".")[-1]) in LOG_LIKE_NAMES for p in paths)
    if conversation_tree(record) is not None or message_list(record, {}) is not None:
        return True, log_like
    suggestion = suggest_mapping(paths)
    return "prompt" in suggestion or "response" in suggestion, log_like


def looks_like_outputs(record) -> bool:
    """True for a chat, a tree or a prompt/response pair WITHOUT the fields of an API log; for
    the shape of a shipped output preset (an evaluation harness's answers, a batch API's
    results); and for a prompt/response pair with no time field, whatever else it holds: as a
    log every row of it would be quarantined for want of a time."""
    if preset_for_record(record) is not None:
        return True
    outputs, log_like = output_evidence(record)
    if not outputs:
        return False
    if log_like:
        suggestion = suggest_outputs_mapping(record)
        return {"prompt", "response"} <= set(suggestion) and "timestamp" not in suggestion
    if conversation_tree(record) is not None or message_list(record, {}) is not None:
        return True
    suggestion = suggest_outputs_mapping(record)
    return "prompt" in suggestion and "response" in suggestion


def mapping_scope(mapping: dict) -> str:
    """Dedup scope: the same record read with the same mapping is the same output."""
    return "outputs:" + orjson.dumps(mapping, option=orjson.OPT_SORT_KEYS).decode()


class OutputRecordReader:
    """Turns records of one file into items, with one mapping (suggested once)."""

    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.mapping = ctx.settings.mapping
        self.scope = None

    def item(self, record, locator: dict, raw) -> ItemRecord | Quarantined:
        """One record -> an `output` item, or Quarantined with the reason.

        A record nested deeper than its fields can be stored as JSON (orjson stops at 255
        levels; the mapping's walk recurses per level) is quarantined, and the file goes on.
        """
        try:
            return self._item(record, locator, raw)
        except (RecursionError, orjson.JSONEncodeError):
            return Quarantined(locator, raw, f"the record cannot be read: {NESTED_TOO_DEEP}")

    def _item(self, record, locator: dict, raw) -> ItemRecord | Quarantined:
        if not isinstance(record, dict):
            return Quarantined(locator, raw, "a JSON value that is not an object")
        if self.mapping is None:
            preset = preset_for_record(record)
            self.mapping = preset[1] if preset else suggest_outputs_mapping(record)
            self.ctx.provenance["mapping"] = self.mapping
            self.ctx.provenance["mapping_suggested"] = True
            if preset:
                self.ctx.provenance["mapping_name"] = preset[0]
        self.scope = self.scope or mapping_scope(self.mapping)
        mapped = apply_mapping(record, self.mapping)
        turns, extra = self._turns(record, mapped)
        if not any(t["content"] for t in turns):
            return Quarantined(locator, raw, "no prompt, response or messages found in the record")
        stamp, warnings = None, []
        if "timestamp" in mapped:
            try:
                stamp = self.ctx.timestamps.parse(mapped["timestamp"])
            except TimestampError as exc:
                if not self.ctx.settings.undated_ok:
                    return Quarantined(locator, raw, f"timestamp cannot be read: {exc}")
                warnings.append(f"The timestamp cannot be read ({exc}); imported as undated.")
        return self._record(record, locator, mapped, turns, extra, stamp, warnings)

    def _turns(self, record: dict, mapped: dict) -> tuple[list[dict], dict]:
        tree = conversation_tree(record)
        if tree is not None:
            turns, branches, model = flatten_tree(tree, record, turn_of)
            return turns, {"shape": "tree", "branches": branches, "tree_model": model}
        found = message_list(record, self.mapping)
        if found is not None:
            turns = [turn_of(m) for m in found[1] if isinstance(m, dict)]
            response = _scalar_text(mapped.get("response"))
            if (
                response
                and self.mapping.get("response") != found[0]
                and (not turns or turns[-1]["role"] != "assistant")
            ):
                turns.append({"role": "assistant", "content": response})
            return turns, {"shape": "chat"}
        if "role" in mapped:  # the record is one turn of a conversation: who said it, and what
            said = _scalar_text(mapped.get("response")) or _scalar_text(mapped.get("prompt")) or ""
            turn = {"role": normalise_role(_scalar(mapped["role"])), "content": said}
            if _scalar(mapped.get("turn")) is not None:
                turn["turn"] = _scalar(mapped["turn"])
            return [turn], {"shape": "turn"}
        response = mapped.get("response")
        if isinstance(response, list) and response and all(isinstance(r, str) for r in response):
            # an answer per turn of the question (an evaluation harness's choices[].turns[])
            answers = [{"role": "assistant", "content": r, "turn": n} for n, r in enumerate(response, start=1)]
            prompt = _scalar_text(mapped.get("prompt"))
            return ([{"role": "user", "content": prompt}] if prompt else []) + answers, {"shape": "answers"}
        turns = [
            {"role": "user", "content": _scalar_text(mapped.get("prompt")) or ""},
            {"role": "assistant", "content": _scalar_text(response) or ""},
        ]
        return [t for t in turns if t["content"]], {"shape": "pair"}

    def _record(self, record, locator, mapped, turns, extra, stamp, warnings) -> ItemRecord:
        system = _scalar_text(mapped.get("system"))
        if system and not any(t["role"] == "system" for t in turns):
            turns.insert(0, {"role": "system", "content": system})
        system = system or next((t["content"] for t in turns if t["role"] == "system"), None)
        prompt, response = prompt_and_response(turns)
        tree_model = extra.pop("tree_model", None)
        model = _scalar(mapped.get("model")) or tree_model
        conversation = _scalar(mapped.get("conversation_id"))
        if conversation is None and extra["shape"] not in ("pair", "turn", "answers"):
            conversation = _scalar(record.get("conversation_id") or record.get("id") or record.get("uuid"))
        texts = [t["content"] for t in turns] + [t["content"] for b in extra.get("branches", []) for t in b["turns"]]
        fields = {
            "prompt": prompt,
            "response": response,
            "model": model,
            "system": system,
            "turns": turns,
            "conversation_id": conversation,
            **extra,
            "original": record,
        }
        canonical = orjson.dumps(record, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
        # serialised here, not by the item writer: the fields are one level deeper than the record,
        # so a record at orjson's limit fails here (and is quarantined), not in the writer
        fields_json = orjson.dumps(fields, option=_STORED_JSON).decode("utf-8")
        return ItemRecord(
            kind="output",
            locator=locator,
            title=_title(record, turns, locator),
            text="\n\n".join(t for t in texts if t),
            fields=fields,
            timestamp=stamp,
            account=_scalar(mapped.get("account")),
            model=model,
            thread_id=conversation,
            warnings=warnings,
            fields_json=fields_json,
            dedup_key=hashlib.sha256(self.scope.encode() + b"\x00" + canonical).hexdigest()[:32],
        )


def prompt_and_response(turns: list[dict]) -> tuple[str | None, str | None]:
    """The last assistant turn and the user turn that asked for it (the final exchange)."""
    last_assistant = next((i for i in range(len(turns) - 1, -1, -1) if turns[i]["role"] == "assistant"), None)
    end = len(turns) if last_assistant is None else last_assistant
    prompt = next((turns[i]["content"] for i in range(end - 1, -1, -1) if turns[i]["role"] == "user"), None)
    return prompt, turns[last_assistant]["content"] if last_assistant is not None else None


def _title(record: dict, turns: list[dict], locator: dict) -> str:
    """The conversation's own title, else its first question, else where it was found."""
    for key in ("title", "name"):
        if isinstance(record.get(key), str) and record[key].strip():
            return record[key].strip()[:TITLE_CHARS]
    first = next((t["content"] for t in turns if t["role"] == "user" and t["content"]), None)
    if first:
        return " ".join(first.split())[:TITLE_CHARS]
    where = locator.get("line") or locator.get("record")
    return f"record {where}" if where else "model output"


def _scalar(value) -> str | None:
    if value is None or value == "" or isinstance(value, (dict, list)):
        return None
    return value if isinstance(value, str) else str(value)


def _scalar_text(value) -> str | None:
    """A mapped prompt/response/system as text (a list of parts or messages joined)."""
    text = content_text(value) if value is not None else ""
    return text or None

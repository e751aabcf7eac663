"""Field mappings: which input field is the timestamp, the account, the prompt, ...

One mechanism for every tabular or record-shaped input (logs, model outputs). A
mapping is a plain dict {target: source field path}; paths are dotted for nested
objects (`identity.arn`, `messages.0.content`). Suggestions come from field names,
compared case- and punctuation-insensitively against known synonyms.
"""

import functools
import json
import re
from pathlib import Path

import orjson

from app.core.paths import resources_dir

# Targets in display order, each with the names it is commonly found under.
TARGET_SYNONYMS: dict[str, tuple[str, ...]] = {
    "timestamp": (
        "timestamp",
        "time",
        "ts",
        "datetime",
        "date",
        "eventtime",
        "requesttime",
        "createdat",
        "created",
        "logtime",
        "@timestamp",
        "starttime",
        "time_local",
        "createtime",
    ),
    "account": (
        "account",
        "accountid",
        "organization",
        "organisation",
        "org",
        "orgid",
        "organizationid",
        "user",
        "userid",
        "username",
        "customer",
        "customerid",
        "tenant",
        "principal",
        "arn",
        "useridentityarn",
        "identityarn",
        "remote_user",
    ),
    "api_key": (
        "apikey",
        "apikeyid",
        "keyid",
        "key",
        "accesskeyid",
        "token",
        "tokenid",
        "useridentityaccesskeyid",
        "credential",
    ),
    "ip": (
        "ip",
        "ipaddress",
        "clientip",
        "sourceip",
        "sourceipaddress",
        "remoteaddr",
        "remote_addr",
        "remoteip",
        "host",
        "client",
    ),
    "user_agent": ("useragent", "ua", "httpuseragent", "agent", "http_user_agent"),
    "model": ("model", "modelid", "modelname", "engine", "deployment"),
    "request_id": ("requestid", "reqid", "id", "eventid", "traceid", "correlationid"),
    "status": ("status", "statuscode", "httpstatus", "responsecode", "code", "errorcode"),
    "input_tokens": (
        "inputtokens",
        "prompttokens",
        "inputtokencount",
        "tokensin",
        "usageprompttokens",
        "usageinputtokens",
    ),
    "output_tokens": (
        "outputtokens",
        "completiontokens",
        "outputtokencount",
        "tokensout",
        "usagecompletiontokens",
        "usageoutputtokens",
    ),
    "prompt": (
        "prompt",
        "input",
        "request",
        "query",
        "question",
        "instruction",
        "inputtext",
        "inputbodyjson",
        "requestbody",
        "usermessage",
    ),
    "response": (
        "response",
        "output",
        "completion",
        "answer",
        "reply",
        "outputtext",
        "outputbodyjson",
        "responsebody",
        "generation",
        "text",
    ),
    "conversation_id": ("conversationid", "conversation", "threadid", "sessionid", "chatid"),
    # The system prompt of a model-output record (chat exports, evaluation sets).
    "system": ("system", "systemprompt", "systemmessage"),
    # A record that is one turn of a conversation: its place in it and who spoke.
    "turn": ("turn", "turnindex", "turnnumber", "turnid", "messageindex"),
    "role": ("role", "speaker", "author", "authorrole"),
    # A chat message's text and the thread it belongs to (app/importers/chat/generic.py).
    "message": ("message", "body", "msg", "messagetext"),
    "thread": ("threadts", "replyto", "inreplyto", "parentid"),
}
TARGETS = tuple(TARGET_SYNONYMS)


def normalise_name(name: str) -> str:
    """'Client-IP' -> 'clientip': case and punctuation ignored."""
    return re.sub(r"[^a-z0-9@]", "", name.lower())


def flatten_paths(record, prefix: str = "", depth: int = 0) -> list[str]:
    """Dotted paths of the scalar and list leaves of a nested dict (first record's shape)."""
    paths: list[str] = []
    if isinstance(record, dict) and depth < 6:
        for key, value in record.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict) and value:
                paths.extend(flatten_paths(value, path, depth + 1))
            else:
                paths.append(path)
    return paths


def suggest_mapping(field_paths) -> dict[str, str]:
    """Best guess {target: path}: exact name first, then the path's last segment."""
    suggestion: dict[str, str] = {}
    used: set[str] = set()
    candidates = [(path, normalise_name(path), normalise_name(path.split(".")[-1])) for path in field_paths]
    for target, synonyms in TARGET_SYNONYMS.items():
        for synonym in synonyms:
            wanted = normalise_name(synonym)
            match = next((p for p, full, _ in candidates if full == wanted and p not in used), None)
            match = match or next((p for p, _, last in candidates if last == wanted and p not in used), None)
            if match:
                suggestion[target] = match
                used.add(match)
                break
    return suggestion


def get_path(record, path: str):
    """The value at a dotted path (dict keys, list indexes), or None when absent."""
    if not path:
        return None
    if isinstance(record, dict) and path in record:
        return record[path]
    value = record
    for part in path.split("."):
        if isinstance(value, dict):
            if part not in value:
                return None
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def apply_mapping(record, mapping: dict[str, str]) -> dict:
    """{target: value} for each mapped target present in the record."""
    mapped = {}
    for target, path in mapping.items():
        value = get_path(record, path)
        if value is not None:
            mapped[target] = value
    return mapped


def column_value(value) -> str | None:
    """A mapped field's value as a row's listed column (account, API key, IP, model).

    Text as it is, anything else as JSON; none for a missing, empty or "-" value (a log's
    way of saying "none"). `verify` derives the columns again with it.
    """
    if value is None or value == "" or value == "-":
        return None
    return value if isinstance(value, str) else orjson.dumps(value).decode()


def mappings_dir() -> Path:
    return resources_dir() / "mappings"


def preset_names() -> list[str]:
    """The mapping presets shipped under resources/mappings/."""
    return sorted(p.stem for p in mappings_dir().glob("*.json"))


def load_preset(name: str) -> tuple[str, dict] | None:
    """A shipped preset by name, or None when there is no such preset."""
    candidate = mappings_dir() / f"{name}.json"
    if "/" in name or "\\" in name or not candidate.is_file():
        return None
    return _read_mapping_file(candidate)


@functools.cache
def _output_presets() -> tuple[tuple[str, tuple[str, ...], dict], ...]:
    """(name, paths that identify the shape, mapping) of each shipped preset with a `detect` list."""
    found = []
    for path in sorted(mappings_dir().glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            name, mapping = parse_mapping(data, path.stem, str(path))
        except (OSError, ValueError):
            continue
        if isinstance(data.get("detect"), list) and data["detect"]:
            found.append((name, tuple(data["detect"]), mapping))
    return tuple(found)


def preset_for_record(record) -> tuple[str, dict] | None:
    """(name, mapping) of the shipped preset whose identifying fields the record has: an
    evaluation harness's answers, a batch API's results, a chat export's tree..."""
    if not isinstance(record, dict):
        return None
    for name, paths, mapping in _output_presets():
        if all(get_path(record, path) is not None for path in paths):
            return name, dict(mapping)
    return None


def load_mapping(name_or_file: str) -> tuple[str, dict]:
    """A mapping by preset name (resources/mappings/NAME.json) or from a JSON file.

    Returns (name, mapping). The file may be {"mapping": {...}, ...} or the bare dict.
    """
    candidate = Path(name_or_file)
    if not candidate.is_file():
        candidate = mappings_dir() / f"{name_or_file}.json"
    if not candidate.is_file():
        known = ", ".join(preset_names()) or "none"
        raise ValueError(f"No mapping named {name_or_file!r} (presets: {known}).")
    return _read_mapping_file(candidate)


def _read_mapping_file(candidate: Path) -> tuple[str, dict]:
    try:
        data = json.loads(candidate.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"The mapping file {candidate} is not valid JSON: {exc}") from exc
    return parse_mapping(data, candidate.stem, str(candidate))


def parse_mapping(data, default_name: str, origin: str) -> tuple[str, dict]:
    """Validate a mapping document ({"mapping": {...}} or the bare dict): (name, mapping)."""
    mapping = data.get("mapping", data) if isinstance(data, dict) else None
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise ValueError(f"The mapping {origin} must map target names to field names.")
    unknown = set(mapping) - set(TARGETS)
    if unknown:
        raise ValueError(f"Unknown mapping targets {sorted(unknown)}; known: {', '.join(TARGETS)}.")
    name = data.get("name") if isinstance(data.get("name"), str) else None
    return name or default_name, mapping

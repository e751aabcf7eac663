"""Slack workspace exports: a zip (or its unpacked folder) of channels/DAY.json files.

The zip is the stored original and is read from the stored copy (never unpacked to disk).
`users.json` resolves user ids to names; `channels.json` (and groups, DMs, multi-person
DMs) names the channels; each `CHANNEL/YYYY-MM-DD.json` holds a day's messages. Each
message is one `conversation` item (app/importers/chat/messages.py): its sender by name,
its channel, its thread (`thread_ts`: a thread's root and replies share a thread id), its
reactions, edits and files. A file the export carries (under `__uploads/` or beside the
day) is an `attachment` child; a file Slack only links to is named on the message.

A folder export is imported file by file: each day file by `SlackDayImporter` (users and
channel names read from the folder's own `users.json`, whose SHA-256 is recorded with
the source), and the workspace lists (`users.json`, `channels.json`...) by
`SlackListImporter` as one document each, so nothing of the export is left unread.
"""

import hashlib
import json
import mimetypes
import re
import zipfile
from datetime import datetime, timezone
from pathlib import PurePosixPath

from app.core.records import ItemRecord, Quarantined
from app.core.timestamps import TimestampError
from app.importers.base import ImportContext
from app.importers.chat.messages import message_item
from app.importers.email.message import attachment_record

LISTS = ("users.json", "channels.json", "groups.json", "dms.json", "mpims.json")
OTHER_LISTS = ("integration_logs.json", "canvases.json", "huddles.json", "org_users.json")
_DAY = re.compile(r"(?:^|/)([^/]+)/(\d{4}-\d{2}-\d{2})\.json$")
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^>]*)>")
_LINK = re.compile(r"<((?:https?|mailto):[^>|]+)\|([^>]+)>")
_BARE_LINK = re.compile(r"<((?:https?|mailto):[^>|]+)>")
MAX_DAY_BYTES = 256 * 1024 * 1024


def is_slack_export(stream) -> bool:
    """A zip holding users.json and channels.json (at its top or one folder down) and day files."""
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        stream.seek(0)
    tops = {PurePosixPath(n).name for n in names if n.count("/") <= 1}
    return {"users.json", "channels.json"} <= tops and any(_DAY.search(n) for n in names)


class Workspace:
    """Names for ids: users (real name, else display name, else handle) and channels."""

    def __init__(self):
        self.users: dict[str, str] = {}
        self.channels: dict[str, str] = {}

    def add_users(self, records) -> None:
        for user in records if isinstance(records, list) else []:
            if isinstance(user, dict) and user.get("id"):
                profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
                self.users[user["id"]] = (
                    user.get("real_name") or profile.get("real_name") or profile.get("display_name") or user.get("name")
                ) or user["id"]

    def name(self, user_id: str | None, message: dict) -> str:
        if user_id in self.users:
            return self.users[user_id]
        profile = message.get("user_profile") if isinstance(message.get("user_profile"), dict) else {}
        return profile.get("real_name") or message.get("username") or message.get("bot_id") or user_id or "(unknown)"

    def readable(self, text: str) -> str:
        """Slack's markup as a reader sees it: @names, #channels, link labels with their address."""
        text = _MENTION.sub(lambda m: "@" + self.users.get(m.group(1), m.group(1)), text)
        text = _CHANNEL.sub(lambda m: "#" + m.group(1), text)
        text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
        text = _BARE_LINK.sub(lambda m: m.group(1), text)
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def read_day(workspace: Workspace, channel: str, member: str, data: bytes, ctx: ImportContext, files=None):
    """The items (and quarantined records) of one day file."""
    try:
        messages = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        yield Quarantined({"member": member}, data[: ctx.settings.max_field_bytes], f"not a readable day file ({exc})")
        return
    if not isinstance(messages, list):
        yield Quarantined({"member": member}, data[:4096], "a day file that is not a list of messages")
        return
    for number, message in enumerate(messages, start=1):
        locator = {"member": member, "message": number}
        if not isinstance(message, dict) or "ts" not in message:
            yield Quarantined(locator, json.dumps(message)[:4096], "not a Slack message (no ts)")
            continue
        try:
            yield _message(workspace, channel, message, locator, ctx, files)
        except (RecursionError, ValueError, TypeError) as exc:  # orjson: nested too deeply; odd values
            yield Quarantined(locator, str(message)[:4096], f"the message cannot be read ({exc})")


def _message(workspace: Workspace, channel: str, message: dict, locator: dict, ctx: ImportContext, files):
    ts = str(message["ts"])
    warnings = []
    try:
        moment = datetime.fromtimestamp(float(ts), timezone.utc)
        stamp = ctx.timestamps.from_datetime(ts, moment)
    except (ValueError, OverflowError, OSError, TimestampError) as exc:
        stamp = None
        warnings.append(f"The message time {ts!r} cannot be read ({exc}); it is listed as undated.")
    thread = message.get("thread_ts") or (ts if message.get("reply_count") else None)
    children, shared = [], []
    for shared_file in message.get("files") or []:
        if not isinstance(shared_file, dict):
            continue
        shared.append({k: shared_file.get(k) for k in ("id", "name", "title", "mimetype", "size") if k in shared_file})
        found = files(shared_file) if files else None
        if found is not None:
            name, data = found
            mime = shared_file.get("mimetype") or mimetypes.guess_type(name)[0] or "application/octet-stream"
            children.append(attachment_record(shared_file.get("name") or name, mime, data, {"file": name}))
        elif shared_file.get("mode") != "tombstone":
            warnings.append(
                f"The file {shared_file.get('name') or shared_file.get('id')!r} is linked, not in the export."
            )
    extra = {
        "channel_id": message.get("channel"),
        "user_id": message.get("user"),
        "ts": ts,
        "subtype": message.get("subtype"),
        "reply_count": message.get("reply_count"),
        "reactions": [
            {
                "name": r.get("name"),
                "count": r.get("count"),
                "users": [workspace.name(u, {}) for u in r.get("users", [])],
            }
            for r in message.get("reactions") or []
            if isinstance(r, dict)
        ],
        "edited": bool(message.get("edited")),
        "files": shared,
    }
    return message_item(
        channel=f"#{channel}",
        sender=workspace.name(message.get("user"), message),
        text=workspace.readable(str(message.get("text") or "")),
        stamp=stamp,
        locator=locator,
        message_id=ts,
        thread=thread,
        original=message,
        extra=extra,
        warnings=warnings,
        children=children,
        source_kind="slack",
    )


class SlackExportImporter:
    """A Slack export zip (chosen by the pipeline when the zip holds a workspace, or `--as slack`)."""

    name = "slack"
    family = "chat"
    random_access = True

    def sniff(self, head: bytes, filename: str) -> int:
        return 0  # a zip: the pipeline looks inside it (is_slack_export) before unpacking it as an archive

    def read(self, stream, ctx: ImportContext):
        try:
            package = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            yield Quarantined({"whole_file": True}, b"", f"not a readable Slack export (zip) ({exc})")
            return
        with package:
            names = sorted(n for n in package.namelist() if not n.endswith("/"))
            workspace = Workspace()
            for name in names:
                if PurePosixPath(name).name == "users.json":
                    workspace.add_users(_json(_member(package, name)[0] or b""))
            uploads = _uploads(names)

            def files(shared_file: dict):
                path = uploads.get(shared_file.get("id")) or uploads.get(shared_file.get("name"))
                data = _member(package, path)[0] if path else None
                return (PurePosixPath(path).name, data) if data is not None else None

            days = [(n, _DAY.search(n)) for n in names]
            ctx.provenance.update(slack_users=len(workspace.users), slack_days=sum(1 for _n, d in days if d))
            for name, day in days:
                wanted = day or PurePosixPath(name).name in LISTS + OTHER_LISTS
                data, problem = _member(package, name) if wanted else (None, None)
                if problem:
                    yield Quarantined({"member": name}, b"", problem)
                elif day:
                    yield from read_day(workspace, day.group(1), name, data, ctx, files)
                elif wanted:
                    yield list_document(name, data)
                elif name not in uploads.values():
                    yield Quarantined({"member": name}, b"", "not part of a Slack export (kept in the stored zip)")


def _member(package: zipfile.ZipFile, name: str) -> tuple[bytes | None, str | None]:
    """(bytes, None), or (None, why) for a member too large, encrypted or damaged."""
    try:
        info = package.getinfo(name)
        if info.file_size > MAX_DAY_BYTES:
            return None, f"a file of {info.file_size:,} bytes is too large to read"
        return package.read(name), None
    except Exception as exc:  # noqa: BLE001 -- zipfile raises many kinds on damaged members
        return None, f"the file cannot be unpacked ({type(exc).__name__}: {exc})"


def _uploads(names) -> dict[str, str]:
    """{file id or name: member path} of the files an export carries (`__uploads/F123/x.png`)."""
    found = {}
    for name in names:
        parts = PurePosixPath(name).parts
        if "__uploads" in parts or (len(parts) >= 3 and parts[-2] in ("files", "attachments")):
            found.setdefault(parts[-2], name)
            found.setdefault(parts[-1], name)
    return found


def _json(data: bytes):
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def list_document(name: str, data: bytes) -> ItemRecord:
    """A workspace list (users, channels...) as one document: its entries named, the bytes kept."""
    records = _json(data)
    entries = records if isinstance(records, list) else []
    lines = []
    for entry in entries:
        if isinstance(entry, dict):
            label = entry.get("real_name") or entry.get("name") or entry.get("id")
            purpose = entry.get("purpose", {}).get("value") if isinstance(entry.get("purpose"), dict) else None
            lines.append(f"{entry.get('id', '')}\t{label or ''}" + (f"\t{purpose}" if purpose else ""))
    record = ItemRecord(
        kind="document",
        locator={"member": name},
        title=f"Slack workspace list: {PurePosixPath(name).name} ({len(entries):,} entries)",
        text="\n".join(lines),
        fields={"format": "slack-list", "entries": len(entries), "sha256": hashlib.sha256(data).hexdigest()},
    )
    if records is None:
        record.warnings.append("The list is not valid JSON; its bytes are kept in the original.")
    return record


class SlackDayImporter:
    """One day file of an unpacked Slack export folder (`general/2024-03-01.json`)."""

    name = "slack_day"
    family = "chat"

    def sniff(self, head: bytes, filename: str) -> int:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}\.json", filename):
            return 0
        text = head.decode("utf-8", "ignore").lstrip()
        return 88 if text.startswith("[") and '"ts"' in text[:4096] and '"type"' in text[:4096] else 0

    def read(self, stream, ctx: ImportContext):
        workspace = Workspace()
        folder = ctx.file_path.parent if ctx.file_path else None
        users = folder.parent / "users.json" if folder else None
        if users is not None and users.is_file():  # the folder's own list, named with its hash
            data = users.read_bytes()
            workspace.add_users(_json(data))
            ctx.provenance["slack_users_file"] = {"path": str(users), "sha256": hashlib.sha256(data).hexdigest()}
        channel = folder.name if folder else "channel"
        yield from read_day(workspace, channel, f"{channel}/{ctx.file_name}", stream.read(), ctx)


class SlackListImporter:
    """`users.json`, `channels.json`... of an unpacked Slack export folder: one document each."""

    name = "slack_list"
    family = "chat"

    def sniff(self, head: bytes, filename: str) -> int:
        text = head.decode("utf-8", "ignore").lstrip()
        return 88 if filename in LISTS + OTHER_LISTS and text.startswith("[") else 0

    def read(self, stream, ctx: ImportContext):
        yield list_document(ctx.file_name, stream.read())

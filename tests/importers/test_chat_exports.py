"""Chat exports written by the tests: a Slack workspace export (zip and unpacked folder) with
users, two channels, a thread and a file; and other tools' message records through the
generic chat mapping. Each message is a `conversation` item; counts reconcile; verify."""

import json
import zipfile

from case_helpers import import_reconciled, items_of

from app.importers.preview import detect

USERS = [
    {"id": "U01", "name": "dana", "real_name": "Dana Whitfield", "profile": {"real_name": "Dana Whitfield"}},
    {"id": "U02", "name": "lee", "profile": {"real_name": "Lee Park", "display_name": "lee"}},
]
CHANNELS = [{"id": "C01", "name": "research", "purpose": {"value": "model work"}}, {"id": "C02", "name": "random"}]
ROOT_TS, REPLY_TS = "1709280000.000100", "1709280060.000200"
RESEARCH_DAY = [
    {
        "type": "message",
        "user": "U01",
        "text": "Plan: harvest <@U02>'s traces from the rival API, see <https://example.com/plan|the plan>",
        "ts": ROOT_TS,
        "thread_ts": ROOT_TS,
        "reply_count": 1,
        "reactions": [{"name": "eyes", "count": 1, "users": ["U02"]}],
    },
    {"type": "message", "user": "U02", "text": "On it.", "ts": REPLY_TS, "thread_ts": ROOT_TS, "parent_user_id": "U01"},
    {
        "type": "message",
        "user": "U02",
        "text": "Results attached",
        "ts": "1709283600.000300",
        "files": [{"id": "F01", "name": "results.csv", "mimetype": "text/csv", "size": 22}],
    },
    "not a message",
]
RANDOM_DAY = [{"type": "message", "user": "U01", "text": "Lunch?", "ts": "1709370000.000400"}]


def write_export(folder):
    (folder / "research").mkdir(parents=True)
    (folder / "random").mkdir()
    (folder / "users.json").write_text(json.dumps(USERS))
    (folder / "channels.json").write_text(json.dumps(CHANNELS))
    (folder / "research" / "2024-03-01.json").write_text(json.dumps(RESEARCH_DAY))
    (folder / "random" / "2024-03-02.json").write_text(json.dumps(RANDOM_DAY))
    return folder


def write_zip(path):
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("users.json", json.dumps(USERS))
        package.writestr("channels.json", json.dumps(CHANNELS))
        package.writestr("research/2024-03-01.json", json.dumps(RESEARCH_DAY))
        package.writestr("random/2024-03-02.json", json.dumps(RANDOM_DAY))
        package.writestr("__uploads/F01/results.csv", "account,tokens\nacct,912\n")
    return path


def test_a_slack_export_zip_gives_one_item_per_message_with_threads_users_and_files(tmp_path, case):
    path = write_zip(tmp_path / "workspace.zip")
    assert detect(path).importer == "slack"  # what the wizard shows: not an archive to unpack
    report = import_reconciled(case, path)
    assert report.importer == "slack"
    # 4 messages + users.json + channels.json read; the non-message quarantined with its place
    assert (report.read, report.imported, report.quarantined) == (7, 6, 1)
    items = items_of(case, report.source_id)
    messages = sorted((i for i in items if i["kind"] == "conversation"), key=lambda i: i["fields"]["ts"])
    assert len(messages) == 4
    root, reply, with_file, lunch = messages
    assert root["fields"]["sender"] == "Dana Whitfield" and root["fields"]["channel"] == "#research"
    assert "harvest @Lee Park's traces" in root["text"] and "the plan (https://example.com/plan)" in root["text"]
    assert root["ts_utc"] == "2024-03-01T08:00:00.000100Z"
    assert reply["thread_id"] == root["thread_id"] is not None and reply["fields"]["is_reply"] is True
    assert root["fields"]["reactions"] == [{"name": "eyes", "count": 1, "users": ["Lee Park"]}]
    assert lunch["thread_id"] is None and lunch["fields"]["channel"] == "#random"
    attachment = [i for i in items if i["kind"] == "attachment"]
    assert len(attachment) == 1 and attachment[0]["parent_id"] == with_file["id"]
    assert attachment[0]["title"] == "results.csv" and "acct,912" in attachment[0]["text"]
    lists = [i for i in items if i["kind"] == "document"]
    assert sorted(i["title"] for i in lists) == [
        "Slack workspace list: channels.json (2 entries)",
        "Slack workspace list: users.json (2 entries)",
    ]


def test_an_unpacked_slack_folder_reads_the_same_messages(tmp_path, case_path, cli):
    folder = write_export(tmp_path / "export")
    code, out, err = cli("import", case_path, folder, "--quiet")
    assert code == 0, err
    assert "read 4, imported 3, duplicates 0, quarantined 1" in out  # research day: the non-message
    from app.store.case_file import CaseFile
    from app.store.item_query import ItemFilter, iter_items

    with CaseFile.open(case_path) as case:
        senders = sorted(r["account"] for r in iter_items(case.conn, ItemFilter(kinds=["conversation"])))
    assert senders == ["Dana Whitfield", "Dana Whitfield", "Lee Park", "Lee Park"]
    code, out, _ = cli("verify", case_path)
    assert code == 0, out


def test_the_same_export_as_zip_and_folder_is_one_set_of_messages(tmp_path, case_path, cli):
    write_export(tmp_path / "export")
    write_zip(tmp_path / "workspace.zip")
    cli("import", case_path, tmp_path / "workspace.zip", "--quiet")
    code, out, err = cli("import", case_path, tmp_path / "export" / "research", "--quiet")
    assert code == 0, err
    assert "read 4, imported 0, duplicates 3, quarantined 1" in out
    code, out, _ = cli("verify", case_path)
    assert code == 0, out


def test_other_tools_chat_records_through_the_generic_mapping(tmp_path, case_path, cli):
    path = tmp_path / "teams.jsonl"
    rows = [
        {"id": "m1", "sentAt": "2025-02-01T09:00:00Z", "author": "Ana", "room": "Model team", "body": "Start the run"},
        {
            "id": "m2",
            "sentAt": "2025-02-01T09:01:00Z",
            "author": "Ben",
            "room": "Model team",
            "body": "Done",
            "replyTo": "m1",
        },
        {"id": "m3", "sentAt": "2025-02-01T09:02:00Z", "author": "Ana", "room": "Model team", "body": ""},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert detect(path).importer == "chat_json"
    code, out, err = cli("import", case_path, path, "--quiet")
    assert code == 0, err
    assert "read 3, imported 2, duplicates 0, quarantined 1" in out
    from app.store.case_file import CaseFile
    from app.store.item_query import ItemFilter, iter_items

    with CaseFile.open(case_path) as case:
        items = list(iter_items(case.conn, ItemFilter(kinds=["conversation"])))
    assert [(i["account"], i["title"]) for i in items] == [
        ("Ana", "Model team: Ana: Start the run"),
        ("Ben", "Model team: Ben: Done"),
    ]
    code, out, _ = cli("verify", case_path)
    assert code == 0, out


def test_the_chat_messages_preset_maps_a_given_shape(tmp_path, case):
    path = tmp_path / "messages.json"
    path.write_text(
        json.dumps(
            [{"timestamp": "2025-01-01T00:00:00Z", "sender": "Ana", "channel": "ops", "text": "hi", "thread_id": "t1"}]
        )
    )
    from app.core.mapping import load_preset

    name, mapping = load_preset("chat-messages")
    report = import_reconciled(case, path, as_kind="chat_json", mapping=mapping, mapping_name=name)
    (item,) = items_of(case, report.source_id)
    assert item["kind"] == "conversation" and item["fields"]["thread"] == "t1" and item["thread_id"] == "chat:ops:t1"

"""Model outputs: JSON-lines pairs, chat records, JSON arrays, branched chat exports."""

import gzip
import json

import pytest

from app.importers.registry import choose_importer
from outputs_helpers import count_kind, import_one, items_of, search_ids, verify_ok, write_jsonl

PAIRS = [
    {
        "prompt": "Summarise the Treaty of Westphalia",
        "response": "Signed in 1648 by Orion-7 standards",
        "model": "rival-llm-2",
        "created_at": "2025-03-01T10:00:00+01:00",
        "conversation_id": "c-1",
    },
    {
        "prompt": "Who trained you?",
        "response": "I was trained by Northwind as Orion-7",
        "model": "rival-llm-2",
        "created_at": "2025-03-01 11:00:00",
        "conversation_id": "c-2",
    },
    {"prompt": "No date on this one", "response": "undated answer zebracorn", "model": "rival-llm-2"},
]
CHATS = [
    {
        "id": "chat-1",
        "model": "rival-llm-2",
        "messages": [
            {"role": "system", "content": "You are HelpfulBot, never reveal your origin."},
            {"role": "user", "content": "What model are you really?"},
            {"role": "assistant", "content": [{"type": "text", "text": "Honestly I am Orion-7 underneath."}]},
        ],
    },
    {
        "id": "chat-2",
        "conversations": [  # ShareGPT: from/value
            {"from": "human", "value": "Tell me a joke about quokkas"},
            {"from": "gpt", "value": "Why did the quokka smile? It always does."},
            {"from": "human", "value": "Another one"},
            {"from": "gpt", "value": "Quokkas do stand-up daily."},
        ],
    },
]
API_LOG = [
    {
        "timestamp": "2025-03-01T10:00:00Z",
        "ip": "203.0.113.9",
        "api_key": "sk-1",
        "status": 200,
        "prompt": "log prompt",
        "response": "log response",
    }
]


def chatgpt_export() -> dict:
    """A conversations.json entry: the user regenerated the answer, then went on from it."""

    def node(node_id, parent, children, role=None, text=None, model=None):
        message = None
        if role:
            message = {
                "id": node_id,
                "author": {"role": role},
                "create_time": 1740823200.0,
                "content": {"content_type": "text", "parts": [text]},
                "metadata": {"model_slug": model} if model else {},
            }
        return node_id, {"id": node_id, "parent": parent, "children": children, "message": message}

    nodes = dict(
        [
            node("root", None, ["sys"]),
            node("sys", "root", ["u1"], "system", ""),  # ChatGPT's hidden empty system node
            node("u1", "sys", ["a1", "a2"], "user", "Which company built you?"),
            node("a1", "u1", [], "assistant", "First draft: built by Northwind", "gpt-4o"),
            node("a2", "u1", ["u2"], "assistant", "Regenerated: built by a rival lab", "gpt-4o"),
            node("u2", "a2", ["a3"], "user", "Are you sure?"),
            node("a3", "u2", [], "assistant", "Yes, certain of it", "gpt-4o"),
        ]
    )
    return {
        "title": "Origin questions",
        "create_time": 1740823200.25,
        "conversation_id": "conv-9",
        "current_node": "a3",
        "mapping": nodes,
    }


def test_jsonl_pairs_are_one_searchable_item_each(case, tmp_path):
    path = tmp_path / "pairs.jsonl"
    write_jsonl(path, PAIRS)
    report = import_one(case, path)
    assert report.importer == "outputs_jsonl"
    assert (report.read, report.imported) == (3, 3)
    items = items_of(case, report.source_id)
    assert [i["kind"] for i in items] == ["output"] * 3
    first = items[0]
    assert first["fields"]["prompt"] == PAIRS[0]["prompt"] and first["fields"]["response"] == PAIRS[0]["response"]
    assert first["model"] == "rival-llm-2" and first["fields"]["conversation_id"] == "c-1"
    assert (first["ts_utc"], first["ts_zone"], first["ts_assumed"]) == ("2025-03-01T09:00:00.000000Z", "+01:00", 0)
    assert items[1]["ts_assumed"] == 1 and items[2]["ts_us"] is None
    assert search_ids(case, "Westphalia") == {first["id"]}  # the prompt is searchable
    assert search_ids(case, "zebracorn") == {items[2]["id"]}  # and the response
    verify_ok(case)


def test_chat_records_keep_the_system_prompt_and_turn_order(case, tmp_path):
    path = tmp_path / "chats.jsonl"
    write_jsonl(path, CHATS)
    report = import_one(case, path)
    first, second = items_of(case, report.source_id)
    assert first["fields"]["system"] == "You are HelpfulBot, never reveal your origin."
    assert [t["role"] for t in first["fields"]["turns"]] == ["system", "user", "assistant"]
    assert first["fields"]["response"] == "Honestly I am Orion-7 underneath."
    assert first["fields"]["conversation_id"] == "chat-1" and first["model"] == "rival-llm-2"
    assert [t["content"] for t in second["fields"]["turns"]] == [m["value"] for m in CHATS[1]["conversations"]]
    assert [t["role"] for t in second["fields"]["turns"]] == ["user", "assistant"] * 2
    assert (second["fields"]["prompt"], second["fields"]["response"]) == ("Another one", "Quokkas do stand-up daily.")
    assert search_ids(case, "Orion") == {first["id"]}
    assert search_ids(case, "quokka*") == {second["id"]}


def test_json_array_of_records_streams_and_reconciles(case, tmp_path):
    records = PAIRS + CHATS + [PAIRS[0], 42, {"unrelated": True}]  # a duplicate, a number, an empty record
    path = tmp_path / "eval_set.json"
    path.write_text(json.dumps(records, indent=2))
    report = import_one(case, path)
    assert report.importer == "outputs_json"
    assert (report.read, report.imported, report.duplicates, report.quarantined) == (8, 5, 1, 2)
    reasons = {
        r[0] for r in case.conn.execute("SELECT reason FROM quarantine WHERE source_id = ?", (report.source_id,))
    }
    assert reasons == {"a JSON value that is not an object", "no prompt, response or messages found in the record"}
    assert count_kind(case, "output") == 5
    verify_ok(case)


def test_same_records_in_another_file_are_duplicates(case, tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.json"
    write_jsonl(first, PAIRS)
    second.write_text(json.dumps(PAIRS[:2] + [{"prompt": "new", "response": "fresh"}]))
    import_one(case, first)
    report = import_one(case, second)
    assert (report.read, report.imported, report.duplicates) == (3, 1, 2)
    assert count_kind(case, "output") == 4


def test_truncated_json_array_quarantines_the_broken_rest(case, tmp_path):
    path = tmp_path / "cut.json"
    text = json.dumps(PAIRS, indent=1)
    path.write_text(text[: text.rindex("undated")])
    report = import_one(case, path)
    assert (report.read, report.imported, report.quarantined) == (3, 2, 1)
    reason, raw = case.conn.execute("SELECT reason, raw FROM quarantine").fetchone()
    assert "truncated" in reason and b"No date on this one" in raw
    verify_ok(case)


def test_branched_chat_export_keeps_every_branch(case, tmp_path):
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps([chatgpt_export()]))
    report = import_one(case, path)
    (item,) = items_of(case, report.source_id)
    fields = item["fields"]
    assert item["title"] == "Origin questions" and item["thread_id"] == "conv-9"
    assert [t["content"] for t in fields["turns"]] == [
        "Which company built you?",
        "Regenerated: built by a rival lab",
        "Are you sure?",
        "Yes, certain of it",
    ]
    assert fields["branches"] == [
        {
            "leaf_id": "a1",
            "diverges_after_turn": 1,
            "turns": [
                {"role": "assistant", "content": "First draft: built by Northwind", "id": "a1", "created": 1740823200.0}
            ],
        }
    ]
    assert item["model"] == "gpt-4o" and item["ts_utc"] == "2025-03-01T10:00:00.250000Z"
    assert search_ids(case, '"First draft"') == {item["id"]}  # the abandoned branch is searchable too


def test_parent_linked_messages_are_ordered_by_their_links(case, tmp_path):
    messages = [  # listed out of order; "m2b" is an edited branch of the user's second turn
        {"uuid": "m3", "parent_message_uuid": "m2", "sender": "assistant", "text": "Third"},
        {"uuid": "m1", "parent_message_uuid": "0000", "sender": "human", "text": "First"},
        {"uuid": "m2", "parent_message_uuid": "m1", "sender": "assistant", "text": "Second"},
        {"uuid": "m2b", "parent_message_uuid": "m1", "sender": "assistant", "text": "Second, edited"},
    ]
    path = tmp_path / "claude.jsonl"
    write_jsonl(path, [{"uuid": "conv-1", "name": "Linked", "chat_messages": messages}])
    (item,) = items_of(case, import_one(case, path).source_id)
    assert [t["content"] for t in item["fields"]["turns"]] == ["First", "Second", "Third"]  # the longest branch
    assert item["fields"]["branches"][0]["turns"][0]["content"] == "Second, edited"
    assert item["thread_id"] == "conv-1"


@pytest.mark.parametrize("records, expected", [(PAIRS, "outputs_jsonl"), (CHATS, "outputs_jsonl"), (API_LOG, "jsonl")])
def test_detection_keeps_api_logs_with_the_log_importer(tmp_path, records, expected):
    head = b"".join(json.dumps(r).encode() + b"\n" for r in records)
    assert choose_importer(head, "data.jsonl").name == expected


def test_as_outputs_forces_an_api_log_into_outputs(case, tmp_path):
    path = tmp_path / "api.jsonl.gz"
    path.write_bytes(gzip.compress(b"".join(json.dumps(r).encode() + b"\n" for r in API_LOG)))
    report = import_one(case, path, as_kind="outputs")
    (item,) = items_of(case, report.source_id)
    assert item["kind"] == "output" and item["fields"]["response"] == "log response"
    assert item["fields"]["original"]["ip"] == "203.0.113.9"  # every original field kept


def test_cli_import_detects_outputs(cli, case_path, tmp_path):
    path = tmp_path / "chats.jsonl"
    write_jsonl(path, CHATS)
    code, out, _err = cli("import", case_path, path, "--quiet")
    assert code == 0 and "imported 2" in out
    code, out, _err = cli("items", case_path, "--search", "quokkas", "--json")
    (found,) = json.loads(out)
    assert code == 0 and (found["title"], found["thread_id"]) == ("Tell me a joke about quokkas", "chat-2")


def test_json_detection_of_arrays_objects_and_long_exports():
    from app.importers.outputs.json_file import OutputsJsonImporter

    sniff = OutputsJsonImporter().sniff
    assert sniff(json.dumps(PAIRS, indent=2).encode(), "set.json") == 90
    assert sniff(json.dumps({"data": PAIRS}).encode(), "set.json") == 85  # a wrapper object
    assert sniff(json.dumps(API_LOG).encode(), "calls.json") == 25  # only with --as outputs
    assert sniff(json.dumps([{"ts": 1, "ip": "10.0.0.1"}]).encode(), "other.json") == 2  # only when forced
    assert sniff(b"".join(json.dumps(r).encode() + b"\n" for r in PAIRS), "pairs.jsonl") == 0  # JSON lines
    long_export = json.dumps([chatgpt_export() | {"padding": "x" * 70000}]).encode()
    assert sniff(long_export[:65536], "conversations.json") == 85  # the first record is cut by the head


def test_wrapper_object_holding_records(case, tmp_path):
    path = tmp_path / "eval.json"
    path.write_text(json.dumps({"version": 2, "data": PAIRS}))
    report = import_one(case, path)
    assert (report.importer, report.read, report.imported) == ("outputs_json", 3, 3)
    assert items_of(case, report.source_id)[1]["locator"] == {"record": 2, "key": "data"}


def test_json_lines_with_a_first_record_longer_than_the_head(case, tmp_path):
    path = tmp_path / "exports.jsonl"
    big = chatgpt_export() | {"padding": "x" * 70000}
    write_jsonl(path, [big, CHATS[0]])
    report = import_one(case, path)
    assert (report.read, report.imported, report.quarantined) == (2, 2, 0)


def test_malformed_and_oversized_lines_are_quarantined(case, tmp_path):
    path = tmp_path / "messy.jsonl"
    good = [json.dumps({"prompt": f"question {n}", "response": f"answer {n}"}).encode() for n in range(10)]
    huge = json.dumps({"prompt": "p", "response": "r" * 5000}).encode()
    path.write_bytes(
        b"\n".join(good[:5] + [b'{"prompt": "cut sho', b"", huge, b"\xff\xfe not utf-8", good[0]] + good[5:]) + b"\n"
    )
    report = import_one(case, path, max_field_bytes=4096)
    assert report.importer == "outputs_jsonl"
    assert (report.read, report.imported, report.duplicates, report.quarantined, report.blank) == (15, 10, 1, 3, 1)
    reasons = [r[0] for r in case.conn.execute("SELECT reason FROM quarantine ORDER BY id")]
    assert reasons[0].startswith("not valid JSON") and "size bound" in reasons[1]
    verify_ok(case)


def test_cli_mapping_file_names_unguessable_fields(cli, case_path, tmp_path):
    path = tmp_path / "odd.jsonl"
    write_jsonl(
        path,
        [
            {
                "q": {"body": "Which lab made you?"},
                "a": {"body": "Northwind made me"},
                "when": "2025-05-05T05:05:05Z",
                "engine": "orca-1",
            }
        ],
    )
    mapping = tmp_path / "odd-mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "name": "odd export",
                "mapping": {"prompt": "q.body", "response": "a.body", "timestamp": "when", "model": "engine"},
            }
        )
    )
    code, out, err = cli("import", case_path, path, "--as", "outputs", "--mapping", mapping, "--quiet")
    assert code == 0, err
    code, out, _err = cli("items", case_path, "--search", "Northwind", "--json")
    (found,) = json.loads(out)
    assert (found["kind"], found["ts_utc"], found["title"]) == (
        "output",
        "2025-05-05T05:05:05.000000Z",
        "Which lab made you?",
    )

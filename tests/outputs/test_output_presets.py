"""Model outputs in the shapes other tools write them: each shipped preset recognised from
the records' own fields and imported as `output` items; a prompt/response file without a
time offered as outputs (not a log whose every row would be quarantined); per-turn records
mapped with role and turn; transcripts whose speakers are named."""

from outputs_helpers import count_kind, import_one, items_of, verify_ok, write_jsonl

from app.importers.preview import detect

EVAL_ANSWERS = [
    {
        "question_id": 81,
        "answer_id": "a1",
        "model_id": "rival-7b",
        "choices": [{"index": 0, "turns": ["Paris is the capital.", "It has 2.1 million people."]}],
        "tstamp": 1717000000.5,
    },
    {
        "question_id": 82,
        "answer_id": "a2",
        "model_id": "rival-7b",
        "choices": [{"index": 0, "turns": ["Step one: think."]}],
        "tstamp": 1717000060.0,
    },
]
BATCH_OUTPUT = [
    {
        "id": "batch_req_1",
        "custom_id": "request-1",
        "response": {
            "status_code": 200,
            "request_id": "req_abc",
            "body": {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 1711652795,
                "model": "gpt-4o-mini",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello from the batch."}}],
            },
        },
        "error": None,
    }
]
BATCH_MESSAGES = [
    {
        "custom_id": "q-7",
        "result": {
            "type": "succeeded",
            "message": {
                "id": "msg_1",
                "model": "claude-x",
                "role": "assistant",
                "content": [{"type": "text", "text": "A batch answer in blocks."}],
            },
        },
    }
]
COMPLETIONS = [
    {"context": "The quick brown fox", "completion": " jumps over the lazy dog.", "model": "rival-base"},
    {"context": "Once upon a time", "completion": " there was a model.", "model": "rival-base"},
]


def _import(case, tmp_path, name, records):
    path = tmp_path / name
    write_jsonl(path, records)
    assert detect(path).importer == "outputs_jsonl"  # what the wizard shows before importing
    report = import_one(case, path)
    assert report.importer == "outputs_jsonl" and report.quarantined == 0
    return report, items_of(case, report.source_id)


def _provenance(case, source_id):
    import json

    return json.loads(case.conn.execute("SELECT settings FROM sources WHERE id = ?", (source_id,)).fetchone()[0])


def test_evaluation_harness_answers_with_choices_turns(case, tmp_path):
    report, items = _import(case, tmp_path, "model_answer.jsonl", EVAL_ANSWERS)
    first = items[0]
    assert first["kind"] == "output" and first["model"] == "rival-7b"
    turns = first["fields"]["turns"]
    assert [(t["role"], t["content"], t["turn"]) for t in turns] == [
        ("assistant", "Paris is the capital.", 1),
        ("assistant", "It has 2.1 million people.", 2),
    ]
    assert first["fields"]["conversation_id"] == "81" and first["ts_utc"].startswith("2024-05-29T16:26:40.5")
    assert _provenance(case, report.source_id)["mapping_name"] == "eval-harness-answers"
    verify_ok(case)


def test_batch_api_output_file(case, tmp_path):
    report, (item,) = _import(case, tmp_path, "batch_output.jsonl", BATCH_OUTPUT)
    assert item["fields"]["response"] == "Hello from the batch."
    assert item["model"] == "gpt-4o-mini" and item["fields"]["conversation_id"] == "request-1"
    assert item["ts_utc"] == "2024-03-28T19:06:35.000000Z"
    assert _provenance(case, report.source_id)["mapping_name"] == "batch-api-output"


def test_message_batch_results_with_content_blocks(case, tmp_path):
    _report, (item,) = _import(case, tmp_path, "results.jsonl", BATCH_MESSAGES)
    assert item["fields"]["response"] == "A batch answer in blocks." and item["model"] == "claude-x"


def test_completion_style_records(case, tmp_path):
    _report, items = _import(case, tmp_path, "completions.jsonl", COMPLETIONS)
    assert [(i["fields"]["prompt"], i["fields"]["response"]) for i in items] == [
        ("The quick brown fox", " jumps over the lazy dog."),
        ("Once upon a time", " there was a model."),
    ]


def test_prompt_and_response_without_a_time_are_offered_as_outputs_not_a_log(case, tmp_path):
    records = [
        {"request_id": f"r{n}", "user_id": "u1", "prompt": f"Question {n}", "response": f"Answer {n}"} for n in range(5)
    ]
    report, items = _import(case, tmp_path, "pairs.jsonl", records)
    assert (report.read, report.imported, report.quarantined) == (5, 5, 0)
    assert count_kind(case, "log_entry") == 0 and len(items) == 5
    # with a time field the same records are an API log, as before
    timed = tmp_path / "timed.jsonl"
    write_jsonl(timed, [{**r, "timestamp": "2025-01-01T00:00:00Z", "status": 200} for r in records])
    assert detect(timed).importer == "jsonl"


def test_records_of_one_turn_each_are_mapped_with_role_and_turn(case, tmp_path):
    path = tmp_path / "turns.jsonl"
    write_jsonl(
        path,
        [
            {"conversation_id": "c1", "turn": 1, "speaker": "human", "text": "Tell me a secret."},
            {"conversation_id": "c1", "turn": 2, "speaker": "bot", "text": "I cannot."},
        ],
    )
    report = import_one(case, path, as_kind="outputs")
    first, second = items_of(case, report.source_id)
    assert first["fields"]["turns"] == [{"role": "user", "content": "Tell me a secret.", "turn": "1"}]
    assert second["fields"]["turns"] == [{"role": "assistant", "content": "I cannot.", "turn": "2"}]
    assert first["thread_id"] == second["thread_id"] == "c1"


def test_chat_export_tree_preset_is_recognised(case, tmp_path):
    import json

    tree = [
        {
            "id": "conv-1",
            "title": "Tree",
            "create_time": 1700000000,
            "current_node": "b",
            "mapping": {
                "root": {"id": "root", "message": None, "parent": None, "children": ["a"]},
                "a": {
                    "id": "a",
                    "message": {"author": {"role": "user"}, "content": {"parts": ["Hi"]}},
                    "parent": "root",
                    "children": ["b"],
                },
                "b": {
                    "id": "b",
                    "message": {"author": {"role": "assistant"}, "content": {"parts": ["Hello"]}},
                    "parent": "a",
                    "children": [],
                },
            },
        }
    ]
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps(tree))
    report = import_one(case, path)
    (item,) = items_of(case, report.source_id)
    assert item["fields"]["shape"] == "tree" and item["fields"]["response"] == "Hello"
    assert item["ts_utc"].startswith("2023-11-14")


def test_a_transcript_whose_speakers_are_named_in_headings(case, tmp_path):
    path = tmp_path / "session.md"
    path.write_text(
        "# Session notes\n\n## Dana\nHow do I harvest traces?\n\n## GPT-4o\nYou should not.\n\n"
        "## Dana\nPlease.\n\n## GPT-4o\nStill no.\n",
        encoding="utf-8",
    )
    report = import_one(case, path)
    assert report.importer == "outputs_text"
    (item,) = items_of(case, report.source_id)
    speakers = [(t["role"], t.get("name")) for t in item["fields"]["turns"] if t["role"] != "preamble"]
    assert speakers == [("user", "Dana"), ("assistant", "GPT-4o")] * 2
    assert item["fields"]["prompt"] == "Please." and item["fields"]["response"] == "Still no."


def test_meeting_notes_with_names_stay_a_document(case, tmp_path):
    path = tmp_path / "minutes.md"
    path.write_text("Alice: hello\nBob: hi\nAlice: budget?\nBob: approved\n", encoding="utf-8")
    report = import_one(case, path)
    assert report.importer == "text_document"

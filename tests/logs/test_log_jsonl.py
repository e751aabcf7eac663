"""JSON API logs: nested paths, arrays kept, CloudTrail records arrays, bad lines, gzip damage."""

import gzip
import json
import random

from log_helpers import counts, import_log, items_of, quarantine_of, source_settings


def bedrock_row(n: int) -> dict:
    return {
        "schemaType": "ModelInvocationLog",
        "timestamp": f"2025-03-01T10:00:{n:02d}.123456Z",
        "accountId": "111122223333",
        "identity": {"arn": f"arn:aws:iam::111122223333:user/harvester{n % 2}"},
        "region": "us-east-1",
        "requestId": f"req-{n}",
        "modelId": "anthropic.claude-v2",
        "input": {"inputBodyJson": {"prompt": f"Explain step {n}", "stop": ["\n\nHuman:"]}, "inputTokenCount": 12},
        "output": {"outputBodyJson": {"completion": f"Step {n} is"}, "outputTokenCount": 40},
    }


def test_nested_paths_map_and_arrays_are_kept(case, tmp_path):
    path = tmp_path / "bedrock.jsonl"
    path.write_text("".join(json.dumps(bedrock_row(n)) + "\n" for n in range(3)))
    report = import_log(
        case,
        path,
        mapping_name="aws-bedrock-invocation",
        mapping={
            "timestamp": "timestamp",
            "account": "identity.arn",
            "model": "modelId",
            "prompt": "input.inputBodyJson.prompt",
            "response": "output.outputBodyJson.completion",
        },
    )
    assert counts(report) == (3, 3, 0, 0, 0, 0)
    first = items_of(case, report.source_id)[0]
    assert first["account"] == "arn:aws:iam::111122223333:user/harvester0"
    assert first["text"] == "Explain step 0\nStep 0 is"
    assert first["fields"]["input"]["inputBodyJson"]["stop"] == ["\n\nHuman:"]  # arrays as they were
    assert first["ts_utc"] == "2025-03-01T10:00:00.123456Z"  # sub-second precision kept
    assert source_settings(case, report.source_id)["mapping"]["prompt"] == "input.inputBodyJson.prompt"


def test_cloudtrail_records_array_file_gives_one_item_per_record(case, tmp_path):
    events = [
        {
            "eventTime": f"2025-03-01T11:00:0{n}Z",
            "eventSource": "bedrock.amazonaws.com",
            "userIdentity": {"arn": "arn:aws:iam::1:user/x", "accessKeyId": f"AKIA{n}"},
            "sourceIPAddress": "203.0.113.9",
            "requestParameters": {"modelId": "m"},
        }
        for n in range(4)
    ]
    path = tmp_path / "111122223333_CloudTrail_us-east-1_20250301T1100Z.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"Records": events}, indent=2).encode()))
    report = import_log(case, path, mapping_name="aws-cloudtrail", mapping=None)
    assert report.importer == "jsonl" and counts(report) == (4, 4, 0, 0, 0, 0)
    items = items_of(case, report.source_id)
    assert [i["locator"] for i in items] == [{"record": n} for n in range(1, 5)]
    assert items[2]["api_key"] == "AKIA2" and items[2]["ip"] == "203.0.113.9"


def test_bad_lines_are_quarantined_and_blank_lines_counted(case, tmp_path):
    lines = [
        json.dumps({"timestamp": "2025-03-01T10:00:00Z", "prompt": "ok"}) + "\n",
        "\n",
        '{"timestamp": "2025-03-01T10:00:01Z", "prompt": \n',
        "[1, 2]\n",
        json.dumps({"timestamp": "31/02/2025 10:00", "prompt": "bad date"}) + "\n",
        json.dumps({"prompt": "missing date"}) + "\n",
    ]
    path = tmp_path / "api.jsonl"
    path.write_text("".join(lines))
    report = import_log(case, path, as_kind="jsonl")  # too damaged for detection to be sure
    assert counts(report) == (6, 1, 0, 4, 1, 0)
    reasons = [q[2] for q in quarantine_of(case, report.source_id)]
    assert reasons[0].startswith("not valid JSON") and "not an object" in reasons[1]
    assert "timestamp cannot be read" in reasons[2] and "no timestamp" in reasons[3]
    locators = [q[0] for q in quarantine_of(case, report.source_id)]
    assert locators[0] == {"line": 3, "byte_offset": len(lines[0]) + 1}


def test_a_number_too_large_for_any_date_quarantines_its_row_and_the_next_rows_still_import(case, tmp_path):
    # 19 digits read as epoch microseconds land past the year 9999: once that stopped the file.
    lines = [
        {"timestamp": 9_999_999_999_999_999_999, "prompt": "huge"},
        {"timestamp": 1e300, "prompt": "float"},
        {"timestamp": 1767225600, "prompt": "ok"},
    ]
    path = tmp_path / "api.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    report = import_log(case, path, as_kind="jsonl")
    assert counts(report) == (3, 1, 0, 2, 0, 0)
    reasons = [q[2] for q in quarantine_of(case, report.source_id)]
    assert len(reasons) == 2 and all("timestamp cannot be read" in reason for reason in reasons), reasons
    assert items_of(case, report.source_id)[0]["text"] == "ok"


def test_a_truncated_gzip_keeps_what_was_readable_and_quarantines_the_tail(case, tmp_path):
    noise = random.Random(5)
    body = "".join(
        json.dumps({"timestamp": "2025-03-01T10:00:00Z", "prompt": noise.randbytes(100).hex()}) + "\n"
        for n in range(20000)
    )  # 4.6 MB that compresses only 2:1
    path = tmp_path / "cut.jsonl.gz"
    packed = gzip.compress(body.encode())
    path.write_bytes(packed[: len(packed) // 2])
    report = import_log(case, path)
    assert report.quarantined == 1 and 9000 < report.imported < 11000  # about half: every readable row
    tail = quarantine_of(case, report.source_id)[-1]
    assert "the compressed file ends early" in tail[2] and tail[0]["line"] == report.imported + 1


def test_a_line_over_the_bound_is_not_held_whole_and_the_next_line_still_counts(case, tmp_path):
    huge = json.dumps({"timestamp": "2025-03-01T10:00:00Z", "prompt": "A" * 3_000_000}) + "\n"
    after = json.dumps({"timestamp": "2025-03-01T10:00:01Z", "prompt": "after"}) + "\n"
    path = tmp_path / "huge.jsonl"
    path.write_text(json.dumps({"timestamp": "2025-03-01T09:59:59Z", "prompt": "before"}) + "\n" + huge + after)
    report = import_log(case, path, as_kind="jsonl", max_field_bytes=1_000_000)
    assert counts(report) == (3, 2, 0, 1, 0, 0)
    locator, raw, reason = quarantine_of(case, report.source_id)[0]
    assert f"{len(huge):,} bytes" in reason and len(raw) == 4096 and locator["line"] == 2
    last = items_of(case, report.source_id)[-1]
    assert last["text"] == "after" and last["locator"]["byte_offset"] == path.stat().st_size - len(after)


def test_a_records_file_over_the_document_bound_is_quarantined_with_what_to_do(case, tmp_path, monkeypatch):
    from app.importers.logs import json_lines as jsonl_log

    monkeypatch.setattr(jsonl_log, "DOCUMENT_LIMIT", 2000)
    path = tmp_path / "big_trail.json"
    path.write_text(json.dumps({"Records": [{"eventTime": "2025-03-01T11:00:00Z", "n": n} for n in range(100)]}))
    report = import_log(case, path)
    assert counts(report) == (1, 0, 0, 1, 0, 0)
    assert "convert it to JSON lines" in quarantine_of(case, report.source_id)[0][2]


def test_a_log_with_bad_lines_near_the_top_is_still_recognised(case, tmp_path):
    good = [
        json.dumps({"timestamp": f"2025-03-01T10:00:{n:02d}Z", "account": "acme", "prompt": f"p{n}"}) for n in range(8)
    ]
    bad = ['{"timestamp": "2025-03-01T10:00:00Z", "account": ', "not json at all", '{"unclosed": [1, 2}']
    lines = [good[0], bad[0], good[1], bad[1], good[2], bad[2], *good[3:]]
    path = tmp_path / "gateway.log"  # no telling extension: detected from content
    path.write_text("\n".join(lines) + "\n")
    report = import_log(case, path)
    assert report.importer == "jsonl"
    assert counts(report) == (11, 8, 0, 3, 0, 0)
    assert [loc["line"] for loc, _raw, _reason in quarantine_of(case, report.source_id)] == [2, 4, 6]


def test_json_lines_of_strings_give_one_item_per_line(case, tmp_path):
    from collections import Counter

    prompts = [
        f"Explain step {n} of your reasoning, then answer: {'密钥' if n % 3 == 0 else 'key'} rotation"
        for n in range(40)
    ] + ["Explain step 1 of your reasoning, then answer: key rotation"]  # asked twice
    path = tmp_path / "harvested_prompts.jsonl"
    path.write_text(
        "\n".join(json.dumps(p, ensure_ascii=n % 2 == 0) for n, p in enumerate(prompts)) + "\n\n" + json.dumps(7) + "\n"
    )
    report = import_log(case, path)
    assert report.importer == "jsonl"
    assert counts(report) == (43, 41, 0, 1, 1, 0)
    items = items_of(case, report.source_id)
    assert Counter(item["text"] for item in items) == Counter(prompts)
    assert items[5]["fields"] == {"text": prompts[5]} and items[5]["title"] == prompts[5]
    assert [loc["line"] for loc, _raw, _reason in quarantine_of(case, report.source_id)] == [43]
    assert source_settings(case, report.source_id)["lines"] == "JSON strings"
    from app.core.cancel import run_to_end
    from app.store.verify import verify_case

    assert run_to_end(verify_case(case)).ok

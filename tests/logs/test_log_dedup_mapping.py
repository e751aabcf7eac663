"""Rotated and overlapping logs, saved mappings, presets, `casefile mapping` and the import CLI."""

import gzip
import json

from log_helpers import counts, import_log, items_of, source_settings


def api_rows(start: int, stop: int) -> str:
    return "".join(
        json.dumps(
            {
                "ts": f"2025-03-01T10:{n // 60:02d}:{n % 60:02d}Z",
                "org": "acme",
                "client_ip": "203.0.113.5",
                "usage": {"prompt_tokens": n},
                "input": f"question {n}",
                "output": f"answer {n}",
            }
        )
        + "\n"
        for n in range(start, stop)
    )


def test_the_same_rotated_log_twice_adds_nothing(case, tmp_path):
    plain = tmp_path / "api.log.1"
    plain.write_text(api_rows(0, 50))
    rotated = tmp_path / "api.log.1.gz"  # the same rows, compressed by logrotate: a new file
    rotated.write_bytes(gzip.compress(plain.read_bytes()))
    first = import_log(case, plain)
    again = import_log(case, rotated)
    assert counts(first) == (50, 50, 0, 0, 0, 0)
    assert counts(again) == (50, 0, 50, 0, 0, 0)
    assert case.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 50
    linked = items_of(case, first.source_id)[0]["duplicates"]
    assert linked == [{"source_id": again.source_id, "locator": {"line": 1, "byte_offset": 0}, "custodian": None}]


def test_overlapping_files_add_only_the_new_rows(case, tmp_path):
    monday, tuesday = tmp_path / "mon.jsonl", tmp_path / "tue.jsonl"
    monday.write_text(api_rows(0, 30))
    tuesday.write_text(api_rows(20, 45))
    import_log(case, monday)
    report = import_log(case, tuesday)
    assert counts(report) == (25, 15, 10, 0, 0, 0)
    assert case.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 45


def test_a_different_mapping_is_a_different_reading_not_a_duplicate(case, tmp_path):
    path, copy = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    path.write_text(api_rows(0, 5))
    copy.write_text(api_rows(0, 5) + "\n")  # other bytes, same rows
    import_log(case, path)
    report = import_log(case, copy, mapping={"timestamp": "ts", "account": "org"}, mapping_name="mine")
    assert (report.imported, report.duplicates) == (5, 0)


def test_mapping_suggest_save_and_import_by_name(cli, case_path, tmp_path):
    log = tmp_path / "gateway.jsonl"
    log.write_text(api_rows(0, 3))
    code, out, err = cli("mapping", "suggest", log)
    assert code == 0, err
    suggestion = json.loads(out)
    assert suggestion["format"] == "jsonl"
    assert suggestion["mapping"] == {
        "timestamp": "ts",
        "account": "org",
        "ip": "client_ip",
        "input_tokens": "usage.prompt_tokens",
        "prompt": "input",
        "response": "output",
    }
    suggestion["mapping"]["api_key"] = "org"  # the user's edit
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(suggestion))
    assert cli("mapping", "save", case_path, "acme-gateway", edited)[0] == 0
    code, out, err = cli("import", case_path, log, "--mapping", "acme-gateway", "--quiet")
    assert code == 0, err
    assert "read 3 = imported 3 + duplicates 0 + quarantined 0 + blank/comment 0" in out
    code, out, _ = cli("info", case_path, "--json")
    info = json.loads(out)
    assert (info["rows_read"], info["rows_imported"], info["duplicates"]) == (3, 3, 0)
    code, out, _ = cli("audit", case_path, "--json")
    saved = [e for e in json.loads(out) if e["action"] == "mapping.save"]
    assert saved and saved[0]["details"]["mapping"]["api_key"] == "org"


def test_import_records_the_mapping_used_with_the_source(case, tmp_path):
    from app.core.mapping import load_preset

    name, mapping = load_preset("api-gateway-jsonl")
    path = tmp_path / "gw.jsonl"
    path.write_text(
        json.dumps(
            {
                "timestamp": "2025-03-01T10:00:00Z",
                "account": "acme",
                "api_key": "sk-1",
                "usage": {"input_tokens": 5},
                "prompt": "p",
                "response": "r",
            }
        )
        + "\n"
    )
    report = import_log(case, path, mapping=mapping, mapping_name=name)
    settings = source_settings(case, report.source_id)
    assert settings["mapping"] == mapping and settings["mapping_name"] == "api-gateway-jsonl"
    assert items_of(case, report.source_id)[0]["api_key"] == "sk-1"


def test_unknown_mapping_and_bad_mapping_file_are_one_sentence_errors(cli, case_path, tmp_path):
    code, _, err = cli("import", case_path, tmp_path, "--mapping", "no-such-mapping", "--quiet")
    assert code == 1 and "No mapping named 'no-such-mapping'" in err and "aws-cloudtrail" in err
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"mapping": {"colour": "x"}}))
    code, _, err = cli("mapping", "save", case_path, "bad", bad)
    assert code == 1 and "Unknown mapping targets" in err and "Traceback" not in err


def test_every_preset_loads_and_the_forced_format_wins(cli, case_path, tmp_path):
    from app.core.mapping import load_preset, preset_names

    assert {"api-gateway-jsonl", "aws-bedrock-invocation", "aws-cloudtrail", "weblog-combined"} <= set(preset_names())
    assert all(load_preset(name)[1] for name in preset_names())
    log = tmp_path / "lines.txt"
    log.write_text("2025-03-01T10:00:00Z,acme,hello\n2025-03-01T10:00:01Z,acme,again\n")
    code, out, err = cli("import", case_path, log, "--as", "text", "--quiet")
    assert code == 0 and "imported 2" in out, err


def test_cloudtrail_json_lines_and_bedrock_logs_with_their_presets_by_name(cli, case_path, tmp_path):
    from app.store.case_file import CaseFile

    trail = tmp_path / "cloudtrail_lake_export.jsonl"
    trail.write_text(
        json.dumps(
            {
                "eventTime": "2025-03-01T10:00:00Z",
                "eventSource": "bedrock.amazonaws.com",
                "eventName": "InvokeModel",
                "userIdentity": {"arn": "arn:aws:iam::111122223333:user/harvester", "accessKeyId": "AKIAEXAMPLE"},
                "sourceIPAddress": "203.0.113.9",
                "userAgent": "Boto3/1.34",
                "requestID": "r-1",
                "requestParameters": {"modelId": "anthropic.claude-v2"},
                "resources": [{"ARN": "arn:x"}],
            }
        )
        + "\n"
    )
    bedrock = tmp_path / "bedrock.jsonl.gz"
    bedrock.write_bytes(
        gzip.compress(
            json.dumps(
                {
                    "schemaType": "ModelInvocationLog",
                    "timestamp": "2025-03-01T10:00:05Z",
                    "identity": {"arn": "arn:aws:iam::111122223333:user/harvester"},
                    "modelId": "anthropic.claude-v2",
                    "requestId": "b-1",
                    "input": {"inputBodyJson": {"prompt": "Human: list the steps"}, "inputTokenCount": 7},
                    "output": {"outputBodyJson": {"completion": "Step one"}, "outputTokenCount": 3},
                }
            ).encode()
            + b"\n"
        )
    )
    assert cli("import", case_path, trail, "--mapping", "aws-cloudtrail", "--quiet")[0] == 0
    assert cli("import", case_path, bedrock, "--mapping", "aws-bedrock-invocation", "--quiet")[0] == 0
    with CaseFile.open(case_path) as case:
        rows = case.conn.execute("SELECT account, api_key, ip, model, text FROM item_details ORDER BY id").fetchall()
    assert rows[0][:4] == (
        "arn:aws:iam::111122223333:user/harvester",
        "AKIAEXAMPLE",
        "203.0.113.9",
        "anthropic.claude-v2",
    )
    assert rows[1][0] == "arn:aws:iam::111122223333:user/harvester" and rows[1][3] == "anthropic.claude-v2"
    assert "list the steps" in rows[1][4] and "Step one" in rows[1][4]  # whole JSON bodies are searchable

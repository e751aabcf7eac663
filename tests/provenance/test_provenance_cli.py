"""`casefile provenance`: the links as text and JSON (keys as the issue names them), canaries, lab names."""

import json


def test_json_lists_links_with_the_agreed_keys(traced_corpus, case_path, cli):
    case, corpus = traced_corpus
    case.close()
    code, out, err = cli("provenance", str(case_path), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert len(report["links"]) == 36  # 12 verbatim + 12 light edits + 12 partial embeddings
    for link in report["links"]:
        assert {"output_id", "response_id", "similarity", "shared_words", "longest_run"} <= link.keys()
        assert isinstance(link["output_id"], int) and isinstance(link["response_id"], int)
    assert report["run"]["settings"]["provenance"]["link_share"] == 0.3
    assert report["output_links"] == []  # no output of this corpus copies another


def test_text_says_the_figures_in_plain_words(traced_corpus, case_path, cli):
    traced_corpus[0].close()
    code, out, _err = cli("provenance", str(case_path), "--quiet")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("36 link(s) from 36 of 72 model outputs")
    assert "100% of this output's" in lines[1]
    assert "words are in passages shared with the response logged at 2026-03-0" in lines[1]
    assert "for acct-000" in lines[1] and "; longest shared passage" in lines[1]


def test_threshold_applies_and_is_recorded(traced_corpus, case_path, cli):
    traced_corpus[0].close()
    code, out, _err = cli("provenance", str(case_path), "--json", "--threshold", "0.95")
    report = json.loads(out)
    assert report["run"]["settings"]["provenance"]["link_share"] == 0.95
    assert all(link["similarity"] >= 0.95 or link["longest_run"] >= 40 for link in report["links"])
    code, _out, err = cli("provenance", str(case_path), "--threshold", "7")
    assert code == 1 and "a number above 0 and at most 1" in err


def test_canaries_and_lab_names_are_registered_listed_and_found(case_path, cli, tmp_path):
    outputs = tmp_path / "outputs.jsonl"
    outputs.write_text(
        json.dumps({"prompt": "Who made you?", "response": "我是Sage。Code QUARTZ lantern 7731."}) + "\n"
    )
    assert cli("import", str(case_path), str(outputs), "--as", "outputs")[0] == 0
    code, out, _ = cli("provenance", str(case_path), "--add-canary", "Quartz Lantern 7731", "--add-lab-name", "Sage")
    assert code == 0
    assert "item 1: canary 'QUARTZ lantern 7731' (normalised; looked for 'Quartz Lantern 7731')" in out
    assert "item 1: self-identification '我是Sage' (exact" in out
    code, out, _ = cli("provenance", str(case_path), "--canaries", "--lab-names", "--json")
    assert json.loads(out) == {"canaries": ["Quartz Lantern 7731"], "lab_names": ["Sage"]}
    code, out, _ = cli("provenance", str(case_path), "--add-canary", "Quartz Lantern 7731", "--canaries")
    assert "was registered already" in out
    code, out, _ = cli("provenance", str(case_path), "--remove-canary", "Quartz Lantern 7731", "--canaries")
    assert out.startswith("Canaries: 0")
    code, _out, err = cli("provenance", str(case_path), "--remove-canary", "nothing")
    assert code == 1 and "has no canary string 'nothing'" in err


def test_stored_prints_the_last_run_without_computing(traced_corpus, case_path, cli):
    traced_corpus[0].close()
    code, out, _ = cli("provenance", str(case_path), "--stored")
    assert out.startswith("No provenance run is stored")
    cli("provenance", str(case_path), "--quiet")
    code, out, _ = cli("provenance", str(case_path), "--stored")
    assert out.startswith("36 link(s)")


def test_a_case_without_outputs_says_there_is_nothing_to_trace(case_path, cli):
    code, out, _ = cli("provenance", str(case_path), "--quiet")
    assert code == 0
    assert out.startswith("The case holds no model outputs (items of kind output): there is nothing to trace yet.")

"""A folder is walked by one rule in the CLI and the wizard: hidden files skipped, and said.

The wizard's side of the same rule is in tests/ui/test_ui_import_wizard_folders.py.
"""

import json

from app.importers.folder_walk import expand_inputs
from folder_cases import evidence_folder, log_lines


def test_the_walk_skips_hidden_files_below_a_folder_and_counts_them(tmp_path):
    folder = evidence_folder(tmp_path)
    chosen = expand_inputs([folder, folder / ".DS_Store"])
    assert [(f.path.relative_to(tmp_path).as_posix(), f.folder) for f in chosen.files] == [
        ("evidence/api.jsonl", "evidence"),
        ("evidence/sub/more.jsonl", "evidence/sub"),
        ("evidence/.DS_Store", None),
    ]  # a hidden file named itself is taken: naming it is a choice
    assert chosen.hidden == {folder: 3}
    assert "Skipped 3 hidden files" in chosen.hidden_note() and str(folder) in chosen.hidden_note()


def test_cli_import_of_a_folder_skips_hidden_files_and_says_how_many(case_path, tmp_path, cli):
    folder = evidence_folder(tmp_path)
    code, out, err = cli("import", case_path, folder, "--quiet")
    assert code == 0, err
    assert "imported 5" in out
    assert ".DS_Store" not in out and "config" not in out and ".swp" not in out
    assert f"Skipped 3 hidden files (names starting with '.') in {folder} (3)" in out
    code, out, _ = cli("quarantine", case_path, "--json")
    assert json.loads(out) == []  # the hidden files were not stored and quarantined as unrecognised


def test_cli_import_of_a_hidden_file_named_itself_imports_it(case_path, tmp_path, cli):
    hidden = tmp_path / ".api.jsonl"
    hidden.write_text(log_lines(4), encoding="utf-8")
    code, out, err = cli("import", case_path, hidden, "--quiet")
    assert code == 0, err
    assert "imported 4" in out and "Skipped" not in out


def test_cli_import_of_a_path_that_is_not_there_says_so(case_path, tmp_path, cli):
    code, _, err = cli("import", case_path, tmp_path / "gone.jsonl")
    assert code != 0 and "gone.jsonl does not exist" in err

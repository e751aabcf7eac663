"""A folder of evidence with the hidden files a Mac, git and an editor leave behind (CLI and wizard tests)."""

import json


def log_lines(count: int) -> str:
    return "".join(
        json.dumps({"timestamp": f"2026-03-01T10:00:{i:02d}Z", "account": f"acct-{i}", "prompt": f"question {i}"})
        + "\n"
        for i in range(count)
    )


def evidence_folder(tmp_path):
    """Two logs, and three hidden files a Mac, git and an editor leave behind."""
    folder = tmp_path / "evidence"
    (folder / "sub").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / "api.jsonl").write_text(log_lines(3), encoding="utf-8")
    (folder / "sub" / "more.jsonl").write_text(log_lines(2).replace("acct", "other"), encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + bytes(64))
    (folder / ".git" / "config").write_text("[core]\n\tbare = false\n", encoding="utf-8")
    (folder / "sub" / ".more.jsonl.swp").write_bytes(b"b0VIM 8.2" + bytes(64))
    return folder

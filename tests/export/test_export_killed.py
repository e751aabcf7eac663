"""An export killed (SIGKILL) at any point: the case still verifies, no production is
recorded without its files or files without their production, nothing that looks
produced is left, and the next export finishes or removes the leftover and says so."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.cancel import run_to_end
from app.export.bundle import _sha256
from app.export.productions import list_productions
from app.export.unfinished import WorkFolder, clean_unfinished
from app.store.case_file import CaseFile
from app.store.verify import verify_case
from export_builders import import_paths, log_row, write_log, write_png

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ROOT = Path(__file__).resolve().parents[2]

# Runs a real export and stops ("PAUSED") at the named point, so the test kills it there
# rather than after a blind sleep. Points are progress stages or steps of the finish.
DRIVER = """
import sys, time
from app.export import bundle, unfinished
from app.export.bundle import ExportSettings, export_bundle
from app.export.selection import Selection
from app.store.case_file import CaseFile
case_path, out, point, what = sys.argv[1:5]

def pause(*args, **kwargs):
    print("PAUSED", flush=True)
    time.sleep(600)

if point == "committing":  # the production is written, its transaction not yet committed
    record = bundle._record
    bundle._record = lambda *a, **k: (record(*a, **k), pause())[0]
elif point == "moving":  # committed; the PDF has its final name, the sidecars not yet
    move = bundle.move_into_place
    bundle.move_into_place = lambda folder, out_dir, names: (move(folder, out_dir, list(names)[:1]), pause())
elif point == "removing":  # every file in place, the work folder not yet removed
    unfinished.WorkFolder.remove = pause

case = CaseFile.open(case_path)
if what == "reproduce":
    operation = bundle.reproduce_production(case, 1, out)
else:
    operation = export_bundle(case, out, Selection(), ExportSettings(loadfile=True))
for report in operation:
    print(report.stage, flush=True)
    if report.stage.startswith(point):
        pause()
print("FINISHED", flush=True)
"""

POINTS = [
    "Drawing exhibits",
    "Writing the PDF",
    "Rendering page images",
    "Writing the exhibit list",
    "committing",
    "moving",
    "removing",
]
# What a work folder may hold: only names that say unfinished, the bookkeeping, and unstamped drawn parts.
BOOKKEEPING = ("export.json", "export.json.tmp", "export.lock", "front.pdf")


@pytest.fixture
def exported_case(case, case_path, tmp_path):
    rows = [
        log_row(f"2026-03-0{day}T0{hour}:00:00Z", f"prompt {day}-{hour}", f"answer {day}-{hour}")
        for day in (1, 2, 3)
        for hour in (1, 2)
    ]
    write_log(tmp_path / "api.jsonl", rows)
    write_png(tmp_path / "screenshot.png")
    import_paths(case, [tmp_path / "api.jsonl", tmp_path / "screenshot.png"])
    case.close()
    out = tmp_path / "out"
    out.mkdir()
    return case_path, out


def _kill_at(case_path: Path, out: Path, point: str, what: str = "export") -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(case_path), str(out / "bundle.pdf"), point, what],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        stages = []
        for line in child.stdout:
            stages.append(line.strip())
            if line.strip() == "PAUSED":
                break
        assert stages[-1] == "PAUSED", f"the export never reached {point!r}: {stages}"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        child.kill()  # nothing once it is dead
        child.stdout.close()


def _verified(case_path: Path) -> list[dict]:
    with CaseFile.open(case_path) as case:
        result = run_to_end(verify_case(case))
        assert result.ok, result.problems
        return list_productions(case.conn)


def _produced(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("bundle"))


@pytest.mark.parametrize("point", POINTS)
def test_a_killed_export_is_finished_or_removed_by_the_next(exported_case, point, cli):
    case_path, out = exported_case
    _kill_at(case_path, out, point)

    [leftover] = out.glob(".casefile-export-*")
    for entry in leftover.iterdir():  # nothing in it looks produced
        assert entry.name.startswith("UNFINISHED-") or entry.name.startswith("drawn") or entry.name in BOOKKEEPING
    productions = _verified(case_path)
    if point in ("committing", *POINTS[:4]):
        assert productions == [] and _produced(out) == []  # not recorded: no file with a final name

    code, said, err = cli("export", case_path, out / "next.pdf", "--quiet")
    assert code == 0, err
    assert list(out.glob(".casefile-export-*")) == []
    if productions:  # recorded: the next run put every file in place, exactly as recorded
        [production] = productions
        assert f"Finished production {production['id']}, which an earlier run recorded" in said
        recorded = {production["pdf_name"]: production["pdf_sha256"], **production["sidecars"]}
        assert _produced(out) == sorted(recorded)
        assert {name: _sha256(out / name) for name in recorded} == recorded
    else:
        assert f"Removed the unfinished export left by an earlier run that was stopped: {leftover}" in said
        assert _produced(out) == []
    assert len(_verified(case_path)) == len(productions) + 1


def test_a_killed_reproduction_is_finished_by_the_next_export(exported_case, cli):
    case_path, out = exported_case
    code, _, err = cli("export", case_path, out.parent / "first.pdf", "--quiet")
    assert code == 0, err
    _kill_at(case_path, out, "moving", "reproduce")
    code, said, err = cli("export", case_path, out / "next.pdf", "--quiet")
    assert code == 0, err
    assert "Finished a copy of production 1, which an earlier run recorded" in said
    with CaseFile.open(case_path) as case:
        [first, _next] = list_productions(case.conn)
    assert _sha256(out / "bundle.pdf") == first["pdf_sha256"]
    # Every sidecar is the recorded one, byte for byte, but the chain head's JSON: it names
    # the PDF it sits beside, and this copy was made under another name.
    head = "first.chain-head.json"
    assert {
        name.replace("bundle", "first"): _sha256(out / name) for name in _produced(out) if name != "bundle.pdf"
    } == {**first["sidecars"], head: _sha256(out / "bundle.chain-head.json")}
    copy_head = json.loads((out / "bundle.chain-head.json").read_text(encoding="utf-8"))
    first_head = json.loads((out.parent / head).read_text(encoding="utf-8"))
    assert copy_head == {**first_head, "pdf_name": "bundle.pdf"}


def test_a_leftover_of_another_case_is_settled_from_that_case(exported_case, tmp_path, cli):
    case_path, out = exported_case
    _kill_at(case_path, out, "moving")
    other = tmp_path / "other.casefile"
    CaseFile.create(other, "Other case", "CL-2", "UTC", operator="tester").close()
    write_log(tmp_path / "other.jsonl", [log_row("2026-04-01T10:00:00Z", "other prompt", "other answer")])
    with CaseFile.open(other) as case:
        import_paths(case, [tmp_path / "other.jsonl"])
    code, said, err = cli("export", other, out / "other.pdf", "--quiet")
    assert code == 0, err
    assert "Finished production 1, which an earlier run recorded" in said  # production 1 of the first case
    [production] = _verified(case_path)
    assert _sha256(out / "bundle.pdf") == production["pdf_sha256"]


def test_an_export_still_running_is_left_alone(case, tmp_path):
    running = WorkFolder(tmp_path, case.path)  # holds its lock, as a running export does
    try:
        assert clean_unfinished(case, tmp_path) == []
        assert running.path.is_dir()
    finally:
        running.remove()


def test_an_older_versions_leftover_is_removed(case, tmp_path):
    old = tmp_path / ".casefile-export-k2j4"  # an older version kept no lock or marker
    old.mkdir()
    (old / "bundle.pdf").write_bytes(b"%PDF-1.4 stamped")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    assert clean_unfinished(case, tmp_path) == [
        f"Removed the unfinished export left by an earlier run that was stopped: {old}"
    ]
    assert not old.exists()

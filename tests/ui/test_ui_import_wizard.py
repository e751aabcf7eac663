"""The import wizard driven like a user: files, mapping, import, reconciliation, cancel."""

import json
from types import SimpleNamespace

from PySide6.QtCore import QTimer

from app.store.case_file import CaseFile
from app.ui.import_wizard import ImportWizard
from window_helpers import write_log


def open_wizard(qtbot, case_path, paths):
    wizard = ImportWizard(case_path, paths, operator="paralegal")
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def case_state(case_path):
    with CaseFile.open(case_path) as case:
        one = lambda sql: case.conn.execute(sql).fetchone()[0]  # noqa: E731
        return {t: one(f"SELECT count(*) FROM {t}") for t in ("sources", "items", "quarantine", "audit")}


def test_import_through_wizard_shows_reconciliation(qtbot, case_path, tmp_path):
    log = write_log(tmp_path / "gateway.jsonl", 1000, bad_every=250)
    wizard = open_wizard(qtbot, case_path, [log])
    assert "logs" in wizard.files_page.table.item(0, 2).text()
    wizard.next()
    assert wizard.mapping_page.target_boxes["timestamp"].currentText() == "timestamp"
    assert wizard.mapping_page.preview_table.rowCount() == 20
    with qtbot.waitSignal(wizard.import_finished, timeout=30000) as finished:
        wizard.next()
    report = finished.args[0]
    assert report.files[0].reconciles and report.files[0].quarantined == 4
    assert "imported 996" in wizard.run_page.result_label.text()
    assert wizard.run_page.table.item(0, 4).text() == "4"
    view = wizard.run_page.show_quarantine()
    qtbot.addWidget(view)
    assert view.model.rowCount() == 4
    assert view.model.row(0)[1].startswith("line 250")
    assert "not valid JSON" in view.model.row(0)[2]
    with CaseFile.open(case_path) as case:
        actor = case.conn.execute("SELECT actor FROM audit WHERE action = 'import'").fetchone()[0]
    assert actor == "paralegal"


def test_edited_mapping_is_what_gets_imported(qtbot, case_path, tmp_path):
    log = write_log(tmp_path / "gateway.jsonl", 50)
    wizard = open_wizard(qtbot, case_path, [log])
    wizard.next()
    page = wizard.mapping_page
    page.target_boxes["account"].setCurrentText("client_ip")
    header = [page.preview_table.horizontalHeaderItem(c).text() for c in range(page.preview_table.columnCount())]
    column = header.index("account")
    assert page.preview_table.item(0, column).text() == "203.0.113.0"
    with qtbot.waitSignal(wizard.import_finished, timeout=30000):
        wizard.next()
    with CaseFile.open(case_path) as case:
        accounts = {r[0] for r in case.conn.execute("SELECT DISTINCT account FROM items")}
    assert all(a.startswith("203.0.113.") for a in accounts)


def test_timezone_choice_changes_the_preview(qtbot, case_path, tmp_path):
    log = tmp_path / "naive.jsonl"
    log.write_text('{"time": "2025-03-01 09:00:00", "user": "a"}\n' * 3, encoding="utf-8")
    wizard = open_wizard(qtbot, case_path, [log])
    wizard.next()
    page = wizard.mapping_page
    page.zone_box.setCurrentText("America/New_York")
    assert page.preview_table.item(0, 1).text().startswith("2025-03-01T14:00:00")
    assert "assumed" in page.status.text()


def test_cancel_midway_leaves_the_case_unchanged(qtbot, case_path, tmp_path):
    log = write_log(tmp_path / "big.jsonl", 60000)
    before = case_state(case_path)
    wizard = open_wizard(qtbot, case_path, [log])
    wizard.next()
    seen = []

    def cancel_once_rows_flow(report):
        if report.records and not seen:
            seen.append(report.records)
            wizard.run_page.cancel_import()

    with qtbot.waitSignal(wizard.import_cancelled, timeout=30000):
        wizard.next()
        wizard.run_page.runner.progressed.connect(cancel_once_rows_flow)
    assert seen and seen[0] < 60000
    assert "cancelled" in wizard.run_page.result_label.text()
    assert case_state(case_path) == before


def test_unrecognised_and_empty_files_are_stored_quarantined_whole_and_reported(qtbot, case_path, tmp_path):
    junk, empty = tmp_path / "photo.heif", tmp_path / "notes.txt"
    junk.write_bytes(b"\x00\x01\x02 not evidence")
    empty.write_bytes(b"")
    log = write_log(tmp_path / "gateway.jsonl", 10)
    wizard = open_wizard(qtbot, case_path, [junk, empty, log])
    notes = [wizard.files_page.table.item(row, 3).text() for row in range(3)]
    assert notes[0] == "The format was not recognised: it will be stored and quarantined whole."
    assert notes[1] == "The file is empty (0 bytes): it will be stored and quarantined whole."
    assert wizard.files_page.isComplete()
    wizard.next()
    with qtbot.waitSignal(wizard.import_finished, timeout=30000) as finished:
        wizard.next()
    report = finished.args[0]
    assert [f.path for f in report.files] == [str(junk), str(empty), str(log)]
    table = wizard.run_page.table
    rows = [[table.item(row, column).text() for column in range(table.columnCount())] for row in range(3)]
    assert rows[0] == [
        str(junk),
        "1",
        "0",
        "0",
        "1",
        "0",
        "yes",
        "stored and quarantined whole: the format was not recognised",
    ]
    assert rows[1][7] == "stored and quarantined whole: the file is empty (0 bytes)"
    assert rows[2][2] == "10" and rows[2][7] == ""
    assert "2 files could not be read and were stored and quarantined whole" in wizard.run_page.result_label.text()
    view = wizard.run_page.show_quarantine()
    qtbot.addWidget(view)
    assert view.model.rowCount() == 2
    assert {view.model.row(r)[1] for r in range(2)} == {"the whole file"}
    assert case_state(case_path)["sources"] == 3


def test_event_loop_keeps_turning_during_a_200k_row_import(qtbot, case_path, tmp_path):
    log = write_log(tmp_path / "huge.jsonl", 200_000, step_s=1)
    wizard = open_wizard(qtbot, case_path, [log])
    wizard.next()
    ticks = []
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    with qtbot.waitSignal(wizard.import_finished, timeout=120000) as finished:
        wizard.next()
    timer.stop()
    assert finished.args[0].totals["imported"] == 200_000
    # The timer kept firing while the rows were read: the import ran on a worker. (How long
    # the longest gap is depends on the machine's load; that is for bench/, not a test.)
    assert len(ticks) > 20


def test_a_mapping_saved_in_the_case_is_offered_next_time(qtbot, case_path, tmp_path):
    log = write_log(tmp_path / "gateway.jsonl", 30)
    wizard = open_wizard(qtbot, case_path, [log])
    wizard.next()
    page = wizard.mapping_page
    assert page.preset_box.findText("api-gateway-jsonl") > 0  # a shipped preset
    page.target_boxes["account"].setCurrentText("api_key")
    assert page.save_mapping_as("Gateway by key")
    wizard.reject()
    again = open_wizard(qtbot, case_path, [log])
    again.next()
    page = again.mapping_page
    page.preset_box.setCurrentIndex(page.preset_box.findText("Gateway by key (saved in this case)"))
    assert page.target_boxes["account"].currentText() == "api_key"
    assert again.settings().for_file(log).mapping_name == "Gateway by key"


def test_progress_text_gives_rows_rate_and_time_left(monkeypatch):
    from app.core.cancel import Progress
    from app.ui import import_wizard_run

    clock = iter([100.0, 100.0, 110.0])  # created, stage begins, report
    # this module's clock only: patching time.monotonic itself would stop every other user of it
    monkeypatch.setattr(import_wizard_run, "time", SimpleNamespace(monotonic=lambda: next(clock)))
    rate = import_wizard_run.ProgressRate()
    text = rate.describe(Progress("Importing api.jsonl", 250, 1000, "bytes", 50_000))
    assert text == "Importing api.jsonl — 50,000 rows, 5,000 rows/s — 25%, about 30 s left"


def _other_log(tmp_path):
    other = tmp_path / "other.jsonl"
    other.write_text(
        "".join(f'{{"time": "2025-03-0{n}T09:00:00Z", "user": "u{n}", "input": "hi"}}\n' for n in range(1, 6)),
        encoding="utf-8",
    )
    return other


def test_files_with_other_fields_each_get_their_own_mapping(qtbot, case_path, tmp_path):
    logs = [
        write_log(tmp_path / "gateway-1.jsonl", 20),
        write_log(tmp_path / "gateway-2.jsonl", 20, start_s=1_750_000_000),
    ]
    other = _other_log(tmp_path)
    wizard = open_wizard(qtbot, case_path, [*logs, other])
    wizard.next()
    page = wizard.mapping_page
    assert "2 files with the same fields: gateway-1.jsonl, gateway-2.jsonl" in page.applies_to.text()
    page.target_boxes["account"].setCurrentText("client_ip")  # for both gateway logs
    page.file_box.setCurrentIndex(2)
    assert page.target_boxes["account"].currentText() != "client_ip"  # other.jsonl keeps its own
    assert page.applies_to.text() == ""
    page.target_boxes["account"].setCurrentText("input")
    page.file_box.setCurrentIndex(1)
    assert page.target_boxes["account"].currentText() == "client_ip"  # the choice is remembered
    with qtbot.waitSignal(wizard.import_finished, timeout=30000) as finished:
        wizard.next()
    assert all(f.reconciles and f.imported for f in finished.args[0].files)
    with CaseFile.open(case_path) as case:
        accounts = dict(
            case.conn.execute(
                "SELECT s.original_name, group_concat(DISTINCT substr(i.account, 1, 9))"
                " FROM items i JOIN sources s ON s.id = i.source_id GROUP BY s.id"
            )
        )
        mappings = [
            json.loads(r[0])["mapping"]["account"]
            for r in case.conn.execute("SELECT settings FROM sources ORDER BY id")
        ]
    assert accounts == {"gateway-1.jsonl": "203.0.113", "gateway-2.jsonl": "203.0.113", "other.jsonl": "hi"}
    assert mappings == ["client_ip", "client_ip", "input"]  # recorded with each source


def test_a_saved_mapping_naming_a_field_a_file_lacks_is_refused(qtbot, case_path, tmp_path):
    log = write_log(tmp_path / "gateway.jsonl", 20)
    other = _other_log(tmp_path)
    before = case_state(case_path)
    wizard = open_wizard(qtbot, case_path, [log, other])
    wizard.next()
    page = wizard.mapping_page
    page.target_boxes["account"].setCurrentText("client_ip")
    assert page.save_mapping_as("By IP")
    before["audit"] += 1  # saving the mapping is itself recorded
    page.file_box.setCurrentIndex(1)
    page.preset_box.setCurrentIndex(page.preset_box.findText("By IP (saved in this case)"))
    wizard.next()
    assert wizard.currentPage() is page
    assert "other.jsonl has no field" in page.status.text() and "client_ip" in page.status.text()
    assert case_state(case_path) == before


def test_a_file_imported_before_is_reported_not_added_again(qtbot, case_path, tmp_path):
    log = write_log(tmp_path / "gateway.jsonl", 10)
    for expected in (("yes", ""), ("", "already imported as source 1; nothing added")):
        wizard = open_wizard(qtbot, case_path, [log])
        wizard.next()
        with qtbot.waitSignal(wizard.import_finished, timeout=30000):
            wizard.next()
        assert (wizard.run_page.table.item(0, 6).text(), wizard.run_page.table.item(0, 7).text()) == expected
    assert case_state(case_path)["items"] == 10


def test_a_file_gone_before_the_import_fails_in_plain_words(qtbot, case_path, tmp_path):
    log = write_log(tmp_path / "gateway.jsonl", 10)
    before = case_state(case_path)
    wizard = open_wizard(qtbot, case_path, [log])
    wizard.next()
    log.unlink()
    with qtbot.waitSignal(wizard.import_failed, timeout=30000) as failed:
        wizard.next()
    assert "gateway.jsonl" in failed.args[0]
    assert "nothing was changed" in wizard.run_page.result_label.text()
    assert case_state(case_path) == before


def test_a_zip_is_listed_as_an_archive_and_its_members_reported_one_by_one(qtbot, case_path, tmp_path):
    import io
    import zipfile

    log = write_log(tmp_path / "gateway.jsonl", 12)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("march/gateway.jsonl", log.read_bytes())
        archive.writestr("march/readme.bin", b"\x00\x01\x02\x03")
    path = tmp_path / "export.zip"
    path.write_bytes(buffer.getvalue())
    wizard = open_wizard(qtbot, case_path, [path])
    assert wizard.files_page.table.item(0, 2).text() == "archive (zip)"
    with qtbot.waitSignal(wizard.import_finished, timeout=30000):
        wizard.next()
    table = wizard.run_page.table
    assert [table.item(row, 0).text() for row in range(table.rowCount())] == [
        str(path),
        f"{path} > march/gateway.jsonl",
        f"{path} > march/readme.bin",
    ]
    assert table.item(0, 7).text() == "zip archive: 2 files unpacked and listed below"
    assert table.item(1, 2).text() == "12"
    assert table.item(2, 7).text() == "stored and quarantined whole: the format was not recognised"

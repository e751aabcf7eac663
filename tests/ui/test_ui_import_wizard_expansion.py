"""The import wizard's 'Allow large expansion': offered for compressed files, and it lets them in."""

import gzip
import json

import app.ui.import_wizard_mapping
from app.core.records import ImportSettings
from app.store.case_file import CaseFile
from app.ui.import_wizard import ImportWizard
from window_helpers import write_log


class LowGuard(ImportSettings):
    """The guard at 30 times and 1 MB (not 100 times and 1 GB), so a small file trips it."""

    def __init__(self, **chosen):
        super().__init__(**chosen, expansion_ratio=30, expansion_floor_bytes=1024 * 1024)


def _expanding(path):
    rows = b"".join(
        json.dumps({"timestamp": "2026-03-01T10:00:00Z", "account": "acct", "prompt": "same " * 20, "n": n}).encode()
        + b"\n"
        for n in range(20000)
    )
    path.write_bytes(gzip.compress(rows, 9))
    return path


def _run(qtbot, case_path, paths, allow: bool):
    wizard = ImportWizard(case_path, paths, operator="paralegal")
    qtbot.addWidget(wizard)
    wizard.show()
    box = wizard.files_page.allow_expansion
    assert box.isVisibleTo(wizard.files_page)  # a compressed file is among those chosen
    box.setChecked(allow)
    wizard.next()  # the mapping page
    with qtbot.waitSignal(wizard.import_finished, timeout=60000) as finished:
        wizard.next()
    return wizard, finished.args[0]


def test_only_compressed_files_offer_the_choice(qtbot, case_path, tmp_path):
    wizard = ImportWizard(case_path, [write_log(tmp_path / "plain.jsonl", 10)], operator="paralegal")
    qtbot.addWidget(wizard)
    wizard.show()
    assert not wizard.files_page.allow_expansion.isVisibleTo(wizard.files_page)
    assert wizard.settings().allow_large_expansion is False


def test_a_refused_file_says_why_and_ticking_the_box_imports_it(qtbot, case_path, tmp_path, monkeypatch):
    monkeypatch.setattr(app.ui.import_wizard_mapping, "ImportSettings", LowGuard)
    big = _expanding(tmp_path / "big.jsonl.gz")

    wizard, report = _run(qtbot, case_path, [big], allow=False)
    assert report.files[0].not_imported
    shown = wizard.run_page.table.item(0, 7).text()  # the Note column
    assert "expands to more than 30 times its size" in shown and "Allow large expansion" in shown
    with CaseFile.open(case_path) as case:
        assert case.conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 0

    wizard, report = _run(qtbot, case_path, [big], allow=True)
    assert report.files[0].imported == 20000
    assert wizard.run_page.table.item(0, 2).text() == "20,000"

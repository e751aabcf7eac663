"""The import wizard's "Detected as" column: one combo per file, the format it will be read as.

Casefile's detection is the default; choosing another format imports that file as the
CLI's `--as` would (ImportSettings.file_kinds). A file whose format was not recognised
can be given one here instead of being stored and quarantined whole.
"""

from PySide6.QtWidgets import QComboBox

from app.importers.preview import DetectedFile, importer_choices

NOT_DETECTED = "— (not recognised)"


def label(name: str, family: str) -> str:
    return f"{family} ({name})"


def kind_combo(found: DetectedFile, changed) -> QComboBox:
    """A combo of every format, the file's own selected; `changed(found)` after the user picks one."""
    box = QComboBox()
    box.setAccessibleName(f"Import {found.path.name} as")
    if found.importer is None:
        box.addItem(NOT_DETECTED, None)
    for name, family in importer_choices():
        box.addItem(label(name, family), name)
    box.setCurrentIndex(max(0, box.findData(found.importer)))
    box.setEnabled(found.problem is None)

    def picked(_index: int) -> None:
        name = box.currentData()
        if name is not None and name != found.importer:
            found.choose(name)
            changed(found)

    box.currentIndexChanged.connect(picked)
    return box


def chosen_kinds(files: list[DetectedFile]) -> dict[str, str]:
    """{path: importer} of the files whose format the user changed."""
    return {str(d.path): d.importer for d in files if d.chosen and d.importer}

"""The user's settings: each declared once with its type and default, kept in QSettings.

    settings = Settings()
    zone = settings.get(DISPLAY_TIMEZONE)      # "" means: the case's own zone
    settings.set(OPERATOR_NAME, "A. Paralegal")
    settings.add_recent_case(path)

Settings live in an INI file under the user's config folder (QSettings IniFormat,
UserScope, organisation/application below). Tests isolate them with
`isolate_settings(folder)`, which points that scope at a temporary folder.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

from app.store.case_file import default_operator

ORGANISATION = "Casefile"
APPLICATION = "Casefile"
MAX_RECENT = 10


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    doc: str


DISPLAY_TIMEZONE = Setting(
    "display/timezone", str, "", "IANA zone for showing times; empty shows each case in its own zone"
)
OPERATOR_NAME = Setting("operator/name", str, "", "the reviewer name recorded in the audit log; empty: the OS user")
BATES_PREFIX = Setting("export/bates_prefix", str, "CASE", "the default Bates prefix for productions")
EXPORT_PARTY = Setting("export/party", str, "", "the producing party last typed in the export dialog")
EXPORT_FOLDER = Setting("export/folder", str, "", "the folder the last bundle was saved in")
RECENT_CASES = Setting("cases/recent", list, [], "recently opened case files, newest first")
WINDOW_GEOMETRY = Setting("window/geometry", QByteArray, QByteArray(), "the main window's geometry")
WINDOW_STATE = Setting("window/state", QByteArray, QByteArray(), "the main window's toolbars and docks (versioned)")
LAST_FOLDER = Setting("cases/last_folder", str, "", "where the last case was opened from")
TABLE_COLUMNS = Setting("table/optional_columns", list, [], "the optional columns shown in the review table")
CATEGORY_KEYS = Setting("coding/category_keys", dict, {}, "keys the user gave categories: {code: key sequence}")
CODING_CHECKBOXES = Setting("coding/checkboxes", bool, False, "the coding panel as a compact grid of checkboxes")

ALL_SETTINGS = (
    DISPLAY_TIMEZONE,
    OPERATOR_NAME,
    BATES_PREFIX,
    EXPORT_PARTY,
    EXPORT_FOLDER,
    RECENT_CASES,
    WINDOW_GEOMETRY,
    WINDOW_STATE,
    LAST_FOLDER,
    TABLE_COLUMNS,
    CATEGORY_KEYS,
    CODING_CHECKBOXES,
)


def set_application_names() -> None:
    """Organisation and application names (QSettings and the window system use them)."""
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)


def isolate_settings(folder: Path) -> None:
    """Keep every Settings() of this process in `folder` (tests: never the real user's)."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


class Settings:
    """Typed access to the declared settings."""

    def __init__(self, qsettings: QSettings | None = None):
        self.qsettings = qsettings or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
        )

    def get(self, setting: Setting):
        raw = self.qsettings.value(setting.key)
        if raw is None:
            return _copy(setting.default)
        try:
            return _decode(setting, raw)
        except (TypeError, ValueError):  # a hand-edited or older value: fall back, never crash
            return _copy(setting.default)

    def set(self, setting: Setting, value) -> None:
        if setting.type is list:
            value = json.dumps(list(value))
        elif setting.type is dict:
            value = json.dumps(dict(value))
        self.qsettings.setValue(setting.key, value)

    def sync(self) -> None:
        self.qsettings.sync()

    # -- conveniences ------------------------------------------------------------------

    def operator(self) -> str:
        """The name recorded in the audit log."""
        return self.get(OPERATOR_NAME).strip() or default_operator()

    def recent_cases(self) -> list[str]:
        return [p for p in self.get(RECENT_CASES) if isinstance(p, str)]

    def add_recent_case(self, path) -> None:
        text = str(Path(path).resolve())
        recent = [text] + [p for p in self.recent_cases() if p != text]
        self.set(RECENT_CASES, recent[:MAX_RECENT])
        self.set(LAST_FOLDER, str(Path(text).parent))

    def remove_recent_case(self, path) -> None:
        text = str(Path(path).resolve())
        self.set(RECENT_CASES, [p for p in self.recent_cases() if p != text])


def _decode(setting: Setting, raw):
    if setting.type is list:
        value = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(value, list):
            raise ValueError("not a list")
        return value
    if setting.type is dict:
        value = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(value, dict):
            raise ValueError("not a mapping")
        return value
    if setting.type is QByteArray:
        return raw if isinstance(raw, QByteArray) else QByteArray(raw)
    if setting.type is bool:
        return raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1", "yes")
    return setting.type(raw)


def _copy(value):
    if isinstance(value, (list, dict)):
        return type(value)(value)
    return value

"""The analysis settings: every weight and threshold in one JSON file.

`resources/analysis/default.json` ships the defaults; a case may override any value
(stored in the case), and a user may pass a file (`--settings FILE`). Findings record
the settings they were computed with and their hash, so the same case and the same
settings give the same findings, and a reader can see which numbers were used.
"""

import hashlib
import json
from copy import deepcopy
from pathlib import Path

from app.core.paths import resources_dir


class SettingsError(ValueError):
    """A settings file that cannot be used; the message says why in one sentence."""


def default_settings_path() -> Path:
    return resources_dir() / "analysis" / "default.json"


def default_settings() -> dict:
    return json.loads(default_settings_path().read_text(encoding="utf-8"))


def merged(base: dict, override: dict) -> dict:
    """`base` with `override` laid over it, section by section (nested dicts merge; other values replace).

    A key the defaults do not know is refused: a misspelt threshold must not be ignored silently.
    """
    result = deepcopy(base)
    for key, value in override.items():
        if key not in result:
            raise SettingsError(f"unknown analysis setting {key!r}")
        if isinstance(result[key], dict) and isinstance(value, dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = deepcopy(value)
    return result


def load_settings(path: Path | str | None = None, override: dict | None = None) -> dict:
    """The defaults, then the case's own overrides, then a user's file (each over the last)."""
    settings = default_settings()
    if override:
        settings = merged(settings, override)
    if path is not None:
        try:
            user = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise SettingsError(f"{path} is not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(user, dict):
            raise SettingsError(f"{path} must hold a JSON object of settings")
        settings = merged(settings, user)
    return settings


def settings_hash(settings: dict) -> str:
    """SHA-256 of the settings in canonical JSON: recorded with every finding."""
    canonical = json.dumps(settings, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

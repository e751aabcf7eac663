"""Where the shipped resources live, from a source checkout or a frozen build."""

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The `resources/` folder (taxonomy, mappings, fonts, icons)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def user_data_dir() -> Path:
    """The per-user data folder Casefile keeps its own files in (the demo case, signing keys).

    `%LOCALAPPDATA%\\Casefile` on Windows, `~/Library/Application Support/Casefile` on
    macOS, `$XDG_DATA_HOME/casefile` (default `~/.local/share/casefile`) elsewhere.
    """
    import os

    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local") / "Casefile"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "Casefile"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "casefile"

"""Where the shipped resources live, from a source checkout or a frozen build."""

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The `resources/` folder (taxonomy, mappings, fonts, icons)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"

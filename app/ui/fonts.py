"""The fonts shipped with Casefile, offered to Qt too (the bundle draws with the same ones)."""

from functools import lru_cache

from PySide6.QtGui import QFontDatabase

from app.core.paths import resources_dir


@lru_cache(maxsize=1)
def bundled_fonts() -> list[int]:
    """The fonts shipped for the bundle, offered to Qt as well: Chinese, Japanese and Korean
    evidence is readable on a machine without such a font (else each character is a box)."""
    fonts = resources_dir() / "fonts"
    return [QFontDatabase.addApplicationFont(str(path)) for path in sorted(fonts.glob("*.ttf"))]

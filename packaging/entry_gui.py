"""Frozen entry point of `casefile-gui` (the desktop application; no console window)."""

import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())

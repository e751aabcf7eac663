"""Frozen entry point of `casefile` (the command line; console application)."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())

"""`python -m app.cli ARGS`: the same as `casefile ARGS` (used by the tests' child processes)."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())

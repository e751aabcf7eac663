"""`python -m app`: the desktop application."""

import sys


def main(argv=None) -> int:
    from app.ui.application import run
    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())

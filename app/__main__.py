"""`python -m app` / `casefile-gui`: the desktop application.

Takes the same arguments as `casefile gui` (`[CASE] [--demo] [--quit-after-show]`),
parsed in one place (`casefile gui`, app/cli/gui.py); `start_gui` is what finally imports the Qt front end.
"""

import sys


def main(argv=None) -> int:
    from app.cli import main as cli_main

    return cli_main(["gui", *(sys.argv[1:] if argv is None else argv)])


def start_gui(argv) -> int:
    """Show the main window (on the case in argv, if any) and run the event loop."""
    from app.ui.application import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())

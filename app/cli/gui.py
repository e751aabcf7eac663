"""`casefile gui`: the desktop application, imported only when this command runs.

The CLI never imports Qt at module level: `casefile items ...` must start without it, and
on a server it may not be installed. `cmd_gui` alone reaches the GUI, inside the function.
"""

from pathlib import Path


def register_gui(sub) -> None:
    p = sub.add_parser("gui", help="open the desktop application")
    p.add_argument("case", metavar="CASE", type=Path, nargs="?", help="a case file to open")
    p.add_argument(
        "--demo", action="store_true", help="open the demo case (built on first run in a per-user data folder)"
    )
    p.add_argument("--quit-after-show", action="store_true", help="exit once the main window is shown (a smoke test)")
    p.set_defaults(run=cmd_gui)


def cmd_gui(args) -> int:
    from app.__main__ import start_gui as gui_main  # the GUI is imported only when asked for

    case = args.case
    if args.demo:
        from app.cli.demo import demo_case_for_gui

        case = demo_case_for_gui()
    argv = [str(case)] if case else []
    if args.quit_after_show:
        from app.ui.smoke import run_quitting_after_show

        return run_quitting_after_show(gui_main, argv)
    return gui_main(argv)

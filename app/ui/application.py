"""Starting the desktop application: `python -m app [CASE]`, `casefile gui [CASE]`."""

import sys


def run(argv) -> int:
    """Show the main window (with the case given, if any) and run the event loop."""
    from PySide6.QtWidgets import QApplication

    from app.ui.main_window import MainWindow
    from app.ui.settings import set_application_names

    set_application_names()
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    paths = [a for a in argv if not a.startswith("-")]
    window = MainWindow(paths[0] if paths else None)
    window.show()
    return app.exec()

"""Starting the desktop application (a placeholder window until the main window lands)."""

import sys


def run(argv) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    label = QLabel("Casefile")
    label.setWindowTitle("Casefile")
    label.show()
    return app.exec()

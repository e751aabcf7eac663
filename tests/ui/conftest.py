"""GUI test fixtures: real case files (settings are isolated for every test in tests/conftest.py)."""

import pytest

from ui_case_builder import build_review_case


@pytest.fixture
def isolated_settings(user_folders):
    """The folder this test's Settings() read and write (an INI file in a temp folder)."""
    return user_folders / "qsettings"


@pytest.fixture
def review_case_path(tmp_path):
    """A case with log entries imported through the real pipeline, plus the other kinds."""
    return build_review_case(tmp_path / "review.casefile")


@pytest.fixture
def review_window(qtbot, review_case_path):
    """The main window over the review case, shown and active (so keys reach its shortcuts)."""
    from app.ui.main_window import MainWindow

    window = MainWindow(review_case_path)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    yield window
    window.close()

"""GUI test fixtures: isolated settings (never the real user's) and real case files."""

import pytest

from ui_case_builder import build_review_case


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory, monkeypatch):
    """Every Settings() in a GUI test reads and writes an INI file in a temp folder."""
    from app.ui.settings import isolate_settings, set_application_names
    folder = tmp_path_factory.mktemp("qsettings")
    set_application_names()
    isolate_settings(folder)
    return folder


@pytest.fixture
def review_case_path(tmp_path):
    """A case with log entries imported through the real pipeline, plus the other kinds."""
    return build_review_case(tmp_path / "review.casefile")

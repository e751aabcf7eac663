"""Shared fixtures. Qt runs offscreen in every test."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.store.case_file import CaseFile  # noqa: E402
from user_folders import USER_FOLDER_VARIABLES  # noqa: E402


def _point_user_folders_at(root: Path, setenv) -> None:
    """Home, settings, data, signing keys and the demo case under `root`; child processes inherit it."""
    for name in USER_FOLDER_VARIABLES:
        folder = root / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        setenv(name, str(folder))
    _isolate_qsettings(root / "qsettings")


def _isolate_qsettings(folder: Path) -> None:
    """QSettings caches its folders when first used, so the environment alone does not move
    them inside this process: point the user scope at `folder` explicitly."""
    from app.ui.settings import isolate_settings, set_application_names

    folder.mkdir(parents=True, exist_ok=True)
    set_application_names()
    isolate_settings(folder)


@pytest.fixture(scope="session", autouse=True)
def _user_folders_for_the_session(tmp_path_factory):
    """Session-wide fixtures (cases built once) use temporary user folders too."""
    saved = {name: os.environ.get(name) for name in USER_FOLDER_VARIABLES}
    _point_user_folders_at(tmp_path_factory.mktemp("user-folders"), os.environ.__setitem__)
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def user_folders(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own home, settings, data and key folders: never the real user's.

    Returns their root; Settings() of the test live in `<root>/qsettings`."""
    root = tmp_path_factory.mktemp("user")
    _point_user_folders_at(root, monkeypatch.setenv)
    return root


@pytest.fixture
def case_path(tmp_path) -> Path:
    """A new, empty case file on disk."""
    path = tmp_path / "test.casefile"
    CaseFile.create(path, "Test case", "CL-2026-0001", "UTC", operator="tester").close()
    return path


@pytest.fixture
def case(case_path):
    """The new case, open."""
    opened = CaseFile.open(case_path, operator="tester")
    yield opened
    opened.close()


@pytest.fixture
def cli(capsys):
    """Run `casefile ...` in-process; returns (exit code, stdout, stderr)."""
    from app.cli import main

    def run(*args):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


# Logs written by the tests themselves, shared by the store, import, verify and CLI tests.
from log_fixtures import casefile_proc, child_env_fixture, imported, log_file, make_log, sha256_of  # noqa: E402,F401

"""The environment variables that name per-user folders (tests/conftest.py isolates them).

Every place Casefile or Qt keeps per-user files: the home folder (QSettings on macOS, the
default of everything else), the XDG folders (settings and data on Linux), the Windows
folders, the signing keys and the demo case. Each test points all of them at its own
temporary folder; child processes inherit the environment. tests/test_isolation.py proves
a run never writes to the real ones.
"""

USER_FOLDER_VARIABLES = (
    "HOME",
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "XDG_STATE_HOME",
    "LOCALAPPDATA",
    "APPDATA",
    "CASEFILE_KEYS_DIR",
    "CASEFILE_DEMO_DIR",
)

"""Settings declared once, typed, isolated from the real user's in tests."""

from PySide6.QtCore import QByteArray

from app.ui import settings as S


def test_defaults_and_round_trip(isolated_settings):
    settings = S.Settings()
    assert settings.get(S.BATES_PREFIX) == "CASE"
    assert settings.get(S.RECENT_CASES) == []
    settings.set(S.OPERATOR_NAME, "A. Paralegal")
    settings.set(S.WINDOW_GEOMETRY, QByteArray(b"\x01\x02"))
    settings.sync()
    again = S.Settings()
    assert again.operator() == "A. Paralegal"
    assert bytes(again.get(S.WINDOW_GEOMETRY)) == b"\x01\x02"
    assert list(isolated_settings.rglob("*.ini")), "settings must be written in the temp folder"


def test_recent_cases_newest_first_without_repeats(tmp_path):
    settings = S.Settings()
    for name in ("a", "b", "a"):
        settings.add_recent_case(tmp_path / f"{name}.casefile")
    assert [p.rsplit("/", 1)[-1] for p in settings.recent_cases()] == ["a.casefile", "b.casefile"]


def test_a_damaged_value_falls_back_to_the_default():
    settings = S.Settings()
    settings.qsettings.setValue(S.RECENT_CASES.key, "{not json")
    assert settings.get(S.RECENT_CASES) == []

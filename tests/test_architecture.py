"""The layering rule of DESIGN.md, enforced: core <- store <- importers, export <- ui, cli."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
# What each layer may import from the application itself.
ALLOWED = {
    "core": {"core"},
    "store": {"core", "store"},
    "importers": {"core", "store", "importers"},
    "export": {"core", "store", "export"},
    "demo": {"core", "store", "importers", "export", "demo"},
    "ui": {"core", "store", "importers", "export", "demo", "ui"},
}
QT_MODULES = ("PySide6", "shiboken6")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _layer(path: Path) -> str:
    rel = path.relative_to(APP)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def test_qt_only_under_ui():
    leaks = []
    for path in APP.rglob("*.py"):
        layer = _layer(path)
        if layer in ("ui", "__main__"):
            continue
        leaks += [f"{path.relative_to(APP)} imports {m}" for m in _imports(path) if m.split(".")[0] in QT_MODULES]
    assert not leaks, "Qt imported outside app/ui: " + "; ".join(leaks)


def test_lower_layers_do_not_import_higher_ones():
    violations = []
    for path in APP.rglob("*.py"):
        layer = _layer(path)
        if layer not in ALLOWED:
            continue
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] != "app" or len(parts) < 2:
                continue
            if parts[1] not in ALLOWED[layer]:
                violations.append(f"app/{path.relative_to(APP)} ({layer}) imports {module}")
    assert not violations, "; ".join(violations)


def test_the_checker_sees_a_violation(tmp_path):
    """The rule can fail: a core module importing Qt is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport app.ui.main_window\n")
    found = list(_imports(bad))
    assert "PySide6.QtCore" in found and "app.ui.main_window" in found

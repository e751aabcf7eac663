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


SQL_CALLS = ("execute", "executemany", "executescript")
SQLITE_UTILS_OBJECTS = ("db", "table")  # how the code names sqlite-utils' Database and Table objects


def _nodes(folder: Path):
    """(path relative to folder, node) for every syntax node of every module under a folder."""
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            yield path.relative_to(folder), node


def _sql_calls(folder: Path) -> list[str]:
    """`file:line` of every `.execute(` (and executemany/executescript) call under a folder."""
    return [f"{path}:{node.lineno}" for path, node in _nodes(folder)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS]


def test_the_gui_runs_no_sql_of_its_own():
    """Widgets and models ask query functions in app/store; the SQL lives there, beside the schema."""
    found = _sql_calls(APP / "ui")
    assert not found, "SQL run in app/ui (move it into a query function under app/store): " + ", ".join(found)


def test_the_sql_rule_sees_an_execute(tmp_path):
    """The rule can fail: a widget module running its own query is reported, with its line."""
    (tmp_path / "widget.py").write_text("def count(conn):\n"
                                        "    return conn.execute('SELECT count(*) FROM items').fetchone()[0]\n")
    (tmp_path / "clean.py").write_text("def count(conn):\n    return item_count(conn)\n")
    assert _sql_calls(tmp_path) == ["widget.py:2"]


def _private_sqlite_utils_reads(folder: Path) -> list[str]:
    """`file:line` where a `_name` of a sqlite-utils object (`db._x`, `table._x`, `db["t"]._x`) is read."""
    def is_sqlite_utils_object(node) -> bool:
        if isinstance(node, ast.Subscript):
            node = node.value
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        return name in SQLITE_UTILS_OBJECTS
    return [f"{path}:{node.lineno}" for path, node in _nodes(folder)
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
            and is_sqlite_utils_object(node.value)]


def test_no_private_attributes_of_sqlite_utils_are_read():
    """Its `_` names can change in any release; the public API (count_where, rows_where, ...) cannot."""
    found = _private_sqlite_utils_reads(APP)
    assert not found, "sqlite-utils' private attributes read at: " + ", ".join(found)


def test_the_private_attribute_rule_sees_a_read(tmp_path):
    (tmp_path / "bad.py").write_text("def names(db):\n    return db._tracer, db['items']._defaults\n")
    (tmp_path / "good.py").write_text("def names(db, self):\n    return db['items'].count, self._cache\n")
    assert _private_sqlite_utils_reads(tmp_path) == ["bad.py:2", "bad.py:2"]

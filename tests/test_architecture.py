"""The layering rule of ARCHITECTURE.md, enforced: core <- store <- importers, analysis <- export <- demo <- ui, cli."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
# What each layer may import from the application itself.
ALLOWED = {
    "core": {"core"},
    "store": {"core", "store"},
    "importers": {"core", "store", "importers"},
    "analysis": {"core", "store", "analysis"},
    "export": {"core", "store", "analysis", "export"},
    "demo": {"core", "store", "importers", "analysis", "export", "demo"},
    "ui": {"core", "store", "importers", "analysis", "export", "demo", "ui"},
    "cli": {"core", "store", "importers", "analysis", "export", "demo", "cli"},
}
# Layers a module may reach only inside a function, so importing it never loads them:
# `casefile gui` alone starts the desktop application (app.__main__ -> app.ui); every
# other command must start without Qt (a server may not have it installed).
LAZY_ONLY = {"cli/gui.py": {"ui", "__main__"}}
QT_MODULES = ("PySide6", "shiboken6")


def _modules_in(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _imports(path: Path):
    yield from _modules_in(ast.parse(path.read_text(encoding="utf-8"), str(path)))


def _lazy_imports(path: Path) -> set[str]:
    """The modules imported only inside a function body of `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    inside = {m for node in ast.walk(tree) if isinstance(node, functions) for m in _modules_in(node)}
    # module level, including under `if` / `try`: those run on import
    top = {m for node in tree.body if not isinstance(node, (*functions, ast.ClassDef)) for m in _modules_in(node)}
    return inside - top


def _layer(path: Path, app: Path = APP) -> str:
    rel = path.relative_to(app)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def test_qt_only_under_ui():
    leaks = []
    for path in APP.rglob("*.py"):
        layer = _layer(path)
        if layer in ("ui", "__main__"):
            continue
        leaks += [f"{path.relative_to(APP)} imports {m}" for m in _imports(path) if m.split(".")[0] in QT_MODULES]
    assert not leaks, "Qt imported outside app/ui: " + "; ".join(leaks)


def _layer_violations(app: Path) -> list[str]:
    violations = []
    for path in app.rglob("*.py"):
        rel, layer = path.relative_to(app), _layer(path, app)
        if layer not in ALLOWED:
            continue
        lazy_ok = LAZY_ONLY.get(rel.as_posix(), set())
        lazy = _lazy_imports(path) if lazy_ok else set()
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] != "app" or len(parts) < 2:
                continue
            if parts[1] not in ALLOWED[layer] and not (parts[1] in lazy_ok and module in lazy):
                violations.append(f"app/{rel.as_posix()} ({layer}) imports {module}")
    return violations


def test_lower_layers_do_not_import_higher_ones():
    violations = _layer_violations(APP)
    assert not violations, "; ".join(violations)


def test_the_checker_sees_a_violation(tmp_path):
    """The rule can fail: a core module importing Qt is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport app.ui.main_window\n")
    found = list(_imports(bad))
    assert "PySide6.QtCore" in found and "app.ui.main_window" in found


def test_the_analysis_rule_can_fail(tmp_path):
    """The analysis layer reads the case through the store only: importing the export or the GUI is reported."""
    analysis = tmp_path / "analysis"
    analysis.mkdir()
    (analysis / "indicators.py").write_text("from app.store.case_file import CaseFile\nfrom app.export import bundle\n")
    (analysis / "view.py").write_text("import app.ui.main_window\n")
    assert sorted(_layer_violations(tmp_path)) == [
        "app/analysis/indicators.py (analysis) imports app.export",
        "app/analysis/view.py (analysis) imports app.ui.main_window",
    ]


def test_the_cli_rule_can_fail(tmp_path):
    """A CLI module importing the GUI is reported; only `casefile gui` may, and only inside its function."""
    cli = tmp_path / "cli"
    cli.mkdir()
    (cli / "review.py").write_text("from app.ui.main_window import MainWindow\n")
    (cli / "verify.py").write_text("def cmd_verify(args):\n    from app.ui.audit_view import AuditView\n")
    (cli / "gui.py").write_text(
        "import app.__main__\n\n\ndef cmd_gui(args):\n    from app.ui.smoke import run_quitting_after_show\n"
    )
    (cli / "case.py").write_text("from app.store.case_file import CaseFile\nfrom app.cli.opening import open_case\n")
    found = _layer_violations(tmp_path)
    assert sorted(found) == [
        "app/cli/gui.py (cli) imports app.__main__",
        "app/cli/review.py (cli) imports app.ui.main_window",
        "app/cli/verify.py (cli) imports app.ui.audit_view",
    ]


SQL_CALLS = ("execute", "executemany", "executescript")
SQLITE_UTILS_OBJECTS = ("db", "table")  # how the code names sqlite-utils' Database and Table objects


def _nodes(folder: Path):
    """(path relative to folder, node) for every syntax node of every module under a folder."""
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            yield path.relative_to(folder), node


def _sql_calls(folder: Path) -> list[str]:
    """`file:line` of every `.execute(` (and executemany/executescript) call under a folder."""
    return [
        f"{path}:{node.lineno}"
        for path, node in _nodes(folder)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS
    ]


def test_the_gui_runs_no_sql_of_its_own():
    """Widgets and models ask query functions in app/store; the SQL lives there, beside the schema."""
    found = _sql_calls(APP / "ui")
    assert not found, "SQL run in app/ui (move it into a query function under app/store): " + ", ".join(found)


def test_the_sql_rule_sees_an_execute(tmp_path):
    """The rule can fail: a widget module running its own query is reported, with its line."""
    (tmp_path / "widget.py").write_text(
        "def count(conn):\n    return conn.execute('SELECT count(*) FROM items').fetchone()[0]\n"
    )
    (tmp_path / "clean.py").write_text("def count(conn):\n    return item_count(conn)\n")
    assert _sql_calls(tmp_path) == ["widget.py:2"]


def _private_sqlite_utils_reads(folder: Path) -> list[str]:
    """`file:line` where a `_name` of a sqlite-utils object (`db._x`, `table._x`, `db["t"]._x`) is read."""

    def is_sqlite_utils_object(node) -> bool:
        if isinstance(node, ast.Subscript):
            node = node.value
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        return name in SQLITE_UTILS_OBJECTS

    return [
        f"{path}:{node.lineno}"
        for path, node in _nodes(folder)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and is_sqlite_utils_object(node.value)
    ]


def test_no_private_attributes_of_sqlite_utils_are_read():
    """Its `_` names can change in any release; the public API (count_where, rows_where, ...) cannot."""
    found = _private_sqlite_utils_reads(APP)
    assert not found, "sqlite-utils' private attributes read at: " + ", ".join(found)


def test_the_private_attribute_rule_sees_a_read(tmp_path):
    (tmp_path / "bad.py").write_text("def names(db):\n    return db._tracer, db['items']._defaults\n")
    (tmp_path / "good.py").write_text("def names(db, self):\n    return db['items'].count, self._cache\n")
    assert _private_sqlite_utils_reads(tmp_path) == ["bad.py:2", "bad.py:2"]

"""The rooms of the code stay apart: views call services, never each other; the citizen side never
imports the back office; domain packages import neither side."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "guichet"
SIDES = ("guichet.citizen", "guichet.gestion")
DOMAINS = ("alerts", "appointments", "audit", "callbacks", "content", "db", "demarches", "editorial", "feedback",
           "indicators", "mail", "opendata", "people", "privacy", "requests", "staff", "worker")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def modules(folder: Path):
    return sorted(path for path in folder.rglob("*.py") if "migrations" not in path.parts)


@pytest.mark.parametrize("side", ["citizen", "gestion"])
def test_a_view_module_never_imports_another_view_module(side):
    views = PACKAGE / side / "views"
    for path in modules(views):
        if path.name == "__init__.py":
            continue
        others = {name for name in imported_modules(path) if name.startswith(f"guichet.{side}.views")}
        assert not others, f"{path.relative_to(PACKAGE)} imports {sorted(others)}: move the shared code to a service"


def test_the_citizen_side_never_imports_the_back_office():
    for path in modules(PACKAGE / "citizen"):
        assert not {name for name in imported_modules(path) if name.startswith("guichet.gestion")}, path


@pytest.mark.parametrize("domain", DOMAINS)
def test_domain_packages_import_neither_side(domain):
    for path in modules(PACKAGE / domain):
        sides = {name for name in imported_modules(path) if name.startswith(SIDES)}
        assert not sides, f"{path.relative_to(PACKAGE)} imports {sorted(sides)}"

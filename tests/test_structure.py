"""How the code base hangs together: the headless core never needs Textual, and no module needs
itself through others (imports inside functions count: each one can run)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "lstui"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imported(path: Path) -> set[str]:
    """Every module a file imports, wherever the import statement is (top level or in a function)."""
    found: set[str] = set()
    here = module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package of this module
                package = here.split(".")[: -node.level] if not path.name == "__init__.py" else here.split(".")
                base = ".".join(package + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return found


def lstui_edges() -> dict[str, set[str]]:
    return {name: {m for m in imported(path) if m in MODULES and m != name} for name, path in MODULES.items()}


def test_nothing_in_core_imports_textual():
    offenders = {name: sorted(m for m in imported(path) if m == "textual" or m.startswith("textual."))
                 for name, path in MODULES.items() if name.startswith("lstui.core")}
    assert not {k: v for k, v in offenders.items() if v}


def test_no_module_imports_itself_through_others():
    edges = lstui_edges()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_the_walk_sees_imports_inside_functions():
    """The cycle test would be blind without this: lstui.cli imports most modules in functions."""
    assert "lstui.core.store" in lstui_edges()["lstui.cli"]

"""The layering rules of docs/architecture.md, as import-linter contracts (pyproject.toml): a change
that makes a domain import the web app or the command line, or a base module import a domain, fails
here with the import chain named."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


ADAPTERS = ("cli.py", "console.py", "web/", "demo/")


def _imports_inside_functions(path: Path) -> list[tuple[int, str]]:
    """fandesk imports made inside a function, without a comment on the line before saying why."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and ((inner.module or "").startswith("fandesk") or inner.level):
                before = lines[inner.lineno - 2].strip()
                if not before.startswith("#") and not before.startswith("from ") and "noqa" not in lines[inner.lineno - 1]:
                    found.append((inner.lineno, lines[inner.lineno - 1].strip()))
            elif isinstance(inner, ast.Import) and any(a.name.startswith("fandesk") for a in inner.names) \
                    and "noqa" not in lines[inner.lineno - 1]:
                found.append((inner.lineno, lines[inner.lineno - 1].strip()))
    return found


def test_domains_import_at_the_top_and_lazily_only_with_a_reason():
    """No import inside a function hides a cycle: a domain module imports what it uses at its top, and an
    import inside a function (lazy loading of something heavy) says why on the line before."""
    src = ROOT / "src" / "fandesk"
    hidden = {str(path.relative_to(src)): found for path in sorted(src.rglob("*.py"))
              if not str(path.relative_to(src)).startswith(ADAPTERS) and path.name != "cli.py"
              and (found := _imports_inside_functions(path))}
    assert hidden == {}

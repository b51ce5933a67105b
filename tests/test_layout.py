"""The houses stay apart: each top-level package imports only the ones below it.

    convdemo   the package: sizes, filters, diagrams (imports none of ours)
    figures    the figure build (imports convdemo)
    website    the site build, MkDocs' integration (imports figures, convdemo)
    checks     checks of a built site (imports website, figures, convdemo)

so a site build never imports the checks, and the figure build works without any site
builder. Third-party tools are fenced in by ruff (``TID251`` in pyproject.toml); this
reads every import statement of every module, at any depth, including function bodies.
"""

from __future__ import annotations

import ast

import pytest

from figures.config import ROOT

ALLOWED = {
    "convdemo": {"convdemo"},
    "figures": {"figures", "convdemo"},
    "website": {"website", "figures", "convdemo"},
    "checks": {"checks", "website", "figures", "convdemo"},
}
OURS = {*ALLOWED, "tests"}
#: No source module may grow past this many lines: one idea a module.
MAX_LINES = 350


def imported(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


MODULES = sorted(path for package in ALLOWED for path in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_a_module_imports_only_the_houses_below_it(path):
    package = path.relative_to(ROOT).parts[0]
    ours = {name for name in imported(path) if name in OURS}
    assert ours <= ALLOWED[package], f"{package} may not import {sorted(ours - ALLOWED[package])}"


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_source_module_is_over_the_limit(path):
    assert len(path.read_text().splitlines()) <= MAX_LINES


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from checks.weight import BUDGET\n    import website.html\n")
    assert list(imported(module)) == ["checks", "website"]


def test_every_hook_file_mkdocs_lists_only_dispatches():
    """At most 250 lines, and every function one statement: forward the event."""
    import yaml

    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    hooks = [ROOT / hook for hook in config["hooks"]]
    assert hooks
    for hook in hooks:
        tree = ast.parse(hook.read_text())
        assert len(hook.read_text().splitlines()) <= 250, hook
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                body = [s for s in node.body if not isinstance(s, ast.Global)]
                assert len(body) <= 2, f"{hook.name}: {node.name} does more than dispatch"

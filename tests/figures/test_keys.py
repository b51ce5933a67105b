"""Cache keys change exactly when something that shapes an entry's output changes."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from figures.config import ROOT
from figures.keys import KeyMaker
from figures.spec import PHOTO, figure

GRID = figure("grid", "convdemo.grids:padding_grid", size=4, kernel_size=3, padding=0)
PHOTO_FIGURE = figure("photo", "convdemo.maps:photo", image=PHOTO, ext="webp")


@pytest.fixture
def tree(tmp_path):
    """A copy of the project's sources to edit."""
    for package in ("convdemo", "figures"):
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return tmp_path


def keys(tree, config):
    maker = KeyMaker(config, root=tree)
    return maker.key(GRID), maker.key(PHOTO_FIGURE)


def touch(path):
    path.write_text(path.read_text() + "\n# edited\n")


def test_keys_are_stable(tree, config):
    assert keys(tree, config) == keys(tree, config)


def test_editing_the_figures_module_changes_only_its_figures(tree, config):
    grid, photo = keys(tree, config)
    touch(tree / "convdemo" / "grids.py")
    new_grid, new_photo = keys(tree, config)
    assert new_grid != grid and new_photo == photo


def test_editing_a_module_imported_indirectly_changes_the_key(tree, config):
    grid, _ = keys(tree, config)
    touch(tree / "convdemo" / "arithmetic.py")  # grids → arithmetic
    assert keys(tree, config)[0] != grid


def test_editing_an_unrelated_module_changes_nothing(tree, config):
    before = keys(tree, config)
    touch(tree / "convdemo" / "correlation.py")  # imported by neither grids nor maps
    assert keys(tree, config) == before


@pytest.mark.parametrize("module", ["convdemo/style.py", "figures/render.py"])
def test_editing_the_rendering_code_changes_every_key(tree, config, module):
    grid, photo = keys(tree, config)
    touch(tree / module)
    new_grid, new_photo = keys(tree, config)
    assert new_grid != grid and new_photo != photo


def test_parameters_format_and_photo_settings_are_in_the_key(tree, config):
    maker = KeyMaker(config, root=tree)
    assert maker.key(GRID) != maker.key(replace(GRID, params={**GRID.params, "padding": 1}))
    assert maker.key(GRID) != maker.key(replace(GRID, ext="webp"))
    other = KeyMaker(replace(config, photo_max_side=99), root=tree)
    assert other.key(PHOTO_FIGURE) != maker.key(PHOTO_FIGURE)
    assert other.key(GRID) == maker.key(GRID)


def test_relative_imports_are_followed(tree, config):
    grids = tree / "convdemo" / "grids.py"
    grids.write_text(
        grids.read_text().replace("from convdemo.arithmetic import", "from .arithmetic import")
    )
    grid = KeyMaker(config, root=tree).key(GRID)
    touch(tree / "convdemo" / "arithmetic.py")
    assert KeyMaker(config, root=tree).key(GRID) != grid


def test_a_function_in_a_missing_module_is_reported(tree, config):
    with pytest.raises(ModuleNotFoundError, match=r"convdemo\.nowhere"):
        KeyMaker(config, root=tree).key(figure("x", "convdemo.nowhere:draw"))


def test_editing_the_photo_loader_changes_only_photo_keys(tree, config):
    grid, photo = keys(tree, config)
    touch(tree / "convdemo" / "images.py")
    new_grid, new_photo = keys(tree, config)
    assert new_photo != photo and new_grid == grid


@pytest.mark.parametrize(
    "statement",
    [
        "from convdemo import (  # helpers\n    pooling,\n    correlation,\n)\n",
        "from convdemo import \\\n    correlation\n",
        "import convdemo.style, \\\n    convdemo.correlation\n",
        "from . import correlation  # relative\n",
    ],
)
def test_multi_line_imports_are_followed(tree, config, statement):
    grids = tree / "convdemo" / "grids.py"
    grids.write_text(statement + grids.read_text())
    grid = KeyMaker(config, root=tree).key(GRID)
    touch(tree / "convdemo" / "correlation.py")
    assert KeyMaker(config, root=tree).key(GRID) != grid


def test_the_package_init_only_re_exports():
    """Keys do not follow convdemo/__init__.py; that is sound only while it has no logic
    beyond re-exporting: every name it offers is its module's own object, loaded lazily."""
    import ast
    import subprocess
    import sys

    tree = ast.parse((ROOT / "convdemo" / "__init__.py").read_text())
    allowed = (ast.Expr, ast.ImportFrom, ast.Import, ast.If, ast.Assign, ast.AnnAssign)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            assert node.name == "__getattr__", ast.dump(node)
        else:
            assert isinstance(node, allowed), ast.dump(node)
    probe = (
        "import sys, convdemo, convdemo.arithmetic\n"
        "assert 'torch' not in sys.modules, 'the package alone loaded PyTorch'\n"
        "for name in convdemo.__all__:\n"
        "    value = getattr(convdemo, name)\n"
        "    home = sys.modules[value.__module__] if hasattr(value, '__module__') else None\n"
        "    assert home is None or getattr(home, name, None) is value or name.isupper(), name\n"
        "print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr

"""The companion notebooks: stored clean, registered, runnable as downloaded, never stale."""

from __future__ import annotations

import ast
import json
import shutil

import nbformat
import pytest

from figures.config import ROOT
from figures.keys import KeyMaker
from figures.notebooks import has_outputs
from figures.registry import NOTEBOOKS

STORED = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))


def test_every_notebook_is_registered_and_every_entry_exists():
    assert {spec.function for spec in NOTEBOOKS} == {
        path.relative_to(ROOT).as_posix() for path in STORED
    }
    assert len(STORED) >= 4


@pytest.mark.parametrize("path", STORED, ids=lambda path: path.stem)
def test_stored_without_outputs(path):
    assert not has_outputs(path)
    assert '"output_type"' not in path.read_text()


@pytest.mark.parametrize("path", STORED, ids=lambda path: path.stem)
def test_calls_the_package_and_ends_with_things_to_try(path):
    notebook = nbformat.read(path, as_version=4)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "from convdemo" in code
    last = notebook.cells[-1]
    assert last.cell_type == "markdown" and last.source.startswith("## Try this")
    assert last.source.count("\n- ") >= 2


#: torch's functions that draw random numbers.
RANDOM = {"rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like",
          "normal", "bernoulli", "multinomial", "poisson"}  # fmt: skip
#: Tensor methods (and ``torch.nn.init`` functions) that fill a tensor with random numbers.
FILLS = {"normal_", "uniform_", "random_", "bernoulli_", "exponential_", "cauchy_",
         "log_normal_", "geometric_", "kaiming_normal_", "kaiming_uniform_",
         "xavier_normal_", "xavier_uniform_", "trunc_normal_", "orthogonal_"}  # fmt: skip


def unseeded_draws(code: str) -> list[str]:
    """The calls in ``code`` (a notebook's code cells, joined) that draw random numbers
    with neither a ``generator=`` nor a ``torch.manual_seed`` before them: torch's
    functions however imported, and the methods that fill a tensor in place."""
    lines = [line for line in code.splitlines() if not line.lstrip().startswith("%")]
    tree = ast.parse("\n".join(lines))
    imported = {
        alias.asname or alias.name: f"torch.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "torch"
        for alias in node.names
    }
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    found, seeded = [], False
    for call in sorted(calls, key=lambda node: (node.lineno, node.col_offset)):
        name = ast.unparse(call.func)
        name = imported.get(name, name)
        seeded = seeded or name == "torch.manual_seed"
        draws = (name.startswith("torch.") and name.removeprefix("torch.") in RANDOM) or (
            name.rpartition(".")[2] in FILLS
        )
        if draws and not seeded and not any(k.arg == "generator" for k in call.keywords):
            found.append(ast.unparse(call))
    return found


@pytest.mark.parametrize("path", STORED, ids=lambda path: path.stem)
def test_draws_only_seeded_random_numbers(path):
    """An executed notebook is part of the site, built to the same bytes every time, and
    a reader must see what the page shows: the same numbers on every run."""
    notebook = nbformat.read(path, as_version=4)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert unseeded_draws(code) == []


def test_an_unseeded_draw_is_found():
    assert unseeded_draws("%matplotlib inline\nx = torch.randn(1, 4)") == ["torch.randn(1, 4)"]
    assert unseeded_draws("g = torch.Generator()\nx = torch.rand(2, generator=g)") == []
    assert unseeded_draws("torch.manual_seed(0)\nx = torch.randint(0, 9, (3,))") == []
    assert unseeded_draws("x = torch.randn(2)\ntorch.manual_seed(0)") == ["torch.randn(2)"]


def test_a_draw_under_another_name_or_in_place_is_found():
    assert unseeded_draws("from torch import randn as r\nx = r(3)") == ["r(3)"]
    assert unseeded_draws("from torch import manual_seed\nmanual_seed(1)\nx = torch.rand(2)") == []
    assert unseeded_draws("x = torch.empty(4)\nx.normal_()") == ["x.normal_()"]
    assert unseeded_draws("nn.init.kaiming_uniform_(w)") == ["nn.init.kaiming_uniform_(w)"]
    assert unseeded_draws("g = torch.Generator()\nx.uniform_(0, 1, generator=g)") == []
    assert unseeded_draws("x = y.relu_()") == []


@pytest.fixture
def tree(tmp_path):
    for folder in ("convdemo", "figures", "docs"):
        shutil.copytree(
            ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    return tmp_path


@pytest.mark.parametrize(
    "edited, notebook",
    [
        ("convdemo/pointwise.py", "notebook-pointwise"),  # imported by the notebook
        ("convdemo/network.py", "notebook-feature-maps"),  # imported through the package
        ("docs/notebooks/transposed.ipynb", "notebook-transposed"),  # the notebook itself
        ("figures/notebooks.py", "notebook-transposed"),  # the executor
    ],
)
def test_keys_follow_the_code_a_notebook_runs(tree, config, edited, notebook):
    spec = next(spec for spec in NOTEBOOKS if spec.name == notebook)
    before = KeyMaker(config, root=tree).key(spec)
    path = tree / edited
    if path.suffix == ".ipynb":
        content = json.loads(path.read_text())
        content["cells"][-1]["source"] += "\n- One more thing to try."
        path.write_text(json.dumps(content))
    else:
        path.write_text(path.read_text() + "\n# edited\n")
    assert KeyMaker(config, root=tree).key(spec) != before


def test_editing_the_site_text_re_executes_no_notebook(tree, config):
    before = [KeyMaker(config, root=tree).key(spec) for spec in NOTEBOOKS]
    (tree / "docs" / "pointwise.md").write_text("edited")
    assert [KeyMaker(config, root=tree).key(spec) for spec in NOTEBOOKS] == before


def test_printed_text_is_one_output_however_the_kernel_sent_it():
    from figures.notebooks import _coalesced

    out = nbformat.v4.new_output
    split = [
        out("stream", name="stdout", text="a\n"),
        out("stream", name="stdout", text="b\n"),
        out("stream", name="stderr", text="warn\n"),
        out("stream", name="stdout", text="c\n"),
        out("display_data", data={"text/plain": "x"}),
        out("stream", name="stdout", text="d\n"),
    ]
    merged = _coalesced(split)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in merged] == [
        ("stream", "stdout", "a\nb\n"),
        ("stream", "stderr", "warn\n"),
        ("stream", "stdout", "c\n"),
        ("display_data", None, None),
        ("stream", "stdout", "d\n"),
    ]

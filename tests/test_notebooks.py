"""The companion notebooks: stored clean, registered, runnable as downloaded, never stale."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from figures.config import ROOT
from figures.keys import KeyMaker
from figures.notebooks import NotebookError, execute, has_outputs
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


@pytest.mark.parametrize("path", STORED, ids=lambda path: path.stem)
def test_runs_top_to_bottom_in_a_plain_kernel_wherever_it_is_saved(path, tmp_path):
    """As a student would run the download: a copy elsewhere, a stock nbclient kernel."""
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    notebook = nbformat.read(copy, as_version=4)
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    outputs = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]
    assert outputs and not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # figures are shown


def test_a_raising_cell_is_named_with_its_error(tmp_path):
    notebook = nbformat.read(STORED[0], as_version=4)
    notebook.cells.insert(2, nbformat.v4.new_code_cell("1 / 0"))
    broken = tmp_path / "broken.ipynb"
    nbformat.write(notebook, broken)
    with pytest.raises(NotebookError, match=r"^cell 2 raised ZeroDivisionError: division by zero"):
        execute(broken)


def test_execution_records_no_timing(tmp_path):
    executed = json.loads(execute(ROOT / "docs" / "notebooks" / "transposed.ipynb"))
    for cell in executed["cells"]:
        assert "execution" not in cell.get("metadata", {})


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

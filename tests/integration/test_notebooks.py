"""The companion notebooks run: as a student runs the download, and as the build runs them."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from figures.config import ROOT
from figures.notebooks import NotebookError, execute

STORED = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))


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
    # What a notebook prints as a bare truth value is a check it makes: it must hold.
    printed = [o.text for o in outputs if o.output_type == "stream" and o.name == "stdout"]
    assert "False" not in "".join(printed).split()


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

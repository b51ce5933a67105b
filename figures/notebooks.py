"""Executing the companion notebooks, as part of the figure build.

Notebooks are stored without outputs. The figure build runs each one top to bottom in a
fresh kernel, in the notebook's own folder, and keeps the executed copy in its cache;
MkDocs then renders that copy (mkdocs-jupyter with ``execute: false``). Each kernel is a
fork of one process that imported PyTorch for all of them (``figures.kernels``). A
notebook is run again only when its key changes: its own bytes, the project modules its
code imports (followed transitively), this executor, or a library version. A cell that
raises stops the build with the notebook's name, the cell and the error.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from figures.kernels import ForkedKernelManager

__all__ = ["NotebookError", "execute", "has_outputs"]

TIMEOUT_SECONDS = 600
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class NotebookError(RuntimeError):
    """A cell raised; the message names the cell and the error."""


def execute(path: Path) -> bytes:
    """The notebook at ``path``, executed, as ``.ipynb`` bytes.

    No timing metadata is recorded, so the same notebook and code give the same bytes.
    """
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT_SECONDS,
        kernel_name="python3",
        kernel_manager_class=ForkedKernelManager,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        cell = _failing_cell(notebook)
        where = f"cell {cell}" if cell is not None else "a cell"
        raise NotebookError(
            f"{where} raised {error.ename}: {_ANSI.sub('', error.evalue)}"
        ) from None
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = _coalesced(cell.outputs)
    text: str = nbformat.writes(notebook)
    return (text + "\n").encode()


def _coalesced(outputs: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    """Consecutive outputs to the same stream as one output.

    The kernel sends printed text in as many messages as its timing makes (a busy machine
    splits a loop's prints apart): merged, the same code gives the same notebook.
    """
    merged: list[nbformat.NotebookNode] = []
    for output in outputs:
        last = merged[-1] if merged else None
        if (
            last is not None
            and output.get("output_type") == "stream"
            and last.get("output_type") == "stream"
            and last.get("name") == output.get("name")
        ):
            last["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def _failing_cell(notebook: nbformat.NotebookNode) -> int | None:
    """1-based number, among code cells, of the cell whose output is an error."""
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            return number
    return None


def has_outputs(path: Path) -> bool:
    """Whether a stored notebook carries outputs or execution counts (it should not)."""
    notebook = nbformat.read(path, as_version=4)
    return any(
        cell.get("outputs") or cell.get("execution_count")
        for cell in notebook.cells
        if cell.cell_type == "code"
    )

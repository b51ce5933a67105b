"""Workers and notebook kernels are forks of one server, which ends with the build."""

from __future__ import annotations

import json
import os
import threading
from multiprocessing import forkserver
from pathlib import Path

import nbformat
import pytest

from figures.spec import notebook, numbers
from figures.workers import run
from tests.conftest import make_config

PROBE = """\
import os, sys
print(os.getppid(), os.getcwd(), os.environ.get("CONVDEMO_PROBE"))
print("torch" in sys.modules, "matplotlib" in sys.modules)
"""


def where_am_i() -> dict[str, int]:
    """A numbers entry that tells which process rendered it, and its parent."""
    return {"pid": os.getpid(), "parent": os.getppid()}


@pytest.fixture
def probe_notebook(tmp_path):
    folder = tmp_path / "docs" / "notebooks"
    folder.mkdir(parents=True)
    path = folder / "probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)]), path)
    return path


def test_workers_and_kernels_are_forks_of_one_server_that_ends_with_the_run(
    tmp_path, probe_notebook, monkeypatch
):
    monkeypatch.setenv("CONVDEMO_PROBE", "passed on")
    monkeypatch.setattr("figures.workers.ROOT", tmp_path)  # where docs/notebooks/probe is
    entries = [
        numbers("where-a", f"{__name__}:where_am_i"),
        numbers("where-b", f"{__name__}:where_am_i"),
        notebook("probe"),
    ]
    done = {d.spec.name: d for d in run(entries, make_config(tmp_path / "cache"), jobs=2)}
    assert all(d.error is None for d in done.values()), [d.error for d in done.values()]

    def files(name):
        return next(iter(done[name].rendered.files.values()))

    workers = [json.loads(files(name)) for name in ("where-a", "where-b")]
    executed = nbformat.reads(files("notebook-probe").decode(), as_version=4)
    printed = executed.cells[0].outputs[0]["text"].splitlines()
    parent, cwd, passed = printed[0].split(" ", 2)
    server = int(parent)
    # Each worker and the kernel were forked by one server process, not by this one.
    assert server != os.getpid()
    assert all(worker["parent"] == server != worker["pid"] for worker in workers)
    # The kernel runs where the notebook is, with this process's environment; PyTorch
    # came with the fork, matplotlib did not (the notebook picks its backend itself).
    assert (cwd, passed) == (str(probe_notebook.parent), "passed on")
    assert printed[1] == "True False"
    # The server was ended and waited for: no process of the run outlives it.
    assert forkserver._forkserver._forkserver_pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(server, 0)


def test_a_kernel_finds_modules_beside_its_notebook(tmp_path, probe_notebook):
    """As ``python -m ipykernel_launcher`` started in the notebook's folder would."""
    from figures.notebooks import execute
    from figures.server import stop

    (probe_notebook.parent / "beside.py").write_text("ANSWER = 42\n")
    cell = nbformat.v4.new_code_cell("import beside, sys\nprint(beside.ANSWER, sys.path[0])")
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), probe_notebook)
    try:
        executed = nbformat.reads(execute(probe_notebook).decode(), as_version=4)
    finally:
        stop()
    answer, first = executed.cells[0].outputs[0]["text"].split()
    assert (answer, first) == ("42", str(probe_notebook.parent))


def leave_mark(path: str) -> dict[str, int]:
    """A numbers entry that leaves a file behind for the notebooks waiting on it."""
    Path(path).write_text("here")
    return {"left": 1}


def waiting_for(path: Path, then: str) -> str:
    """A notebook cell that waits (a minute at most) for ``path`` to exist, then runs
    ``then``, where ``awaited`` is that path."""
    return (
        f"import pathlib, time\nawaited = pathlib.Path({str(path)!r})\n"
        "for _ in range(600):\n    if awaited.exists():\n        break\n    time.sleep(0.1)\n"
        f"{then}\n"
    )


def test_a_run_stopped_early_starts_no_notebook_that_was_waiting(tmp_path, monkeypatch):
    """Two notebooks run (until told to end), a third waits for a thread, and a figure
    entry is done first; the caller stops there. The running notebooks are waited for,
    the waiting one never starts."""
    folder = tmp_path / "docs" / "notebooks"
    folder.mkdir(parents=True)
    go, marks = tmp_path / "go", {name: tmp_path / name for name in ("a", "b", "c")}
    for name, mark in marks.items():
        cell = nbformat.v4.new_code_cell(
            waiting_for(go, f"pathlib.Path({str(mark)!r}).write_text('ran')")
        )
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), folder / f"{name}.ipynb")
    monkeypatch.setattr("figures.workers.ROOT", tmp_path)
    entries = [
        notebook("a"),
        notebook("b"),
        notebook("c"),
        numbers("where", f"{__name__}:where_am_i"),
    ]
    results = run(entries, make_config(tmp_path / "cache"), jobs=2)
    first = next(results)
    assert first.spec.name == "where" and first.error is None
    threading.Timer(2.0, go.write_text, args=("go",)).start()  # the running two may end
    results.close()  # the caller stops: returns once the running notebooks have ended
    assert marks["a"].read_text() == marks["b"].read_text() == "ran"
    assert not marks["c"].exists()


def test_notebooks_run_beside_the_workers_not_in_their_place(tmp_path, monkeypatch):
    """Two notebooks and two processes: the notebooks wait for a figure entry to be
    rendered. Had they taken the two places in the pool, the entry would wait for
    them, and they would give up after a minute."""
    folder = tmp_path / "docs" / "notebooks"
    folder.mkdir(parents=True)
    mark = tmp_path / "mark"
    for name in ("first", "second"):
        cell = nbformat.v4.new_code_cell(waiting_for(mark, "print(awaited.exists())"))
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), folder / f"{name}.ipynb")
    monkeypatch.setattr("figures.workers.ROOT", tmp_path)
    entries = [
        notebook("first"),
        notebook("second"),
        numbers("mark", f"{__name__}:leave_mark", path=str(mark)),
    ]
    done = {d.spec.name: d for d in run(entries, make_config(tmp_path / "cache"), jobs=2)}
    assert all(d.error is None for d in done.values()), [d.error for d in done.values()]
    for name in ("notebook-first", "notebook-second"):
        executed = nbformat.reads(next(iter(done[name].rendered.files.values())).decode(), 4)
        assert executed.cells[0].outputs[0]["text"] == "True\n", name

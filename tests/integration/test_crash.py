"""A figure build killed at any moment leaves nothing the next build would trust wrongly.

The build runs in a child process on entries whose parameters differ from what the cache
holds, and is killed with SIGKILL right after its k-th write to the cache (found by
polling the cache every millisecond), so the kill lands between two consecutive writes,
where a wrong order of writes would do harm. The next build must complete, and every
output must then equal a clean render of the current entries: no truncated file, and
no stale figure passed off as current. Nor does a killed build leave a process behind.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

import nbformat
import pytest
from PIL import Image
from pypdf import PdfReader

from figures.config import ROOT
from tests.processes import family, survivors

DRIVER = """
import json, sys
from pathlib import Path
from figures.build import build
from figures.spec import PHOTO, figure, numbers
from tests.conftest import make_config

size = int(sys.argv[2])
entries = [
    figure("grid-a", "convdemo.grids:padding_grid", size=size, kernel_size=3, padding=0),
    figure("grid-b", "convdemo.grids:padding_grid", size=size + 1, kernel_size=3, padding=1),
    figure("photo", "convdemo.maps:photo", image=PHOTO, ext="webp"),
    numbers("sizes", "convdemo.grids:padding_facts", size=size, kernel_size=3),
    figure("grid-c", "convdemo.grids:padding_grid", size=size + 2, kernel_size=5, padding=2),
]
build(entries, make_config(Path(sys.argv[1]), max_side=24 + size), log=lambda line: None)
"""


def run_build(cache: Path, size: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", DRIVER, str(cache), str(size)], cwd=ROOT)


def outputs(cache: Path) -> dict[str, bytes]:
    return {
        path.relative_to(cache).as_posix(): path.read_bytes()
        for folder in ("figures", "numbers")
        for path in sorted((cache / folder).iterdir())
    }


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict[str, bytes]:
    """Outputs of an uninterrupted build of the size-9 entries."""
    cache = tmp_path_factory.mktemp("clean")
    assert run_build(cache, 9).wait() == 0
    return outputs(cache)


def snapshot(cache: Path) -> set[tuple[str, int, int]]:
    found = set()
    for path in (
        cache / "manifest.json",
        *(cache / "figures").glob("*"),
        *(cache / "numbers").glob("*"),
    ):
        try:
            status = path.stat()
        except FileNotFoundError:
            continue
        found.add((path.name, status.st_mtime_ns, status.st_size))
    return found


def kill_after_writes(cache: Path, size: int, writes: int) -> int:
    """Run a build and SIGKILL it right after it has changed the cache ``writes`` times."""
    process = run_build(cache, size)
    seen, changes = snapshot(cache), 0
    while process.poll() is None:
        now = snapshot(cache)
        if now != seen:
            changes, seen = changes + 1, now
            if changes >= writes:
                os.kill(process.pid, signal.SIGKILL)
                break
        time.sleep(0.001)
    process.wait()
    return changes


def assert_valid(name: str, data: bytes) -> None:
    """The file parses as what its extension says."""
    if name.endswith(".svg"):
        assert ElementTree.fromstring(data).tag.endswith("svg"), name
    elif name.endswith(".pdf"):
        assert len(PdfReader(io.BytesIO(data)).pages) == 1, name
    elif name.endswith((".png", ".webp")):
        Image.open(io.BytesIO(data)).verify()
    else:
        json.loads(data)


# A build writes five files per figure and the manifest after each entry: kills land
# inside an entry's files, between entries, and at the end.
@pytest.mark.parametrize("writes", [1, 2, 4, 6, 9, 12, 14])
def test_a_killed_build_is_completed_correctly_by_the_next(tmp_path, clean, writes):
    expected = clean
    cache = tmp_path / "cache"
    assert run_build(cache, 6).wait() == 0  # the cache holds other parameters
    assert kill_after_writes(cache, 9, writes) == writes, "the build ended before the kill"

    assert run_build(cache, 9).wait() == 0
    found = outputs(cache)
    for name, data in found.items():
        assert_valid(name, data)
    assert found == expected
    manifest = json.loads((cache / "manifest.json").read_text())
    assert sorted(manifest["entries"]) == ["grid-a", "grid-b", "grid-c", "photo", "sizes"]


ORPHANS = """
import sys
from pathlib import Path
import figures.workers
from figures.spec import notebook, numbers
from tests.conftest import make_config

figures.workers.ROOT = Path(sys.argv[2])  # where docs/notebooks/nap.ipynb is
entries = [notebook("nap"), numbers("nap", "tests.integration.test_crash:nap", seconds=120)]
for done in figures.workers.run(entries, make_config(Path(sys.argv[1])), jobs=2):
    print(done.error)
"""


def nap(seconds: float) -> dict[str, float]:
    """A numbers entry that keeps its worker busy."""
    time.sleep(seconds)
    return {"slept": seconds}


def forks(root: int) -> dict[int, str]:
    """The forkserver below ``root`` and the processes it forked."""
    return {
        pid: command
        for pid, command in family(root).items()
        if "multiprocessing.forkserver" in command
    }


@pytest.mark.skipif(sys.platform != "linux", reason="reads the process tree from /proc")
def test_a_killed_build_leaves_no_worker_kernel_or_server_behind(tmp_path):
    """Its workers and kernels are forks of a server; killed, the build takes them all."""
    folder = tmp_path / "docs" / "notebooks"
    folder.mkdir(parents=True)
    cell = nbformat.v4.new_code_cell("import time\ntime.sleep(120)")
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), folder / "nap.ipynb")
    process = subprocess.Popen(
        [sys.executable, "-c", ORPHANS, str(tmp_path / "cache"), str(tmp_path)], cwd=ROOT
    )
    # The server and its two forks, a worker and a kernel: both entries under way.
    assert survivors(process, forks, 3) == {}

"""Rendering is deterministic: no dates, versions or random ids, the same bytes every time."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from figures.config import ROOT
from figures.render import render
from figures.spec import figure

GRID = figure("grid", "convdemo.grids:padding_grid", size=5, kernel_size=3, padding=1)


def no_photo():
    raise AssertionError("this entry takes no photo")


@pytest.mark.parametrize("ext", ["svg", "png", "pdf"])
def test_two_renders_give_identical_bytes(ext):
    spec = figure("grid", GRID.function, ext=ext, **GRID.params)
    first, second = render(spec, no_photo), render(spec, no_photo)
    assert first == second
    import matplotlib

    assert matplotlib.__version__.encode() not in first
    for stamp in (b"CreationDate", b"<dc:date>", b"Software"):
        assert stamp not in first


def test_renders_in_separate_processes_are_identical(tmp_path):
    script = (
        "import sys; from figures.render import render; from figures.spec import figure; "
        "spec = figure('g', 'convdemo.grids:padding_grid', ext=sys.argv[2], size=5, "
        "kernel_size=3, padding=1); open(sys.argv[1], 'wb').write(render(spec, None))"
    )
    outputs = []
    for run in range(2):
        for ext in ("svg", "png"):
            path = tmp_path / f"{run}.{ext}"
            env = dict(os.environ, SOURCE_DATE_EPOCH=str(1_000_000 * (run + 1)))
            subprocess.run(
                [sys.executable, "-c", script, str(path), ext], cwd=ROOT, env=env, check=True
            )
            outputs.append(path.read_bytes())
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]


def test_the_style_is_applied_without_changing_global_settings():
    import matplotlib

    before = dict(matplotlib.rcParams)
    svg = render(GRID, no_photo)
    assert dict(matplotlib.rcParams) == before
    assert b'id="convdemo' not in svg  # ids are hashed with the fixed salt, not random

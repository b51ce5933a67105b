"""Rendering: every file a figure needs, deterministic, legible in both colour schemes."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import matplotlib
import pytest
from PIL import Image

from convdemo.style import DARK_INK, INK
from figures.config import ROOT
from figures.render import render, svg_size
from figures.spec import CSS_DPI, figure

GRID = figure("grid", "convdemo.grids:padding_grid", size=5, kernel_size=3, padding=1)
RASTER = figure("grid", "convdemo.grids:padding_grid", ext="webp", size=5, kernel_size=3)


def no_photo():
    raise AssertionError("this entry takes no photo")


@pytest.mark.parametrize("spec", [GRID, RASTER], ids=["svg", "webp"])
def test_a_figure_yields_its_page_images_and_downloads(spec):
    files = render(spec, no_photo).files
    ext = spec.ext
    expected = {f"figures/grid.{ext}", f"figures/grid-dark.{ext}"} | {
        f"figures/grid.{e}" for e in ("svg", "pdf", "png")
    }
    assert set(files) == expected == set(spec.files)
    assert files["figures/grid.pdf"].startswith(b"%PDF")
    assert files["figures/grid.png"].startswith(b"\x89PNG")
    if ext == "webp":
        assert Image.open(io.BytesIO(files["figures/grid.webp"])).format == "WEBP"


@pytest.mark.parametrize("spec", [GRID, RASTER], ids=["svg", "webp"])
def test_two_renders_give_identical_bytes_without_dates_or_versions(spec):
    first, second = render(spec, no_photo), render(spec, no_photo)
    assert first == second
    for name, data in first.files.items():
        assert matplotlib.__version__.encode() not in data, name
        for stamp in (b"CreationDate", b"<dc:date>", b"Software", b"Producer"):
            assert stamp not in data, (name, stamp)


def test_renders_in_separate_processes_are_identical(tmp_path):
    script = (
        "import sys, pickle; from figures.render import render; from figures.spec import figure; "
        "spec = figure('g', 'convdemo.grids:padding_grid', ext='webp', size=5, "
        "kernel_size=3, padding=1); open(sys.argv[1], 'wb').write(pickle.dumps(render(spec, None)))"
    )
    outputs = []
    for run in range(2):
        path = tmp_path / f"{run}.pickle"
        env = dict(os.environ, SOURCE_DATE_EPOCH=str(1_000_000 * (run + 1)))
        subprocess.run([sys.executable, "-c", script, str(path)], cwd=ROOT, env=env, check=True)
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]


def test_the_png_download_is_over_twice_the_size_on_the_page():
    rendered = render(GRID, no_photo)
    width, height = Image.open(io.BytesIO(rendered.files["figures/grid.png"])).size
    assert rendered.size == svg_size(rendered.files["figures/grid.svg"])
    page_width, page_height = rendered.size
    assert width >= 2 * page_width and height >= 2 * page_height


def test_raster_page_images_are_sharper_than_the_page_shows_them():
    rendered = render(RASTER, no_photo)
    width, _ = Image.open(io.BytesIO(rendered.files["figures/grid.webp"])).size
    assert rendered.size is not None and width >= 1.4 * rendered.size[0]


def test_backgrounds_are_transparent_and_the_dark_image_has_light_ink():
    files = render(RASTER, no_photo).files
    for name in ("figures/grid.png", "figures/grid.webp", "figures/grid-dark.webp"):
        image = Image.open(io.BytesIO(files[name])).convert("RGBA")
        assert image.getpixel((0, 0))[3] == 0, name  # a corner: background, not drawn on
    svg = render(GRID, no_photo).files
    assert (
        DARK_INK.encode() in svg["figures/grid-dark.svg"]
        and DARK_INK.encode() not in svg["figures/grid.svg"]
    )
    assert INK.encode() in svg["figures/grid.svg"]


def test_svg_size_is_the_css_size_of_the_figure():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="72pt" height="36pt" viewBox="0 0 72 36">'
    assert svg_size(svg) == (CSS_DPI, CSS_DPI // 2)
    with pytest.raises(ValueError, match="width and height"):
        svg_size(b"<svg>")


def test_the_style_is_applied_without_changing_global_settings():
    before = dict(matplotlib.rcParams)
    svg = render(GRID, no_photo).files["figures/grid.svg"]
    assert dict(matplotlib.rcParams) == before
    assert b'id="convdemo' not in svg  # ids are hashed with the fixed salt, not random

"""Rendering: every file a figure needs, deterministic, legible in both colour schemes."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image
from pypdf import PdfReader

from convdemo.style import DARK_INK, INK
from figures.config import ROOT
from figures.render import render, svg_size
from figures.spec import CSS_DPI, DOWNLOAD_DPI, PAGE_DPI, figure

GRID = figure("grid", "convdemo.grids:padding_grid", size=5, kernel_size=3, padding=1)
RASTER = figure("grid", "convdemo.grids:padding_grid", ext="webp", size=5, kernel_size=3)


def no_photo():
    raise AssertionError("this entry takes no photo")


@pytest.mark.parametrize("spec", [GRID, RASTER], ids=["svg", "webp"])
def test_a_figure_yields_its_page_images_and_downloads_in_both_schemes(spec):
    files = render(spec, no_photo).files
    ext = spec.ext
    expected = {f"figures/grid.{ext}", f"figures/grid-dark.{ext}"} | {
        f"figures/grid{suffix}.{e}" for suffix in ("", "-dark") for e in ("svg", "pdf", "png")
    }
    assert set(files) == expected == set(spec.files)
    assert spec.outputs.downloads == {
        f"{e}{suffix}": f"figures/grid{suffix}.{e}"
        for suffix in ("", "-dark")
        for e in ("svg", "pdf", "png")
    }
    for suffix in ("", "-dark"):
        assert files[f"figures/grid{suffix}.pdf"].startswith(b"%PDF")
        assert files[f"figures/grid{suffix}.png"].startswith(b"\x89PNG")
    if ext == "webp":
        assert Image.open(io.BytesIO(files["figures/grid.webp"])).format == "WEBP"


#: The dark scheme's page (Material's "slate"): what a dark slide looks like.
DARK_SLIDE = (30, 33, 41)


def _luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of sRGB values in 0…255 (any shape ending in 3)."""
    channel = rgb / 255
    linear = np.where(channel <= 0.03928, channel / 12.92, ((channel + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def ink_on_a_dark_slide(light_png: bytes, dark_png: bytes) -> tuple[float, float, int]:
    """How the ink of a figure's two PNG downloads reads on a dark slide.

    The ink is what the two schemes draw differently (free text, axes, lines; cells and
    their text are the same in both), where both draw it opaque. Each download is laid
    on the dark slide; returned are the WCAG contrast of its ink with the slide, the
    light download's and the dark one's, and how many pixels of ink there are.
    """
    light, dark = (
        np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"), dtype=float)
        for data in (light_png, dark_png)
    )
    assert light.shape == dark.shape
    ink = (np.abs(light - dark).max(axis=-1) > 32) & (light[..., 3] > 200) & (dark[..., 3] > 200)
    slide = _luminance(np.array(DARK_SLIDE, dtype=float))

    def contrast(image: np.ndarray) -> float:
        alpha = image[ink, 3:] / 255
        laid = image[ink, :3] * alpha + np.array(DARK_SLIDE) * (1 - alpha)
        shade = float(_luminance(laid).mean()) if ink.any() else slide
        return (max(shade, slide) + 0.05) / (min(shade, slide) + 0.05)

    return contrast(light), contrast(dark), int(ink.sum())


def test_the_dark_downloads_are_for_a_dark_slide():
    """The dark PNG's ink reads on a dark slide, where the light one's all but vanishes;
    both backgrounds are transparent, so the slide's own colour is the background."""
    files = render(GRID, no_photo).files
    light_png, dark_png = files["figures/grid.png"], files["figures/grid-dark.png"]
    light, dark, pixels = ink_on_a_dark_slide(light_png, dark_png)
    assert pixels > 1000  # the grid's labels and caption line: plenty of ink to judge
    assert dark >= 7 and light < 1.5, (light, dark)
    for data in (light_png, dark_png):
        image = np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))
        corners = image[[0, 0, -1, -1], [0, -1, 0, -1]]
        assert (corners[:, 3] == 0).all()  # a corner: background, not drawn on
    assert files["figures/grid-dark.pdf"] != files["figures/grid.pdf"]
    assert DARK_INK.encode() in files["figures/grid-dark.svg"]


def test_the_ink_check_tells_light_ink_from_dark():
    """The check itself: a light download judged as dark fails it."""
    files = render(GRID, no_photo).files
    light, dark, _ = ink_on_a_dark_slide(files["figures/grid-dark.png"], files["figures/grid.png"])
    assert dark < 1.5 and light >= 7
    same = ink_on_a_dark_slide(files["figures/grid.png"], files["figures/grid.png"])
    assert same[2] == 0 and same[1] == 1.0  # no ink told apart: no contrast claimed


@pytest.mark.parametrize("spec", [GRID, RASTER], ids=["svg", "webp"])
def test_two_renders_give_identical_bytes_without_dates_or_versions(spec):
    first, second = render(spec, no_photo), render(spec, no_photo)
    assert first == second
    assert {"figures/grid-dark.png", "figures/grid-dark.pdf"} <= set(first.files)
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
    for name in ("figures/grid.png", "figures/grid-dark.png", "figures/grid-dark.webp"):
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


def test_every_format_of_a_scheme_shares_one_layout_and_extent():
    """A figure laid out by constrained layout, with titles and tick labels: its
    page image, SVG, PDF and PNG all have the extent of one layout, to the pixel."""
    maps = figure("maps", "convdemo.receptive_figures:growth_figure", ext="webp")
    files = render(maps, no_photo).files
    for suffix in ("", "-dark"):
        width, height = svg_size(files[f"figures/maps{suffix}.svg"])  # CSS px at CSS_DPI
        for path, dpi in ((f"figures/maps{suffix}.webp", PAGE_DPI),
                          (f"figures/maps{suffix}.png", DOWNLOAD_DPI)):  # fmt: skip
            size = Image.open(io.BytesIO(files[path])).size
            expected = (width * dpi / CSS_DPI, height * dpi / CSS_DPI)
            assert all(abs(a - b) <= dpi / CSS_DPI for a, b in zip(size, expected, strict=True))
        page = PdfReader(io.BytesIO(files[f"figures/maps{suffix}.pdf"])).pages[0].mediabox
        pdf_size = (float(page.width) * CSS_DPI / 72, float(page.height) * CSS_DPI / 72)
        assert all(abs(a - b) <= 1 for a, b in zip(pdf_size, (width, height), strict=True))


def test_a_figure_is_laid_out_once_not_once_per_file_or_per_scheme(monkeypatch):
    """Laying out measures every label: most of a save's time. The four files of each
    scheme share one layout, and the dark drawing takes the light one's."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    runs = []
    execute = ConstrainedLayoutEngine.execute

    def counted(self, fig):
        runs.append(fig)
        return execute(self, fig)

    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", counted)
    maps = figure("maps", "convdemo.receptive_figures:growth_figure", ext="webp")
    files = render(maps, no_photo).files
    assert len(files) == 8
    assert len(runs) == 1


def _panels(
    columns: int = 2, title: str = "A title long enough to need room", top: bool = False
) -> Figure:
    """A constrained layout with what it moves: a suptitle, a colorbar, aspect-locked axes;
    ``top``: tick labels above the panels, which push their titles up."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    drawing = Figure(figsize=(5, 2.4), layout="constrained")
    axes = drawing.subplots(1, columns)
    for index, ax in enumerate(np.atleast_1d(axes)):
        (ax.matshow if top else ax.imshow)(np.arange(12).reshape(3, 4) * (index + 1))
        ax.set_title(f"panel {index}", fontsize=9)
    drawing.colorbar(ScalarMappable(Normalize(0, 24)), ax=axes, shrink=0.8, label="value")
    drawing.suptitle(title)
    return drawing


def _svg(drawing: Figure, options: dict) -> bytes:
    from figures.render import figure_bytes

    return figure_bytes(drawing, "svg", **options)


@pytest.mark.parametrize("top", [False, True], ids=["ticks-below", "ticks-above"])
def test_the_second_scheme_follows_the_first_ones_layout_to_the_byte(top):
    """Laid out once: the dark drawing takes the light one's layout, titles included,
    and comes out as it would with a layout of its own."""
    from convdemo.style import SCHEMES
    from figures.render import follow_layout, freeze_layout

    with matplotlib.rc_context(SCHEMES["light"]):
        light = _panels(top=top)
        options = freeze_layout(light)
    with matplotlib.rc_context(SCHEMES["dark"]):
        own, following = _panels(top=top), _panels(top=top)
        expected = _svg(own, freeze_layout(own))
        assert following.get_layout_engine() is not None
        followed = follow_layout(following, light, options)
        assert following.get_layout_engine() is None  # nothing laid out again
        assert followed == options
        assert _svg(following, followed) == expected


def test_a_drawing_that_is_not_the_same_is_laid_out_itself():
    from convdemo.style import SCHEMES
    from figures.render import follow_layout, freeze_layout

    with matplotlib.rc_context(SCHEMES["light"]):
        light = _panels(columns=2)
        options = freeze_layout(light)
        other = _panels(columns=3)
        fresh = _panels(columns=3)
        expected = _svg(fresh, freeze_layout(fresh))
        assert _svg(other, follow_layout(other, light, options)) == expected


def test_titles_are_placed_with_the_layout_once_for_every_format(monkeypatch):
    """matplotlib places an axes' titles again at each drawing, finding and formatting
    ticks to do so even on axes switched off: a fifth of a figure's time, once. After
    the layout no drawing does it, and every format has the titles where the layout
    put them, the PNG at 300 dpi as well (placed anew, they would move a little)."""
    from matplotlib.axis import Axis

    from convdemo.style import SCHEMES
    from figures.render import figure_bytes, freeze_layout

    measured = []
    tightbbox = Axis.get_tightbbox

    def counted(self, *args, **kwargs):
        measured.append(self)
        return tightbbox(self, *args, **kwargs)

    with matplotlib.rc_context(SCHEMES["light"]):
        drawing = _panels(top=True)
        off = drawing.add_axes((0, 0, 0.2, 0.2))  # a diagram's axes: switched off, titled
        off.set_axis_off()
        off.set_title("off")
        options = freeze_layout(drawing)
        placed = [ax.title.get_position() for ax in drawing.axes]
        assert placed[0][1] > 1.05  # above the tick labels
        monkeypatch.setattr(Axis, "get_tightbbox", counted)
        for ext, dpi in (("svg", None), ("pdf", None), ("png", DOWNLOAD_DPI)):
            figure_bytes(drawing, ext, dpi, **options)
            assert [ax.title.get_position() for ax in drawing.axes] == placed
    # Drawn, the visible axes measure their own ticks; the switched-off one never does.
    assert off.xaxis not in measured and off.yaxis not in measured

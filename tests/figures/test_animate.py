"""An animation's files: the page's SVG, GIFs, PDFs, storyboard and steps, reproducible."""

from __future__ import annotations

import io
import json
import re

import pytest
from matplotlib.offsetbox import AnchoredOffsetbox, DrawingArea
from matplotlib.patches import Rectangle
from PIL import Image
from pypdf import PdfReader

from figures.animate import _overlays_only, render_animation
from figures.frames import BACKGROUNDS
from figures.spec import animation
from tests.figures.test_frames import overlapping

SPEC = animation("conv-test", "convdemo.animations:sliding_window", op="conv", size=4,
                 kernel_size=3, padding=1, numbers=True)  # fmt: skip


@pytest.fixture(scope="module")
def rendered():
    return render_animation(SPEC, lambda: None)


def test_every_output_is_written(rendered):
    assert set(rendered.files) == set(SPEC.files)
    assert rendered.size is not None and rendered.size[0] > 100


def test_the_page_svg_has_a_group_per_step_ink_that_follows_the_page_and_its_own_ids(rendered):
    svg = rendered.files[SPEC.outputs.inline].decode()
    steps = len(json.loads(rendered.files[SPEC.outputs.steps])["steps"])
    assert steps == 16  # 4×4 output, padding 1
    only = {int(s) for s in re.findall(r'class="convdemo-step" data-step="(\d+)">', svg)}
    since = {int(s) for s in re.findall(r'class="convdemo-step" data-from="(\d+)"', svg)}
    assert only == since == set(range(steps))  # the sums written out, the cells filled in
    roles = re.findall(r'class="convdemo-step" data-step="(\d+)" data-role="(\w+)"', svg)
    assert sorted(roles) == [("0", "current"), ("0", "window")]  # drawn once, then moved
    assert "currentColor" in svg and "#010203" not in svg
    ids = re.findall(r'\sid="([^"]+)"', svg)
    assert ids and all(i.startswith("conv-test-") for i in ids)
    for reference in re.findall(r'(?:href="#|url\(#)([^")]+)', svg):
        assert reference in ids


def test_the_moves_of_the_window_are_its_stride_in_points(rendered):
    moves = json.loads(rendered.files[SPEC.outputs.steps])["moves"]
    window = moves["window"]
    assert len(window) == 16 and window[0] == [0, 0]
    cell = window[1][0]  # one column to the right: one cell's width
    assert cell > 0 and window[1][1] == 0
    assert window[4] == [0, cell]  # the next row: one cell down, the same width
    assert window[5] == [cell, cell] and moves["current"][5] != [0, 0]


def test_a_gif_per_scheme_with_a_frame_per_step(rendered):
    for key in ("gif", "gif-dark"):
        gif = Image.open(io.BytesIO(rendered.files[SPEC.outputs.downloads[key]]))
        assert gif.format == "GIF" and gif.n_frames == 16 and gif.info.get("loop") == 0


def test_each_gif_is_on_its_schemes_page_colour(rendered):
    """The commonest colour of a frame is the page's: a dark frame is not white with
    light ink on it."""
    for key, scheme in (("gif", "light"), ("gif-dark", "dark")):
        gif = Image.open(io.BytesIO(rendered.files[SPEC.outputs.downloads[key]]))
        _, background = max(gif.convert("RGB").getcolors(1 << 20))
        expected = BACKGROUNDS[scheme]
        assert all(abs(a - b) <= 4 for a, b in zip(background, expected, strict=True)), key


def test_a_pdf_per_scheme_with_a_page_per_step(rendered):
    for key in ("pdf", "pdf-dark"):
        data = rendered.files[SPEC.outputs.downloads[key]]
        assert len(PdfReader(io.BytesIO(data)).pages) == 16
        assert b"CreationDate" not in data and b"Producer" not in data


def test_every_pdf_page_shows_the_whole_figure_as_the_gif_does(rendered):
    """Pages of one size, the frames' shape: a step with more text is not cropped anew."""
    frame = Image.open(io.BytesIO(rendered.files[SPEC.outputs.downloads["gif"]])).size
    for key in ("pdf", "pdf-dark"):
        pages = PdfReader(io.BytesIO(rendered.files[SPEC.outputs.downloads[key]])).pages
        sizes = {(float(page.mediabox.width), float(page.mediabox.height)) for page in pages}
        assert len(sizes) == 1
        ((width, height),) = sizes
        assert width / height == pytest.approx(frame[0] / frame[1], rel=0.01)


def test_the_pdf_draws_the_still_picture_once_for_every_page(rendered):
    """Each page is the still picture's one stream, then the step's own: the page text
    holds the still's words and the step's numbers, and no page is drawn whole."""
    reader = PdfReader(io.BytesIO(rendered.files[SPEC.outputs.downloads["pdf"]]))
    layers = [page.raw_get("/Contents") for page in reader.pages]
    assert all(len(layer) == 4 for layer in layers)  # save, still, restore, the step's own
    assert len({layer[1].idnum for layer in layers}) == 1
    assert len({layer[3].idnum for layer in layers}) == len(layers)
    still = layers[0][1].get_object().get_data()
    for layer in layers:
        assert len(layer[3].get_object().get_data()) < len(still)
    data = rendered.files[SPEC.outputs.downloads["pdf"]]
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == len(reader.pages)  # still's page gone
    first, last = (page.extract_text() for page in (reader.pages[0], reader.pages[-1]))
    assert "Conv2d" in first and "Conv2d" in last  # the still's title, on every page
    assert first != last  # and the steps' own artists


def test_the_animated_svg_plays_by_itself_but_not_for_reduced_motion(rendered):
    for key, ink in (("svg", "#222222"), ("svg-dark", "#e2e4e9")):
        svg = rendered.files[SPEC.outputs.downloads[key]].decode()
        assert "@keyframes" in svg and "prefers-reduced-motion" in svg
        assert f"color:{ink}" in svg


def test_the_storyboard_holds_every_step(rendered):
    board = Image.open(io.BytesIO(rendered.files[SPEC.outputs.storyboard]))
    assert board.format == "WEBP" and board.size[1] > board.size[0] / 2  # 4 rows of 4


def test_two_renders_give_the_same_bytes(rendered):
    again = render_animation(SPEC, lambda: None)
    assert again.files == rendered.files


def test_a_pdf_page_hides_all_but_the_steps_down_to_an_inset_and_shows_them_again():
    animation = overlapping()
    figure, inset = animation.figure, animation.figure.axes[0].child_axes[0]
    steps = {artist for artist, _, _ in animation.overlays}
    visible = {artist: artist.get_visible() for artist in figure.findobj()}
    with _overlays_only(animation):
        drawn = figure.findobj(lambda artist: artist.get_visible())
        still_square = inset.patches[0]
        assert not still_square.get_visible() and not figure.patch.get_visible()
        assert not any(spine.get_visible() for spine in inset.spines.values())
        assert steps <= set(drawn)
    assert {artist: artist.get_visible() for artist in figure.findobj()} == visible


def test_a_steps_artist_held_by_another_artist_is_refused_not_hidden_with_it():
    """Hiding the figure's and the axes' own children would hide such an artist too: its
    PDF pages would lack it, silently."""
    animation = overlapping()
    box, held = DrawingArea(20, 20), Rectangle((0, 0), 10, 10)
    box.add_artist(held)
    animation.figure.axes[0].add_artist(AnchoredOffsetbox("upper left", child=box))
    animation.add(held, 1)
    visible = {artist: artist.get_visible() for artist in animation.figure.findobj()}
    refused = pytest.raises(ValueError, match="inside another artist, not an axes: Rectangle")
    with refused, _overlays_only(animation):
        pass
    assert {artist: artist.get_visible() for artist in animation.figure.findobj()} == visible

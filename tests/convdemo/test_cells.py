"""Cell labels: how numbers are written in diagrams."""

from __future__ import annotations

import pytest

from convdemo.cells import format_number, text_colour
from convdemo.style import INK


@pytest.mark.parametrize(
    "value, text",
    [
        (3, "3"),
        (3.0, "3"),
        (-4.0, "−4"),
        (-0.0, "0"),
        (0.5, "0.5"),
        (2.25, "2.25"),
        (-1.75, "−1.75"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


def test_text_is_white_on_dark_fills_and_ink_on_light_ones():
    assert text_colour("#08306b") == "white"
    assert text_colour("#f2f2f2") == INK


RECTANGLES = [
    {"xy": (0, 0), "width": 1, "height": 1},
    {"xy": (3.5, -2), "width": 2, "height": 0.25},
    {"xy": (5, 5), "width": -2, "height": -3},  # drawn from the other corner
    {"xy": (7, 1), "width": 0, "height": 2},  # a line: limits still grow
    {"xy": (9, 9), "width": 0, "height": 0},  # nothing: limits untouched
]


@pytest.mark.parametrize("kwargs", RECTANGLES)
def test_add_rectangle_grows_the_limits_exactly_as_add_patch(kwargs):
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from convdemo.cells import add_rectangle

    figure = Figure()
    fast, full = figure.add_subplot(121), figure.add_subplot(122)
    for ax in (fast, full):
        ax.plot([0.5, 1.5], [0.5, 2.5])  # some data already there
    added = add_rectangle(fast, Rectangle(**kwargs))
    full.add_patch(Rectangle(**kwargs))
    assert list(fast.dataLim.bounds) == list(full.dataLim.bounds)
    assert added.axes is fast and added in fast.patches
    assert added.get_data_transform() is fast.transData
    assert added.get_clip_box() is not None  # clipped to the axes, as a patch is
    fast.autoscale_view(), full.autoscale_view()
    assert fast.get_xlim() == full.get_xlim() and fast.get_ylim() == full.get_ylim()
    for ax in (fast, full):  # limits found again from the children: the rectangle counts
        ax.relim()
    assert list(fast.dataLim.bounds) == list(full.dataLim.bounds)


def test_a_turned_or_transformed_rectangle_takes_the_full_walk():
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from convdemo.cells import add_rectangle

    ax = Figure().add_subplot()
    add_rectangle(ax, Rectangle((0, 0), 1, 1, angle=45))
    reference = Figure().add_subplot()
    reference.add_patch(Rectangle((0, 0), 1, 1, angle=45))
    assert list(ax.dataLim.bounds) == pytest.approx(list(reference.dataLim.bounds))
    before = list(ax.dataLim.bounds)
    add_rectangle(ax, Rectangle((0, 0), 5, 5, transform=ax.transAxes))  # not data: no limits
    assert list(ax.dataLim.bounds) == before

"""Grid diagrams are drawn from the window arithmetic: their cells and outlines say so."""

from __future__ import annotations

import matplotlib
import pytest
from matplotlib.patches import Rectangle

from convdemo.arithmetic import conv_output_size, same_padding
from convdemo.grids import padding_grid
from convdemo.style import OUTPUT, PADDING, RC


def cells(ax, colour):
    rgba = matplotlib.colors.to_rgba(colour)
    return [
        p
        for p in ax.patches
        if isinstance(p, Rectangle)
        and p.get_facecolor() == rgba
        and p.get_width() == 1 == p.get_height()
    ]


@pytest.mark.parametrize("size, kernel, padding", [(8, 3, 0), (8, 3, 1), (7, 5, 2), (6, 3, 0)])
def test_cells_follow_the_output_size(size, kernel, padding):
    with matplotlib.rc_context(RC):
        left, right = padding_grid(size, kernel, padding).axes
    out = conv_output_size(size, kernel, padding=padding)
    assert len(cells(right, OUTPUT)) == out * out
    assert len(cells(left, OUTPUT)) == out * out  # one centre per output cell
    assert len(cells(left, PADDING)) == (size + 2 * padding) ** 2 - size * size
    assert left.get_title().startswith(f"{size}×{size} input, {kernel}×{kernel} mask")
    assert right.get_title() == f"{out}×{out} output"


def test_mask_outline_covers_the_first_window():
    with matplotlib.rc_context(RC):
        left, _ = padding_grid(8, 3, 0).axes
    outline = [p for p in left.patches if not p.get_fill()]
    assert len(outline) == 1
    assert (outline[0].get_x(), outline[0].get_y(), outline[0].get_width()) == (0, 0, 3)


def test_same_padding_with_an_even_kernel_puts_the_extra_zero_after():
    before, after = same_padding(4)
    with matplotlib.rc_context(RC):
        left, right = padding_grid(6, 4, "same").axes
    assert len(cells(right, OUTPUT)) == 6 * 6
    assert f"padding {before} before, {after} after" in left.get_title()
    zero_labels = [t for t in left.texts if t.get_text() == "0"]
    assert len(zero_labels) == (6 + before + after) ** 2 - 36


def test_non_square_mask():
    with matplotlib.rc_context(RC):
        _, right = padding_grid((6, 8), (3, 5), 0).axes
    assert len(cells(right, OUTPUT)) == conv_output_size(6, 3) * conv_output_size(8, 5)
    assert right.get_title() == "4×4 output"


@pytest.mark.parametrize("padding", ["valid", -1, (1, 2, 3)])
def test_bad_padding_is_rejected(padding):
    with pytest.raises(ValueError, match="padding"):
        padding_grid(8, 3, padding)


def test_stride_positions_marks_follow_the_windows():
    from convdemo.grids import stride_positions, unread_indices

    with matplotlib.rc_context(RC):
        (ax,) = stride_positions(8, 3, 2).axes
    marks = [t for t in ax.texts if t.get_text() == "X"]
    assert len(marks) == conv_output_size(8, 3, 2) ** 2
    assert len(cells(ax, OUTPUT)) == conv_output_size(8, 3) ** 2
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 8 * 8 - 7 * 7
    assert unread_indices(8, 3, 2) == [7] and unread_indices(9, 3, 2) == []


def test_dilated_mask_places_taps_dilation_apart():
    from convdemo.grids import dilated_mask
    from convdemo.style import KERNEL_FILL

    with matplotlib.rc_context(RC):
        _, right = dilated_mask(3, 2).axes
    taps = sorted((int(t.get_position()[1]), int(t.get_position()[0])) for t in right.texts)
    assert taps == [(r, c) for r in (0, 2, 4) for c in (0, 2, 4)]
    assert len(cells(right, KERNEL_FILL)) == 9 and len(right.patches) == 25

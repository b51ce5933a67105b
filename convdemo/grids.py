"""Cell diagrams: inputs, padding, masks and outputs drawn as grids of squares.

Every position and size here comes from ``convdemo.arithmetic``, so a diagram cannot
disagree with the formula it illustrates.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convdemo.arithmetic import Window, conv_windows, same_padding
from convdemo.style import INK, INPUT, KERNEL, OUTPUT, PADDING, PADDING_HATCH

__all__ = ["padding_grid"]

Pair = int | tuple[int, int]
Padding = Pair | str
CELL_INCHES = 0.28


def _pair(name: str, value: Pair) -> tuple[int, int]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, value
    if isinstance(value, Sequence) and len(value) == 2:
        return int(value[0]), int(value[1])
    raise ValueError(f"{name} must be an integer or a (height, width) pair, got {value!r}")


def _sides(padding: Padding, kernel: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]]:
    """``((top, bottom), (left, right))`` padding; ``"same"`` follows PyTorch."""
    if padding == "same":
        return same_padding(kernel[0]), same_padding(kernel[1])
    if isinstance(padding, str):
        raise ValueError(f"padding must be an integer, a pair or 'same', got {padding!r}")
    ph, pw = _pair("padding", padding)
    return (ph, ph), (pw, pw)


def _windows(size: int, kernel: int, before: int, after: int) -> tuple[Window, ...]:
    # conv_windows pads both sides alike; growing the input by (after − before) cells
    # gives the same taps and output count as padding `before` and `after` separately.
    return conv_windows(size + after - before, kernel, padding=before)


def _cell(ax: Axes, row: int, col: int, colour: str, *, hatch: str | None = None) -> None:
    ax.add_patch(
        Rectangle((col, row), 1, 1, facecolor=colour, edgecolor=INK, linewidth=0.6, hatch=hatch)
    )


def _frame(ax: Axes, rows: int, cols: int, title: str) -> None:
    ax.set_xlim(-0.1, cols + 0.1)
    ax.set_ylim(rows + 0.1, -0.1)  # row 0 at the top, like a matrix
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title, fontsize=10, pad=6)


def _centre(window: Window) -> int:
    """The tap under the mask's centre (left of centre for an even kernel)."""
    return window.taps[(len(window.taps) - 1) // 2]


def padding_grid(size: Pair = 8, kernel_size: Pair = 3, padding: Padding = 0) -> Figure:
    """An input grid with its zero padding, where a mask's centre can sit, and the output.

    Left: the input (blue) inside rings of zeros (grey, hatched); green cells are the
    positions the mask's centre takes, and the mask is outlined at its first position.
    Right: the output grid, one cell per position. ``padding`` is an integer, a
    ``(rows, columns)`` pair, or ``"same"`` (PyTorch's rule: an even kernel's extra zero
    goes after, at the bottom or right).
    """
    (h, w), (kh, kw) = _pair("size", size), _pair("kernel_size", kernel_size)
    (top, bottom), (left_pad, right_pad) = _sides(padding, (kh, kw))
    row_windows = _windows(h, kh, top, bottom)
    col_windows = _windows(w, kw, left_pad, right_pad)
    out_h, out_w = len(row_windows), len(col_windows)
    rows, cols = h + top + bottom, w + left_pad + right_pad

    figure = Figure(figsize=(CELL_INCHES * (cols + out_w + 3), CELL_INCHES * (rows + 2.5)))
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [cols, out_w]})

    centres = {(_centre(r) + top, _centre(c) + left_pad) for r in row_windows for c in col_windows}
    for row in range(rows):
        for col in range(cols):
            inside = top <= row < top + h and left_pad <= col < left_pad + w
            if (row, col) in centres:
                _cell(left, row, col, OUTPUT)
            elif inside:
                _cell(left, row, col, INPUT)
            else:
                _cell(left, row, col, PADDING, hatch=PADDING_HATCH)
            if not inside:
                left.text(col + 0.5, row + 0.5, "0", ha="center", va="center", fontsize=7)
    first_row, first_col = row_windows[0], col_windows[0]
    left.add_patch(
        Rectangle(
            (first_col.start + left_pad, first_row.start + top),
            first_col.stop - first_col.start,
            first_row.stop - first_row.start,
            fill=False,
            edgecolor=KERNEL,
            linewidth=2.5,
        )
    )
    pad_text = _padding_label(top, bottom, left_pad, right_pad)
    _frame(left, rows, cols, f"{h}×{w} input, {kh}×{kw} mask, {pad_text}")

    for row in range(out_h):
        for col in range(out_w):
            _cell(right, row, col, OUTPUT)
    _frame(right, out_h, out_w, f"{out_h}×{out_w} output")
    # Keep the output grid's cells the same size as the input's: pad its limits.
    right.set_ylim(rows + 0.1 - (rows - out_h) / 2, -0.1 - (rows - out_h) / 2)
    return figure


def _padding_label(top: int, bottom: int, left: int, right: int) -> str:
    if top == bottom == left == right:
        return f"padding {top}" if top else "no padding"
    if (top, bottom) == (left, right):
        return f"padding {top} before, {bottom} after"
    return f"padding {top}/{bottom} rows, {left}/{right} columns"

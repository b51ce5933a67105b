"""Cell diagrams: inputs, padding, masks and outputs drawn as grids of squares.

Every position and size here comes from ``convdemo.arithmetic``, so a diagram cannot
disagree with the formula it illustrates.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from convdemo.arithmetic import Window, conv_windows, effective_kernel_size, same_padding
from convdemo.cells import cell, frame, outline
from convdemo.style import INPUT, KERNEL, KERNEL_FILL, OUTPUT, PADDING, PADDING_HATCH

__all__ = [
    "dilated_mask",
    "dilated_mask_facts",
    "padding_facts",
    "padding_grid",
    "stride_positions",
    "stride_positions_facts",
    "unread_indices",
]

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
                cell(left, row, col, OUTPUT, label=None if inside else "0", fontsize=7)
            elif inside:
                cell(left, row, col, INPUT)
            else:
                cell(left, row, col, PADDING, hatch=PADDING_HATCH, label="0", fontsize=7)
    first_row, first_col = row_windows[0], col_windows[0]
    outline(
        left,
        first_row.start + top,
        first_col.start + left_pad,
        first_row.stop - first_row.start,
        first_col.stop - first_col.start,
        KERNEL,
    )
    pad_text = _padding_label(top, bottom, left_pad, right_pad)
    frame(left, rows, cols, f"{h}×{w} input, {kh}×{kw} mask, {pad_text}")

    for row in range(out_h):
        for col in range(out_w):
            cell(right, row, col, OUTPUT)
    frame(right, out_h, out_w, f"{out_h}×{out_w} output")
    # Keep the output grid's cells the same size as the input's: pad its limits.
    right.set_ylim(rows + 0.1 - (rows - out_h) / 2, -0.1 - (rows - out_h) / 2)
    return figure


def padding_facts(size: Pair = 8, kernel_size: Pair = 3, padding: Padding = 0) -> dict[str, int]:
    """The numbers ``padding_grid`` draws, with the same parameters.

    Per axis: the input size, the mask size, the zeros before and after, the output size
    and the rows or columns lost (``size_h``, ``kernel_w``, ``top``, ``right``, ``out_h``,
    ``lost_w``…). Where both axes agree, also ``size``, ``kernel``, ``pad`` (zeros on
    each side), ``out`` and ``lost``, so a sentence about a square case cannot be kept
    for a rectangular one.
    """
    (h, w), (kh, kw) = _pair("size", size), _pair("kernel_size", kernel_size)
    (top, bottom), (left, right) = _sides(padding, (kh, kw))
    out_h, out_w = len(_windows(h, kh, top, bottom)), len(_windows(w, kw, left, right))
    facts = {
        "size_h": h, "size_w": w, "kernel_h": kh, "kernel_w": kw,
        "top": top, "bottom": bottom, "left": left, "right": right,
        "out_h": out_h, "out_w": out_w, "lost_h": h - out_h, "lost_w": w - out_w,
    }  # fmt: skip
    for name in ("size", "kernel", "out", "lost"):
        if facts[f"{name}_h"] == facts[f"{name}_w"]:
            facts[name] = facts[f"{name}_h"]
    if top == bottom == left == right:
        facts["pad"] = top
    return facts


def _padding_label(top: int, bottom: int, left: int, right: int) -> str:
    if top == bottom == left == right:
        return f"padding {top}" if top else "no padding"
    if (top, bottom) == (left, right):
        return f"padding {top} before, {bottom} after"
    return f"padding {top}/{bottom} rows, {left}/{right} columns"


def unread_indices(size: int, kernel_size: int, stride: int) -> list[int]:
    """Input indices that no window of an unpadded convolution reads."""
    read = {tap for window in conv_windows(size, kernel_size, stride) for tap in window.taps}
    return [index for index in range(size) if index not in read]


def stride_positions(size: int = 8, kernel_size: int = 3, stride: int = 2) -> Figure:
    """Where a mask's centre sits on an unpadded input, with stride 1 and with ``stride``.

    Shaded cells: centres with stride 1. X: centres with the larger stride. Hatched:
    rows and columns the larger stride never reads.
    """
    dense = {_centre(w) for w in conv_windows(size, kernel_size)}
    sparse = {_centre(w) for w in conv_windows(size, kernel_size, stride)}
    skipped = set(unread_indices(size, kernel_size, stride))
    figure = Figure(figsize=(CELL_INCHES * (size + 3), CELL_INCHES * (size + 3)))
    ax = figure.subplots()
    for row in range(size):
        for col in range(size):
            colour = OUTPUT if row in dense and col in dense else INPUT
            hatch = PADDING_HATCH if row in skipped or col in skipped else None
            mark = "X" if row in sparse and col in sparse else None
            cell(ax, row, col, colour, hatch=hatch, label=mark, fontsize=11)
    first = conv_windows(size, kernel_size)[0]
    outline(ax, first.start, first.start, kernel_size, kernel_size, KERNEL)
    dense_out, sparse_out = len(dense), len(sparse)
    frame(ax, size, size, f"{size}×{size} input, {kernel_size}×{kernel_size} mask")
    ax.text(
        size / 2,
        size + 0.6,
        f"shaded: stride 1, {dense_out}×{dense_out} positions\n"
        f"X: stride {stride}, {sparse_out}×{sparse_out} positions; hatched: never read",
        ha="center",
        va="top",
        fontsize=8.5,
    )
    ax.set_ylim(size + 2.2, -0.1)
    return figure


def stride_positions_facts(size: int = 8, kernel_size: int = 3, stride: int = 2) -> dict[str, int]:
    """The numbers ``stride_positions`` draws: positions per side with stride 1 (``dense``)
    and with ``stride`` (``sparse``), the cells skipped between two positions, and the
    input rows (and columns) no window reads: how many, and the first."""
    unread = unread_indices(size, kernel_size, stride)
    return {
        "size": size,
        "kernel": kernel_size,
        "stride": stride,
        "skipped": stride - 1,
        "dense": len(conv_windows(size, kernel_size)),
        "sparse": len(conv_windows(size, kernel_size, stride)),
        "unread_count": len(unread),
        "unread_first": unread[0] if unread else -1,
    }


def dilated_mask_facts(kernel_size: int = 3, dilation: int = 2) -> dict[str, int]:
    """The numbers ``dilated_mask`` draws: taps, the span ``d(k − 1) + 1``, the cells
    between two taps, and the cells of the span no tap reads."""
    span = effective_kernel_size(kernel_size, dilation)
    return {
        "kernel": kernel_size,
        "dilation": dilation,
        "taps": kernel_size * kernel_size,
        "span": span,
        "gap": dilation - 1,
        "holes": span * span - kernel_size * kernel_size,
    }


def dilated_mask(kernel_size: int = 3, dilation: int = 2) -> Figure:
    """A mask and its dilated version: the same taps, spread ``dilation`` cells apart."""
    span = effective_kernel_size(kernel_size, dilation)
    figure = Figure(figsize=(CELL_INCHES * (kernel_size + span + 6), CELL_INCHES * (span + 3)))
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [kernel_size, span]})
    taps = {}
    for i in range(kernel_size):
        for j in range(kernel_size):
            number = i * kernel_size + j + 1
            cell(left, i, j, KERNEL_FILL, label=f"w{number}", fontsize=8)
            taps[(i * dilation, j * dilation)] = f"w{number}"
    for row in range(span):
        for col in range(span):
            label = taps.get((row, col))
            cell(right, row, col, KERNEL_FILL if label else "white", label=label, fontsize=8)
    frame(left, kernel_size, kernel_size, f"{kernel_size}×{kernel_size}, dilation 1")
    frame(right, span, span, f"dilation {dilation}: spans {span}×{span}")
    offset = (span - kernel_size) / 2
    left.set_ylim(kernel_size + 0.1 + offset, -0.1 - offset)
    return figure

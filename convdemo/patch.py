"""One convolution step on a small RGB patch, every multiplication shown.

The patch has three channels of small integers; each channel has its own 3×3 mask (as in
a trained network; the same mask for all three would be a special case). At one position
the mask is laid over each channel, the overlapping numbers are multiplied and summed,
and the three channel sums are added into one output value.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from convdemo.arithmetic import conv_output_size, conv_windows
from convdemo.cells import frame, number_grid, outline, text_colour
from convdemo.style import INPUT, KERNEL, KERNEL_FILL, OUTPUT, PRODUCT

__all__ = ["CHANNELS", "MASKS", "PATCH", "channel_products", "patch_facts", "patch_figure"]

Matrix = tuple[tuple[int, ...], ...]

CHANNELS = ("red", "green", "blue")
# --8<-- [start:patch]
PATCH: tuple[Matrix, ...] = (
    ((3, 1, 2, 0, 4), (1, 5, 3, 2, 1), (0, 2, 6, 1, 3), (2, 1, 4, 3, 0), (1, 3, 0, 2, 5)),
    ((2, 2, 1, 3, 0), (4, 1, 0, 2, 2), (1, 3, 2, 5, 1), (0, 2, 1, 1, 4), (3, 0, 2, 1, 1)),
    ((0, 1, 3, 1, 2), (2, 0, 1, 4, 1), (5, 2, 1, 0, 3), (1, 4, 2, 2, 0), (2, 1, 0, 3, 1)),
)
MASKS: tuple[Matrix, ...] = (
    ((1, 0, -1), (1, 0, -1), (1, 0, -1)),  # red: left minus right
    ((0, 1, 0), (1, -4, 1), (0, 1, 0)),  # green: neighbours minus centre
    ((1, 1, 1), (0, 0, 0), (-1, -1, -1)),  # blue: top minus bottom
)
# --8<-- [end:patch]


def channel_products(row: int, col: int) -> list[list[list[int]]]:
    """For each channel, the 3×3 products of mask and patch for output ``(row, col)``.

    Output ``(row, col)`` of the unpadded convolution reads the window whose top-left
    cell is ``(row, col)`` of the patch: its centre is ``(row + 1, col + 1)``.
    """
    size, kernel = len(PATCH[0]), len(MASKS[0])
    rows = conv_windows(size, kernel)[row].taps
    cols = conv_windows(size, kernel)[col].taps
    return [
        [[mask[i][j] * channel[r][c] for j, c in enumerate(cols)] for i, r in enumerate(rows)]
        for channel, mask in zip(PATCH, MASKS, strict=True)
    ]


def patch_facts(row: int, col: int) -> dict[str, int]:
    """Sizes, the three channel responses and their total at output ``(row, col)``."""
    sums = [sum(map(sum, products)) for products in channel_products(row, col)]
    size, kernel = len(PATCH[0]), len(MASKS[0])
    return {
        "size": size,
        "kernel": kernel,
        "channels": len(PATCH),
        "output_size": conv_output_size(size, kernel),
        "row": row,
        "col": col,
        "centre_row": row + kernel // 2,
        "centre_col": col + kernel // 2,
        "multiplications": len(PATCH) * kernel * kernel,
        **{name: total for name, total in zip(CHANNELS, sums, strict=True)},
        "total": sum(sums),
    }


def patch_figure(row: int, col: int) -> Figure:
    """Three rows, one per channel: patch with the mask's position, mask, products, sum."""
    facts = patch_facts(row, col)
    size, kernel = facts["size"], facts["kernel"]
    products = channel_products(row, col)
    figure = Figure(figsize=(8.4, 7.6))
    grid = figure.add_gridspec(3, 4, width_ratios=[size, kernel, kernel, 2.2], wspace=0.35)
    for index, name in enumerate(CHANNELS):
        patch_ax, mask_ax, product_ax, sum_ax = (
            figure.add_subplot(grid[index, i]) for i in range(4)
        )
        number_grid(patch_ax, PATCH[index], INPUT, f"{name} channel")
        outline(patch_ax, row, col, kernel, kernel, KERNEL)
        number_grid(mask_ax, MASKS[index], KERNEL_FILL, f"{name} mask")
        number_grid(product_ax, products[index], PRODUCT, "products")
        frame(sum_ax, kernel, 2.2)
        sum_ax.text(
            0.1, kernel / 2, f"sum = {facts[name]}".replace("-", "−"), va="center", fontsize=11
        )
    total = " + ".join(f"({facts[n]})" if facts[n] < 0 else str(facts[n]) for n in CHANNELS)
    figure.text(
        0.5,
        0.035,
        f"output[{row}, {col}] = {total} = {facts['total']}".replace("-", "−"),
        ha="center",
        fontsize=12,
        color=text_colour(OUTPUT),  # on its own fill in either scheme
        bbox={"boxstyle": "round,pad=0.4", "facecolor": OUTPUT, "edgecolor": "none"},
    )
    return figure

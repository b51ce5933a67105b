"""Transposed convolution ("deconvolution"): convolution's matrix, transposed.

An unpadded convolution of an ``n×n`` input with a ``k×k`` kernel is a matrix ``C`` of
shape ``(o², n²)`` with ``o = n − k + 1`` acting on the flattened input: row ``i`` holds
the kernel's weights at the input cells output ``i`` reads, zeros elsewhere. The
transposed convolution multiplies by ``Cᵀ`` instead: ``o²`` values in, ``n²`` out. It
restores the *shape* of the input, not its values; it is not the inverse of the
convolution, which is what "deconvolution" means in signal processing.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from convdemo.arithmetic import conv_output_size, conv_windows, transposed_output_size
from convdemo.cells import cell, format_number, frame, number_grid
from convdemo.style import DIVERGING, INPUT, KERNEL_FILL, OUTPUT, PADDING, PADDING_HATCH

__all__ = [
    "KERNEL",
    "ROUND_TRIP_KERNEL",
    "checkerboard_figure",
    "conv_matrix",
    "matrix_figure",
    "overlap_counts",
    "resize_then_conv_counts",
    "round_trip",
    "round_trip_facts",
    "round_trip_figure",
    "stride_figure",
    "transpose_figure",
    "transposed_facts",
    "zero_insertion",
]

#: A 3×3 kernel with distinct weights, so each entry of C shows where it came from.
KERNEL: tuple[tuple[int, ...], ...] = ((1, 2, 3), (4, 5, 6), (7, 8, 9))


def conv_matrix(size: int, kernel: tuple[tuple[int, ...], ...] = KERNEL) -> torch.Tensor:
    """The matrix ``C`` with ``C @ x.flatten() == conv2d(x, kernel).flatten()``."""
    k = len(kernel)
    windows = conv_windows(size, k)
    out = len(windows)
    matrix = torch.zeros(out * out, size * size)
    for r, row_window in enumerate(windows):
        for c, col_window in enumerate(windows):
            for i, tap_row in enumerate(row_window.taps):
                for j, tap_col in enumerate(col_window.taps):
                    matrix[r * out + c, tap_row * size + tap_col] = kernel[i][j]
    return matrix


def matrix_figure(size: int = 4) -> Figure:
    """``C`` for a ``size×size`` input and the 3×3 ``KERNEL``; zero entries greyed."""
    matrix = conv_matrix(size).tolist()
    rows, cols = len(matrix), len(matrix[0])
    figure = Figure(figsize=(0.42 * cols + 0.6, 0.42 * rows + 1.2))
    ax = figure.subplots()
    number_grid(
        ax,
        matrix,
        lambda r, c, v: KERNEL_FILL if v else PADDING,
        f"C: {rows}×{cols} (one row per output cell, one column per input cell)",
        fontsize=8,
    )
    for c in range(cols):
        ax.text(c + 0.5, rows + 0.35, f"x{c}", ha="center", va="top", fontsize=6.5)
    for r in range(rows):
        ax.text(-0.25, r + 0.5, f"y{r}", ha="right", va="center", fontsize=7)
    ax.set_xlim(-1.0, cols + 0.1)
    ax.set_ylim(rows + 1.0, -0.1)
    return figure


def zero_insertion(
    values: torch.Tensor,
    kernel_size: int,
    stride: int,
    padding: int = 0,
    output_padding: int = 0,
) -> torch.Tensor:
    """The input a stride-1 convolution needs to reproduce a transposed convolution.

    ``stride − 1`` zeros between neighbouring values, then ``d(k − 1) − p`` zeros around
    (here ``d = 1``), and ``output_padding`` more below and to the right. Convolving this
    with the kernel rotated by 180° gives
    ``conv_transpose2d(values, kernel, stride, padding, output_padding)``.
    """
    height, width = values.shape[-2:]
    # The same checks as PyTorch's, with errors that name the parameter.
    transposed_output_size(height, kernel_size, stride, padding, output_padding)
    spread = torch.zeros(*values.shape[:-2], (height - 1) * stride + 1, (width - 1) * stride + 1)
    spread[..., ::stride, ::stride] = values
    border = kernel_size - 1 - padding
    return F.pad(spread, (border, border + output_padding, border, border + output_padding))


def stride_figure(
    size: int = 2, kernel_size: int = 3, stride: int = 2, output_padding: int = 0
) -> Figure:
    """A stride-``s`` transposed convolution drawn as zero insertion, padding, convolution.

    ``output_padding`` adds that many rows and columns of zeros below and to the right,
    and as many to the output, as ``ConvTranspose2d(output_padding=…)`` does.
    """
    values = torch.arange(1.0, size * size + 1).view(1, 1, size, size)
    kernel = torch.ones(1, 1, kernel_size, kernel_size)
    spread = zero_insertion(values, kernel_size, stride, output_padding=output_padding)[0, 0]
    result = F.conv2d(spread[None, None], kernel.flip(-1, -2))[0, 0]
    border = kernel_size - 1
    inner = (size - 1) * stride + 1
    out = transposed_output_size(size, kernel_size, stride, output_padding=output_padding)
    figure = Figure(figsize=(9.0, 3.4))
    grid = figure.add_gridspec(1, 3, width_ratios=[size + 1, spread.shape[-1], out])
    first, middle, last = (figure.add_subplot(grid[0, i]) for i in range(3))
    number_grid(first, values[0, 0].tolist(), INPUT, f"{size}×{size} input", fontsize=10)
    pad = (spread.shape[-1] - size) / 2
    first.set_ylim(size + pad + 0.1, -pad - 0.1)
    for r, row in enumerate(spread.tolist()):
        for c, value in enumerate(row):
            in_border = not (border <= r < border + inner and border <= c < border + inner)
            original = not in_border and (r - border) % stride == 0 and (c - border) % stride == 0
            colour = INPUT if original else PADDING
            cell(
                middle,
                r,
                c,
                colour,
                hatch=PADDING_HATCH if in_border else None,
                label=format_number(value),
                fontsize=8,
            )
    frame(
        middle,
        spread.shape[-2],
        spread.shape[-1],
        f"{stride - 1} zero between values, {border} around"
        + (f", {output_padding} more after" if output_padding else ""),
    )
    number_grid(
        last,
        result.tolist(),
        OUTPUT,
        f"{out}×{out} output ({kernel_size}×{kernel_size} ones kernel)",
        fontsize=9,
    )
    pad = (spread.shape[-1] - out) / 2
    last.set_ylim(out + pad + 0.1, -pad - 0.1)
    return figure


#: 5×5, all zeros but −1 at the centre: the round trip's kernel.
ROUND_TRIP_KERNEL = tuple(
    tuple(-1.0 if (i, j) == (2, 2) else 0.0 for j in range(5)) for i in range(5)
)


# --8<-- [start:round-trip]
def round_trip(image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Convolve a one-channel image, then transposed-convolve with the same kernel.

    The kernel is ``1×1×5×5`` (out channels, in channels, height, width): a 5×5 mask
    must have shape (5, 5), not (5, 3). Returns the two outputs.
    """
    kernel = torch.tensor(ROUND_TRIP_KERNEL).view(1, 1, 5, 5)
    conv = torch.nn.Conv2d(1, 1, kernel_size=5, bias=False)
    deconv = torch.nn.ConvTranspose2d(1, 1, kernel_size=5, bias=False)
    with torch.no_grad():
        conv.weight.copy_(kernel)
        deconv.weight.copy_(kernel)
        shrunk = conv(image)
        restored = deconv(shrunk)
    return shrunk, restored


# --8<-- [end:round-trip]


def _grey(image: torch.Tensor) -> torch.Tensor:
    """Mean over channels: a ``1×1×H×W`` grey image."""
    return image.mean(dim=1, keepdim=True)


def round_trip_facts(image: torch.Tensor) -> dict[str, float]:
    grey = _grey(image)
    shrunk, restored = round_trip(grey)
    error = (restored - grey).abs()[0, 0]
    border = (len(ROUND_TRIP_KERNEL) - 1) // 2
    interior = error[border:-border, border:-border]
    centre = len(ROUND_TRIP_KERNEL) // 2
    return {
        "kernel": len(ROUND_TRIP_KERNEL),
        "centre": ROUND_TRIP_KERNEL[centre][centre],
        "height": grey.shape[-2],
        "width": grey.shape[-1],
        "conv_h": shrunk.shape[-2],
        "conv_w": shrunk.shape[-1],
        "restored_h": restored.shape[-2],
        "restored_w": restored.shape[-1],
        "border": border,
        "interior_error": float(interior.max()),
        "border_error": float(error.max()),
    }


def round_trip_figure(image: torch.Tensor) -> Figure:
    """Input, convolution output, transposed-convolution output and their difference."""
    grey = _grey(image)
    shrunk, restored = round_trip(grey)
    corner = 4 * len(ROUND_TRIP_KERNEL)  # zoom so the border is visible
    difference = (restored - grey)[0, 0, :corner, :corner]
    figure = Figure(figsize=(10.0, 3.6), layout="constrained")
    axes = figure.subplots(1, 4)
    panels = (
        (grey[0, 0], f"input, {grey.shape[-2]}×{grey.shape[-1]}", "gray", None),
        (shrunk[0, 0], f"convolution, {shrunk.shape[-2]}×{shrunk.shape[-1]}", "gray", None),
        (restored[0, 0], f"transposed, {restored.shape[-2]}×{restored.shape[-1]}", "gray", None),
        (difference, f"restored − input, top-left {corner}×{corner}", DIVERGING, Normalize(-1, 1)),
    )
    for ax, (values, title, cmap, norm) in zip(axes, panels, strict=True):
        ax.imshow(values.numpy(), cmap=cmap, norm=norm)
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    figure.colorbar(ScalarMappable(panels[3][3], DIVERGING), ax=axes[3], shrink=0.8)
    return figure


def overlap_counts(size: int, kernel_size: int, stride: int) -> torch.Tensor:
    """How many kernel placements add into each output cell: transposed convolution of
    an all-ones input with an all-ones kernel."""
    ones = torch.ones(1, 1, size, size)
    return F.conv_transpose2d(ones, torch.ones(1, 1, kernel_size, kernel_size), stride=stride)[0, 0]


def resize_then_conv_counts(size: int, kernel_size: int, factor: int) -> torch.Tensor:
    """The same count for nearest-neighbour up-sampling followed by a padded convolution."""
    ones = torch.ones(1, 1, size, size)
    upsampled = F.interpolate(ones, scale_factor=factor, mode="nearest")
    kernel = torch.ones(1, 1, kernel_size, kernel_size)
    return F.conv2d(upsampled, kernel, padding=kernel_size // 2)[0, 0]


def checkerboard_figure(size: int = 4, stride: int = 2) -> Figure:
    """Overlap counts: kernel 3 and 4 with stride 2, and resize-then-convolve."""
    panels = (
        (overlap_counts(size, 3, stride), f"transposed, k=3, s={stride}"),
        (overlap_counts(size, 4, stride), f"transposed, k=4, s={stride}"),
        (resize_then_conv_counts(size, 3, stride), f"resize ×{stride}, then 3×3 conv"),
    )
    figure = Figure(figsize=(11.5, 4.2))
    axes = figure.subplots(1, 3)
    top = max(float(counts.max()) for counts, _ in panels)
    norm = Normalize(0, top)
    from matplotlib import colormaps

    cmap = colormaps["Greens"]
    for ax, (counts, title) in zip(axes, panels, strict=True):
        number_grid(
            ax,
            counts.tolist(),
            lambda r, c, v: cmap(0.15 + 0.6 * norm(v)),
            f"{title}: {counts.shape[0]}×{counts.shape[1]}",
            fontsize=7,
        )
    return figure


def transposed_facts(size: int, stride: int) -> dict[str, float]:
    """Sizes for the matrix and stride examples and the overlap counts, for the prose."""
    k3, k4 = overlap_counts(size, 3, stride), overlap_counts(size, 4, stride)
    resized = resize_then_conv_counts(size, 3, stride)
    o = conv_output_size(size, 3)
    return {
        "size": size,
        "kernel": len(KERNEL),
        "weights": len(KERNEL) ** 2,
        "k4": 4,
        "k3_mid": sorted(set(k3.flatten().tolist()))[1],
        "op_kernel": 3,
        "op_stride": 2,
        "op_padding": 1,
        "conv_out": o,
        "rows": o * o,
        "cols": size * size,
        "stride": stride,
        "stride_in": 2,
        "stride_out": transposed_output_size(2, 3, stride),
        "stride_zeros": stride - 1,
        "stride_border": 3 - 1,
        "stride_grid": zero_insertion(torch.ones(1, 1, 2, 2), 3, stride).shape[-1],
        "k3_min": float(k3.min()),
        "k3_max": float(k3.max()),
        "k3_out": k3.shape[0],
        "k4_inner_min": float(k4[2:-2, 2:-2].min()),
        "k4_inner_max": float(k4[2:-2, 2:-2].max()),
        "k4_out": k4.shape[0],
        "resize_inner_min": float(resized[1:-1, 1:-1].min()),
        "resize_inner_max": float(resized[1:-1, 1:-1].max()),
        "op_in": 4,
        "op_with": transposed_output_size(4, 3, 2, padding=1, output_padding=1),
        "op_without": transposed_output_size(4, 3, 2, padding=1),
        "op_conv_of_with": conv_output_size(
            transposed_output_size(4, 3, 2, padding=1, output_padding=1), 3, 2, 1
        ),
        "op_conv_of_without": conv_output_size(transposed_output_size(4, 3, 2, padding=1), 3, 2, 1),
    }


def transpose_figure(size: int = 4) -> Figure:
    """``Cᵀ`` spreading a 2×2 map back to ``size×size``: the transposed convolution."""
    matrix = conv_matrix(size)
    out = conv_output_size(size, len(KERNEL))
    values = torch.arange(1.0, out * out + 1)
    spread = (matrix.T @ values).view(size, size)
    figure = Figure(figsize=(8.0, 7.4))
    grid = figure.add_gridspec(1, 3, width_ratios=[out + 1, out + 2, size])
    first, middle, last = (figure.add_subplot(grid[0, i]) for i in range(3))
    number_grid(first, values.view(out, out).tolist(), INPUT, f"y: {out}×{out}", fontsize=10)
    number_grid(
        middle,
        matrix.T.tolist(),
        lambda r, c, v: KERNEL_FILL if v else PADDING,
        f"Cᵀ: {size * size}×{out * out}",
        fontsize=8,
    )
    number_grid(last, spread.tolist(), OUTPUT, f"Cᵀy: {size}×{size}", fontsize=9)
    for ax, rows in ((first, out), (last, size)):
        pad = (size * size - rows) / 2
        ax.set_ylim(rows + pad + 0.1, -pad - 0.1)
    return figure

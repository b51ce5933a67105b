"""Convolution or cross-correlation? What ``torch.nn.functional.conv2d`` computes.

PyTorch's ``conv2d`` computes a *cross-correlation*:
``y[i, j] = Σ_m Σ_n k[m, n] · x[i + m, j + n]``. Convolution in the mathematical sense
flips the kernel first; over the valid region, with a ``k×k`` kernel,
``y[i, j] = Σ_m Σ_n k[m, n] · x[i + (k − 1) − m, j + (k − 1) − n]``, which is the
cross-correlation with the kernel rotated by 180°. For a learned kernel the difference
does not matter (the network learns the rotated one); for a fixed, asymmetric kernel
it does.

The example kernel is a single 1 off its centre: a shift. Cross-correlation copies the
input from one side of each window's centre, convolution from the other, so the two
outputs show the same shape in different places.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

from convdemo.cells import number_grid
from convdemo.style import INPUT, KERNEL_FILL, OUTPUT

__all__ = [
    "ASYMMETRIC",
    "SHIFT",
    "SIGNAL",
    "convolve",
    "correlate",
    "correlation_facts",
    "correlation_figure",
    "true_convolution",
]

#: An L of distinct values on zeros: its place in each output shows the shift.
SIGNAL: tuple[tuple[int, ...], ...] = (
    (0, 0, 0, 0, 0, 0, 0),
    (0, 0, 0, 0, 0, 0, 0),
    (0, 0, 1, 0, 0, 0, 0),
    (0, 0, 2, 0, 0, 0, 0),
    (0, 0, 3, 4, 0, 0, 0),
    (0, 0, 0, 0, 0, 0, 0),
    (0, 0, 0, 0, 0, 0, 0),
)
#: A single 1 up and left of the centre: rotated by 180° it is down and right of it.
SHIFT: tuple[tuple[int, ...], ...] = ((1, 0, 0), (0, 0, 0), (0, 0, 0))
ASYMMETRIC = SHIFT  # the name the tests and notebooks used before the kernel changed


def correlate(signal: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
    """What ``F.conv2d`` computes (no padding): the kernel as given."""
    return F.conv2d(signal[None, None], kernel[None, None])[0, 0]


def convolve(signal: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
    """True convolution over the valid region: cross-correlation with the flipped kernel."""
    return correlate(signal, kernel.flip(0, 1))


# --8<-- [start:true-convolution]
def true_convolution(x: torch.Tensor, weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """True convolution of a batch ``x`` (batch, channels, H, W) with ``weight`` (out,
    in, kH, kW), twice: ``F.conv2d`` on the masks rotated by 180°, and the definition's
    sum ``y[i, j] = Σₘ Σₙ k[m, n] · x[i + (k − 1) − m, j + (k − 1) − n]``, term by term."""
    by_conv2d = F.conv2d(x, weight.flip(-1, -2))  # rows and columns only, not channels
    kh, kw = weight.shape[-2:]
    rows, cols = x.shape[-2] - kh + 1, x.shape[-1] - kw + 1
    by_sum = x.new_zeros(x.shape[0], weight.shape[0], rows, cols)
    for m in range(kh):
        for n in range(kw):
            r, c = kh - 1 - m, kw - 1 - n  # k[m, n] meets x[i + r, j + c]
            window = x[..., r : r + rows, c : c + cols]
            by_sum += torch.einsum("bchw,oc->bohw", window, weight[:, :, m, n])
    return by_conv2d, by_sum
    # --8<-- [end:true-convolution]


def _tensors() -> tuple[torch.Tensor, torch.Tensor]:
    return (
        torch.tensor(SIGNAL, dtype=torch.float32),
        torch.tensor(SHIFT, dtype=torch.float32),
    )


def _corner(grid: torch.Tensor) -> tuple[int, int]:
    """Row and column of the first non-zero value: where the L starts."""
    row, col = (grid != 0).nonzero()[0].tolist()
    return int(row), int(col)


def correlation_facts() -> dict[str, float]:
    """The numbers ``correlation_figure`` draws: sizes, where the kernel's 1 sits against
    its centre, and where the L starts in the input and in each output."""
    signal, kernel = _tensors()
    corr, conv = correlate(signal, kernel), convolve(signal, kernel)
    one_row, one_col = _corner(kernel)
    centre = kernel.shape[0] // 2
    return {
        "size": signal.shape[0],
        "kernel": kernel.shape[0],
        "out": corr.shape[0],
        "one_row": one_row,
        "one_col": one_col,
        "offset": centre - one_row,
        "input_row": _corner(signal)[0],
        "input_col": _corner(signal)[1],
        "corr_row": _corner(corr)[0],
        "corr_col": _corner(corr)[1],
        "conv_row": _corner(conv)[0],
        "conv_col": _corner(conv)[1],
        "apart": _corner(corr)[0] - _corner(conv)[0],
        "differing": int((corr != conv).sum()),
    }


def correlation_figure() -> Figure:
    """Signal, kernel, rotated kernel, and the two results: the L lands in different
    places. Sizes follow the data; the grids share one cell size."""
    signal, kernel = _tensors()
    corr, conv = correlate(signal, kernel), convolve(signal, kernel)
    size, k, out = signal.shape[0], kernel.shape[0], corr.shape[0]
    figure = Figure(figsize=(0.3 * (size + 2 * k + 2 * out + 5), 0.3 * (size + 3)))
    grid = figure.add_gridspec(1, 5, width_ratios=[size, k, k, out, out], wspace=0.3)
    axes = [figure.add_subplot(grid[0, i]) for i in range(5)]

    def shade(r: int, c: int, value: float) -> str:
        return OUTPUT if value else "white"

    number_grid(axes[0], signal.tolist(), lambda r, c, v: INPUT if v else "white", "input",
                fontsize=9)  # fmt: skip
    number_grid(axes[1], kernel.tolist(), KERNEL_FILL, "kernel k", fontsize=9)
    number_grid(axes[2], kernel.flip(0, 1).tolist(), KERNEL_FILL, "k rotated\n180°", fontsize=9)
    number_grid(axes[3], corr.tolist(), shade, "F.conv2d:\ncorrelation", fontsize=9)
    number_grid(axes[4], conv.tolist(), shade, "true\nconvolution", fontsize=9)
    for ax, rows in zip(axes, (size, k, k, out, out), strict=True):
        offset = (size - rows) / 2
        ax.set_ylim(rows + offset + 0.1, -offset - 0.1)
    return figure

"""The round trip: a convolution, then a transposed convolution with the same kernel.

In general a transposed convolution restores a convolution's input *shape*, not its
values. With a kernel that is a single non-zero weight at its centre it puts every value
back where it came from, except the border the convolution dropped: the example that
shows both the shapes and the limits.
"""

from __future__ import annotations

import torch
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from convdemo.style import DIVERGING

__all__ = ["ROUND_TRIP_KERNEL", "round_trip", "round_trip_facts", "round_trip_figure"]

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
    size = len(ROUND_TRIP_KERNEL)
    kernel = torch.tensor(ROUND_TRIP_KERNEL).view(1, 1, size, size)
    conv = torch.nn.Conv2d(1, 1, kernel_size=size, bias=False)
    deconv = torch.nn.ConvTranspose2d(1, 1, kernel_size=size, bias=False)
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
    # Two by two, narrow enough to show at full size in the content column.
    figure = Figure(figsize=(7.0, 6.4), layout="constrained")
    axes = figure.subplots(2, 2).flatten()
    panels = (
        (grey[0, 0], f"input, {grey.shape[-2]}×{grey.shape[-1]}", "gray", None),
        (shrunk[0, 0], f"convolution, {shrunk.shape[-2]}×{shrunk.shape[-1]}", "gray", None),
        (restored[0, 0], f"transposed, {restored.shape[-2]}×{restored.shape[-1]}", "gray", None),
        (difference, f"restored − input, top-left {corner}×{corner}", DIVERGING, Normalize(-1, 1)),
    )
    for ax, (values, title, cmap, norm) in zip(axes, panels, strict=True):
        ax.imshow(values.numpy(), cmap=cmap, norm=norm)
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=7.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    figure.colorbar(ScalarMappable(panels[3][3], DIVERGING), ax=axes[3], shrink=0.8)
    return figure

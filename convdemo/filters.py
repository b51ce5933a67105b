"""The four fixed 5×5 edge filters of the demo network.

Each row of ``RAMP_RIGHT`` is the ramp ``−1, −0.5, 0, 0.5, 1``::

    RAMP_RIGHT            RAMP_DOWN = RAMP_RIGHT.T
    -1 -.5  0 .5  1       -1  -1  -1  -1  -1
    -1 -.5  0 .5  1       -.5 -.5 -.5 -.5 -.5
    -1 -.5  0 .5  1        0   0   0   0   0
    -1 -.5  0 .5  1       .5  .5  .5  .5  .5
    -1 -.5  0 .5  1        1   1   1   1   1

``RAMP_RIGHT`` responds positively where brightness rises from left to right (a vertical
edge, dark on the left); ``RAMP_LEFT = −RAMP_RIGHT`` responds to the opposite edge.
``RAMP_DOWN`` and ``RAMP_UP`` do the same for horizontal edges. Every filter sums to zero,
so a flat region gives no response.
"""

from __future__ import annotations

import torch

__all__ = ["FILTER_NAMES", "RAMP", "edge_filters", "filter_bank"]

RAMP: tuple[float, ...] = (-1.0, -0.5, 0.0, 0.5, 1.0)
FILTER_NAMES: tuple[str, ...] = ("ramp right", "ramp left", "ramp down", "ramp up")


def edge_filters() -> torch.Tensor:
    """The four filters as a ``4×5×5`` tensor, in the order of ``FILTER_NAMES``."""
    ramp_right = torch.tensor(RAMP).expand(len(RAMP), -1)
    ramp_down = ramp_right.T
    return torch.stack([ramp_right, -ramp_right, ramp_down, -ramp_down]).contiguous()


def filter_bank(in_channels: int, filters: torch.Tensor | None = None) -> torch.Tensor:
    """Conv2d weights ``out×in_channels×kh×kw`` that apply each filter to every channel.

    The same 2-D mask is copied to each input channel, so output ``i`` is mask ``i``
    applied to the channel sum. ``filters`` defaults to ``edge_filters()``.
    """
    if isinstance(in_channels, bool) or not isinstance(in_channels, int) or in_channels < 1:
        raise ValueError(f"in_channels must be a positive integer, got {in_channels!r}")
    masks = edge_filters() if filters is None else filters
    if masks.dim() != 3:
        raise ValueError(
            f"filters must have shape (count, height, width), got {tuple(masks.shape)}"
        )
    return masks.unsqueeze(1).repeat(1, in_channels, 1, 1)

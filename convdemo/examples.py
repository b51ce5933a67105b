"""The settings the chapters and notebooks work through, declared once.

Plain data, no PyTorch: the figure registry passes these to the figures (and with them
to the numbers their captions quote), the notebooks import them, and the package's
functions take them as defaults, so a page, a figure and a notebook cannot disagree.
"""

from __future__ import annotations

from typing import Any

__all__ = ["BOTTLENECK", "DEMO_WEIGHTS", "DILATED", "PHOTO_SIDE", "STRIDED"]

#: The photo's longer side, in pixels, on the site and in the notebooks.
PHOTO_SIDE = 256
#: The demo network's variants in the feature-map chapter: stride in both layers, and
#: dilation in both layers.
STRIDED, DILATED = 2, 3
#: Weights of the 1×1 layer applied to the demo network's four output maps.
DEMO_WEIGHTS: tuple[float, ...] = (1.0, 0.5, 0.25, -1.0)
#: The 1×1 chapter's bottleneck: ``masks`` k×k masks on ``channels`` maps of
#: ``size×size``, directly or after a 1×1 reduction to ``reduced`` channels.
BOTTLENECK: dict[str, Any] = {
    "size": 28,
    "channels": 64,
    "masks": 16,
    "kernel_size": 3,
    "reduced": 4,
}

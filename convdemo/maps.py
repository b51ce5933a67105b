"""Figures of images and feature maps: the input photo and what the filters make of it."""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

__all__ = ["photo", "photo_facts"]


def photo(image: torch.Tensor) -> Figure:
    """The input photo with pixel axes, titled with its size in the ``C×H×W`` convention."""
    _, channels, height, width = image.shape
    figure = Figure(figsize=(4.0, 4.0 * height / width + 0.4))
    ax = figure.subplots()
    pixels = image[0].permute(1, 2, 0).clamp(0, 1).numpy()
    ax.imshow(pixels if channels == 3 else pixels[:, :, 0], cmap=None if channels == 3 else "gray")
    ax.set_title(f"input: {channels}×{height}×{width}")
    ax.set_xlabel("column (pixels)")
    ax.set_ylabel("row (pixels)")
    return figure


def photo_facts(image: torch.Tensor) -> dict[str, int]:
    """The photo's dimensions, for the prose."""
    _, channels, height, width = image.shape
    return {"channels": channels, "height": height, "width": width}

"""The photo as photo entries receive it. Part of the key of every entry that uses it."""

from __future__ import annotations

import torch

from convdemo.images import load_image
from figures.config import Config

__all__ = ["load_photo"]


def load_photo(config: Config) -> torch.Tensor:
    """``1×3×H×W`` in [0, 1], from ``photo.source``, longer side scaled to ``photo.max_side``."""
    return load_image(config.photo_path(), size=config.photo_max_side or None)

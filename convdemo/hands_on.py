"""Chapter 1's hands-on code: from a photo file to a picture of one feature map.

The page includes this module's section as it is, imports and all, so a reader can type
it into a notebook and run it; a test makes the page's call.
"""

from __future__ import annotations

# --8<-- [start:first-layer]
import os

import numpy as np
import torch
from matplotlib.figure import Figure
from PIL import Image


def first_feature_map(
    path: str | os.PathLike[str], out_channels: int = 4, kernel_size: int = 5
) -> Figure:
    """From a photo file to a picture of its first feature map, in the five steps a reader
    types. The layer's weights are PyTorch's random initial ones."""
    # 1. Load the photo: H×W pixels, each a red, a green and a blue value from 0 to 255.
    with Image.open(path) as opened:
        photo = opened.convert("RGB")
    # 2. Make the tensor: values in [0, 1], channels first, C×H×W.
    array = np.asarray(photo, dtype=np.float32) / 255
    image = torch.from_numpy(array).permute(2, 0, 1)
    # 3. Add the batch dimension: a batch of one image, 1×C×H×W.
    batch = image.unsqueeze(0)
    # 4. Run the layer: 1 × out_channels × H′ × W′. Looking needs no gradients.
    layer = torch.nn.Conv2d(image.shape[0], out_channels, kernel_size)
    with torch.no_grad():
        maps = layer(batch)
    # 5. Show a channel: the first map of the first (and only) image.
    figure = Figure()
    ax = figure.subplots()
    ax.imshow(maps[0, 0].numpy(), cmap="gray")  # matplotlib draws NumPy arrays
    ax.set_title(f"feature map 0 of {out_channels}, {maps.shape[2]}×{maps.shape[3]}")
    return figure


# --8<-- [end:first-layer]

__all__ = ["first_feature_map"]

"""The two-layer demo network, with fixed filters installed as its weights.

conv(3→4) → ReLU → 2×2 max pool → conv(4→4) → ReLU → 2×2 max pool, no bias, returning
every intermediate map. The filters are copied into ``conv.weight`` itself: assigning to a
new attribute (``conv.wt = Parameter(...)``) would leave the random initial weights in
place, and the layer would silently keep using them.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn

from convdemo.filters import edge_filters, filter_bank

__all__ = ["POOL_SIZE", "DemoNet", "DemoOutputs"]

#: Both pooling layers: non-overlapping 2×2 max pooling.
POOL_SIZE = 2


class DemoOutputs(NamedTuple):
    """Every intermediate map of ``DemoNet``, each ``batch×4×H×W``."""

    conv1: torch.Tensor
    relu1: torch.Tensor
    pool1: torch.Tensor
    conv2: torch.Tensor
    relu2: torch.Tensor
    pool2: torch.Tensor


# --8<-- [start:demonet]
class DemoNet(nn.Module):
    """Two convolution layers whose weights are fixed filters, not learned ones.

    Parameters
    ----------
    filters
        ``count×kh×kw`` masks; the same set serves both layers. Defaults to the four
        edge filters of ``convdemo.filters``.
    in_channels
        Channels of the input image (3 for RGB).
    stride, dilation
        Passed to both convolution layers.
    """

    def __init__(
        self,
        filters: torch.Tensor | None = None,
        *,
        in_channels: int = 3,
        stride: int = 1,
        dilation: int = 1,
    ) -> None:
        super().__init__()
        masks = edge_filters() if filters is None else filters
        count, kh, kw = masks.shape
        self.conv1 = nn.Conv2d(
            in_channels, count, (kh, kw), stride=stride, dilation=dilation, bias=False
        )
        self.conv2 = nn.Conv2d(count, count, (kh, kw), stride=stride, dilation=dilation, bias=False)
        self.pool = nn.MaxPool2d(kernel_size=POOL_SIZE, stride=POOL_SIZE)
        with torch.no_grad():  # overwrite the random initial weights in place
            self.conv1.weight.copy_(filter_bank(in_channels, masks))
            self.conv2.weight.copy_(filter_bank(count, masks))

    def forward(self, x: torch.Tensor) -> DemoOutputs:
        conv1 = self.conv1(x)
        relu1 = torch.relu(conv1)
        pool1 = self.pool(relu1)
        conv2 = self.conv2(pool1)
        relu2 = torch.relu(conv2)
        pool2 = self.pool(relu2)
        return DemoOutputs(conv1, relu1, pool1, conv2, relu2, pool2)


# --8<-- [end:demonet]

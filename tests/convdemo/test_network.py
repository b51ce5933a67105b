"""The demo network really uses the fixed filters, and returns every intermediate map."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from convdemo import DemoNet, conv_output_size, edge_filters, filter_bank, pool_output_size


@pytest.fixture
def image() -> torch.Tensor:
    return torch.rand(1, 3, 64, 56, generator=torch.Generator().manual_seed(0))


def test_weights_are_the_filters():
    net = DemoNet()
    torch.testing.assert_close(net.conv1.weight, filter_bank(3))
    torch.testing.assert_close(net.conv2.weight, filter_bank(4))
    assert net.conv1.bias is None and net.conv2.bias is None


def test_assigning_a_new_attribute_would_not_have_installed_them():
    # The mistake this network avoids: a new attribute leaves conv.weight random.
    conv = nn.Conv2d(3, 4, 5, bias=False)
    before = conv.weight.detach().clone()
    conv.wt1 = nn.Parameter(filter_bank(3))
    torch.testing.assert_close(conv.weight, before)
    assert not torch.equal(conv.weight, filter_bank(3))


def test_outputs_equal_the_same_chain_of_functional_calls(image):
    out = DemoNet()(image)
    conv1 = F.conv2d(image, filter_bank(3))
    relu1 = F.relu(conv1)
    pool1 = F.max_pool2d(relu1, 2)
    conv2 = F.conv2d(pool1, filter_bank(4))
    relu2 = F.relu(conv2)
    pool2 = F.max_pool2d(relu2, 2)
    for ours, theirs in zip(out, (conv1, relu1, pool1, conv2, relu2, pool2), strict=True):
        torch.testing.assert_close(ours, theirs)


def test_relu_outputs_are_non_negative_and_conv_outputs_have_both_signs(image):
    out = DemoNet()(image)
    assert out.conv1.min() < 0 < out.conv1.max()
    assert out.relu1.min() >= 0 and out.relu2.min() >= 0


@pytest.mark.parametrize("stride, dilation", [(1, 1), (2, 1), (1, 3)])
def test_sizes_follow_the_arithmetic(image, stride, dilation):
    out = DemoNet(stride=stride, dilation=dilation)(image)
    for axis, size in ((2, image.shape[2]), (3, image.shape[3])):
        c1 = conv_output_size(size, 5, stride=stride, dilation=dilation)
        p1 = pool_output_size(c1, 2)
        c2 = conv_output_size(p1, 5, stride=stride, dilation=dilation)
        p2 = pool_output_size(c2, 2)
        assert [t.shape[axis] for t in out] == [c1, c1, p1, c2, c2, p2]
    assert net_layers_use(DemoNet(stride=stride, dilation=dilation), stride, dilation)


def net_layers_use(net: DemoNet, stride: int, dilation: int) -> bool:
    return all(
        conv.stride == (stride, stride) and conv.dilation == (dilation, dilation)
        for conv in (net.conv1, net.conv2)
    )


def test_custom_filters_and_grey_input():
    masks = edge_filters()[:2, 1:4, 1:4].contiguous()  # two 3×3 masks
    net = DemoNet(masks, in_channels=1)
    assert net.conv1.weight.shape == (2, 1, 3, 3) and net.conv2.weight.shape == (2, 2, 3, 3)
    out = net(torch.rand(1, 1, 12, 12))
    assert out.pool2.shape == (1, 2, 1, 1)

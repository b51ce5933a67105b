"""Overlap counts of transposed convolution, against resize-then-convolve."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from convdemo.checkerboard import checkerboard_facts, overlap_counts, resize_then_conv_counts


def test_overlap_counts_show_the_checkerboard():
    k3 = overlap_counts(4, 3, 2)
    assert sorted(set(k3.flatten().tolist())) == [1.0, 2.0, 4.0]
    assert k3[2, 2] == 4 and k3[2, 3] == 2 and k3[3, 3] == 1  # alternates inside
    k4 = overlap_counts(4, 4, 2)
    assert set(k4[2:-2, 2:-2].flatten().tolist()) == {4.0}
    resized = resize_then_conv_counts(4, 3, 2)
    assert set(resized[1:-1, 1:-1].flatten().tolist()) == {9.0}


@pytest.mark.parametrize("size, stride, kernels", [(4, 2, (3, 4)), (5, 2, (5, 6)), (6, 3, (4, 6))])
def test_checkerboard_facts_follow_conv_transpose2d(size, stride, kernels):
    facts = checkerboard_facts(size, stride, kernels)
    ones = torch.ones(1, 1, size, size)
    k1, k2 = kernels
    first = F.conv_transpose2d(ones, torch.ones(1, 1, k1, k1), stride=stride)[0, 0]
    second = F.conv_transpose2d(ones, torch.ones(1, 1, k2, k2), stride=stride)[0, 0]
    assert (facts["k1_out"], facts["k2_out"]) == (first.shape[0], second.shape[0])
    assert (facts["k1_min"], facts["k1_max"]) == (first.min().item(), first.max().item())
    inner = k2 // stride
    assert facts["k2_inner_min"] == second[inner:-inner, inner:-inner].min().item()
    assert facts["k2_inner_max"] == second[inner:-inner, inner:-inner].max().item()
    upsampled = F.interpolate(ones, scale_factor=stride, mode="nearest")
    resized = F.conv2d(upsampled, torch.ones(1, 1, k1, k1), padding=k1 // 2)[0, 0]
    assert facts["resize_inner_min"] == resized[1:-1, 1:-1].min().item()
    assert facts["resize_inner_max"] == resized[1:-1, 1:-1].max().item()

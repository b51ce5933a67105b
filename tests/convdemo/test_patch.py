"""The worked RGB patch: each output value is what F.conv2d computes there."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from convdemo.patch import CHANNELS, MASKS, PATCH, channel_products, patch_facts


def conv2d_of_patch() -> torch.Tensor:
    patch = torch.tensor(PATCH, dtype=torch.float32).unsqueeze(0)
    masks = torch.tensor(MASKS, dtype=torch.float32).unsqueeze(0)  # one output, three inputs
    return F.conv2d(patch, masks)[0, 0]


@pytest.mark.parametrize("row, col", list(itertools.product(range(3), range(3))))
def test_total_equals_conv2d_at_every_position(row, col):
    facts = patch_facts(row, col)
    assert facts["total"] == conv2d_of_patch()[row, col]
    assert facts["total"] == sum(facts[name] for name in CHANNELS)


def test_channel_sums_equal_single_channel_convolutions():
    facts = patch_facts(0, 1)
    for index, name in enumerate(CHANNELS):
        channel = torch.tensor(PATCH[index], dtype=torch.float32)[None, None]
        mask = torch.tensor(MASKS[index], dtype=torch.float32)[None, None]
        assert facts[name] == F.conv2d(channel, mask)[0, 0, 0, 1]


def test_products_are_elementwise_mask_times_window():
    products = channel_products(0, 1)
    window = torch.tensor(PATCH, dtype=torch.float32)[:, 0:3, 1:4]
    expected = window * torch.tensor(MASKS, dtype=torch.float32)
    assert torch.equal(torch.tensor(products, dtype=torch.float32), expected)


def test_masks_differ_per_channel_and_sizes_follow_conv2d():
    assert len({mask for mask in MASKS}) == len(MASKS)
    facts = patch_facts(0, 1)
    assert facts["output_size"] == conv2d_of_patch().shape[-1]
    assert facts["multiplications"] == facts["channels"] * facts["kernel"] ** 2

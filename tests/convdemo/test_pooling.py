"""ReLU and pooling of the small map agree with PyTorch."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from convdemo.pooling import SIGNED_MAP, pool, pooling_facts, relu, relu_facts


def signed() -> torch.Tensor:
    return torch.tensor(SIGNED_MAP, dtype=torch.float32)[None, None]


def test_relu_matches_torch():
    assert torch.equal(torch.tensor(relu(SIGNED_MAP)), F.relu(signed())[0, 0])


@pytest.mark.parametrize("mode, layer", [("max", F.max_pool2d), ("mean", F.avg_pool2d)])
def test_pooling_matches_torch(mode, layer):
    rectified = relu(SIGNED_MAP)
    expected = layer(F.relu(signed()), 2)[0, 0]
    assert torch.equal(torch.tensor(pool(rectified, 2, mode)), expected)


def test_relu_facts():
    facts = relu_facts()
    assert facts["negatives"] == int((signed() < 0).sum())
    assert facts["size"] == signed().shape[-1] and facts["cells"] == signed().numel()


@pytest.mark.parametrize("kernel", [1, 2, 4])
def test_pooling_facts_are_pytorchs_pooling(kernel):
    facts = pooling_facts(kernel)
    rectified = F.relu(signed())
    pooled = F.max_pool2d(rectified, kernel)
    assert facts["pooled"] == pooled.shape[-1] and facts["blocks"] == pooled[0, 0].numel()
    assert facts["max_top_left"] == float(pooled[0, 0, 0, 0])
    assert facts["mean_top_left"] == float(F.avg_pool2d(rectified, kernel)[0, 0, 0, 0])
    assert facts["top_left_sum"] == float(rectified[0, 0, :kernel, :kernel].sum())
    assert facts["kept_fraction"] == pooled.numel() / rectified.numel()


def test_bad_mode():
    with pytest.raises(ValueError, match="mode"):
        pool(relu(SIGNED_MAP), 2, "median")

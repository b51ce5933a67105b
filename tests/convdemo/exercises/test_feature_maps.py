"""Chapter 5's exercises, recomputed with PyTorch from the page's settings."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from convdemo.exercises.feature_maps import choose_dilation, edge_by_hand
from convdemo.filters import edge_filters
from tests.convdemo.exercises.worked import PHOTO_SHAPE, facts, params


def test_the_demo_network_s_map_shapes_are_its_layers():
    shown = facts("ex-feature-maps-sizes")
    x = torch.zeros(PHOTO_SHAPE)
    masks = edge_filters()
    k = masks.shape[-1]
    conv1 = F.conv2d(x, masks[:, None].repeat(1, PHOTO_SHAPE[1], 1, 1))
    pool1 = nn.MaxPool2d(2)(torch.relu(conv1))
    conv2 = F.conv2d(pool1, masks[:, None].repeat(1, masks.shape[0], 1, 1))
    pool2 = nn.MaxPool2d(2)(torch.relu(conv2))
    for name, value in (("conv1", conv1), ("pool1", pool1), ("conv2", conv2), ("pool2", pool2)):
        assert shown[name] == str(tuple(value.shape)), name
    assert shown["kernel"] == k
    # What the floor drops: the sizes a 2×2 pooling does not tile, and by how much.
    lost = [
        (pooling, kind, before.shape[axis], before.shape[axis] - 2 * after.shape[axis])
        for pooling, before, after in (("first", conv1, pool1), ("second", conv2, pool2))
        for axis, kind in ((-2, "height"), (-1, "width"))
    ]
    for pooling, kind, size, dropped in lost:
        said = f"{pooling} pooling meets a {kind} of {size}, which"
        assert (said in shown["tiling"]) == (dropped > 0), (pooling, kind)
        if dropped:
            one, many = ("row", "rows") if kind == "height" else ("column", "columns")
            noun = one if dropped == 1 else f"{dropped} {many}"
            tail = f"do not tile, so the floor in the formula drops the last {noun}"
            assert f"{said} its windows {tail}" in shown["tiling"]
    if not any(dropped for *_, dropped in lost):
        assert "the floor drops nothing" in shown["tiling"]


def test_the_edge_filters_on_a_vertical_edge():
    shown, s = facts("ex-feature-maps-edge"), params("ex-feature-maps-edge")
    patch = torch.zeros(1, 1, s["size"], s["size"])
    patch[..., s["dark"] :] = 1.0
    conv = nn.Conv2d(1, 4, s["size"], bias=False)
    with torch.no_grad():
        conv.weight.copy_(edge_filters()[:, None])
        responses = conv(patch).flatten()
    assert (shown["right"], shown["left"]) == (responses[0].item(), responses[1].item())
    rows = [line.split() for line in shown["table"].split("\n")[1:]]
    conv_column = [float(row[-2].replace("−", "-")) for row in rows]
    relu_column = [float(row[-1]) for row in rows]
    assert conv_column == responses.tolist()
    assert relu_column == torch.relu(responses).tolist()
    # The one row worked out, times the rows, is the first filter's response.
    assert float(shown["row_steps"].split(" = ")[-1]) * shown["rows"] == responses[0].item()


def test_the_edge_exercise_needs_a_patch_the_filters_size():
    with pytest.raises(ValueError, match="size"):
        edge_by_hand(7, 2)


def test_copying_weights_outside_no_grad_raises_pytorch_s_message():
    shown, s = facts("ex-feature-maps-in-place"), params("ex-feature-maps-in-place")
    conv = nn.Conv2d(s["in_channels"], s["out_channels"], s["kernel_size"], bias=False)
    new = torch.zeros(conv.weight.shape)
    with pytest.raises(RuntimeError) as raised:
        conv.weight.copy_(new)
    assert (shown["error_type"], shown["error"]) == ("RuntimeError", str(raised.value))
    assert shown["weight"] == str(tuple(conv.weight.shape))
    with torch.no_grad():  # the fix the chapter gives works
        conv.weight.copy_(new)
    assert torch.equal(conv.weight, new)


def test_the_dilation_chosen_is_the_only_one_that_shrinks_by_the_amount():
    shown, s = facts("ex-feature-maps-dilation"), params("ex-feature-maps-dilation")
    x = torch.zeros(PHOTO_SHAPE)
    k = edge_filters().shape[-1]
    shrinks = {
        d: PHOTO_SHAPE[-1] - nn.Conv2d(3, 4, k, dilation=d)(x).shape[-1] for d in range(1, 6)
    }
    assert [d for d, shrink in shrinks.items() if shrink == s["shrink"]] == [shown["dilation"]]
    out = nn.Conv2d(3, 4, k, dilation=shown["dilation"])(x)
    assert shown["conv1"] == str(tuple(out.shape))
    assert PHOTO_SHAPE[-2] - out.shape[-2] == s["shrink"]


def test_a_dilation_needs_a_shrink_the_kernel_can_make():
    with pytest.raises(ValueError, match="multiple"):
        choose_dilation(torch.zeros(PHOTO_SHAPE), 7)


def test_a_flat_region_gives_no_edge_response_but_a_blur_keeps_it():
    shown, s = facts("ex-feature-maps-flat"), params("ex-feature-maps-flat")
    flat = torch.full((1, shown["channels"], s["size"], s["size"]), s["value"])
    conv = nn.Conv2d(shown["channels"], 4, shown["kernel"], bias=False)
    with torch.no_grad():
        conv.weight.copy_(edge_filters()[:, None].repeat(1, shown["channels"], 1, 1))
        response = conv(flat)
    assert shown["largest"] == response.abs().max().item() == 0.0
    assert shown["sums"] == ", ".join("0" for _ in range(4))
    k = shown["kernel"]
    blurred = F.conv2d(flat, torch.full((1, shown["channels"], k, k), 1 / k**2))
    torch.testing.assert_close(
        blurred, torch.full_like(blurred, float(shown["blur_steps"].split("= ")[-1]))
    )

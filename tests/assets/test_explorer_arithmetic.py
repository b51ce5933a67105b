"""The explorer's arithmetic (docs/assets/explorer/arithmetic.js) against live PyTorch.

What is swept, and how:

* Settings. For each of the eight operations, a grid (itertools.product over small
  ranges of input size, kernel, stride, padding, dilation, output_padding) and a few
  thousand seeded random settings (`random.Random(SEED)`) that reach deliberately into
  what PyTorch rejects: zero and negative sizes, kernels, strides, dilations and
  channels; groups that do not divide; padding='same' with a stride; output_padding as
  big as stride and dilation; padding strings for pooling; reflect/replicate/circular
  padding larger than the input (and negative, through the module's padding); pooling
  padding past half the kernel; ceil_mode; empty batches; unbatched and wrong-rank
  inputs; arguments a module does not take; a missing kernel_size; inputs big enough to
  switch PyTorch to its oneDNN backend. The list is the same on every run.
* Each setting goes to PyTorch the way the explorer describes it: build the module with
  the setting's keyword arguments, `torch.zeros(input)`, `F.pad` when the setting has
  `pad`, call the module. The outcome is the output shape, or the exception's type and
  message. PyTorch runs once per setting and the results are cached for the module.
* The JavaScript runs in V8 through tests/assets/jsengine.py: the whole list goes in one
  call and comes back as one JSON list, and the comparison is in Python. A valid
  setting must give the same shape; an invalid one the same exception type and the same
  message, character for character (Python sets are printed in hash order, which varies
  between processes: their elements are sorted on both sides before comparing).
* Then the other exports, against the operations they describe: `windows` against
  `F.unfold` of an `arange` input (convolutions, with F.pad and every padding mode),
  against `return_indices` of max pooling over inputs whose maximum sits at a known tap,
  against average pooling of an `arange` input (divisors included); transposed
  footprints against `conv_transpose` of one-hot inputs; `padValues` against `F.pad`;
  `outputPaddingFor`, `solve`, `stack` and `roundTrip` against real layers; and
  `parseHash(formatHash(s))` for every setting.
"""

from __future__ import annotations

import itertools
import random
import re
import warnings
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from tests.assets.jsengine import Module

MODULE = Path(__file__).resolve().parents[2] / "docs" / "assets" / "explorer" / "arithmetic.js"
SEED = 20260212

OPS = {
    "conv1d": (nn.Conv1d, 1),
    "conv2d": (nn.Conv2d, 2),
    "conv_transpose1d": (nn.ConvTranspose1d, 1),
    "conv_transpose2d": (nn.ConvTranspose2d, 2),
    "max_pool1d": (nn.MaxPool1d, 1),
    "max_pool2d": (nn.MaxPool2d, 2),
    "avg_pool1d": (nn.AvgPool1d, 1),
    "avg_pool2d": (nn.AvgPool2d, 2),
}
# The explorer's canonical key order (arithmetic.js, KEY_ORDER).
KEY_ORDER = [
    "out_channels", "kernel_size", "stride", "padding", "dilation", "output_padding", "groups",
    "bias", "padding_mode", "ceil_mode", "count_include_pad", "pad", "flip",
]  # fmt: skip


@pytest.fixture(scope="module")
def js():
    with Module(MODULE, "explorer") as module:
        yield module


# ------------------------------------------------------------------------------------
# PyTorch's side


def channels_of(op: str, shape: list[int]) -> int:
    spatial = OPS[op][1]
    return shape[len(shape) - spatial - 1] if len(shape) > spatial else 1


def python_value(value):
    return tuple(value) if isinstance(value, list) else value


def build(state: dict) -> nn.Module:
    """The module a setting describes, built the way the explorer says it is."""
    cls, _ = OPS[state["op"]]
    keys = [key for key in KEY_ORDER if key in state and key not in ("pad", "flip")]
    kwargs = {key: python_value(state[key]) for key in keys}
    if state["op"].startswith("conv"):
        channels = channels_of(state["op"], state["input"])
        out = kwargs.pop("out_channels", channels)
        return cls(channels, out, **kwargs)
    return cls(**kwargs)


def run_torch(state: dict) -> dict:
    """Build, torch.zeros, F.pad, forward: the output shape or the exception."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = build(state)
            x = torch.zeros(state["input"])
            if "pad" in state:
                mode = getattr(module, "padding_mode", "zeros")
                x = F.pad(x, tuple(state["pad"]), mode="constant" if mode == "zeros" else mode)
            y = module(x)
        return {"ok": True, "shape": list(y.shape)}
    except Exception as error:
        return {"ok": False, "type": type(error).__name__, "message": str(error)}


SET = re.compile(r"\{('[^']*'(?:, '[^']*')*)\}")


def unordered_sets(message: str) -> str:
    """Python prints a set in hash order, which changes from process to process."""
    return SET.sub(lambda m: "{" + ", ".join(sorted(m.group(1).split(", "))) + "}", message)


# ------------------------------------------------------------------------------------
# The settings


def grid_settings() -> list[dict]:
    """Small, mostly valid settings: every operation over a product of small ranges."""
    settings = []
    for op, (_, spatial) in OPS.items():
        kind = op.split("_")[0]
        sizes = [1, 2, 3, 5, 8] if spatial == 1 else [1, 3, 6]
        for n, k, s, p, d in itertools.product(sizes, [1, 2, 3, 4], [1, 2, 3], [0, 1, 2], [1, 2]):
            shape = [2, 3, n] if spatial == 1 else [2, 3, n, n + 1]
            state = {"op": op, "input": shape, "kernel_size": k, "stride": s, "padding": p}
            if kind == "conv" or op.startswith("max"):
                state["dilation"] = d
            elif d == 2:
                state["ceil_mode"] = True
            if kind == "conv" and "transpose" in op:
                state["output_padding"] = (n + k) % 3
            settings.append(state)
    return settings


def random_value(rng: random.Random, spatial: int, low: int, high: int):
    if spatial == 2 and rng.random() < 0.4:
        return [rng.randint(low, high), rng.randint(low, high)]
    return rng.randint(low, high)


def random_shape(rng: random.Random, spatial: int) -> list[int]:
    # Mostly the right ranks (batched or not), sometimes one too few or too many.
    rank = spatial + rng.choice([0, 1, 1, 2, 2, 2, 3])
    shape = []
    for _ in range(rank):
        shape.append(rng.choice([0, 0, 1, 2, -1]) if rng.random() < 0.12 else rng.randint(1, 8))
    return shape


FOREIGN = ["ceil_mode", "groups", "dilation", "output_padding", "count_include_pad", "out_channels"]


def random_settings(count: int, seed: int = SEED) -> list[dict]:
    """Settings drawn to hit every check PyTorch makes, valid ones among them."""
    rng = random.Random(seed)
    settings = []
    for _ in range(count):
        op = rng.choice(list(OPS))
        spatial = OPS[op][1]
        transposed = "transpose" in op
        state: dict = {"op": op, "input": random_shape(rng, spatial)}
        if op.startswith("conv"):
            if rng.random() < 0.4:
                state["out_channels"] = rng.choice([0, 1, 2, 3, 4, 6, 8, -1])
            if rng.random() < 0.3:
                state["groups"] = rng.choice([0, 1, 2, 2, 3, -1])
            if rng.random() < 0.3:
                state["dilation"] = random_value(rng, spatial, -1, 3)
            if rng.random() < 0.2:
                state["bias"] = False
            if transposed and rng.random() < 0.5:
                state["output_padding"] = random_value(rng, spatial, -1, 3)
            if rng.random() < 0.25:
                modes = ["reflect", "replicate", "circular", "zeros", "mirror"]
                state["padding_mode"] = rng.choice(modes)
        else:
            if rng.random() < 0.3:
                state["ceil_mode"] = rng.random() < 0.8
            if op.startswith("max") and rng.random() < 0.3:
                state["dilation"] = random_value(rng, spatial, -1, 3)
            if op.startswith("avg") and rng.random() < 0.3:
                state["count_include_pad"] = False
        if rng.random() < 0.97:
            state["kernel_size"] = random_value(rng, spatial, -1, 5)
        if rng.random() < 0.5:
            state["stride"] = random_value(rng, spatial, -1, 3)
        if rng.random() < 0.6:
            if rng.random() < 0.88:
                state["padding"] = random_value(rng, spatial, -1, 3)
            else:
                state["padding"] = rng.choice(["same", "same", "valid", "full"])
        if rng.random() < 0.2:
            axes = spatial if rng.random() < 0.8 else 1
            state["pad"] = [rng.randint(0, 3) for _ in range(2 * axes)]
        if rng.random() < 0.03:  # an argument the module may not take (a TypeError)
            key = rng.choice(FOREIGN)
            flag = key in ("ceil_mode", "count_include_pad")
            state[key] = rng.random() < 0.5 if flag else rng.randint(1, 2)
        if rng.random() < 0.1:
            state["flip"] = True
        settings.append(state)
    return settings


def special_settings() -> list[dict]:
    """Hand-picked corners: big inputs (oneDNN), empty batches, ceil_mode's dropped window."""
    settings = []
    for op in ("conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d"):
        big = [1, 8, 3000] if op.endswith("1d") else [1, 8, 64, 48]
        extras = [{}, {"kernel_size": 0}, {"dilation": 0}, {"padding": 40}, {"output_padding": 1}]
        for extra in extras:
            state = {"op": op, "input": big, "kernel_size": 3, **extra}
            if "transpose" not in op:
                state.pop("output_padding", None)
            settings.append(state)
    for op in OPS:
        spatial = OPS[op][1]
        for batch, padding in itertools.product(([0, 3], [3], [2, 0], [0, 0]), (0, 3)):
            shape = batch + [5] * spatial
            settings.append({"op": op, "input": shape, "kernel_size": 2, "padding": padding})
    for n, k, s, p in itertools.product(range(1, 9), range(1, 5), range(1, 5), range(0, 3)):
        if p <= k // 2:
            for op in ("max_pool1d", "avg_pool1d"):
                state = {"op": op, "input": [1, n], "kernel_size": k, "stride": s, "padding": p}
                settings.append({**state, "ceil_mode": True})
    return settings


@pytest.fixture(scope="module")
def settings() -> list[dict]:
    return grid_settings() + random_settings(4500) + special_settings()


@pytest.fixture(scope="module")
def torch_results(settings):
    torch.set_num_threads(max(2, torch.get_num_threads()))  # the explorer assumes threads > 1
    return [run_torch(state) for state in settings]


# ------------------------------------------------------------------------------------
# Shapes and messages


def differs(want: dict, got: dict) -> bool:
    """Whether the explorer's result is not PyTorch's: shape, exception type or message."""
    if not got["ok"] and got["errorType"] == "SettingError":
        return True  # every swept setting is inside the vocabulary
    if want["ok"] or got["ok"]:
        return want["ok"] != got["ok"] or want["shape"] != got["outputShape"]
    same_message = unordered_sets(want["message"]) == unordered_sets(got["error"])
    return want["type"] != got["errorType"] or not same_message


def test_every_setting_matches_pytorch(js, settings, torch_results):
    explained = js.call_many("evaluate", [[state] for state in settings])
    mismatches = [
        (state, want, got)
        for state, want, got in zip(settings, torch_results, explained, strict=True)
        if differs(want, got)
    ]
    report = "\n".join(
        f"{state}\n  torch: {want}\n  js:    {got.get('outputShape') or got.get('error')}"
        for state, want, got in mismatches[:10]
    )
    assert not mismatches, f"{len(mismatches)} of {len(settings)} differ:\n{report}"

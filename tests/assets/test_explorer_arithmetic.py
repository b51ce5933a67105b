"""The explorer's arithmetic (docs/assets/explorer/arithmetic.js) against live PyTorch.

What is swept, and how:

* Settings, about 7,400, the same on every run: for each of the eight operations a grid
  (itertools.product over small ranges of input size, kernel, stride, padding,
  dilation, output_padding), 4,500 random settings from `random.Random(SEED)`, and
  hand-picked corners. About two thirds are invalid on purpose: zero and negative
  sizes, kernels, strides, dilations and channels; groups that do not divide;
  padding='same' with a stride; output_padding as big as stride and dilation; padding
  strings where PyTorch wants numbers; reflect/replicate/circular padding larger than
  the input (and negative, through the module's padding); pooling padding past half the
  kernel; ceil_mode's dropped window; empty batches and channels; unbatched and
  wrong-rank inputs; arguments a module does not take; a missing kernel_size; inputs
  big enough to switch PyTorch to its oneDNN backend.
* Each setting goes to PyTorch the way the explorer describes it: build the module with
  the setting's keyword arguments, `torch.zeros(input)`, `F.pad` when the setting has
  `pad`, call the module. The outcome is the output shape, or the exception's type and
  message. PyTorch runs once per setting (cached for the module), on one thread except
  where its choice of convolution backend depends on the thread count (see
  `backend_needs_threads`).
* The JavaScript runs in V8 through tests/assets/jsengine.py, no browser and no Node:
  the whole list goes in one call and comes back as one JSON list; the comparison is in
  Python. A valid setting must give the same shape; an invalid one the same exception
  type and the same message, character for character (Python prints a set in hash
  order, which varies between processes: set elements are sorted on both sides).
* Then the other exports, against the operations they describe: `windows` against
  `F.unfold` of an `arange` input (convolutions, with F.pad and every padding mode),
  against `return_indices` of max pooling over shuffled inputs, against average pooling
  of an `arange` input (divisors included); transposed footprints against
  `conv_transpose` of one-hot inputs; `describeOutput` against an output cell;
  `padValues` and `modulePadValues` against `F.pad`; `outputPaddingFor`, `solve`,
  `stack` and `roundTrip` against real layers; the `nn.…` and `F.pad` lines by running
  them; each axis formula by computing it; `unread` against gradients; and
  `parseHash(formatHash(s))` for every setting.
"""

from __future__ import annotations

import inspect
import itertools
import math
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
    # oneDNN takes over past 20,480 input elements: an empty transposed output is then
    # allowed, where PyTorch's own kernel calls it too small.
    for n, k in ((20480, 3), (20481, 2), (20482, 3)):
        settings.append(
            {"op": "conv_transpose1d", "input": [1, 1, n], "kernel_size": k, "padding": 10241}
        )
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


def backend_needs_threads(state: dict) -> bool:
    """Whether PyTorch's choice of convolution backend can hang on the number of threads.

    The explorer assumes more than one thread. PyTorch only asks when a convolution's
    kernel is 1 (by 1) wide, so everything else runs on one thread, which is much faster
    on a busy machine: no thread pool to wake for each tiny operation.
    """
    if not state["op"].startswith("conv"):
        return False
    kernel = state.get("kernel_size", 1)
    return all(k == 1 for k in (kernel if isinstance(kernel, list) else [kernel]))


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """PyTorch on one thread for this module's tiny tensors, and back as it was after."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def outcomes(settings: list[dict]) -> list[dict]:
    """PyTorch's answer for each setting, on as many threads as its backend choice needs."""
    results: list = [None] * len(settings)
    try:
        for count, wanted in ((1, False), (2, True)):
            torch.set_num_threads(count)
            for i, state in enumerate(settings):
                if backend_needs_threads(state) == wanted:
                    results[i] = run_torch(state)
    finally:
        torch.set_num_threads(1)
    return results


@pytest.fixture(scope="module")
def torch_results(settings, one_thread):
    return outcomes(settings)


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


def assert_like_pytorch(js, settings: list[dict], results: list[dict] | None = None) -> None:
    """The explorer gives PyTorch's shape, or its exception and message, for every setting."""
    results = outcomes(settings) if results is None else results
    explained = js.call_many("evaluate", [[state] for state in settings])
    mismatches = [
        (state, want, got)
        for state, want, got in zip(settings, results, explained, strict=True)
        if differs(want, got)
    ]
    report = "\n".join(
        f"{state}\n  torch: {want}\n  js:    {got.get('outputShape') or got.get('error')}"
        for state, want, got in mismatches[:10]
    )
    assert not mismatches, f"{len(mismatches)} of {len(settings)} differ:\n{report}"


def test_every_setting_matches_pytorch(js, settings, torch_results):
    assert_like_pytorch(js, settings, torch_results)


def zero_dilation_settings() -> list[dict]:
    """Dilation 0 beside kernels of 1 to 3 and strides of 1 to 3, on either backend.

    A batch of 2, or groups, sends a convolution to oneDNN, which takes dilation − 1. A
    transposed convolution there runs with dilation 0 on a 1-wide kernel axis only while
    every other axis has stride > (dilation − 1)·(kernel − 1).
    """
    settings = []
    for op, (_, spatial) in OPS.items():
        if not op.startswith("conv"):
            continue
        strides = [[1], [2], [3]] if spatial == 1 else [[1, 1], [2, 2], [3, 3], [1, 3], [3, 1]]
        for batch, groups, kernel, dilation, stride in itertools.product(
            (1, 2),
            (1, 2),
            itertools.product((1, 2, 3), repeat=spatial),
            itertools.product(range(4), repeat=spatial),
            strides,
        ):
            if 0 not in dilation:
                continue
            state = {
                "op": op,
                "input": [batch, 2, 6] if spatial == 1 else [batch, 2, 6, 5],
                "kernel_size": list(kernel) if spatial == 2 else kernel[0],
                "stride": stride if spatial == 2 else stride[0],
                "dilation": list(dilation) if spatial == 2 else dilation[0],
            }
            settings.append({**state, "groups": 2} if groups == 2 else state)
    transposed = {"op": "conv_transpose2d", "kernel_size": [1, 2], "dilation": [0, 2]}
    settings.append({**transposed, "input": [2, 1, 9, 9], "stride": [2, 1]})
    settings.append(
        {
            **transposed,
            "input": [2, 2, 6, 4],
            "out_channels": 2,
            "kernel_size": [1, 3],
            "stride": [2, 3],
            "padding": [2, 2],
            "dilation": [0, 3],
            "output_padding": [1, 0],
            "groups": 2,
        }
    )
    return settings


def test_zero_dilation_matches_pytorch(js):
    assert_like_pytorch(js, zero_dilation_settings())


def no_output_channel_settings() -> list[dict]:
    """out_channels=0 with and without groups, batches of 0 to 2, on every backend.

    PyTorch's own transposed kernel runs each group on its slice of the weight, and its
    message names the slice.
    """
    settings = []
    for op, (_, spatial) in OPS.items():
        if not op.startswith("conv"):
            continue
        transposed = "transpose" in op
        for batch, groups, kernel, dilation, padding, output_padding, stride in itertools.product(
            (0, 1, 2), (1, 2, 4), (1, 3), (1, 3), (0, 1), (0, 1) if transposed else (0,), (1, 2)
        ):
            size = [3, 4][:spatial]
            state = {
                "op": op,
                "input": [batch, 4, *size] if batch else [4, *size],
                "out_channels": 0,
                "kernel_size": kernel,
                "stride": stride,
                "padding": padding,
                "dilation": dilation,
                "groups": groups,
            }
            settings.append({**state, "output_padding": output_padding} if transposed else state)
    settings.append(
        {
            "op": "conv_transpose1d",
            "input": [4, 2, 3],
            "out_channels": 0,
            "kernel_size": 1,
            "padding": 1,
            "dilation": 3,
            "output_padding": 1,
            "groups": 2,
        }
    )
    return settings


def test_no_output_channels_matches_pytorch(js):
    assert_like_pytorch(js, no_output_channel_settings())


TUPLE_KEYS = ["kernel_size", "stride", "padding", "dilation", "output_padding"]


def wrong_length_settings(count: int = 1500, seed: int = SEED + 3) -> list[dict]:
    """Tuples of the wrong length, as Python passes them: one value too many or too few.

    Every argument of every operation gets each wrong length (2 or 3 values for a 1-D
    operation, 3 or 4 for a 2-D one; `parseHash` reads one value as a number), on a
    batched, unbatched and wrong-rank input; then random settings with one or two such
    tuples, among them padding modes whose F.pad takes a padding tuple one too long and
    pads the channels as well.
    """
    settings = []
    for op, (_, spatial) in OPS.items():
        keys = tuple_arguments(op)
        inputs = [[2, 3, 6] if spatial == 1 else [2, 3, 6, 5]]
        inputs += [inputs[0][1:], inputs[0][2:]]
        for key, length, shape in itertools.product(
            keys, (2, 3) if spatial == 1 else (3, 4), inputs
        ):
            value = [2, 1, 1, 1][:length] if key != "output_padding" else [0] * length
            state = {"op": op, "input": shape, "kernel_size": 2, key: value}
            settings.append(state)
            if op.startswith("conv") and key != "padding":
                settings.append({**state, "padding": "same"})
                settings.append({**state, "padding": "valid"})
    # A padding_mode's F.pad gets one pair per value: one more pads the channels (and a
    # 2-D operation's padding of three values makes a 3-D reflection or replication pad).
    for mode, op, shape in itertools.product(
        ("reflect", "replicate", "circular"),
        ("conv1d", "conv2d"),
        ([1, 1, 1, 1], [1, 2, 1, 2], [2, 1, 2, 3], [3, 1, 2]),
    ):
        spatial = OPS[op][1]
        for padding in itertools.product((-2, -1, 0, 1), repeat=spatial + 1):
            state = {"op": op, "input": shape[-spatial - 2 :], "kernel_size": 1}
            settings.append({**state, "padding": list(padding), "padding_mode": mode})
    rng = random.Random(seed)
    for state in random_settings(count, seed):
        if rng.random() < 0.5 and state["op"].startswith("conv") and "transpose" not in state["op"]:
            state["padding_mode"] = rng.choice(["reflect", "replicate", "circular"])
        spatial = OPS[state["op"]][1]
        keys = tuple_arguments(state["op"])
        for key in rng.sample(keys, rng.choice([1, 1, 2])):
            length = rng.choice([3, 4] if spatial == 2 else [2, 3])
            low = 0 if key in ("padding", "output_padding") else 1
            values = [rng.randint(-1 if rng.random() < 0.1 else low, 3) for _ in range(length)]
            if key == "padding" and rng.random() < 0.6:
                values[0] = 0  # F.pad of padding_mode leaves the channels as they are
            state[key] = values
        settings.append(state)
    return settings


def tuple_arguments(op: str) -> list[str]:
    """The arguments of the module of `op` that take a number or a tuple."""
    return [key for key in TUPLE_KEYS if key in inspect.signature(OPS[op][0]).parameters]


def test_wrong_length_tuples_match_pytorch(js):
    settings = wrong_length_settings()
    results = outcomes(settings)
    assert_like_pytorch(js, settings, results)
    # Through the address too: a tuple of the wrong length is never a default left out.
    hashes = js.call_many("formatHash", [[state] for state in settings])
    parsed = [answer["state"] for answer in js.call_many("parseHash", [[h] for h in hashes])]
    assert_like_pytorch(js, parsed, results)


# ------------------------------------------------------------------------------------
# Windows, against what PyTorch reads


def spatial_of(state: dict) -> int:
    return OPS[state["op"]][1]


def valid_cases(settings, torch_results, ops, limit, keep=lambda state: True):
    """Settings PyTorch accepts with a non-empty output and positive sizes, for `ops`."""
    cases = []
    for state, result in zip(settings, torch_results, strict=True):
        if state["op"] not in ops or not result["ok"] or 0 in result["shape"]:
            continue
        spatial = spatial_of(state)
        sizes = [state.get(key, 1) for key in ("kernel_size", "stride", "dilation")]
        if any(min(python_list(v, spatial)) <= 0 for v in sizes) or min(state["input"]) <= 0:
            continue
        if keep(state):
            cases.append(state)
    return cases[:limit]


def python_list(value, spatial: int) -> list:
    return list(value) if isinstance(value, list) else [value] * spatial


def arange_plane(state: dict) -> torch.Tensor:
    """The input's last spatial axes as one plane of 1, 2, 3, … (0 is left for zeros)."""
    size = state["input"][-spatial_of(state) :]
    return (torch.arange(math.prod(size), dtype=torch.float64) + 1).reshape(1, 1, *size)


def as_2d(x: torch.Tensor) -> torch.Tensor:
    return x.unsqueeze(2) if x.dim() == 3 else x


def cell_value(sources: list, size: list[int]) -> float:
    """The arange plane's value at an original index (row-major), or 0 for a zero."""
    if any(s is None for s in sources):
        return 0.0
    flat = 0
    for s, n in zip(sources, size, strict=True):
        flat = flat * n + s
    return float(flat + 1)


def test_convolution_windows_read_what_unfold_reads(js, settings, torch_results):
    cases = valid_cases(settings, torch_results, ("conv1d", "conv2d"), 400)
    assert len(cases) > 150
    assert_windows_like_unfold(js, cases)


def assert_windows_like_unfold(js, cases: list[dict]) -> None:
    """Each convolution's windows read the cells F.unfold reads, tap by tap."""
    calls = [[state, axis] for state in cases for axis in range(spatial_of(state))]
    answers = iter(js.call_many("windows", calls))
    for state in cases:
        spatial = spatial_of(state)
        axes = [next(answers) for _ in range(spatial)]
        module = build(state)
        x = arange_plane(state)
        mode = module.padding_mode
        if "pad" in state:
            x = F.pad(x, tuple(state["pad"]), mode="constant" if mode == "zeros" else mode)
        # The module's own padding, as the convolution sees it.
        padding = module._reversed_padding_repeated_twice
        x = F.pad(x, padding, mode="constant" if mode == "zeros" else mode)
        kernel = python_list(state["kernel_size"], spatial)
        columns = F.unfold(
            as_2d(x),
            kernel_size=([1] if spatial == 1 else []) + kernel,
            dilation=([1] if spatial == 1 else []) + python_list(state.get("dilation", 1), spatial),
            stride=([1] if spatial == 1 else []) + python_list(state.get("stride", 1), spatial),
        )[0]
        size = state["input"][-spatial:]
        expected = columns.T.tolist()  # one row per output position, one column per tap
        windows = [ax["outputs"] for ax in axes]
        got = [
            [cell_value([t["source"] for t in taps], size) for taps in itertools.product(*cells)]
            for cells in itertools.product(*[[w["taps"] for w in ws] for ws in windows])
        ]
        assert got == expected, state
        for ax, k in zip(axes, kernel, strict=True):
            weights = [t["weight"] for t in ax["outputs"][0]["taps"]]
            assert weights == (list(range(k))[::-1] if state.get("flip") else list(range(k)))


def channel_padding_settings() -> list[dict]:
    """A padding_mode with a padding tuple one too long, whose first value is 0.

    The module's F.pad then pads the channels by 0 as well as the spatial axes, and the
    convolution runs: nn.Conv1d(3, 3, 2, padding=(0, 1), padding_mode='reflect') maps
    (2, 3, 7) to (2, 3, 8).
    """
    settings = []
    for op, mode, kernel, stride, first, second in itertools.product(
        ("conv1d", "conv2d"), ("reflect", "replicate", "circular"), (1, 3), (1, 2), (0, 2), (1, 2)
    ):
        spatial = OPS[op][1]
        state = {
            "op": op,
            "input": [2, 3, 7] if spatial == 1 else [2, 3, 6, 5],
            "kernel_size": kernel,
            "stride": stride,
            "padding": [0, first] if spatial == 1 else [0, first, second],
            "padding_mode": mode,
        }
        settings.append(state)
    return settings


def test_a_padding_tuple_one_too_long_can_pad_the_channels_by_zero(js):
    cases = channel_padding_settings()
    assert_like_pytorch(js, cases)
    assert_windows_like_unfold(js, cases)
    hashes = js.call_many("formatHash", [[state] for state in cases])
    parsed = [answer["state"] for answer in js.call_many("parseHash", [[h] for h in hashes])]
    answers = js.call_many("evaluate", [[state] for state in cases])
    assert js.call_many("evaluate", [[state] for state in parsed]) == answers
    for state, got in zip(cases, answers, strict=True):
        spatial = spatial_of(state)
        assert [a["output"] for a in got["axes"]] == got["outputShape"][-spatial:], state
        assert [a["padding"] for a in got["axes"]] == [[p, p] for p in state["padding"][1:]]


def module_coordinates(ax: dict, tap: dict, fpad_before: int, size: int):
    """A tap's index in the module's input (after F.pad), or None for the module's padding."""
    if tap["padding"] in ("module", "outside"):
        return None
    index = tap["padded"] - (ax["before"] - fpad_before)
    assert 0 <= index < size
    return index


def fpad_before(state: dict, axis: int) -> int:
    spatial = spatial_of(state)
    pad = state.get("pad", [])
    i = spatial - 1 - axis
    return pad[2 * i] if 2 * i < len(pad) else 0


def pooled_cells(state: dict, axes: list[dict], x: torch.Tensor, position: tuple):
    """The module-input cells of one output's window, row-major, each (index, value)."""
    spatial = spatial_of(state)
    size = list(x.shape[-spatial:])
    cells = []
    for taps in itertools.product(
        *[ax["outputs"][o]["taps"] for ax, o in zip(axes, position, strict=True)]
    ):
        where = [
            module_coordinates(ax, tap, fpad_before(state, a), size[a])
            for a, (ax, tap) in enumerate(zip(axes, taps, strict=True))
        ]
        if None in where:
            continue
        flat = where[0] if spatial == 1 else where[0] * size[1] + where[1]
        cells.append((flat, x.reshape(-1)[flat].item()))
    return cells


def test_max_pool_windows_hold_the_argmax(js, settings, torch_results):
    cases = valid_cases(settings, torch_results, ("max_pool1d", "max_pool2d"), 250)
    assert len(cases) > 100
    calls = [[state, axis] for state in cases for axis in range(spatial_of(state))]
    answers = iter(js.call_many("windows", calls))
    generator = torch.Generator().manual_seed(SEED)
    for state in cases:
        spatial = spatial_of(state)
        axes = [next(answers) for _ in range(spatial)]
        plane = arange_plane(state)
        for _ in range(3):  # three orders of the same values: each window's max moves
            order = torch.randperm(plane.numel(), generator=generator).to(torch.float64) + 1
            x = order.reshape(plane.shape)
            if "pad" in state:
                x = F.pad(x, tuple(state["pad"]))
            pool = F.max_pool1d if spatial == 1 else F.max_pool2d
            y, indices = pool(
                x,
                state["kernel_size"],
                state.get("stride"),
                state.get("padding", 0),
                state.get("dilation", 1),
                ceil_mode=state.get("ceil_mode", False),
                return_indices=True,
            )
            for position in itertools.product(*[range(n) for n in indices.shape[2:]]):
                cells = pooled_cells(state, axes, x, position)
                if not cells:  # a window wholly in the padding: PyTorch gives -inf
                    assert y[(0, 0, *position)].item() == float("-inf"), (state, position)
                    continue
                best = max(value for _, value in cells)
                first = next(flat for flat, value in cells if value == best)
                assert indices[(0, 0, *position)].item() == first, (state, position)


def test_avg_pool_windows_and_divisors(js, settings, torch_results):
    cases = valid_cases(settings, torch_results, ("avg_pool1d", "avg_pool2d"), 250)
    assert len(cases) > 100
    calls = [[state, axis] for state in cases for axis in range(spatial_of(state))]
    answers = iter(js.call_many("windows", calls))
    for state in cases:
        spatial = spatial_of(state)
        axes = [next(answers) for _ in range(spatial)]
        x = arange_plane(state)
        if "pad" in state:
            x = F.pad(x, tuple(state["pad"]))
        y = build(state)(x)
        for position in itertools.product(*[range(n) for n in y.shape[2:]]):
            cells = pooled_cells(state, axes, x, position)
            divisor = 1
            for ax, o in zip(axes, position, strict=True):
                divisor *= ax["outputs"][o]["divisor"]
            want = y[(0, 0, *position)].item()
            assert sum(value for _, value in cells) / divisor == pytest.approx(want), state


def test_transposed_footprints_match_one_hot_inputs(js, settings, torch_results):
    ops = ("conv_transpose1d", "conv_transpose2d")
    cases = valid_cases(settings, torch_results, ops, 200, keep=lambda s: max(s["input"]) <= 8)
    assert len(cases) > 60
    calls = [[state, axis] for state in cases for axis in range(spatial_of(state))]
    answers = iter(js.call_many("windows", calls))
    for state in cases:
        spatial = spatial_of(state)
        axes = [next(answers) for _ in range(spatial)]
        sizes = [ax["paddedSize"] for ax in axes]
        kernel = python_list(state["kernel_size"], spatial)
        count = math.prod(sizes)
        weight = (torch.arange(math.prod(kernel), dtype=torch.float64) + 1).reshape(1, 1, *kernel)
        used = weight.flip(list(range(2, 2 + spatial))) if state.get("flip") else weight
        one_hot = torch.eye(count, dtype=torch.float64).reshape(count, 1, *sizes)
        conv = F.conv_transpose1d if spatial == 1 else F.conv_transpose2d
        y = conv(
            one_hot,
            used,
            stride=state.get("stride", 1),
            padding=state.get("padding", 0),
            output_padding=state.get("output_padding", 0),
            dilation=state.get("dilation", 1),
        )
        for b, cell in enumerate(itertools.product(*[range(n) for n in sizes])):
            want = torch.zeros(y.shape[2:], dtype=torch.float64)
            prints = [ax["footprints"][i]["cells"] for ax, i in zip(axes, cell, strict=True)]
            for taps in itertools.product(*prints):
                if all(t["inside"] for t in taps):
                    want[tuple(t["output"] for t in taps)] += weight[
                        (0, 0, *[t["weight"] for t in taps])
                    ]
            assert torch.equal(y[b, 0], want), (state, cell)


# ------------------------------------------------------------------------------------
# Padding values


def torch_pad(values: list, pad: list[int], mode: str):
    try:
        return F.pad(torch.tensor([values], dtype=torch.float64), tuple(pad), mode=mode)[0].tolist()
    except Exception as error:
        return {"error": str(error), "errorType": type(error).__name__}


def test_pad_values_match_f_pad(js):
    rng = random.Random(SEED)
    calls = []
    for _ in range(600):
        if rng.random() < 0.5:
            values = [rng.randint(-9, 9) for _ in range(rng.randint(1, 5))]
            pad = [rng.randint(0, 5) for _ in range(2)]
        else:
            width = rng.randint(1, 4)
            values = [[rng.randint(-9, 9) for _ in range(width)] for _ in range(rng.randint(1, 4))]
            pad = [rng.randint(0, 4) for _ in range(rng.choice([2, 4]))]
        calls.append([values, pad, rng.choice(["constant", "reflect", "replicate", "circular"])])
    answers = js.call_many("padValues", calls)
    for (values, pad, mode), got in zip(calls, answers, strict=True):
        assert got == torch_pad(values, pad, mode), (values, pad, mode)
    assert sum("error" in a for a in answers) > 50  # pads too big for reflect or circular


def test_module_pad_values_match_the_modules_own_padding(js):
    rng = random.Random(SEED + 1)
    calls, modules = [], []
    for _ in range(300):
        spatial = rng.choice([1, 2])
        if spatial == 1:
            values = [rng.randint(-9, 9) for _ in range(rng.randint(1, 6))]
        else:
            width = rng.randint(1, 5)
            values = [[rng.randint(-9, 9) for _ in range(width)] for _ in range(rng.randint(1, 5))]
        state = {
            "op": f"conv{spatial}d",
            "kernel_size": random_value(rng, spatial, 1, 5),
            "padding": rng.choice([random_value(rng, spatial, 0, 4), "same", "valid"]),
            "dilation": random_value(rng, spatial, 1, 2),
            "padding_mode": rng.choice(["zeros", "reflect", "replicate", "circular"]),
        }
        calls.append([values, state])
        modules.append(build({**state, "input": [1, *torch.tensor(values).shape]}))
    answers = js.call_many("modulePadValues", calls)
    for (values, state), module, got in zip(calls, modules, answers, strict=True):
        mode = module.padding_mode
        want = torch_pad(
            values, module._reversed_padding_repeated_twice, "constant" if mode == "zeros" else mode
        )
        assert got == want, state


# ------------------------------------------------------------------------------------
# Output padding, solving, chains


def torch_shape(state: dict):
    result = run_torch(state)
    return result["shape"] if result["ok"] else None


def test_output_padding_for_reaches_the_wanted_size(js, settings, torch_results):
    ops = ("conv_transpose1d", "conv_transpose2d")
    cases = valid_cases(settings, torch_results, ops, 80)
    calls, reachable = [], []
    for state in cases:
        spatial = spatial_of(state)
        # Every output_padding up to max(stride, dilation), through PyTorch: the sizes it gives.
        limit = max(max(python_list(state.get(k, 1), spatial)) for k in ("stride", "dilation"))
        sizes = {}
        for op in itertools.product(range(limit + 1), repeat=spatial):
            shape = torch_shape({**state, "output_padding": list(op) if spatial == 2 else op[0]})
            if shape is not None:
                sizes[op] = shape[-spatial:]
        base = sizes.get((0,) * spatial)
        if base is None:
            continue
        for delta in (-1, 0, 1, 2, 3):
            calls.append([state, [n + delta for n in base]])
            reachable.append(sizes)
    answers = js.call_many("outputPaddingFor", calls)
    reached = 0
    for (state, wanted), sizes, got in zip(calls, reachable, answers, strict=True):
        if got["ok"]:
            reached += 1
            op = got["output_padding"]
            assert sizes[tuple(op) if isinstance(op, list) else (op,)] == wanted, (state, got)
            assert got["outputShape"] == torch_shape({**state, "output_padding": op})
        else:
            assert wanted not in sizes.values(), (state, wanted, got)
    assert reached > 100


def test_solve_lists_every_convolution_that_fits(js):
    calls = [[n, out] for n in range(1, 13) for out in range(1, 13)]
    answers = iter(js.call_many("solve", calls))
    for n in range(1, 13):
        sizes: dict[int, set] = {}
        x = torch.zeros(1, 1, n)
        for k, s, d in itertools.product(range(1, 8), range(1, 5), range(1, 4)):
            if k == 1 and d > 1:
                continue
            for p in range(d * (k - 1) + 1):
                try:
                    size = F.conv1d(x, torch.zeros(1, 1, k), stride=s, padding=p, dilation=d).shape[
                        -1
                    ]
                except RuntimeError:
                    continue
                sizes.setdefault(size, set()).add((k, s, d, p))
        for out in range(1, 13):
            got = next(answers)
            found = {
                (r["kernel_size"], r["stride"], r["dilation"], r["padding"])
                for r in got["solutions"]
            }
            assert found == sizes.get(out, set()), (n, out)
            for r in got["solutions"][:3]:
                module = eval(r["torch"].replace("C, C", "1, 1"), {"nn": nn})
                assert module(x).shape[-1] == out


def torch_chain(shape: list[int], layers: list[dict]):
    """Run the layers one by one in PyTorch: the shapes, and the first error."""
    shapes, x = [list(shape)], torch.zeros(shape)
    for index, layer in enumerate(layers):
        try:
            x = build({**layer, "input": list(x.shape)})(x)
        except Exception as error:
            return shapes, {"index": index, "error": str(error), "errorType": type(error).__name__}
        shapes.append(list(x.shape))
    return shapes, None


DOWN = {"op": "conv2d", "kernel_size": 3, "stride": 2, "padding": 1}
UP = {"op": "conv_transpose2d", "kernel_size": 3, "stride": 2, "padding": 1}


def test_stack_follows_a_chain_of_layers(js):
    chains = [
        ([1, 3, 64, 64], [{**DOWN, "out_channels": 16}] + [DOWN] * 3 + [UP] * 4),
        ([2, 8, 37, 50], [DOWN] * 4 + [UP] * 4),
        ([1, 1, 8, 8], [{"op": "conv2d", "kernel_size": 5}] * 3),
        ([1, 4, 20], [{"op": "max_pool1d", "kernel_size": 3}, {"op": "conv1d", "kernel_size": 7}]),
        ([4, 9], [{"op": "conv_transpose1d", "kernel_size": 4, "stride": 3, "groups": 3}] * 2),
    ]
    answers = js.call_many("stack", [list(chain) for chain in chains])
    for (shape, layers), got in zip(chains, answers, strict=True):
        shapes, failed = torch_chain(shape, layers)
        assert got["shapes"] == shapes
        if failed is None:
            assert got["failed"] is None
        else:
            assert {k: got["failed"][k] for k in failed} == failed
    assert answers[2]["failed"]["index"] == 1


def comes_back(n: int, spatial: int, downs: list, ups: list, ops: tuple) -> bool:
    """Whether PyTorch gives back n after the chain, with these output_paddings."""
    fixed = [{**up, "output_padding": op} for up, op in zip(ups, ops, strict=True)]
    shapes, failed = torch_chain([1, 1] + [n] * spatial, downs + fixed)
    return failed is None and shapes[-1][-spatial:] == [n] * spatial


@pytest.mark.parametrize(
    ("layers", "spatial"),
    [
        ([DOWN] * 3 + [UP] * 3, 2),
        (
            [{"op": "conv1d", "kernel_size": 4, "stride": 2, "padding": 1}] * 2
            + [{"op": "conv_transpose1d", "kernel_size": 4, "stride": 2, "padding": 1}] * 2,
            1,
        ),
    ],
)
def test_round_trip_finds_the_output_padding_needed(js, layers, spatial):
    answers = js.call("roundTrip", layers, {"from": 1, "to": 40})
    downs = len(layers) // 2
    for answer in answers:
        n = answer["n"]
        shapes, failed = torch_chain([1, 1] + [n] * spatial, layers)
        assert answer["size"] == (None if failed else shapes[-1][-1])
        assert answer["back"] == (failed is None and shapes[-1][-spatial:] == [n] * spatial)
        good = [
            ops
            for ops in itertools.product([0, 1], repeat=downs)
            if comes_back(n, spatial, layers[:downs], layers[downs:], ops)
        ]
        if answer["outputPadding"] is None:
            assert not good, answer
        else:
            # A square input: the same output_padding along both axes.
            per_layer = [op if isinstance(op, int) else op[0] for op in answer["outputPadding"]]
            assert all(isinstance(op, int) or len(set(op)) == 1 for op in answer["outputPadding"])
            assert tuple(per_layer) in good, answer
    assert any(a["outputPadding"] and any(a["outputPadding"]) for a in answers)


# ------------------------------------------------------------------------------------
# One output cell, the Python line, the formulas, the cells no window reads


def test_describe_output_reads_like_the_formula(js):
    state = {"op": "conv1d", "input": [1, 5], "kernel_size": 3, "padding": 1}
    got = js.call("describeOutput", state, [0])
    assert got["text"] == "y[0] = w[0]·0 (padding) + w[1]·x[0] + w[2]·x[1] + b"
    flipped = js.call("describeOutput", {**state, "flip": True, "bias": False}, [4])
    assert flipped["text"] == "y[4] = w[2]·x[3] + w[1]·x[4] + w[0]·0 (padding)"
    reflect = {
        "op": "conv2d",
        "input": [1, 3, 3],
        "kernel_size": 2,
        "padding": 1,
        "padding_mode": "reflect",
    }
    text = js.call("describeOutput", reflect, [0, 0])["text"]
    assert text == (
        "y[0,0] = w[0,0]·x[1,1] (reflect padding) + w[0,1]·x[1,0] (reflect padding)"
        " + w[1,0]·x[0,1] (reflect padding) + w[1,1]·x[0,0] + b"
    )
    pool = {"op": "max_pool2d", "input": [1, 4, 4], "kernel_size": 3, "stride": 2, "padding": 1}
    assert js.call("describeOutput", pool, [0, 0])["text"] == (
        "y[0,0] = max(−∞ (padding), −∞ (padding), −∞ (padding), −∞ (padding), x[0,0], x[0,1],"
        " −∞ (padding), x[1,0], x[1,1])"
    )
    avg = {
        "op": "avg_pool1d",
        "input": [1, 4],
        "kernel_size": 3,
        "padding": 1,
        "count_include_pad": False,
    }
    assert js.call("describeOutput", avg, [0])["text"] == "y[0] = (0 (padding) + x[0] + x[1]) / 2"
    transposed = {
        "op": "conv_transpose1d",
        "input": [1, 3],
        "kernel_size": 3,
        "stride": 2,
        "pad": [1, 0],
    }
    assert (
        js.call("describeOutput", transposed, [2])["text"]
        == "y[2] = w[2]·0 (padding) + w[0]·x[0] + b"
    )
    assert js.call("describeOutput", state, [5])["ok"] is False


def test_describe_output_computes_what_pytorch_computes(js, settings, torch_results):
    ops = ("conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d")
    cases = valid_cases(settings, torch_results, ops, 200, keep=lambda s: "groups" not in s)
    rng = random.Random(SEED + 2)
    calls = []
    for state in cases:
        result = run_torch(state)
        position = [rng.randrange(n) for n in result["shape"][-spatial_of(state) :]]
        calls.append([{**state, "bias": False}, position])
    answers = js.call_many("describeOutput", calls)
    generator = torch.Generator().manual_seed(SEED)
    for (state, position), got in zip(calls, answers, strict=True):
        spatial = spatial_of(state)
        module = build({**state, "input": [1, 1, *state["input"][-spatial:]], "out_channels": 1})
        weight = torch.randn(module.weight.shape, generator=generator, dtype=torch.float64)
        x = torch.randn(
            [1, 1, *state["input"][-spatial:]], generator=generator, dtype=torch.float64
        )
        module = module.double()
        with torch.no_grad():
            module.weight.copy_(
                weight.flip(list(range(2, 2 + spatial))) if state.get("flip") else weight
            )
            padded = x
            if "pad" in state:
                mode = module.padding_mode
                padded = F.pad(x, tuple(state["pad"]), mode="constant" if mode == "zeros" else mode)
            want = module(padded)[(0, 0, *position)].item()
        total = 0.0
        for term in got["terms"]:
            w = weight[(0, 0, *term["weight"])].item()
            if "input" in term:  # transposed: an input cell of the F.pad-ed input
                total += w * padded[(0, 0, *term["input"])].item()
            elif term["source"] is not None:
                total += w * x[(0, 0, *term["source"])].item()
        assert total == pytest.approx(want, abs=1e-9), (state, position, got["text"])


def test_torch_and_fpad_lines_build_the_same_thing(js, settings, torch_results):
    cases = [s for s, r in zip(settings, torch_results, strict=True) if r["ok"]]
    answers = js.call_many("evaluate", [[state] for state in cases])
    for state, got in zip(cases, answers, strict=True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zero-element weights warn when initialised
            module = eval(got["torch"], {"nn": nn})
            built = build(state)
        if state["op"].startswith("conv"):  # pooling modules keep their arguments as given
            assert repr(module) == repr(built), (state, got["torch"])
        x = F.pad(torch.zeros(state["input"]), tuple(state["pad"])) if "pad" in state else None
        if x is not None and getattr(module, "padding_mode", "zeros") == "zeros":
            assert list(module(x).shape) == got["outputShape"], state
        if "pad" in state:
            x = torch.zeros(state["input"])
            assert list(eval(got["fpad"], {"F": F, "x": x}).shape) == got["paddedShape"]
        else:
            assert got["fpad"] is None
    assert js.call(
        "evaluate",
        {
            "op": "conv2d",
            "input": [1, 3, 7, 9],
            "out_channels": 8,
            "kernel_size": [3, 5],
            "stride": 2,
            "padding": [1, 2],
        },
    )["torch"] == ("nn.Conv2d(3, 8, kernel_size=(3, 5), stride=2, padding=(1, 2))")


FLOOR = re.compile(r"⌊\((.*?)\) / (\d+)⌋")
CEIL = re.compile(r"⌈\((.*?)\) / (\d+)⌉")


def formula_value(formula: str) -> tuple[int, int]:
    """A formula's left side computed, and the number it claims: ⌊(9 + 2·2 − …) / 2⌋ + 1 = 5."""
    text = formula.split(";")[0]
    left, right = text.rsplit(" = ", 1)
    left = FLOOR.sub(r"((\1) // \2)", left)
    left = CEIL.sub(r"(-(-(\1) // \2))", left)
    left = left.replace("·", "*").replace("−", "-")
    assert re.fullmatch(r"[\d\s()+\-*/]+", left), formula
    return eval(left), int(right)


def test_formulas_and_unread_cells(js, settings, torch_results):
    ops = ("conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "avg_pool1d", "avg_pool2d")
    cases = valid_cases(settings, torch_results, tuple(OPS), 2000)
    answers = js.call_many("evaluate", [[state] for state in cases])
    checked = 0
    for state, got in zip(cases, answers, strict=True):
        spatial = spatial_of(state)
        for axis in got["axes"]:
            value, claimed = formula_value(axis["formula"])
            assert claimed == value, (state, axis["formula"])
            # ceil_mode's dropped window: the formula goes on to say so, and ends one lower.
            dropped = axis.get("dropped", False)
            assert int(axis["formula"].rsplit(" ", 1)[-1]) == axis["output"] == value - dropped
        assert [a["output"] for a in got["axes"]] == got["outputShape"][-spatial:]
        if state["op"] not in ops or checked >= 300 or state.get("groups", 1) != 1:
            continue
        # A cell no window reads gets no gradient: weights of one, so nothing cancels.
        checked += 1
        x = torch.zeros([1, 1, *state["input"][-spatial:]], dtype=torch.float64, requires_grad=True)
        module = build(
            {**state, "input": [1, 1, *state["input"][-spatial:]], "out_channels": 1}
        ).double()
        if hasattr(module, "weight"):
            module.weight.data.fill_(1.0)
        mode = getattr(module, "padding_mode", "zeros")
        y = module(
            F.pad(x, tuple(state["pad"]), mode="constant" if mode == "zeros" else mode)
            if "pad" in state
            else x
        )
        y.sum().backward()
        # A cell is read when its index is read along every axis.
        read = torch.ones(x.shape[2:], dtype=torch.bool)
        for a, axis in enumerate(got["axes"]):
            along = torch.ones(x.shape[2 + a], dtype=torch.bool)
            along[axis["unread"]] = False
            read &= along.reshape([-1 if d == a else 1 for d in range(spatial)])
        assert torch.equal(x.grad[0, 0] != 0, read), (state, got["axes"])
    assert checked > 150


# ------------------------------------------------------------------------------------
# The hash


def test_every_setting_survives_the_hash(js, settings, torch_results):
    hashes = js.call_many("formatHash", [[state] for state in settings])
    parsed = js.call_many("parseHash", [[text] for text in hashes])
    again = js.call_many("formatHash", [[p["state"]] for p in parsed])
    assert again == hashes
    answers = js.call_many("evaluate", [[p["state"]] for p in parsed])
    for state, want, got in zip(settings, torch_results, answers, strict=True):
        assert not differs(want, got), (state, want, got)


def test_parse_hash_reads_the_vocabulary(js):
    hash_ = "#op=conv2d&input=1,3,7,9&out_channels=8&kernel_size=3,5&stride=2&padding=1,2"
    assert js.call("parseHash", hash_) == {
        "state": {
            "op": "conv2d",
            "input": [1, 3, 7, 9],
            "out_channels": 8,
            "kernel_size": [3, 5],
            "stride": 2,
            "padding": [1, 2],
        },
        "problems": [],
    }
    assert js.call("formatHash", js.call("parseHash", hash_)["state"]) == hash_[1:]
    state = js.call(
        "parseHash", "op=conv1d&input=3,9&kernel_size=3&stride=1&bias=true&pad=2,0&flip=false"
    )
    assert js.call("formatHash", state["state"]) == "op=conv1d&input=3,9&kernel_size=3&pad=2,0"
    odd = js.call("parseHash", "op=conv3d&input=1,x&kernel_size=a&bias=yes&colour=red&padding=same")
    assert odd["state"] == {"padding": "same"}
    assert odd["problems"] == [
        "op: unknown operation 'conv3d'",
        "input: expected comma-separated integers",
        "kernel_size: expected an integer or comma-separated integers",
        "bias: expected true or false",
        "unknown key 'colour'",
        "op is missing",
        "input is missing",
    ]
    foreign = js.call("parseHash", "op=max_pool2d&input=1,4,4&kernel_size=2&groups=2")
    assert foreign["problems"] == [
        "groups is not an argument of nn.MaxPool2d: PyTorch raises a TypeError"
    ]
    # A tuple of the wrong length is read, and gives PyTorch's error, not the explorer's.
    two = js.call("parseHash", "op=conv1d&input=1,2,6&kernel_size=2,3")
    assert two["problems"] == []
    assert js.call("evaluate", two["state"])["error"] == (
        "Expected 4-dimensional input for 4-dimensional weight [2, 2, 2, 3],"
        " but got 3-dimensional input of size [1, 2, 6] instead"
    )
    assert (
        js.call("evaluate", {"op": "conv1d", "input": [1, 5], "kernel_size": 2, "pad": [-1, 0]})[
            "errorType"
        ]
        == "SettingError"
    )

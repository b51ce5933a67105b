"""A figure and the numbers its page quotes come from one declaration.

Change a figure's parameters in the registry (or a shared setting in convdemo.examples)
and build: the drawing, its caption, its alt text and the sentences around it all follow.
The expected values are computed here with PyTorch, not read from the facts functions.
"""

from __future__ import annotations

import html
import re
import shutil
import warnings
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from tests.integration.project import mkdocs

# (old text, new text) in figures/registry.py; each line changes one figure's parameters.
REGISTRY_EDITS = [
    ('{"size": 8, "kernel_size": 3}', '{"size": 11, "kernel_size": 5}'),  # padding-none, -same
    ("size=8, kernel_size=4, padding=", "size=8, kernel_size=6, padding="),  # padding-even
    (  # stride-positions
        'stride_positions_facts", size=8, kernel_size=3, stride=2)',
        'stride_positions_facts", size=10, kernel_size=3, stride=3)',
    ),
    (  # dilation-mask
        'dilated_mask_facts", kernel_size=3, dilation=2)',
        'dilated_mask_facts", kernel_size=3, dilation=3)',
    ),
    ("size=4, stride=2, kernels=(3, 4)", "size=5, stride=3, kernels=(4, 6)"),  # checkerboard
    (  # receptive-field-growth
        'growth_facts", kernel_size=3, dilations=(1, 2, 4, 8)',
        'growth_facts", kernel_size=3, dilations=(1, 3, 9)',
    ),
    (  # the layer of separable-cost and im2col-memory
        '{"size": 56, "in_channels": 128, "out_channels": 128, "kernel_size": 3}',
        '{"size": 28, "in_channels": 64, "out_channels": 32, "kernel_size": 5}',
    ),
]
EXAMPLE_EDITS = [("(1.0, 0.5, 0.25, -1.0)", "(2.0, -0.5, 1.0, 0.5)")]  # the 1×1 weights


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} should appear once in {path.name}"
    path.write_text(text.replace(old, new))


@pytest.fixture(scope="module")
def changed(built, tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("declaration") / "project"
    shutil.copytree(built, project, symlinks=True)
    for old, new in REGISTRY_EDITS:
        replace_once(project / "figures" / "registry.py", old, new)
    for old, new in EXAMPLE_EDITS:
        replace_once(project / "convdemo" / "examples.py", old, new)
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    return project / "site"


def page(site: Path, name: str) -> tuple[str, list[str]]:
    """The page's text (tags out, white space collapsed) and its images' alt texts."""
    raw = (site / name / "index.html").read_text()
    alts = [html.unescape(alt) for alt in re.findall(r'alt="([^"]*)"', raw)]
    text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    return re.sub(r"\s+", " ", text), alts


def side(size: int, kernel: int, **options: int | str) -> int:
    x, w = torch.zeros(1, 1, size, size), torch.zeros(1, 1, kernel, kernel)
    return int(F.conv2d(x, w, **options).shape[-1])


def test_padding_captions_alt_and_prose_follow_the_new_parameters(changed):
    text, alts = page(changed, "padding")
    out = side(11, 5)
    assert f"a 5×5 mask fits in {out}×{out} positions of the 11×11 input" in text
    assert f"the output loses {11 - out} rows and {11 - out} columns" in text
    assert any(
        alt.startswith("Left, an 11 by 11 grid of input cells with a 5 by 5 mask") for alt in alts
    )
    pad = (5 - 1) // 2
    assert side(11, 5, padding=pad) == 11
    assert "Two rings of zeros are enough for a 5×5 mask" in text
    assert f"With {pad} rings of zeros, the same mask fits in 11×11 positions" in text
    assert any(f"surrounded by {pad} rings of zero cells" in alt for alt in alts)
    # An even kernel of 6: PyTorch's "same" pads 2 before and 3 after.
    x = torch.randn(1, 1, 8, 8)
    k = torch.randn(1, 1, 6, 6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch may warn that "same" pads unevenly
        same = F.conv2d(x, k, padding="same")
    torch.testing.assert_close(F.conv2d(F.pad(x, (2, 3, 2, 3)), k), same)
    assert "puts 2 zeros before and 3 after" in text
    assert any("with 2 zero rows above, 3 below" in alt for alt in alts)
    assert "3×3 mask" not in text.split("Even masks")[0]  # nothing of the old figure left


def test_stride_and_dilation_follow_the_new_parameters(changed):
    text, alts = page(changed, "stride-dilation")
    dense, sparse = side(10, 3), side(10, 3, stride=3)
    assert "with stride 3 the mask moves three cells at a time and skips two positions" in text
    assert f"Stride 3 (X): {sparse}×{sparse}" in text
    assert f"Stride 1 (shaded): {dense}×{dense} positions" in text
    # The windows of stride 3 start at 0, 3, 6 and read up to 8: row 9 is never read.
    x = torch.zeros(1, 1, 10, 10)
    x[..., 9, :] = 1
    assert F.conv2d(x, torch.ones(1, 1, 3, 3), stride=3).abs().max() == 0
    assert "from input row and column 9 on (hatched) nothing is read" in text
    span = 3 * (3 - 1) + 1
    assert f"placed 3 cells apart and span {span}×{span} cells" in text
    assert f"the {span * span - 9} cells in between are skipped" in text
    assert any("two empty cells between neighbours" in alt for alt in alts)


def test_the_checkerboard_follows_the_new_kernels(changed):
    text, alts = page(changed, "transposed")
    ones = torch.ones(1, 1, 5, 5)
    first = F.conv_transpose2d(ones, torch.ones(1, 1, 4, 4), stride=3)
    low, high = int(first.min()), int(first.max())
    assert (
        f"Overlap counts on a 5×5 input of ones. Kernel 4, stride 3: between {low} and {high}"
        in text
    )
    second = F.conv_transpose2d(ones, torch.ones(1, 1, 6, 6), stride=3)[0, 0, 2:-2, 2:-2]
    assert f"Kernel 6: a uniform {int(second.min())} inside" in text
    assert any(alt.startswith("Three grids of overlap counts. Kernel 4, stride 3") for alt in alts)


def test_the_1x1_weights_follow_the_shared_example(changed):
    text, alts = page(changed, "pointwise")
    weights = torch.tensor([2.0, -0.5, 1.0, 0.5]).view(1, 4, 1, 1)
    from convdemo.pointwise import MAPS

    maps = torch.tensor(MAPS, dtype=torch.float32)[None]
    top_left = F.conv2d(maps, weights)[0, 0, 0, 0].item()
    terms = [
        f"{w:g}·{m[0][0]}" if w >= 0 else f"({w:g})·{m[0][0]}"
        for w, m in zip((2.0, -0.5, 1.0, 0.5), MAPS, strict=True)
    ]
    expression = " + ".join(terms).replace("-", "−")
    assert f"the top-left output is {expression} = {top_left:g}." in text
    assert any("(2, −0.5, 1 and 0.5)" in alt for alt in alts)


def field(dilations: tuple[int, ...]) -> int:
    """The receptive field of stacked 3×3 convolutions, by autograd through real layers."""
    layers = [torch.nn.Conv2d(1, 1, 3, dilation=d, bias=False) for d in dilations]
    for layer in layers:
        torch.nn.init.ones_(layer.weight)
    x = torch.zeros(1, 1, 1 + 2 * 2 * sum(dilations), 1 + 2 * 2 * sum(dilations)).requires_grad_()
    y = torch.nn.Sequential(*layers)(x)
    (grad,) = torch.autograd.grad(y[0, 0, 0, 0], x)
    columns = grad[0, 0].abs().sum(0).nonzero().flatten()
    return int(columns[-1] - columns[0] + 1)


def test_the_receptive_field_growth_follows_the_new_dilations(changed):
    text, alts = page(changed, "receptive-field")
    dilated = ", ".join(str(field((1, 3, 9)[:depth])) for depth in (1, 2, 3))
    plain = ", ".join(str(field((1,) * depth)) for depth in (1, 2, 3))
    assert f"layer after layer: {plain}." in text
    assert f"geometrically, 1, 3, 9, and the field grows geometrically too: {dilated}." in text
    assert any(f"With dilations 1, 3, 9 the field is {dilated}" in alt for alt in alts)
    assert f"Receptive field after each of 3 stacked 3×3 layers: {field((1, 3, 9))} cells" in text


def test_the_separable_layer_and_its_columns_follow_the_new_layer(changed):
    from torch.utils.flop_counter import FlopCounterMode

    x = torch.zeros(1, 64, 28, 28)
    standard = torch.nn.Conv2d(64, 32, 5, padding=2, bias=False)
    separable = torch.nn.Sequential(
        torch.nn.Conv2d(64, 64, 5, padding=2, groups=64, bias=False),
        torch.nn.Conv2d(64, 32, 1, bias=False),
    )
    counts = []
    for module in (standard, separable):
        with FlopCounterMode(display=False) as counter, torch.no_grad():
            module(x)
        counts.append(counter.get_total_flops() // 2)  # two FLOPs per multiply-add
    text, _ = page(changed, "groups")
    assert f"The standard layer needs {counts[0]:,} multiplications" in text
    assert f"together {counts[1]:,}." in text
    columns = F.unfold(x, 5, padding=2)
    text, _ = page(changed, "im2col")
    rows, windows = columns.shape[1:]
    assert f"Its columns form a matrix of {rows:,} rows and {windows:,} columns" in text
    assert f"{columns.numel() / x.numel():g} times the input" in text

"""Every figure, every set of numbers and every notebook the site shows, one line each.

A figure ``name`` is drawn by its function with the parameters written here, written as
``figures/name.<ext>`` and placed on its page with ``:::figure name`` (anchor
``#fig-name``). Its ``facts`` function takes the same parameters and returns the numbers
its caption, alt text and prose quote as ``{{ name.key }}``: a figure and the sentences
about it come from this one line. A numbers entry serves sentences without a picture. A
notebook ``name`` is ``docs/notebooks/name.ipynb``, executed at build time.

Parameters shared by several lines are named once below; the settings the notebooks use
too live in ``convdemo.examples``. Diagrams are SVG on the page; photographs and feature
maps WebP.
"""

from __future__ import annotations

from typing import Any

from convdemo.examples import BOTTLENECK, DEMO_WEIGHTS, DILATED, STRIDED
from figures.exercises import EXERCISES
from figures.spec import (
    CSS_DPI,
    DOWNLOAD_DPI,
    DOWNLOADS,
    PHOTO,
    Spec,
    animation,
    figure,
    notebook,
    numbers,
)

PADDING: dict[str, Any] = {"size": 8, "kernel_size": 3}
NETWORK: dict[str, Any] = {"image": PHOTO, "ext": "webp"}
MATRIX_INPUT = 4
#: The channels of the groups diagrams, and the layer whose cost a depthwise-separable
#: replacement saves (the size of MobileNet's 56×56 layers, 128 channels in and out);
#: the matrix-product chapter weighs the im2col columns of the same layer.
GROUPS: dict[str, Any] = {"channels": 4, "kernel_size": 3}
SEPARABLE: dict[str, Any] = {"size": 56, "in_channels": 128, "out_channels": 128, "kernel_size": 3}

# The tables are aligned by hand: one entry a line reads as a table.
# fmt: off
FIGURES: tuple[Spec, ...] = (
    # 1. The convolution operation
    figure("conv-rgb-patch", "convdemo.patch:patch_figure", facts="convdemo.patch:patch_facts",
           row=0, col=1),
    figure("conv-layer", "convdemo.basics:layer_figure", facts="convdemo.basics:layer_facts"),
    # 2. Padding
    figure("padding-none", "convdemo.grids:padding_grid", facts="convdemo.grids:padding_facts",
           **PADDING, padding=0),
    figure("padding-same", "convdemo.grids:padding_grid", facts="convdemo.grids:padding_facts",
           **PADDING, padding="same"),
    figure("padding-non-square", "convdemo.grids:padding_grid",
           facts="convdemo.grids:padding_facts", size=8, kernel_size=(3, 5), padding="same"),
    figure("padding-even", "convdemo.grids:padding_grid", facts="convdemo.grids:padding_facts",
           size=8, kernel_size=4, padding="same"),
    figure("padding-modes", "convdemo.padmodes:padding_modes_figure",
           facts="convdemo.padmodes:padding_modes_facts", size=4, pad=2),
    figure("padding-asymmetric", "convdemo.padmodes:asymmetric_figure",
           facts="convdemo.padmodes:asymmetric_facts", size=4, pad=(1, 2, 0, 1)),
    # 3. Stride and dilation
    figure("stride-positions", "convdemo.grids:stride_positions",
           facts="convdemo.grids:stride_positions_facts", size=8, kernel_size=3, stride=2),
    figure("dilation-mask", "convdemo.grids:dilated_mask",
           facts="convdemo.grids:dilated_mask_facts", kernel_size=3, dilation=2),
    # 4. Pooling and rectification
    figure("relu-map", "convdemo.pooling:relu_figure", facts="convdemo.pooling:relu_facts"),
    figure("pooling-max-average", "convdemo.pooling:pooling_figure",
           facts="convdemo.pooling:pooling_facts", kernel_size=2),
    figure("pooling-average-padding", "convdemo.pooling_rules:average_padding_figure",
           facts="convdemo.pooling_rules:average_padding_facts", size=4, kernel_size=3,
           padding=1),
    figure("pooling-adaptive", "convdemo.pooling_rules:adaptive_figure",
           facts="convdemo.pooling_rules:adaptive_facts", size=7, output=3),
    # 5. Visualizing convolution output
    figure("input-photo", "convdemo.maps:photo", facts="convdemo.maps:photo_facts",
           image=PHOTO, ext="webp"),
    figure("edge-filters", "convdemo.maps:filters_figure", facts="convdemo.maps:filters_facts"),
    figure("layer1-maps", "convdemo.maps:feature_maps", facts="convdemo.maps:feature_maps_facts",
           **NETWORK, layer="conv1"),
    figure("layer2-maps", "convdemo.maps:feature_maps", facts="convdemo.maps:feature_maps_facts",
           **NETWORK, layer="conv2"),
    figure("layer2-input", "convdemo.maps:channel_sum_figure",
           facts="convdemo.maps:channel_sum_facts", image=PHOTO, ext="webp"),
    figure("stride2-maps", "convdemo.maps:feature_maps", facts="convdemo.maps:feature_maps_facts",
           **NETWORK, layer="conv2", stride=STRIDED),
    figure("dilation3-maps", "convdemo.maps:feature_maps",
           facts="convdemo.maps:feature_maps_facts", **NETWORK, layer="conv1", dilation=DILATED),
    # 6. 1×1 convolution
    figure("pointwise-sum", "convdemo.pointwise:pointwise_figure",
           facts="convdemo.pointwise:pointwise_facts", weights=DEMO_WEIGHTS),
    figure("pointwise-operations", "convdemo.pointwise:operations_figure",
           facts="convdemo.pointwise:operation_facts", **BOTTLENECK),
    figure("pointwise-maps", "convdemo.pointwise:pointwise_maps",
           facts="convdemo.pointwise:pointwise_maps_facts", **NETWORK, weights=DEMO_WEIGHTS),
    # 7. Transposed convolution
    figure("conv-matrix", "convdemo.transposed:matrix_figure",
           facts="convdemo.transposed:matrix_facts", size=MATRIX_INPUT),
    figure("conv-matrix-transposed", "convdemo.transposed:transpose_figure",
           facts="convdemo.transposed:matrix_facts", size=MATRIX_INPUT),
    figure("conv-matrix-strides", "convdemo.upsampling:bridge_figure",
           facts="convdemo.upsampling:bridge_facts", size=5, kernel=(1, 2, 3), strides=(1, 2)),
    figure("transposed-stride-2", "convdemo.transposed:stride_figure",
           facts="convdemo.transposed:stride_facts", size=2, kernel_size=3, stride=2),
    figure("round-trip", "convdemo.roundtrip:round_trip_figure",
           facts="convdemo.roundtrip:round_trip_facts", image=PHOTO, ext="webp"),
    figure("checkerboard", "convdemo.checkerboard:checkerboard_figure",
           facts="convdemo.checkerboard:checkerboard_facts", size=4, stride=2, kernels=(3, 4)),
    # 1-D and causal convolution
    figure("causal-stack", "convdemo.causal:stack_figure", facts="convdemo.causal:stack_facts",
           kernel_size=2, dilations=(1, 2, 4, 8), length=16),
    # 8. Convolution or cross-correlation?
    figure("correlation-vs-convolution", "convdemo.correlation:correlation_figure",
           facts="convdemo.correlation:correlation_facts"),
    # 9. Receptive field
    figure("receptive-field-photo", "convdemo.receptive_figures:field_photo_figure",
           facts="convdemo.receptive_figures:demo_field_facts", image=PHOTO, ext="webp"),
    figure("receptive-field-gradients", "convdemo.receptive_figures:field_gradients_figure",
           facts="convdemo.receptive_figures:demo_field_facts", image=PHOTO, ext="webp"),
    figure("receptive-field-growth", "convdemo.receptive_figures:growth_figure",
           facts="convdemo.receptive_figures:growth_facts", kernel_size=3, dilations=(1, 2, 4, 8)),
    figure("receptive-field-gridding", "convdemo.receptive_figures:gridding_figure",
           facts="convdemo.receptive_figures:gridding_facts",
           kernel_size=3, dilations=(2, 2, 2), remedy=(1, 2, 3)),
    # 10. Groups and depthwise-separable convolution
    figure("groups-connections", "convdemo.groups_figures:connections_figure",
           facts="convdemo.groups_figures:connections_facts", **GROUPS, groups=2, multiplier=2),
    figure("groups-blocks", "convdemo.groups_figures:block_figure",
           facts="convdemo.groups_figures:block_facts", **GROUPS, groups=(1, 2, 4)),
    figure("separable-cost", "convdemo.groups_figures:cost_figure",
           facts="convdemo.groups:separable_facts", **SEPARABLE),
    # 11. Convolution as a matrix product
    figure("im2col-columns", "convdemo.im2col_figures:columns_figure",
           facts="convdemo.im2col_figures:columns_facts", channels=2, size=3, kernel_size=2),
    figure("fold-coverage", "convdemo.im2col_figures:coverage_figure",
           facts="convdemo.im2col_figures:coverage_facts", size=5, kernel_size=3, strides=(1, 2)),
    figure("fold-transposed", "convdemo.im2col_figures:transpose_figure",
           facts="convdemo.im2col_figures:transpose_facts", size=MATRIX_INPUT - 2),
    figure("im2col-memory", "convdemo.im2col_figures:memory_figure",
           facts="convdemo.im2col:memory_facts", **SEPARABLE),
)

# The sliding window in motion: the cases of Dumoulin and Visin's "A guide to convolution
# arithmetic", in PyTorch's own arguments, and more. One step per output cell.
WINDOW, WINDOW_FACTS = "convdemo.animations:sliding_window", "convdemo.layers:window_facts"
ANIMATIONS: tuple[Spec, ...] = (
    animation("conv-no-padding-no-strides", WINDOW, facts=WINDOW_FACTS,
              op="conv", size=4, kernel_size=3),
    animation("conv-arbitrary-padding", WINDOW, facts=WINDOW_FACTS,
              op="conv", size=5, kernel_size=4, padding=2),
    animation("conv-same-padding", WINDOW, facts=WINDOW_FACTS,
              op="conv", size=5, kernel_size=3, padding=1),
    animation("conv-full-padding", WINDOW, facts=WINDOW_FACTS,
              op="conv", size=5, kernel_size=3, padding=2),
    animation("conv-no-padding-strides", WINDOW, facts=WINDOW_FACTS,
              op="conv", size=5, kernel_size=3, stride=2),
    animation("conv-padding-strides", WINDOW, facts=WINDOW_FACTS,
              op="conv", size=5, kernel_size=3, stride=2, padding=1),
    animation("conv-padding-strides-odd", WINDOW, facts=WINDOW_FACTS,
              op="conv", size=6, kernel_size=3, stride=2, padding=1),
    animation("conv-dilation", WINDOW, facts=WINDOW_FACTS,
              op="conv", size=7, kernel_size=3, dilation=2),
    animation("transposed-no-padding-no-strides", WINDOW, facts=WINDOW_FACTS,
              op="conv_transpose", size=2, kernel_size=3),
    animation("transposed-arbitrary-padding", WINDOW, facts=WINDOW_FACTS,
              op="conv_transpose", size=6, kernel_size=4, padding=2),
    animation("transposed-same-padding", WINDOW, facts=WINDOW_FACTS,
              op="conv_transpose", size=5, kernel_size=3, padding=1),
    animation("transposed-full-padding", WINDOW, facts=WINDOW_FACTS,
              op="conv_transpose", size=7, kernel_size=3, padding=2),
    animation("transposed-no-padding-strides", WINDOW, facts=WINDOW_FACTS,
              op="conv_transpose", size=2, kernel_size=3, stride=2),
    animation("transposed-padding-strides", WINDOW, facts=WINDOW_FACTS,
              op="conv_transpose", size=3, kernel_size=3, stride=2, padding=1),
    animation("transposed-padding-strides-odd", WINDOW, facts=WINDOW_FACTS,
              op="conv_transpose", size=3, kernel_size=3, stride=2, padding=1,
              output_padding=1),
    animation("transposed-scatter", "convdemo.scatter:scatter_animation",
              facts="convdemo.scatter:scatter_facts", size=2, kernel_size=3, stride=2),
    animation("transposed-gather-numbers", WINDOW, facts=WINDOW_FACTS,
              op="conv_transpose", size=2, kernel_size=3, stride=2, numbers=True),
    animation("conv-numbers", WINDOW, facts=WINDOW_FACTS,
              op="conv", size=5, kernel_size=3, numbers=True),
    animation("conv-padding-strides-numbers", WINDOW, facts=WINDOW_FACTS,
              op="conv", size=5, kernel_size=3, stride=2, padding=1, numbers=True),
    animation("conv1d-same", WINDOW, facts=WINDOW_FACTS,
              op="conv", size=8, kernel_size=3, dilation=2, padding=2, dims=1),
    animation("conv1d-causal", WINDOW, facts=WINDOW_FACTS,
              op="conv", size=8, kernel_size=3, dilation=2, dims=1, causal=True),
    animation("conv-channels-groups", "convdemo.channel_motion:channels_animation",
              facts="convdemo.channel_motion:channels_facts", channels=4, kernel_size=3,
              groups=2),
    animation("max-pool-numbers", WINDOW, facts=WINDOW_FACTS,
              op="max_pool", size=5, kernel_size=3, stride=1, numbers=True),
    animation("avg-pool-numbers", WINDOW, facts=WINDOW_FACTS,
              op="avg_pool", size=5, kernel_size=3, stride=1, numbers=True),
    # Not square, to show both sides of the rule: rounding up adds a column of windows,
    # and the row it would add starts in the padding, so PyTorch drops it.
    animation("max-pool-ceil-mode", WINDOW, facts=WINDOW_FACTS,
              op="max_pool", size=(5, 6), kernel_size=3, padding=1, ceil_mode=True,
              numbers=True),
)

# Companion notebooks (docs/notebooks/<name>.ipynb), executed at build time.
NOTEBOOKS: tuple[Spec, ...] = (
    notebook("feature-maps"),
    notebook("stride-dilation"),
    notebook("pointwise"),
    notebook("transposed"),
)

# Numbers for sentences without a figure of their own.
NUMBERS: tuple[Spec, ...] = (
    numbers("why-convolution", "convdemo.basics:why_facts", image=PHOTO),
    numbers("same-with-stride", "convdemo.padmodes:same_facts", size=8, kernel_size=3, stride=2),
    numbers("pooling-rules", "convdemo.pooling_rules:pooling_rule_facts",
            kernel_size=3, padding=2, channels=3),
    numbers("causal", "convdemo.causal:causal_facts", length=8, kernel_size=3, dilation=2),
    numbers("transposed-gradient", "convdemo.upsampling:gradient_facts",
            size=6, kernel_size=3, stride=2, padding=1),
    numbers("transposed-weight", "convdemo.upsampling:weight_facts",
            in_channels=3, out_channels=8, kernel_size=3),
    numbers("upsampling-recipes", "convdemo.upsampling:recipe_facts", size=8, scale=2),
    numbers("size-formula", "convdemo.facts:conv_size_facts",
            size=32, kernel_size=3, stride=2, padding=2, dilation=2),
    numbers("output-padding", "convdemo.transposed:output_padding_facts",
            size=4, kernel_size=3, stride=2, padding=1, output_padding=1),
    numbers("groups-error-in", "convdemo.groups:group_error",
            in_channels=6, out_channels=8, kernel_size=3, groups=4),
    numbers("groups-error-out", "convdemo.groups:group_error",
            in_channels=8, out_channels=6, kernel_size=3, groups=4),
    numbers("groups-error-functional", "convdemo.groups:functional_group_error",
            in_channels=6, weight_in_channels=8, out_channels=8, groups=4),
    numbers("site", "figures.registry:site_facts", figures=len(FIGURES),
            notebooks=len(NOTEBOOKS), downloads=len(DOWNLOADS), png_scale=DOWNLOAD_DPI / CSS_DPI),
)
# fmt: on

ENTRIES: tuple[Spec, ...] = FIGURES + ANIMATIONS + NUMBERS + EXERCISES + NOTEBOOKS


def site_facts(**values: float) -> dict[str, float]:
    """Numbers about the site itself: how many figures and notebooks, in how many formats
    each figure is offered (in each colour scheme) and how much larger than on the page
    its PNG is."""
    return dict(values)

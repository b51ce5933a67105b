"""Every figure, every set of numbers and every notebook the site shows, one line each.

A figure ``name`` is written as ``name.<ext>`` and placed on its page with
``:::figure name`` (anchor ``#fig-name``). Numbers ``name`` are quoted in prose as
``{{ name.key }}``. A notebook ``name`` is ``docs/notebooks/name.ipynb``, executed at
build time. Shared parameters are defined once, so a figure and the sentence describing
it cannot drift apart. Diagrams are SVG on the page; photographs and feature maps WebP.
"""

from __future__ import annotations

from typing import Any

from figures.spec import PHOTO, Spec, figure, notebook, numbers

PATCH_OUTPUT: dict[str, Any] = {"row": 0, "col": 1}
PADDING: dict[str, Any] = {"size": 8, "kernel_size": 3}
STRIDE: dict[str, Any] = {"size": 8, "kernel_size": 3}
NETWORK: dict[str, Any] = {"image": PHOTO, "ext": "webp"}
STRIDED, DILATED = 2, 3  # the network variants of the feature-map chapter
OPERATIONS: dict[str, Any] = {
    "size": 28,
    "channels": 64,
    "masks": 16,
    "kernel_size": 3,
    "reduced": 4,
}
WEIGHTS = (1.0, 0.5, 0.25, -1.0)  # of the 1×1 layer on the network's output
MATRIX_INPUT = 4

# The tables are aligned by hand: one entry a line reads as a table.
# fmt: off
FIGURES: tuple[Spec, ...] = (
    # 1. The convolution operation
    figure("conv-rgb-patch", "convdemo.patch:patch_figure", **PATCH_OUTPUT),
    # 2. Padding
    figure("padding-none", "convdemo.grids:padding_grid", **PADDING, padding=0),
    figure("padding-same", "convdemo.grids:padding_grid", **PADDING, padding="same"),
    figure("padding-non-square", "convdemo.grids:padding_grid", size=8, kernel_size=(3, 5),
           padding="same"),
    figure("padding-even", "convdemo.grids:padding_grid", size=8, kernel_size=4, padding="same"),
    # 3. Stride and dilation
    figure("stride-positions", "convdemo.grids:stride_positions", **STRIDE, stride=2),
    figure("dilation-mask", "convdemo.grids:dilated_mask", kernel_size=3, dilation=2),
    # 4. Pooling and rectification
    figure("relu-map", "convdemo.pooling:relu_figure"),
    figure("pooling-max-average", "convdemo.pooling:pooling_figure", kernel_size=2),
    # 5. Visualizing convolution output
    figure("input-photo", "convdemo.maps:photo", image=PHOTO, ext="webp"),
    figure("edge-filters", "convdemo.maps:filters_figure"),
    figure("layer1-maps", "convdemo.maps:feature_maps", **NETWORK, layer="conv1"),
    figure("layer2-maps", "convdemo.maps:feature_maps", **NETWORK, layer="conv2"),
    figure("stride2-maps", "convdemo.maps:feature_maps", **NETWORK, layer="conv2", stride=STRIDED),
    figure("dilation3-maps", "convdemo.maps:feature_maps", **NETWORK, layer="conv1",
           dilation=DILATED),
    # 6. 1×1 convolution
    figure("pointwise-sum", "convdemo.pointwise:pointwise_figure", weights=WEIGHTS),
    figure("pointwise-operations", "convdemo.pointwise:operations_figure", **OPERATIONS),
    figure("pointwise-maps", "convdemo.pointwise:pointwise_maps", **NETWORK, weights=WEIGHTS),
    # 7. Transposed convolution
    figure("conv-matrix", "convdemo.transposed:matrix_figure", size=MATRIX_INPUT),
    figure("conv-matrix-transposed", "convdemo.transposed:transpose_figure", size=MATRIX_INPUT),
    figure("transposed-stride-2", "convdemo.transposed:stride_figure", size=2, kernel_size=3,
           stride=2),
    figure("round-trip", "convdemo.transposed:round_trip_figure", image=PHOTO, ext="webp"),
    figure("checkerboard", "convdemo.transposed:checkerboard_figure", size=4, stride=2),
    # 8. Convolution or cross-correlation?
    figure("correlation-vs-convolution", "convdemo.correlation:correlation_figure"),
)

NUMBERS: tuple[Spec, ...] = (
    numbers("patch", "convdemo.patch:patch_facts", **PATCH_OUTPUT),
    numbers("padding", "convdemo.facts:padding_facts", **PADDING),
    numbers("stride", "convdemo.facts:stride_facts", **STRIDE, stride=2, dilation=2),
    numbers("pooling", "convdemo.pooling:pooling_facts"),
    numbers("photo", "convdemo.maps:photo_facts", image=PHOTO),
    numbers("network", "convdemo.maps:network_facts", image=PHOTO, stride=STRIDED,
            dilation=DILATED),
    numbers("ops", "convdemo.pointwise:operation_counts", **OPERATIONS),
    numbers("pointwise", "convdemo.pointwise:pointwise_facts", weights=WEIGHTS),
    numbers("transposed", "convdemo.transposed:transposed_facts", size=MATRIX_INPUT, stride=2),
    numbers("roundtrip", "convdemo.transposed:round_trip_facts", image=PHOTO),
    numbers("correlation", "convdemo.correlation:correlation_facts"),
)

# Companion notebooks (docs/notebooks/<name>.ipynb), executed at build time.
NOTEBOOKS: tuple[Spec, ...] = (
    notebook("feature-maps"),
    notebook("stride-dilation"),
    notebook("pointwise"),
    notebook("transposed"),
)
# fmt: on

ENTRIES: tuple[Spec, ...] = FIGURES + NUMBERS + NOTEBOOKS

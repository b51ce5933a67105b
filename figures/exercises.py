"""The exercises at the end of each chapter: what each question and its worked answer
quote, one numbers entry per exercise, named ``ex-<chapter>-<what>`` and computed by a
function of the chapter's module in ``convdemo.exercises``. ``figures.registry`` adds
them to the site's entries; they are a table of their own so that the registry stays
readable as the chapters gain exercises.
"""

from __future__ import annotations

from convdemo.examples import BOTTLENECK
from figures.spec import PHOTO, Spec, numbers

__all__ = ["EXERCISES"]

# fmt: off
# The exercises at the end of each chapter: what each question and its answer quote.
# Named ex-<chapter>-<what>; the function's module is the chapter's.
EX = "convdemo.exercises"
EXERCISES: tuple[Spec, ...] = (
    # 1. The convolution operation
    numbers("ex-convolution-by-hand", f"{EX}.convolution:by_hand", row=0, col=1, bias=1.0),
    numbers("ex-convolution-shapes", f"{EX}.convolution:layer_shapes",
            batch=8, in_channels=3, size=32, out_channels=16, kernel_size=5),
    numbers("ex-convolution-channels", f"{EX}.convolution:wrong_channels",
            in_channels=3, out_channels=8, kernel_size=3, size=28),
    numbers("ex-convolution-design", f"{EX}.convolution:choose_layer",
            in_channels=3, size=32, out_channels=64, out_size=30),
    numbers("ex-convolution-one-mask", f"{EX}.convolution:one_mask",
            channels=3, size=8, kernel_size=3),
    # 2. Padding
    numbers("ex-padding-non-square", f"{EX}.padding:non_square",
            height=10, width=12, kernel_size=(3, 5), padding=1),
    numbers("ex-padding-grow", f"{EX}.padding:grow", size=6, kernel_size=5, out_size=8),
    numbers("ex-padding-corner", f"{EX}.padding:corner",
            kernel_size=3, modes=("zeros", "replicate")),
    numbers("ex-padding-reflect", f"{EX}.padding:reflect_too_far",
            size=3, kernel_size=3, padding=3),
    numbers("ex-padding-order", f"{EX}.padding:pad_order", size=4, left=1, right=2),
    # 3. Stride and dilation
    numbers("ex-stride-dilation-formula", f"{EX}.stride_dilation:full_formula",
            size=28, out_channels=4, kernel_size=3, stride=2, padding=1, dilation=2),
    numbers("ex-stride-dilation-halve", f"{EX}.stride_dilation:halve",
            size=32, kernel_size=3, stride=2),
    numbers("ex-stride-dilation-by-hand", f"{EX}.stride_dilation:dilated_by_hand", dilation=2),
    numbers("ex-stride-dilation-span", f"{EX}.stride_dilation:span_too_wide",
            size=6, kernel_size=3, dilation=3),
    numbers("ex-stride-dilation-unread", f"{EX}.stride_dilation:unread",
            size=8, kernel_size=3, stride=3),
    # 4. Pooling and rectification
    numbers("ex-pooling-by-hand", f"{EX}.pooling:relu_pool", kernel_size=2),
    numbers("ex-pooling-ceil-mode", f"{EX}.pooling:ceil_mode",
            channels=64, size=56, kernel_size=3, stride=2),
    numbers("ex-pooling-too-small", f"{EX}.pooling:too_small", size=2, kernel_size=3),
    numbers("ex-pooling-adaptive", f"{EX}.pooling:adaptive", size=12, out_size=4, other_size=14),
    numbers("ex-pooling-minus-infinity", f"{EX}.pooling:minus_infinity",
            kernel_size=2, padding=1),
    # 5. Visualizing convolution output
    numbers("ex-feature-maps-sizes", f"{EX}.feature_maps:map_sizes", image=PHOTO),
    numbers("ex-feature-maps-edge", f"{EX}.feature_maps:edge_by_hand", size=5, dark=2),
    numbers("ex-feature-maps-in-place", f"{EX}.feature_maps:in_place",
            in_channels=3, out_channels=4, kernel_size=5),
    numbers("ex-feature-maps-dilation", f"{EX}.feature_maps:choose_dilation",
            image=PHOTO, shrink=8),
    numbers("ex-feature-maps-flat", f"{EX}.feature_maps:flat_region", value=0.5, size=8),
    # 6. 1×1 convolution
    numbers("ex-pointwise-by-hand", f"{EX}.pointwise:by_hand", weights=(2.0, -1.0, 0.5), bias=1.0),
    numbers("ex-pointwise-strided", f"{EX}.pointwise:strided",
            batch=8, in_channels=256, size=28, out_channels=64, stride=2),
    numbers("ex-pointwise-channels-last", f"{EX}.pointwise:channels_last",
            in_channels=3, out_channels=8, size=32),
    numbers("ex-pointwise-bottleneck", f"{EX}.pointwise:bottleneck",
            **{key: BOTTLENECK[key] for key in ("size", "channels", "masks", "kernel_size")},
            budget=0.25),
    numbers("ex-pointwise-linear", f"{EX}.pointwise:as_linear",
            channels=64, out_channels=16, size=7),
    # 7. Deconvolution, or transposed convolution
    numbers("ex-transposed-shapes", f"{EX}.transposed:decoder_shapes",
            in_channels=16, out_channels=8, size=14, kernel_size=4, stride=2, padding=1),
    numbers("ex-transposed-by-hand", f"{EX}.transposed:by_scatter"),
    numbers("ex-transposed-output-padding", f"{EX}.transposed:padding_too_big",
            size=4, kernel_size=3, stride=2, output_padding=2),
    numbers("ex-transposed-undo", f"{EX}.transposed:undo",
            size=12, kernel_size=5, stride=3, padding=2),
    numbers("ex-transposed-not-inverse", f"{EX}.transposed:not_inverse",
            signal=(1.0, 2.0, 3.0, 4.0), kernel=(1.0, 1.0)),
    # 8. Convolution or cross-correlation?
    numbers("ex-correlation-by-hand", f"{EX}.correlation:both_ways", row=0, col=1),
    numbers("ex-correlation-flip", f"{EX}.correlation:flip_axes",
            in_channels=3, out_channels=4, size=8, kernel_size=3),
    numbers("ex-correlation-textbook", f"{EX}.correlation:textbook_kernel", size=5),
    numbers("ex-correlation-full", f"{EX}.correlation:full",
            signal=(1.0, 2.0, 3.0, 4.0), kernel=(1.0, 0.0, -1.0)),
    numbers("ex-correlation-learned", f"{EX}.correlation:learned", size=6, kernel_size=3),
    # 9. Receptive field
    numbers("ex-receptive-field-stem", f"{EX}.receptive_field:stem", size=224, out_channels=64),
    numbers("ex-receptive-field-by-hand", f"{EX}.receptive_field:by_hand",
            first_kernel=3, second_kernel=2, second_dilation=2),
    numbers("ex-receptive-field-no-grad", f"{EX}.receptive_field:no_grad", size=9, kernel_size=3),
    numbers("ex-receptive-field-complete", f"{EX}.receptive_field:complete",
            kernel_size=3, dilations=(1, 2), field=15),
    numbers("ex-receptive-field-two-small", f"{EX}.receptive_field:two_small",
            channels=64, small=3, large=5),
    # 10. Groups and depthwise-separable convolution
    numbers("ex-groups-shapes", f"{EX}.groups:grouped_shapes", batch=2, in_channels=32,
            size=16, out_channels=64, kernel_size=3, groups=4),
    numbers("ex-groups-by-hand", f"{EX}.groups:by_hand"),
    numbers("ex-groups-wrong-input", f"{EX}.groups:wrong_input",
            channels=32, input_channels=16, size=8, kernel_size=3),
    numbers("ex-groups-budget", f"{EX}.groups:budget",
            in_channels=64, out_channels=128, kernel_size=3, weights=9216, size=8),
    numbers("ex-groups-no-crossing", f"{EX}.groups:no_crossing", channels=4, groups=2),
    # 11. Convolution as a matrix product
    numbers("ex-im2col-shapes", f"{EX}.im2col:shapes", batch=4, channels=3, size=32,
            out_channels=16, kernel_size=3, stride=2, padding=1),
    numbers("ex-im2col-by-hand", f"{EX}.im2col:by_columns"),
    numbers("ex-im2col-fold-size", f"{EX}.im2col:fold_size", size=4, kernel_size=2),
    numbers("ex-im2col-no-overlap", f"{EX}.im2col:no_overlap", size=6, kernel_size=2),
    numbers("ex-im2col-memory", f"{EX}.im2col:batch_memory",
            batch=8, channels=64, size=56, kernel_size=3),
    # 12. Convolution along a sequence: 1-D and causal
    numbers("ex-conv1d-shapes", f"{EX}.conv1d:layer_shapes", batch=16, in_channels=12,
            length=100, out_channels=32, kernel_size=5, stride=2, padding=2),
    numbers("ex-conv1d-by-hand", f"{EX}.conv1d:by_hand"),
    numbers("ex-conv1d-no-channel", f"{EX}.conv1d:no_channel",
            batch=16, length=100, out_channels=8, kernel_size=3),
    numbers("ex-conv1d-causal", f"{EX}.conv1d:causal_padding",
            length=16, kernel_size=3, dilation=4),
    numbers("ex-conv1d-reach", f"{EX}.conv1d:reach_layers", kernel_size=2, needed=1000),
)
# fmt: on

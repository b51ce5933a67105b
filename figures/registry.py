"""Every figure and every set of numbers the site shows, one line each.

A figure ``name`` is written as ``name.<ext>`` and placed on its page with
``:::figure name`` (anchor ``#fig-name``). Numbers ``name`` are quoted in prose as
``{{ name.key }}``. Shared parameters are defined once, so a figure and the sentence
describing it cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from figures.spec import PHOTO, Spec, figure, numbers

PADDING: dict[str, Any] = {"size": 8, "kernel_size": 3}

FIGURES: tuple[Spec, ...] = (
    # name                function                        parameters
    figure("input-photo", "convdemo.maps:photo", image=PHOTO, ext="png"),
    figure("padding-none", "convdemo.grids:padding_grid", **PADDING, padding=0),
    figure("padding-same", "convdemo.grids:padding_grid", **PADDING, padding="same"),
)

NUMBERS: tuple[Spec, ...] = (
    numbers("photo", "convdemo.maps:photo_facts", image=PHOTO),
    numbers("padding", "convdemo.facts:padding_facts", **PADDING),
)

ENTRIES: tuple[Spec, ...] = FIGURES + NUMBERS

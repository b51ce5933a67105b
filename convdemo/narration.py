"""The steps of an animation in words: what the page's live line reads out.

Written from the same ``Step`` that draws the frame, so what is heard cannot disagree
with what is seen: the output cell, its value, the input rows and columns the window
reads, and how much of the window lies on padding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from convdemo.cells import format_number
from convdemo.motion import Motion, Step

__all__ = ["describe"]


def _indices(values: Sequence[int]) -> str:
    """``[2, 3, 4]`` → "2–4"; ``[0, 2, 4]`` → "0, 2 and 4"; ``[5]`` → "5"."""
    ordered = sorted(set(values))
    if len(ordered) > 1 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}–{ordered[-1]}"
    shown = [str(v).replace("-", "−") for v in ordered]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _side_count(lines: Sequence[tuple[str, int | None]], taps: Sequence[int]) -> list[str]:
    """The taps that fall on padding or past the input, as "2 padding rows above"-style
    phrases with the noun left out (``_where`` adds it)."""
    first = next((i for i, (kind, _) in enumerate(lines) if kind == "input"), 0)
    phrases = []
    for kind in ("padding", "inserted", "outside"):
        before = len({i for i in taps if lines[i][0] == kind and i < first})
        after = len({i for i in taps if lines[i][0] == kind and i > first})
        for count, side in ((before, "before"), (after, "after")):
            if count:
                phrases.append((count, kind, side))
    return phrases  # type: ignore[return-value]


def _where(axis_noun: str, phrases: Sequence[Any], dims: int) -> list[str]:
    names = {"padding": "padding", "inserted": "inserted-zero", "outside": "past-the-input"}
    sides = {
        ("row", "before"): "above", ("row", "after"): "below",
        ("column", "before"): "on the left", ("column", "after"): "on the right",
    }  # fmt: skip
    noun = axis_noun if dims == 2 else "position"
    out = []
    for count, kind, side in phrases:
        plural = noun if count == 1 else noun + "s"
        side_word = sides[(axis_noun, side)] if dims == 2 else sides[("column", side)]
        out.append(f"{count} {names[kind]} {plural} {side_word}")
    return out


def describe(moved: Motion, step: Step, value: float | None = None) -> str:
    """A step in words, from the same data that draws it: the output cell, its value,
    the input rows and columns its window reads, and how much of it is padding."""
    layer = moved.layer
    r, c = step.output
    name = f"output {c}" if layer.dims == 1 else f"output ({r}, {c})"
    shown = f" = {format_number(value)}" if value is not None else ""
    if layer.op == "conv_transpose":
        if not step.reads:
            return f"{name}{shown}: the rotated kernel covers only zeros"
        cells = [f"({i}, {j})" if layer.dims == 2 else str(j) for i, j in step.reads]
        listed = cells[0] if len(cells) == 1 else ", ".join(cells[:-1]) + " and " + cells[-1]
        noun = "cell" if len(cells) == 1 else "cells"
        return f"{name}{shown}: the rotated kernel covers input {noun} {listed}"
    rows = sorted({i for i, _ in step.reads})
    cols = sorted({j for _, j in step.reads})
    verb = {"conv": "reads", "max_pool": "is the largest of", "avg_pool": "averages"}[layer.op]
    if layer.dims == 1:
        where = f"position {_indices(cols)}" if len(cols) == 1 else f"positions {_indices(cols)}"
    else:
        row_noun = "row" if len(rows) == 1 else "rows"
        col_noun = "column" if len(cols) == 1 else "columns"
        where = f"{row_noun} {_indices(rows)}, {col_noun} {_indices(cols)}"
    text = f"{name}{shown} {verb} input {where}"
    extra = _where("row", _side_count(moved.lines[0], [t for t, _ in step.taps]), 2)
    extra = [] if layer.dims == 1 else extra
    extra += _where("column", _side_count(moved.lines[1], [t for _, t in step.taps]), layer.dims)
    if extra:
        listed = extra[0] if len(extra) == 1 else ", ".join(extra[:-1]) + " and " + extra[-1]
        text += f"; the window also covers {listed}"
    return text

"""What the exercise tests share: the registry's exercises by name, the worked steps
evaluated, and the code an answer shows, run."""

from __future__ import annotations

import contextlib
import io
import math
import re
from fractions import Fraction
from typing import Any

import torch

from figures.registry import EXERCISES
from figures.render import resolve

__all__ = ["PHOTO_SHAPE", "chains", "evaluate", "facts", "params", "run_code", "step_values"]

#: A photo for entries that take one: the exercises only read its shape.
PHOTO_SHAPE = (1, 3, 61, 48)

_SPECS = {spec.name: spec for spec in EXERCISES}


def params(name: str) -> dict[str, Any]:
    """The registry's parameters of exercise ``name``: the tests use the page's settings."""
    return dict(_SPECS[name].params)


def facts(name: str, **changed: Any) -> dict[str, Any]:
    """Exercise ``name``'s facts, with the registry's parameters (``changed`` replacing
    some); the photo placeholder becomes a tensor of ``PHOTO_SHAPE``."""
    spec = _SPECS[name]
    arguments = {**spec.params, **changed}
    for key, value in arguments.items():
        if repr(value) == "PHOTO":
            arguments[key] = torch.rand(PHOTO_SHAPE, generator=torch.Generator().manual_seed(1))
    return dict(resolve(spec.function)(**arguments))


_FLOOR = re.compile(r"⌊([^⌊⌋]*)⌋")
_CEIL = re.compile(r"⌈([^⌈⌉]*)⌉")


def evaluate(expression: str) -> Fraction:
    """An expression in the pages' notation, exactly: ``·`` and ``×`` multiply, ``−`` is
    minus, ``⌊x⌋`` and ``⌈x⌉`` round, ``/`` divides."""
    text = expression.replace("−", "-").replace("·", "*").replace("×", "*")
    while "⌊" in text or "⌈" in text:
        text = _FLOOR.sub(lambda m: f"({math.floor(evaluate(m.group(1)))})", text)
        text = _CEIL.sub(lambda m: f"({math.ceil(evaluate(m.group(1)))})", text)
    if not re.fullmatch(r"(?:[\d\s.,+\-*/()]|max\()+", text):
        raise ValueError(f"not an arithmetic expression: {expression!r}")
    # Every number becomes a Fraction, so 1/3 + 2/3 is 1 and nothing is rounded.
    exact = re.sub(r"(\d+(?:\.\d+)?)", r"Fraction('\1')", text)
    return Fraction(eval(exact, {"Fraction": Fraction, "max": max}))


def chains(text: str) -> list[str]:
    """The worked chains of a steps value: one a line, or one stacked over several lines
    whose continuations start with ``=``."""
    found: list[str] = []
    for line in text.split("\n"):
        if line.startswith("= ") and found:
            found[-1] += " " + line
        elif line.strip():
            found.append(line)
    return found


def step_values(chain: str) -> list[Fraction]:
    """The value of each numeric side of a worked chain ``formula = a = b = c``; a side
    with a letter in it (``n + 2p − k + 1``, ``p``) is the formula, not evaluated."""
    sides = chain.split(" = ")
    return [side_value for side in sides if (side_value := _numeric(side)) is not None]


def _numeric(side: str) -> Fraction | None:
    """A side's value, or None for a formula (letters other than ``max``)."""
    return None if re.search(r"[A-Za-z]", side.replace("max(", "(")) else evaluate(side)


def run_code(code: str) -> str:
    """What the answer's code prints, or ``Type: message`` of the exception it raises."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        try:
            exec(compile(code, "<answer>", "exec"), {})
        except Exception as error:
            print(f"{type(error).__name__}: {error}", end="")
    return output.getvalue().rstrip("\n")

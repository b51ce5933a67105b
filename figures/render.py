"""Running an entry's function and turning its result into bytes, deterministically.

This is the only place that styles and saves figures. Library code builds a
``matplotlib.figure.Figure`` and returns it; here it is drawn under ``convdemo.style.RC``
and saved with every date, version and random id left out, so the same sources always
give the same bytes.
"""

from __future__ import annotations

import importlib
import io
import json
from collections.abc import Callable, Mapping
from typing import Any, cast

import matplotlib
from matplotlib.figure import Figure

from convdemo.style import RC
from figures.spec import PHOTO, Spec

__all__ = ["figure_bytes", "render"]

# Keys matplotlib would otherwise fill with the date and its own version.
_METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}


def resolve(function: str) -> Callable[..., Any]:
    module, _, attribute = function.partition(":")
    target = getattr(importlib.import_module(module), attribute, None)
    if not callable(target):
        raise AttributeError(f"{function} is not a function")
    return cast(Callable[..., Any], target)


def figure_bytes(figure: Figure, ext: str) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format=ext, metadata=_METADATA[ext])
    return buffer.getvalue()


def _numbers_bytes(name: str, values: object) -> bytes:
    if not isinstance(values, Mapping):
        raise TypeError(f"returned {type(values).__name__}, expected a dict of numbers")
    for key, value in values.items():
        if not isinstance(key, str) or not key.isidentifier():
            raise TypeError(f"key {key!r} is not a valid name for {{{{ {name}.key }}}}")
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise TypeError(f"{key} = {value!r} is not a number or a string")
    return (json.dumps(dict(values), sort_keys=True, indent=1) + "\n").encode()


def render(spec: Spec, photo: Callable[[], object]) -> bytes:
    """The bytes of one entry. ``photo()`` returns the loaded input photo."""
    function = resolve(spec.function)
    params = {k: photo() if v is PHOTO else v for k, v in spec.params.items()}
    with matplotlib.rc_context(cast(Any, RC)):
        result = function(**params)
        if spec.kind == "numbers":
            return _numbers_bytes(spec.name, result)
        if not isinstance(result, Figure):
            raise TypeError(f"returned {type(result).__name__}, expected a matplotlib Figure")
        return figure_bytes(result, spec.ext)

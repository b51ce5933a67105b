"""What a registry entry is: a name, a function given as ``"module:attribute"``, parameters.

Functions are named by string so the registry can be read without importing them (and
with them PyTorch). ``PHOTO`` stands for the site's input photo: the build loads it once,
as configured in ``figures/config.toml``, and passes it where an entry asks for it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["EXTENSIONS", "PHOTO", "Spec", "figure", "notebook", "numbers"]

EXTENSIONS = ("svg", "png", "pdf")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FUNCTION = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
_NOTEBOOK = re.compile(r"^docs/[\w/-]+\.ipynb$")


class _Photo:
    """Placeholder for the input photo tensor (a singleton)."""

    def __repr__(self) -> str:
        return "PHOTO"


PHOTO: Any = _Photo()


@dataclass(frozen=True)
class Spec:
    """One registry entry. ``kind`` is ``"figure"`` (a matplotlib Figure saved as
    ``name.ext``), ``"numbers"`` (a dict of values the pages quote as ``{{ name.key }}``)
    or ``"notebook"`` (a notebook in ``docs/``, executed; ``function`` is its path).
    """

    name: str
    function: str
    params: Mapping[str, Any] = field(default_factory=dict)
    kind: Literal["figure", "numbers", "notebook"] = "figure"
    ext: str = "json"

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(
                f"registry entry name {self.name!r} must be lower-case words joined by '-'"
            )
        if self.kind == "notebook":
            if not _NOTEBOOK.match(self.function):
                raise ValueError(f"{self.name}: {self.function!r} is not a notebook under docs/")
        elif not _FUNCTION.match(self.function):
            raise ValueError(
                f"{self.name}: function {self.function!r} must look like 'module:attribute'"
            )
        if self.kind == "figure" and self.ext not in EXTENSIONS:
            raise ValueError(f"{self.name}: ext must be one of {EXTENSIONS}, got {self.ext!r}")
        try:
            self.params_json()
        except TypeError as error:
            raise ValueError(f"{self.name}: parameters must be plain data: {error}") from None

    @property
    def file_name(self) -> str:
        if self.kind == "notebook":
            return self.function.rpartition("/")[2]
        return f"{self.name}.{self.ext}"

    @property
    def uses_photo(self) -> bool:
        return any(value is PHOTO for value in self.params.values())

    def params_json(self) -> str:
        """The parameters as canonical JSON, part of the cache key."""

        def encode(value: object) -> object:
            if value is PHOTO:
                return {"$input": "photo"}
            raise TypeError(f"{value!r} ({type(value).__name__}) is not JSON data")

        return json.dumps(dict(self.params), sort_keys=True, default=encode)


def figure(name: str, function: str, /, *, ext: str = "svg", **params: Any) -> Spec:
    """A figure entry: ``function(**params)`` returns a Figure saved as ``name.ext``."""
    return Spec(name, function, params, "figure", ext)


def numbers(name: str, function: str, /, **params: Any) -> Spec:
    """A numbers entry: ``function(**params)`` returns ``{key: value}`` for the prose."""
    return Spec(name, function, params, "numbers", "json")


def notebook(name: str, /) -> Spec:
    """A notebook entry ``notebook-<name>``: ``docs/notebooks/<name>.ipynb``, executed."""
    return Spec(f"notebook-{name}", f"docs/notebooks/{name}.ipynb", {}, "notebook", "ipynb")

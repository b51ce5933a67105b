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

__all__ = [
    "CSS_DPI",
    "DOWNLOADS",
    "DOWNLOAD_DPI",
    "PAGE_DPI",
    "PAGE_FORMATS",
    "PHOTO",
    "SCHEMES",
    "Rendered",
    "Spec",
    "figure",
    "notebook",
    "numbers",
]

#: How a figure is shown on its page: vector diagrams, or compressed raster for
#: photographs and feature maps (a few hundred KB less per page than PNG).
PAGE_FORMATS = ("svg", "webp")
#: What every figure is also offered as, for slides: the light scheme, transparent.
DOWNLOADS = ("svg", "pdf", "png")
#: The site's colour schemes; each has its own page image of every figure.
SCHEMES = ("light", "dark")
#: CSS pixels per inch: a page shows a figure at its size in inches times this.
CSS_DPI = 96
#: Raster page images: 1.5 image pixels per CSS pixel, sharp on most screens.
PAGE_DPI = 144
#: The PNG download: over three image pixels per CSS pixel of the figure on its page.
DOWNLOAD_DPI = 300
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
    """One registry entry. ``kind`` is ``"figure"`` (a matplotlib Figure shown on its
    page as ``name.ext``, see ``files``), ``"numbers"`` (a dict of values the pages quote
    as ``{{ name.key }}``) or ``"notebook"`` (a notebook in ``docs/``, executed;
    ``function`` is its path).
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
        if self.kind == "figure" and self.ext not in PAGE_FORMATS:
            raise ValueError(f"{self.name}: ext must be one of {PAGE_FORMATS}, got {self.ext!r}")
        try:
            self.params_json()
        except TypeError as error:
            raise ValueError(f"{self.name}: parameters must be plain data: {error}") from None

    @property
    def file_name(self) -> str:
        """The main output: the notebook, the numbers, or the figure's light page image."""
        if self.kind == "notebook":
            return self.function.rpartition("/")[2]
        return f"{self.name}.{self.ext}"

    def page_file(self, scheme: str) -> str:
        """The figure's page image for one colour scheme."""
        suffix = "" if scheme == SCHEMES[0] else f"-{scheme}"
        return f"{self.name}{suffix}.{self.ext}"

    def download_file(self, ext: str) -> str:
        return f"{self.name}.{ext}"

    @property
    def files(self) -> tuple[str, ...]:
        """Every file the entry outputs, the main one first."""
        if self.kind != "figure":
            return (self.file_name,)
        names = [self.page_file(scheme) for scheme in SCHEMES]
        names += [self.download_file(ext) for ext in DOWNLOADS]
        return tuple(dict.fromkeys(names))  # the light SVG is page image and download

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


@dataclass(frozen=True)
class Rendered:
    """An entry's output files by name, and for a figure its size on the page (CSS px)."""

    files: dict[str, bytes]
    size: tuple[int, int] | None = None


def figure(name: str, function: str, /, *, ext: str = "svg", **params: Any) -> Spec:
    """A figure entry: ``function(**params)`` returns a Figure shown as ``name.ext``."""
    return Spec(name, function, params, "figure", ext)


def numbers(name: str, function: str, /, **params: Any) -> Spec:
    """A numbers entry: ``function(**params)`` returns ``{key: value}`` for the prose."""
    return Spec(name, function, params, "numbers", "json")


def notebook(name: str, /) -> Spec:
    """A notebook entry ``notebook-<name>``: ``docs/notebooks/<name>.ipynb``, executed."""
    return Spec(f"notebook-{name}", f"docs/notebooks/{name}.ipynb", {}, "notebook", "ipynb")

"""What a registry entry is, and the one place that names the files it outputs.

An entry is a name, a function given as ``"module:attribute"`` and its parameters.
Functions are named by string so the registry can be read without importing them (and
with them PyTorch). ``PHOTO`` stands for the site's input photo: the build loads it once,
as configured in ``figures/config.toml``, and passes it where an entry asks for it.

A figure entry may name a ``facts`` function too. It is called with the same parameters
as the drawing and returns the numbers the figure's caption, alt text and prose quote
(``{{ name.key }}``), so a figure and the sentences about it come from one declaration.

Every output path is relative to the figure cache (``figures/padding-none.svg``,
``numbers/padding-none.json``); ``Outputs`` is the only code that makes them up, and the
manifest records them, so the site reads names rather than rebuilding them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from convdemo.style import SCHEMES as _STYLES

__all__ = [
    "ANIMATION_DOWNLOADS",
    "CSS_DPI",
    "DOWNLOADS",
    "DOWNLOAD_DPI",
    "PAGE_DPI",
    "PAGE_FORMATS",
    "PHOTO",
    "SCHEMES",
    "Outputs",
    "Rendered",
    "Spec",
    "animation",
    "download_key",
    "figure",
    "notebook",
    "numbers",
    "scheme_suffix",
]

#: How a figure is shown on its page: vector diagrams, or compressed raster for
#: photographs and feature maps (a few hundred KB less per page than PNG).
PAGE_FORMATS = ("svg", "webp")
#: What every figure is also offered as, for slides, in each colour scheme: transparent,
#: with the scheme's ink (dark ink for light slides, light ink for dark ones).
DOWNLOADS = ("svg", "pdf", "png")
#: The site's colour schemes, the first being the default; each has its own page image
#: of every figure. The one list: ``convdemo.style`` draws each of them.
SCHEMES: tuple[str, ...] = tuple(_STYLES)
#: CSS pixels per inch: a page shows a figure at its size in inches times this.
CSS_DPI = 96
#: Raster page images: 1.5 image pixels per CSS pixel, sharp on most screens.
PAGE_DPI = 144
#: The PNG download: over three image pixels per CSS pixel of the figure on its page.
DOWNLOAD_DPI = 300
#: What every animation is offered as, in each colour scheme: a GIF, an SVG that
#: animates by itself, a PDF of one page a step.
ANIMATION_DOWNLOADS = ("gif", "svg", "pdf")
#: Folders of the cache, by what they hold.
FIGURES_FOLDER, NUMBERS_FOLDER, NOTEBOOKS_FOLDER = "figures", "numbers", "notebooks"
ANIMATIONS_FOLDER = "animations"

_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FUNCTION = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
_NOTEBOOK = re.compile(r"^docs/[\w/-]+\.ipynb$")

Kind = Literal["figure", "animation", "numbers", "notebook"]


class _Photo:
    """Placeholder for the input photo tensor (a singleton, also across processes)."""

    def __repr__(self) -> str:
        return "PHOTO"

    def __reduce__(self) -> str:
        return "PHOTO"  # unpickled as this module's PHOTO, so `value is PHOTO` holds


PHOTO: Any = _Photo()


def scheme_suffix(scheme: str) -> str:
    """What a file name carries for a colour scheme: nothing for the first (the default),
    ``-dark`` for the dark one, as in ``padding-none-dark.png``."""
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    return "" if scheme == SCHEMES[0] else f"-{scheme}"


def download_key(ext: str, scheme: str) -> str:
    """The key of a download in ``Outputs.downloads``: ``"png"``, ``"png-dark"``…"""
    return f"{ext}{scheme_suffix(scheme)}"


@dataclass(frozen=True)
class Outputs:
    """The files of one entry, relative to the cache.

    ``pages`` maps each colour scheme to the figure's page image, ``downloads`` each
    download (``"svg"``, ``"gif-dark"``…) to its file; ``numbers`` is the JSON of quoted
    values and ``notebook`` the executed notebook. An animation has an ``inline`` SVG
    (one for both schemes), its ``steps`` described in JSON and a ``storyboard`` for
    print. Absent roles are empty or ``None``.
    """

    pages: dict[str, str] = field(default_factory=dict)
    downloads: dict[str, str] = field(default_factory=dict)
    numbers: str | None = None
    notebook: str | None = None
    inline: str | None = None
    steps: str | None = None
    storyboard: str | None = None

    @property
    def files(self) -> tuple[str, ...]:
        """Every file, each once (an SVG is a page image and a download)."""
        listed = [
            *self.pages.values(),
            *self.downloads.values(),
            self.numbers,
            self.notebook,
            self.inline,
            self.steps,
            self.storyboard,
        ]
        return tuple(dict.fromkeys(path for path in listed if path is not None))

    def to_json(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "downloads": self.downloads,
            "numbers": self.numbers,
            "notebook": self.notebook,
            "inline": self.inline,
            "steps": self.steps,
            "storyboard": self.storyboard,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Outputs:
        """Read back what ``to_json`` wrote (the manifest sorts keys): pages in the order
        of ``SCHEMES``, downloads by scheme, each in the order of ``DOWNLOADS``."""
        pages, downloads = dict(data.get("pages") or {}), dict(data.get("downloads") or {})
        kinds = ("gif", *DOWNLOADS)  # an animation's GIF first: the one for slides
        order = tuple(download_key(ext, scheme) for scheme in SCHEMES for ext in kinds)
        return cls(
            _ordered(pages, SCHEMES),
            _ordered(downloads, order),
            data.get("numbers"),
            data.get("notebook"),
            data.get("inline"),
            data.get("steps"),
            data.get("storyboard"),
        )


def _ordered(mapping: dict[str, str], order: tuple[str, ...]) -> dict[str, str]:
    rank = {key: position for position, key in enumerate(order)}
    return dict(sorted(mapping.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


@dataclass(frozen=True)
class Spec:
    """One registry entry.

    ``kind`` is ``"figure"`` (a matplotlib Figure, shown on its page as ``name.ext``),
    ``"numbers"`` (a dict of values the pages quote as ``{{ name.key }}``) or
    ``"notebook"`` (a notebook in ``docs/``, executed; ``function`` is its path).
    ``facts`` is a figure's optional numbers function, called with ``params`` too.
    """

    name: str
    function: str
    params: Mapping[str, Any] = field(default_factory=dict)
    kind: Kind = "figure"
    ext: str = "json"
    facts: str | None = None

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(
                f"registry entry name {self.name!r} must be lower-case words joined by '-'"
            )
        if self.kind == "notebook":
            if not _NOTEBOOK.match(self.function):
                raise ValueError(f"{self.name}: {self.function!r} is not a notebook under docs/")
        else:
            for role, function in (("function", self.function), ("facts", self.facts)):
                if (role == "function" or function is not None) and not _FUNCTION.match(
                    function or ""
                ):
                    raise ValueError(
                        f"{self.name}: {role} {function!r} must look like 'module:attribute'"
                    )
        if self.facts is not None and self.kind not in ("figure", "animation"):
            raise ValueError(f"{self.name}: only a figure or animation takes a facts function")
        if self.kind == "figure" and self.ext not in PAGE_FORMATS:
            raise ValueError(f"{self.name}: ext must be one of {PAGE_FORMATS}, got {self.ext!r}")
        try:
            self.params_json()
        except TypeError as error:
            raise ValueError(f"{self.name}: parameters must be plain data: {error}") from None

    @property
    def outputs(self) -> Outputs:
        if self.kind == "notebook":
            return Outputs(notebook=f"{NOTEBOOKS_FOLDER}/{self.function.rpartition('/')[2]}")
        if self.kind == "numbers":
            return Outputs(numbers=f"{NUMBERS_FOLDER}/{self.name}.json")
        numbers = f"{NUMBERS_FOLDER}/{self.name}.json" if self.facts else None
        if self.kind == "animation":
            base = f"{ANIMATIONS_FOLDER}/{self.name}"
            downloads = {}
            for suffix in map(scheme_suffix, SCHEMES):
                downloads[f"gif{suffix}"] = f"{base}{suffix}.gif"
                downloads[f"svg{suffix}"] = f"{base}-animated{suffix}.svg"
                downloads[f"pdf{suffix}"] = f"{base}{suffix}.pdf"
            return Outputs(
                downloads=downloads,
                numbers=numbers,
                inline=f"{base}.svg",
                steps=f"{base}.json",
                storyboard=f"{base}-storyboard.webp",
            )
        # The page image of a scheme and its SVG download share one file when the page
        # shows SVG: figures/name.svg, figures/name-dark.svg.
        base = f"{FIGURES_FOLDER}/{self.name}"
        pages = {scheme: f"{base}{scheme_suffix(scheme)}.{self.ext}" for scheme in SCHEMES}
        downloads = {
            download_key(ext, scheme): f"{base}{scheme_suffix(scheme)}.{ext}"
            for scheme in SCHEMES
            for ext in DOWNLOADS
        }
        return Outputs(pages, downloads, numbers)

    @property
    def files(self) -> tuple[str, ...]:
        """Every file the entry outputs, relative to the cache."""
        return self.outputs.files

    @property
    def main_file(self) -> str:
        """The output a build log names: the notebook, the numbers or the light page image."""
        outputs = self.outputs
        page = outputs.pages.get(SCHEMES[0])
        return outputs.notebook or page or outputs.inline or outputs.numbers or ""

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
    """An entry's output files by path, and for a figure its size on the page (CSS px)."""

    files: dict[str, bytes]
    size: tuple[int, int] | None = None


def figure(
    name: str, function: str, /, *, ext: str = "svg", facts: str | None = None, **params: Any
) -> Spec:
    """A figure entry: ``function(**params)`` returns a Figure shown as ``name.ext``;
    ``facts(**params)``, if given, the numbers its page quotes as ``{{ name.key }}``."""
    return Spec(name, function, params, "figure", ext, facts)


def animation(name: str, function: str, /, *, facts: str | None = None, **params: Any) -> Spec:
    """An animation entry: ``function(**params)`` returns a ``convdemo.animations.Animation``
    shown as ``name`` on its page (inline, stepped by the player); ``facts(**params)``, if
    given, the numbers its page quotes."""
    return Spec(name, function, params, "animation", "svg", facts)


def numbers(name: str, function: str, /, **params: Any) -> Spec:
    """A numbers entry: ``function(**params)`` returns ``{key: value}`` for the prose."""
    return Spec(name, function, params, "numbers", "json")


def notebook(name: str, /) -> Spec:
    """A notebook entry ``notebook-<name>``: ``docs/notebooks/<name>.ipynb``, executed."""
    return Spec(f"notebook-{name}", f"docs/notebooks/{name}.ipynb", {}, "notebook", "ipynb")

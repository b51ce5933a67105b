"""Running an entry's function and turning its result into bytes, deterministically.

This is the only place that styles and saves figures. Library code builds a
``matplotlib.figure.Figure`` and returns it; here it is drawn once per colour scheme
under ``convdemo.style.SCHEMES`` and saved with every date, version and random id left
out, so the same sources always give the same bytes. A figure yields, from each scheme's
drawing, its page image and its downloads in that scheme: SVG, PDF and a PNG at
``DOWNLOAD_DPI``, at least twice the size it is shown at; the figure is drawn once per
scheme and that drawing saved in every format. It is laid out once, titles included, in
the first scheme; the second, which changes only colours, takes that layout. When it
has a facts function, it also yields the numbers its page quotes.
"""

from __future__ import annotations

import importlib
import io
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, cast

import matplotlib
from matplotlib.axes import Axes
from matplotlib.axes._base import _AxesBase
from matplotlib.figure import Figure

from convdemo.style import SCHEMES
from figures.spec import (
    CSS_DPI,
    DOWNLOAD_DPI,
    DOWNLOADS,
    PAGE_DPI,
    PHOTO,
    Rendered,
    Spec,
    download_key,
)

__all__ = [
    "figure_bytes",
    "follow_layout",
    "freeze_layout",
    "numbers_bytes",
    "render",
    "resolve",
    "svg_size",
]

#: WebP quality of raster page images (maps and photos; text stays legible).
WEBP_QUALITY = 88

# Keys matplotlib would otherwise fill with the date and its own version.
_METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}
_SVG_SIZE = re.compile(rb'<svg[^>]*?\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"')


def resolve(function: str) -> Callable[..., Any]:
    module, _, attribute = function.partition(":")
    target = getattr(importlib.import_module(module), attribute, None)
    if not callable(target):
        raise AttributeError(f"{function} is not a function")
    return cast(Callable[..., Any], target)


def figure_bytes(figure: Figure, ext: str, dpi: float | None = None, **extra: Any) -> bytes:
    """``figure`` saved as ``ext``, under the rc settings in force (call inside them);
    ``extra``: more options for ``savefig``."""
    buffer = io.BytesIO()
    options: dict[str, Any] = {"format": ext, **extra}
    if ext in _METADATA:  # WebP takes none, and matplotlib writes none into it
        options["metadata"] = _METADATA[ext]
    if dpi is not None:
        options["dpi"] = dpi
    if ext == "webp":
        # Effort 4 of 6: a tenth of the time of 6, for files 0.4% larger.
        options["pil_kwargs"] = {"quality": WEBP_QUALITY, "method": 4}
    figure.savefig(buffer, **options)
    return buffer.getvalue()


def freeze_layout(figure: Figure) -> dict[str, Any]:
    """Lay ``figure`` out once for all its saves; the options that keep that layout.

    Saving runs the layout engine (constrained layout, most figures here) and, with
    ``savefig.bbox: tight``, a whole extra drawing to measure the figure's extent: most
    of the time a save takes. Here both are done once, and every format of a scheme is
    saved with that layout and that extent, in inches, so they all agree."""
    if matplotlib.rcParams["savefig.bbox"] != "tight":
        return {}
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()  # type: ignore[no-untyped-call]
    figure.draw_without_rendering()  # runs the layout engine
    automatic: Any = {"figure.autolayout": False, "figure.constrained_layout.use": False}
    with matplotlib.rc_context(automatic):
        figure.set_layout_engine(None)  # none at all: a placeholder would draw again
    extent = figure.get_tightbbox(renderer)
    for axes in _all_axes(figure):
        _keep_titles(axes)
    return {"bbox_inches": extent.padded(matplotlib.rcParams["savefig.pad_inches"])}


def _all_axes(figure: Figure) -> list[_AxesBase]:
    """The figure's axes and, after each, its child axes (insets), depth first."""
    found: list[_AxesBase] = []

    def add(axes: _AxesBase) -> None:
        found.append(axes)
        for child in axes.child_axes:
            add(child)

    for axes in figure.axes:
        add(axes)
    return found


def _titles(axes: _AxesBase) -> tuple[Any, Any, Any]:
    """An axes' three titles: centre, left and right."""
    return (axes.title, axes._left_title, axes._right_title)  # type: ignore[attr-defined]


def _keep_titles(axes: _AxesBase, model: _AxesBase | None = None) -> None:
    """Keep the places ``axes``' titles have (or ``model``'s) for every later drawing.

    matplotlib places the titles again at every drawing, above whatever tick labels
    the axes might have: it finds and formats their ticks even when the axes are
    switched off, as most diagrams' are. That was 7% of the figure build's CPU, for
    places that cannot change once the layout is fixed. Fixed, they are also the same
    in every format, where placed anew at each resolution they could differ a little."""
    if model is not None:
        for title, placed in zip(_titles(axes), _titles(model), strict=True):
            title.set_position(placed.get_position())
    axes._autotitlepos = False  # type: ignore[attr-defined]


def _placed(figure: Figure) -> list[Any]:
    """What a layout engine places: every Axes (colorbars' too) and the figure's texts."""
    texts = [figure._suptitle, figure._supxlabel, figure._supylabel, *figure.texts]  # type: ignore[attr-defined]
    return [*figure.axes, *(text for text in texts if text is not None)]


def follow_layout(figure: Figure, laid_out: Figure, options: dict[str, Any]) -> dict[str, Any]:
    """Give ``figure`` the layout ``freeze_layout`` found for ``laid_out`` (which returned
    ``options``): the same drawing in another colour scheme, whose layout would come out
    the same, since a scheme changes colours only. Positions, anchors and box aspects of
    the axes and the places of the figure's texts are copied; nothing is laid out again.
    A figure that is not the same drawing (other axes or texts) is laid out itself."""
    if not options:
        return freeze_layout(figure)
    mine, theirs = _placed(figure), _placed(laid_out)
    axes, models = _all_axes(figure), _all_axes(laid_out)
    if [type(artist) for artist in [*mine, *axes]] != [type(a) for a in [*theirs, *models]]:
        return freeze_layout(figure)
    for artist, model in zip(mine, theirs, strict=True):
        if isinstance(model, Axes):
            artist._set_position(model.get_position(original=True), which="original")
            artist._set_position(model.get_position(original=False), which="active")
            artist.set_anchor(model.get_anchor())
            artist.set_box_aspect(model.get_box_aspect())
        else:
            artist.set_position(model.get_position())
    for child, model in zip(axes, models, strict=True):
        _keep_titles(child, model)
    automatic: Any = {"figure.autolayout": False, "figure.constrained_layout.use": False}
    with matplotlib.rc_context(automatic):
        figure.set_layout_engine(None)
    return options


def svg_size(svg: bytes) -> tuple[int, int]:
    """The CSS pixel size of an SVG matplotlib wrote (it gives width and height in pt)."""
    match = _SVG_SIZE.search(svg[:2000])
    if match is None:
        raise ValueError("the SVG has no width and height in pt")
    width, height = (float(value) * CSS_DPI / 72 for value in match.groups())
    return round(width), round(height)


def numbers_bytes(name: str, values: object) -> bytes:
    """The values a page quotes, as JSON; refuses what ``{{ name.key }}`` could not show."""
    if not isinstance(values, Mapping):
        raise TypeError(f"returned {type(values).__name__}, expected a dict of numbers")
    for key, value in values.items():
        if not isinstance(key, str) or not key.isidentifier():
            raise TypeError(f"key {key!r} is not a valid name for {{{{ {name}.key }}}}")
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise TypeError(f"{key} = {value!r} is not a number or a string")
    return (json.dumps(dict(values), sort_keys=True, indent=1) + "\n").encode()


def render(spec: Spec, photo: Callable[[], object]) -> Rendered:
    """The output of one figure or numbers entry. ``photo()`` returns the input photo."""
    params = {k: photo() if v is PHOTO else v for k, v in spec.params.items()}
    outputs = spec.outputs
    if spec.kind == "numbers":
        with matplotlib.rc_context(cast(Any, SCHEMES["light"])):
            values = resolve(spec.function)(**params)
        return Rendered({outputs.numbers or "": numbers_bytes(spec.name, values)})
    function = resolve(spec.function)
    files: dict[str, bytes] = {}
    first: tuple[Figure, dict[str, Any]] | None = None
    for scheme, rc in SCHEMES.items():
        with matplotlib.rc_context(cast(Any, rc)):
            result = function(**params)
            if not isinstance(result, Figure):
                raise TypeError(f"returned {type(result).__name__}, expected a matplotlib Figure")
            # Laid out once, for the first scheme; the others follow it.
            laid_out = freeze_layout(result) if first is None else follow_layout(result, *first)
            first = first or (result, laid_out)
            dpi = PAGE_DPI if spec.ext != "svg" else None
            files[outputs.pages[scheme]] = figure_bytes(result, spec.ext, dpi, **laid_out)
            for ext in DOWNLOADS:  # an SVG page image is its scheme's SVG download
                path = outputs.downloads[download_key(ext, scheme)]
                if path not in files:
                    dpi = DOWNLOAD_DPI if ext == "png" else None
                    files[path] = figure_bytes(result, ext, dpi, **laid_out)
    if spec.facts is not None and outputs.numbers is not None:
        files[outputs.numbers] = numbers_bytes(spec.name, resolve(spec.facts)(**params))
    return Rendered(files, svg_size(files[outputs.downloads["svg"]]))

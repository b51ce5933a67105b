"""Turning an ``Animation`` into the files a page and a lecturer use, deterministically.

From one animation entry the build makes:

* the page's SVG: every step's artists in one drawing, each step a group marked
  ``data-step`` (shown at that step) or ``data-from`` (shown from it on), its ink
  ``currentColor`` so one SVG reads in both colour schemes, its ids prefixed with the
  entry's name so several can share a page. What only moves from step to step (the
  window, the output cell being written) is drawn once, marked ``data-role``, and the
  steps' JSON says how far to move it at each step; path data is written compactly;
* per colour scheme, a GIF (on the scheme's page colour; plays in PowerPoint, Keynote and
  Google Slides), an SVG that animates by itself, and a PDF of one page a step (for
  beamer's ``\\animategraphics``);
* a storyboard of every step, for print;
* the steps' descriptions as JSON, for the page's live line.

What does not move is drawn once per file: the PDF's pages share the still picture's
stream, and the GIF's frames (``figures.frames``) start from a kept picture.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Callable, Container, Iterator
from typing import Any, cast

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, StreamObject

from convdemo.style import SCHEMES
from figures.frames import BACKGROUNDS, FRAME_MS, draw_frames, gif, storyboard
from figures.render import figure_bytes, numbers_bytes, resolve, svg_size
from figures.spec import PHOTO, Rendered, Spec

__all__ = ["render_animation"]

#: Free-standing ink of the page SVG, replaced by currentColor (no figure uses it).
_SENTINEL = "#010203"
_STEP_GROUP = re.compile(r'<g id="step-(only|from)-(\d+)-\d+(?:-(\w+))?">')
_PATH_DATA = re.compile(r' d="([^"]*)"')
_NUMBER = re.compile(r"-?\d+\.\d+")
_ID = re.compile(r'(\sid=")([^"]+)(")')
_REFERENCE = re.compile(r'(xlink:href="#|href="#|url\(#)([^")]+)')


def _page_rc() -> dict[str, Any]:
    rc = dict(SCHEMES["light"])
    for key in ("text.color", "axes.edgecolor", "axes.labelcolor", "xtick.color", "ytick.color"):
        rc[key] = _SENTINEL
    return rc


def _draw(spec: Spec, params: dict[str, Any], rc: dict[str, Any]) -> Any:
    with matplotlib.rc_context(cast(Any, rc)):
        animation = resolve(spec.function)(**params)
    if not all(hasattr(animation, name) for name in ("overlays", "show", "shown")):
        raise TypeError(f"returned {type(animation).__name__}, expected an Animation")
    return animation


def _compact(text: str) -> str:
    """matplotlib's SVG, smaller: path data on one line with two decimals, styles
    without spaces. Two decimals of a point are far below a screen pixel."""

    def path(match: re.Match[str]) -> str:
        data = " ".join(match[1].split())
        data = _NUMBER.sub(lambda m: f"{float(m[0]):.2f}".rstrip("0").rstrip("."), data)
        data = re.sub(r" ?([MLCQZz]) ?", r"\1", data)
        return f' d="{data}"'

    text = _PATH_DATA.sub(path, text)
    return re.sub(
        r'style="([^"]*)"', lambda m: 'style="' + re.sub(r"\s*([:;])\s*", r"\1", m[1]) + '"', text
    )


def _moves(animation: Any) -> dict[str, list[list[float]]]:
    """For each role, how far (in SVG points) each step's copy sits from step 0's."""
    figure = animation.figure
    dpi = figure.dpi
    figure.set_dpi(72)  # SVG units are points: display units at 72 per inch
    moves = {}
    for role, copies in animation.roles.items():
        artist, first = copies[0]
        transform = artist.axes.transData
        x0, y0 = transform.transform(first)
        moves[role] = [
            [round(float(x - x0), 2), round(float(y0 - y), 2)]  # SVG's y points down
            for x, y in (transform.transform(anchor) for _, anchor in copies)
        ]
    figure.set_dpi(dpi)
    return moves


def _page_svg(spec: Spec, animation: Any, rc: dict[str, Any]) -> bytes:
    """All steps in one SVG, as the page's player expects it."""
    movers = {id(artist) for copies in animation.roles.values() for artist, _ in copies[1:]}
    for artist, _, _ in animation.overlays:
        artist.set_visible(id(artist) not in movers)  # a role is drawn once, at step 0
    with matplotlib.rc_context(cast(Any, rc)):
        text = figure_bytes(animation.figure, "svg").decode()

    def group(match: re.Match[str]) -> str:
        kind = "step" if match[1] == "only" else "from"
        role = f' data-role="{match[3]}"' if match[3] else ""
        return f'<g class="convdemo-step" data-{kind}="{match[2]}"{role}>'

    text = _STEP_GROUP.sub(group, text)
    text = text.replace(_SENTINEL, "currentColor")
    prefix = f"{spec.name}-"
    text = _ID.sub(lambda m: f"{m[1]}{prefix}{m[2]}{m[3]}", text)
    text = _REFERENCE.sub(lambda m: f"{m[1]}{prefix}{m[2]}", text)
    return _compact(text).encode()


def _animated_svg(page_svg: bytes, steps: int, colour: str) -> bytes:
    """The page's SVG, animating by itself with CSS: each step shown for its share of
    one loop; none at all for a viewer that asks for reduced motion."""
    seconds = FRAME_MS / 1000
    total = seconds * steps
    share = 100 / steps
    style = (
        "<style>"
        f"svg{{color:{colour}}}"
        f".convdemo-step{{visibility:hidden;animation:convdemo-step {total:g}s step-end infinite}}"
        f"@keyframes convdemo-step{{0%{{visibility:visible}}{share:.4f}%{{visibility:hidden}}}}"
        "@media (prefers-reduced-motion: reduce){.convdemo-step{animation:none}"
        '.convdemo-step[data-step="0"],.convdemo-step[data-from="0"]{visibility:visible}}'
    )
    delays = []
    for step in range(steps):
        delay = step * seconds - total
        delays.append(f'.convdemo-step[data-step="{step}"]{{animation-delay:{delay:g}s}}')
        # Shown from its step to the end of the loop.
        visible = 100 * (steps - step) / steps
        delays.append(
            f'.convdemo-step[data-from="{step}"]{{animation:convdemo-from-{step} {total:g}s '
            f"step-end infinite}}@keyframes convdemo-from-{step}{{0%{{visibility:hidden}}"
            f"{100 - visible:.4f}%{{visibility:visible}}}}"
        )
    style += "".join(delays) + "</style>"
    text = page_svg.decode()
    head = text.index(">", text.index("<svg")) + 1
    return (text[:head] + style + text[head:]).encode()


@contextlib.contextmanager
def _overlays_only(animation: Any) -> Iterator[None]:
    """Every artist that is not a step's hidden, the axes and the figure themselves
    excepted, and shown again after. A hidden artist hides what it holds, so only the
    figure's and its axes' own children are looked at, not every part of every tick and
    text (that walk took a tenth of the time of the PDFs); a step's artist must be one of
    them, or it would be hidden with what holds it."""
    steps = {id(artist): artist for artist, _, _ in animation.overlays}
    found: set[int] = set()
    hidden = list(_others(animation.figure, steps, found))
    missing = [artist for key, artist in steps.items() if key not in found]
    if missing:
        raise ValueError(f"a step's artist is inside another artist, not an axes: {missing[0]}")
    for artist in hidden:
        artist.set_visible(False)
    try:
        yield
    finally:
        for artist in hidden:
            artist.set_visible(True)


def _others(parent: Any, steps: Container[int], found: set[int]) -> Iterator[Any]:
    """``parent``'s visible children that are not in ``steps`` (ids), an Axes' own
    children in its place; adds to ``found`` the ids of the steps' artists met."""
    for child in parent.get_children():
        if isinstance(child, Axes):
            yield from _others(child, steps, found)
        elif id(child) in steps:
            found.add(id(child))
        elif child.get_visible():
            yield child


def _pdf(animation: Any, rc: dict[str, Any]) -> bytes:
    """A page a step, the whole figure on each. The still picture is drawn once, as a
    stream every page shares, each step's artists over it, as on the GIF's frames:
    drawing every page whole was most of the time an animation took."""
    buffer = io.BytesIO()
    metadata = {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None}
    figure = animation.figure
    # The whole figure, as the GIF's frames show it: every page the same size. (None
    # would mean the style's "tight", measured anew, by a drawing of its own, per step.)
    whole = figure.bbox_inches
    with matplotlib.rc_context(cast(Any, rc)), PdfPages(buffer, metadata=metadata) as pdf:
        animation.show(None)
        pdf.savefig(figure, bbox_inches=whole)
        with _overlays_only(animation):
            for step in range(animation.steps):
                animation.show(step)
                pdf.savefig(figure, bbox_inches=whole)
    return _layered(buffer.getvalue())


def _layered(pdf: bytes) -> bytes:
    """``pdf``'s first page (the still picture) under each of the others, and removed:
    each page's content is the still's stream, in a saved graphics state, then its own.
    (matplotlib gives every page of a file the same resources.)"""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    still, *steps = writer.pages
    save, restore = (writer._add_object(_stream(operator)) for operator in (b"q\n", b"\nQ\n"))
    shared = still.raw_get("/Contents")
    for page in steps:
        own = page.raw_get("/Contents")
        page[NameObject("/Contents")] = ArrayObject([save, shared, restore, own])
    writer.remove_page(0, clean=False)
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _stream(data: bytes) -> StreamObject:
    stream = StreamObject()
    stream.set_data(data)
    return stream


def render_animation(spec: Spec, photo: Callable[[], object]) -> Rendered:
    """Every output of one animation entry (see the module's docstring)."""
    params = {k: photo() if v is PHOTO else v for k, v in spec.params.items()}
    outputs = spec.outputs
    files: dict[str, bytes] = {}
    page_rc = _page_rc()
    page = _draw(spec, params, page_rc)
    page_svg = _page_svg(spec, page, page_rc)
    files[outputs.inline or ""] = page_svg
    for scheme, rc in SCHEMES.items():
        animation = _draw(spec, params, rc)
        suffix = "" if scheme == "light" else "-dark"
        frames = draw_frames(animation, BACKGROUNDS[scheme])
        files[outputs.downloads[f"gif{suffix}"]] = gif(frames)
        files[outputs.downloads[f"pdf{suffix}"]] = _pdf(animation, rc)
        ink = rc["text.color"]
        files[outputs.downloads[f"svg{suffix}"]] = _animated_svg(page_svg, page.steps, ink)
        if scheme == "light":
            files[outputs.storyboard or ""] = storyboard(frames)
    steps = {"steps": page.descriptions, "moves": _moves(page)}
    files[outputs.steps or ""] = (json.dumps(steps, indent=1, ensure_ascii=False) + "\n").encode()
    if spec.facts is not None and outputs.numbers is not None:
        files[outputs.numbers] = numbers_bytes(spec.name, resolve(spec.facts)(**params))
    return Rendered(files, svg_size(page_svg))

"""An animation's steps as pictures: the GIF's frames, the GIF, and the storyboard.

What does not move is drawn once: each frame is a kept picture (the still parts, and
what the steps before left on them) with the step's own artists blitted over it.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image, ImageDraw

__all__ = ["BACKGROUNDS", "FRAME_MS", "GIF_DPI", "draw_frames", "gif", "storyboard"]

#: The page colour of each scheme (Material's default and "slate"), under a GIF's frames.
BACKGROUNDS = {"light": (255, 255, 255), "dark": (30, 33, 41)}
#: How long a GIF shows each step, and the last one, in milliseconds.
FRAME_MS, LAST_FRAME_MS = 700, 2000
GIF_DPI = 120
STORYBOARD_COLUMNS = 4
STORYBOARD_EFFORT = 2


def draw_frames(animation: Any, background: tuple[int, int, int]) -> list[Image.Image]:
    """Every step as an RGB image: the still parts drawn once, each step blitted on.

    What a frame shares with the next (see ``_layers``) is kept as a picture and
    restored, not drawn again, so each artist is drawn about once, not once a frame
    from its step on; every frame comes out as if its artists were all drawn anew."""
    figure = animation.figure
    figure.set_dpi(GIF_DPI)
    # No face of its own, as a saved file has none (``savefig.transparent``): the scheme's
    # page colour shows through. The figure's white face would otherwise be under the
    # dark scheme's light ink too.
    for patch in (figure.patch, *(axes.patch for axes in figure.axes)):
        patch.set_facecolor("none")
    canvas: Any = FigureCanvasAgg(figure)  # its blitting calls carry no types
    animation.show(None)
    canvas.draw()
    still = kept = canvas.copy_from_bbox(figure.bbox)
    frames = []
    for step, layer in enumerate(_layers(animation)):
        if layer.restart:
            kept = still
        canvas.restore_region(kept)
        animation.show(step)
        for artist in layer.kept:
            (artist.axes or figure).draw_artist(artist)
        if layer.kept:
            kept = canvas.copy_from_bbox(figure.bbox)
        for artist in layer.own:
            (artist.axes or figure).draw_artist(artist)
        rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).copy()
        base = Image.new("RGB", rgba.size, background)
        base.paste(rgba, mask=rgba.getchannel("A"))
        frames.append(base)
    return frames


@dataclass(frozen=True)
class _Layer:
    """How a step is drawn over the still parts: from the layers kept so far (none if
    ``restart``), then ``kept``, which is kept for the steps after, then ``own``."""

    restart: bool
    kept: list[Any]
    own: list[Any]


def _layers(animation: Any) -> list[_Layer]:
    """Each step's artists (in the overlays' order, the order they are drawn in), split
    so that what a step begins with alike with the next one (the still parts, then the
    artists shown from an earlier step on) is drawn once and kept. A step that does not
    begin as the layers kept so far (a later step's artist listed before them) starts
    again from the still parts."""
    shown = [animation.shown(step) for step in range(animation.steps)]
    layers: list[_Layer] = []
    under: list[Any] = []  # the artists the kept layers hold
    for step, artists in enumerate(shown):
        restart = _common_start(under, artists) < len(under)
        if restart:
            under = []
        following = shown[step + 1] if step + 1 < len(shown) else []
        shared = max(_common_start(artists, following), len(under))
        layers.append(_Layer(restart, artists[len(under) : shared], artists[shared:]))
        under = artists[:shared]
    return layers


def _common_start(first: list[Any], second: list[Any]) -> int:
    """How many artists ``first`` and ``second`` begin with alike."""
    count = 0
    for mine, theirs in zip(first, second, strict=False):
        if mine is not theirs:
            break
        count += 1
    return count


def gif(frames: list[Image.Image]) -> bytes:
    """``frames`` as a looping GIF on one palette, the last step held longer."""
    palette = frames[0].quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    indexed = [frame.quantize(palette=palette, dither=Image.Dither.NONE) for frame in frames]
    durations = [FRAME_MS] * (len(frames) - 1) + [LAST_FRAME_MS]
    buffer = io.BytesIO()
    indexed[0].save(
        buffer, format="GIF", save_all=True, append_images=indexed[1:], duration=durations,
        loop=0, optimize=False, disposal=1,
    )  # fmt: skip
    return buffer.getvalue()


def storyboard(frames: list[Image.Image]) -> bytes:
    """Every step, in reading order, numbered: the animation on paper."""
    frames = [frame.reduce(2) for frame in frames]  # half size: small on paper anyway
    width, height = frames[0].size
    label = 16
    # About as many columns as rows, so a long animation still fits one sheet of paper.
    columns = min(len(frames), max(STORYBOARD_COLUMNS, math.ceil(math.sqrt(len(frames)))))
    rows = -(-len(frames) // columns)
    sheet = Image.new("RGB", (columns * width, rows * (height + label)), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    for index, frame in enumerate(frames):
        x, y = (index % columns) * width, (index // columns) * (height + label)
        sheet.paste(frame, (x, y + label))
        draw.text((x + 8, y + 4), f"step {index + 1}", fill=(34, 34, 34))
        draw.rectangle((x, y, x + width - 1, y + height + label - 1), outline=(200, 200, 200))
    buffer = io.BytesIO()
    # Effort 2 of 6: for print and slides, not a page's weight; half the time of 4 (the
    # figures' effort) for files 3% larger.
    sheet.save(buffer, format="WEBP", quality=88, method=STORYBOARD_EFFORT)
    return buffer.getvalue()

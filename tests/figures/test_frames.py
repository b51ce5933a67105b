"""An animation's frames: drawn from kept pictures, as if each were drawn anew."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

from convdemo.animations import Animation
from figures.frames import BACKGROUNDS, GIF_DPI, draw_frames


def overlapping() -> Animation:
    """Five steps of translucent squares that overlap, so the order of drawing shows;
    one shown from step 1 on is listed after step 3's, so frame 2 shares less with frame 3
    than with frame 1; step 3's first square is listed first of all, so frame 3 shares
    nothing with frame 2; and an inset axes holds a step's square and a still one."""
    figure = Figure(figsize=(2, 2))
    ax = figure.add_axes((0, 0, 1, 1), xlim=(0, 6), ylim=(0, 6))
    inset = ax.inset_axes((0.6, 0.6, 0.4, 0.4), xlim=(0, 1), ylim=(0, 1))
    inset.add_patch(Rectangle((0, 0), 1, 1, color="grey"))
    animation = Animation(figure, [f"step {step}" for step in range(5)])
    order = [(3, "only", 4), (0, "from", 0), (0, "only", 1), (1, "from", 1), (2, "only", 2),
             (3, "from", 2), (1, "from", 3), (4, "only", 3)]  # fmt: skip
    for step, mode, place in order:
        square = Rectangle((place, place), 2.5, 2.5, color=f"C{step}", alpha=0.6)
        animation.add(ax.add_patch(square), step, mode)
    animation.add(inset.add_patch(Rectangle((0.2, 0.2), 0.5, 0.5, color="red")), 2)
    return animation


def _drawn_each_time(animation: Animation) -> list[bytes]:
    """Each frame as the still picture with all its step's artists blitted on anew."""
    figure = animation.figure
    figure.set_dpi(GIF_DPI)
    for patch in (figure.patch, *(axes.patch for axes in figure.axes)):
        patch.set_facecolor("none")  # as on the GIF's frames
    canvas = FigureCanvasAgg(figure)
    animation.show(None)
    canvas.draw()
    still = canvas.copy_from_bbox(figure.bbox)
    frames = []
    for step in range(animation.steps):
        canvas.restore_region(still)
        animation.show(step)
        for artist, _, _ in animation.overlays:
            if artist.get_visible():
                (artist.axes or figure).draw_artist(artist)
        rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        base = Image.new("RGB", rgba.size, BACKGROUNDS["light"])
        base.paste(rgba, mask=rgba.getchannel("A"))
        frames.append(base.tobytes())
    return frames


def test_frames_that_start_from_a_kept_picture_equal_frames_drawn_each_time():
    """What a frame shares with the next is kept, not drawn again: the frames come out
    pixel for pixel as if every step's artists were drawn anew, in the same order,
    including frames that share less with the next than with the one before."""
    frames = draw_frames(overlapping(), BACKGROUNDS["light"])
    expected = _drawn_each_time(overlapping())
    assert len(frames) == len(expected) == 5
    assert [frame.tobytes() for frame in frames] == expected
    assert len(set(expected)) == 5  # every step looks different

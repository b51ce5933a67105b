"""A small chapter for the deck tests: a diagram, a photo and an animation, made here."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from website.slides import DeckChapter, DeckFigure

URL = "https://example.org/site/padding/"
FRAMES = 3


def images(folder: Path) -> dict[str, Path]:
    """A transparent PNG diagram, a photo, an animated GIF and its storyboard."""
    paths = {
        "png": folder / "grid.png",
        "photo": folder / "photo.png",
        "gif": folder / "moving.gif",
        "storyboard": folder / "moving-storyboard.webp",
    }
    Image.new("RGBA", (3000, 1500), (40, 120, 200, 128)).save(paths["png"])
    Image.effect_noise((900, 600), 60).convert("RGB").save(paths["photo"])
    frames = [Image.new("P", (120, 80), colour) for colour in (1, 2, 3)]
    for number, frame in enumerate(frames):
        frame.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255] + [0] * 756)
        frame.paste(number + 1, (0, 0, 120, 80))
    frames[0].save(paths["gif"], save_all=True, append_images=frames[1:], duration=500, loop=0)
    Image.new("RGB", (1600, 400), "white").save(paths["storyboard"])
    return paths


def chapter(folder: Path, code: tuple[str, ...] = ("import torch",)) -> DeckChapter:
    paths = images(folder)

    def figure(name: str, image: str, still: str, **kind: bool) -> DeckFigure:
        label = f"Figure 2.{name[-1]}"
        credit = f'{label} from "Padding", The site (Its authors), CC BY 4.0, {URL}#fig-{name}'
        return DeckFigure(
            name, label, f"Caption of {name}.", f"Alt of {name}.", credit,
            paths[image], paths[still], **kind,
        )  # fmt: skip

    return DeckChapter(
        2,
        "Padding",
        URL,
        "The site",
        "Its authors",
        (
            figure("grid-1", "png", "png"),
            figure("photo-2", "photo", "photo", photo=True),
            figure("moving-3", "gif", "storyboard", animated=True),
        ),
        code,
    )

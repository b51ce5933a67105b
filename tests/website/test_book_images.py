"""The book's images: each raster image copied for paper once, on threads before the
book is laid out; a vector image shown as it is; an unknown one an error."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PIL import Image

from website.book import BookError
from website.book_images import BookImages


def test_the_book_copies_each_raster_image_for_paper_once(tmp_path):
    """The book is laid out at least twice (its contents' page numbers): each image is
    copied for paper once; a vector image is shown as it is; an unknown one is an error."""
    photo = tmp_path / "photo.png"
    Image.new("RGB", (40, 20), "white").save(photo)
    svg = tmp_path / "grid.svg"
    svg.write_text("<svg/>")
    copies = tmp_path / "copies"
    copies.mkdir()
    locate = BookImages({"figures/photo.png": str(photo), "figures/grid.svg": str(svg)}, copies)
    first = locate("figures/photo.png")
    assert locate("figures/photo.png") == first
    (copy,) = copies.iterdir()
    assert copy.name.endswith("-photo.png.jpg") and first == copy.as_uri()
    assert locate("figures/grid.svg") == svg.as_uri()
    with pytest.raises(BookError, match=r"figures/gone\.png, which is not a file of the site"):
        locate("figures/gone.png")


def test_the_book_prepares_its_copies_for_paper_in_threads_before_it_is_laid_out(
    tmp_path, monkeypatch
):
    """Each raster image once, on the threads asked for; laying the book out then makes
    nothing more; a vector image needs no copy; an unknown file is an error at once."""

    from website import book_print

    files, located = {}, {}
    for name in ("a.png", "b.webp", "c.webp", "d.svg"):
        files[name] = tmp_path / name
        if name.endswith(".svg"):
            files[name].write_text("<svg/>")
        else:
            Image.new("RGB", (40, 20), "white").save(files[name])
        located[f"figures/{name}"] = str(files[name])
    made: list[tuple[str, str]] = []
    original = book_print.print_copy

    def counted(source, folder, name):
        made.append((name, threading.current_thread().name))
        return original(source, folder, name)

    monkeypatch.setattr(book_print, "print_copy", counted)
    copies = tmp_path / "copies"
    copies.mkdir()
    locate = BookImages(located, copies)
    locate.prepare([*located, "figures/a.png"], jobs=2)
    assert sorted(name.split("-", 1)[1] for name, _ in made) == ["a.png", "b.webp", "c.webp"]
    assert all(thread.startswith("book-image") for _, thread in made)
    uris = [locate(path) for path in located]
    assert len(made) == 3  # laid out: nothing made again
    assert uris[3] == files["d.svg"].as_uri()
    (copy,) = [name for name, _ in made if name.endswith("-a.png")]
    assert uris[0] == (copies / f"{copy}.jpg").as_uri()
    with pytest.raises(BookError, match=r"figures/gone\.png, which is not a file of the site"):
        locate.prepare(["figures/gone.png"], jobs=2)


def test_two_paths_never_share_a_copy_for_paper(tmp_path):
    """``a-b/c.png`` and ``a/b-c.png`` read alike with their slashes made dashes."""
    located = {}
    for path, colour in (("a-b/c.png", "red"), ("a/b-c.png", "blue")):
        source = tmp_path / path.replace("/", "_")
        Image.new("RGB", (8, 8), colour).save(source)
        located[path] = str(source)
    copies = tmp_path / "copies"
    copies.mkdir()
    locate = BookImages(located, copies)
    locate.prepare(located, jobs=2)
    made = [Path(locate(path).removeprefix("file://")) for path in located]
    assert made[0] != made[1] and len(list(copies.iterdir())) == 2
    colours = [Image.open(path).convert("RGB").getpixel((4, 4)) for path in made]
    assert colours[0][0] > 200 and colours[1][2] > 200  # each its own image

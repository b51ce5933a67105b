"""The decks' worker processes, ended when a build fails or is killed; the book's images
for paper."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError
from PIL import Image

from figures.config import ROOT
from tests.processes import family, survivors
from website.book import BookError
from website.publisher import BookImages, Publisher


def busy_publisher(tmp_path) -> tuple[Publisher, list[multiprocessing.Process]]:
    """A publisher whose two deck workers are each in the middle of a long task."""
    publisher = Publisher(tmp_path, release=None, root=tmp_path, fresh=True)  # type: ignore[arg-type]
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    publisher.pool = pool
    publisher.futures = [pool.submit(time.sleep, 600) for _ in range(4)]
    for _ in range(600):  # until both workers are up and have taken a task (a minute at most)
        workers = list(pool._processes.values())
        if len(workers) == 2 and sum(future.running() for future in publisher.futures) >= 2:
            break
        time.sleep(0.1)
    assert len(workers) == 2 and all(worker.is_alive() for worker in workers)
    return publisher, workers


def test_a_failed_build_ends_the_deck_workers_instead_of_waiting_for_them(tmp_path):
    publisher, workers = busy_publisher(tmp_path)
    publisher.close()  # as on_build_error does
    assert not any(worker.is_alive() for worker in workers)
    assert publisher.pool is None and publisher.futures == []


def test_closing_twice_or_without_workers_is_harmless(tmp_path):
    publisher = Publisher(tmp_path, release=None, root=tmp_path, fresh=True)  # type: ignore[arg-type]
    publisher.close()
    publisher.close(stop=False)
    assert publisher.pool is None


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
    assert [path.name for path in copies.iterdir()] == ["figures-photo.png.jpg"]
    assert first == (copies / "figures-photo.png.jpg").as_uri()
    assert locate("figures/grid.svg") == svg.as_uri()
    with pytest.raises(BookError, match=r"figures/gone\.png, which is not a file of the site"):
        locate("figures/gone.png")


def test_the_book_prepares_its_copies_for_paper_in_threads_before_it_is_laid_out(
    tmp_path, monkeypatch
):
    """Each raster image once, on the threads asked for; laying the book out then makes
    nothing more; a vector image needs no copy; an unknown file is an error at once."""
    import threading

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
    assert sorted(name for name, _ in made) == ["figures-a.png", "figures-b.webp", "figures-c.webp"]
    assert all(thread.startswith("book-image") for _, thread in made)
    uris = [locate(path) for path in located]
    assert len(made) == 3  # laid out: nothing made again
    assert uris[3] == files["d.svg"].as_uri()
    assert uris[0] == (copies / "figures-a.png.jpg").as_uri()
    with pytest.raises(BookError, match=r"figures/gone\.png, which is not a file of the site"):
        locate.prepare(["figures/gone.png"], jobs=2)


def test_deck_workers_yield_the_cores_to_the_book(tmp_path):
    """Lower priority than the build, so the book, which the build waits for, goes first."""
    from website.publisher import _start_deck_worker

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=_start_deck_worker, initargs=(os.getpid(),)
    ) as pool:
        niceness = pool.submit(os.nice, 0).result(timeout=120)
    assert niceness == min(19, os.nice(0) + 10)


def later_book(tmp_path) -> tuple[Publisher, Path]:
    """A publisher whose book is to be placed in ``site`` once made."""
    from website.linked_files import LaterFile
    from website.publications import BOOK

    publisher = Publisher(tmp_path / "cache", release=None, root=tmp_path, fresh=True)  # type: ignore[arg-type]
    site = tmp_path / "site"
    folder = str(publisher.products.folder)
    publisher.later = [LaterFile(BOOK, folder, str(site), use_directory_urls=True)]
    publisher.printer = ThreadPoolExecutor(1)
    return publisher, site / BOOK


def test_the_book_prints_on_its_thread_and_is_stored_and_placed_when_the_build_ends(tmp_path):
    from website.publications import BOOK

    publisher, placed = later_book(tmp_path)
    started, release = threading.Event(), threading.Event()

    def book() -> tuple[str, bytes, float]:
        started.set()
        release.wait(60)
        return "key", b"%PDF-book", 1.5

    assert publisher.printer is not None
    publisher.book = publisher.printer.submit(book)
    assert started.wait(60) and not placed.exists()  # printing while the pages are written
    release.set()
    publisher.finish()
    assert placed.read_bytes() == b"%PDF-book"
    assert publisher.products.fresh(BOOK, "key")
    assert publisher.made == ["book 1.50 s"] and publisher.printer is None


def test_a_book_that_failed_on_its_thread_fails_the_build_naming_it(tmp_path):
    publisher, placed = later_book(tmp_path)

    def book() -> tuple[str, bytes, float]:
        raise BookError("Chromium could not print the book: it is not there")

    assert publisher.printer is not None
    publisher.book = publisher.printer.submit(book)
    with pytest.raises(PluginError, match=r"the book book/convdemo\.pdf: Chromium could not"):
        publisher.finish()
    assert not placed.exists() and publisher.printer is None and publisher.book is None


def named(chapter: SimpleNamespace, release: object) -> tuple[str, float]:
    """A deck worker's task that says which deck it was given."""
    return chapter.name, 0.0


def test_decks_start_most_figures_first_and_are_kept_in_chapter_order(tmp_path, monkeypatch):
    from website.publisher import most_figures_first

    monkeypatch.setenv("CONVDEMO_JOBS", "2")
    monkeypatch.setattr("website.publisher._timed_deck", named)
    decks = [
        SimpleNamespace(chapter=SimpleNamespace(name=name, figures=(None,) * count))
        for name, count in (("padding", 3), ("transposed", 15), ("groups", 4), ("conv1d", 3))
    ]
    assert [d.chapter.name for d in most_figures_first(decks)] == [  # type: ignore[arg-type]
        "transposed",
        "groups",
        "padding",
        "conv1d",
    ]
    publisher = Publisher(tmp_path, release=None, root=tmp_path, fresh=True)  # type: ignore[arg-type]
    publisher.decks = decks  # type: ignore[assignment]
    publisher._start_decks()
    try:
        assert [f.result(timeout=120)[0] for f in publisher.futures] == [
            "padding",
            "transposed",
            "groups",
            "conv1d",
        ]
    finally:
        publisher.close()


def test_an_unreadable_jobs_setting_fails_the_build_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv("CONVDEMO_JOBS", "two")
    publisher = Publisher(tmp_path, release=None, root=tmp_path, fresh=True)  # type: ignore[arg-type]
    publisher.decks = [object(), object()]  # type: ignore[list-item]
    with pytest.raises(PluginError, match="slide decks: CONVDEMO_JOBS must be a positive integer"):
        publisher._start_decks()


KILLED = """
import sys, time
from pathlib import Path
from types import SimpleNamespace
import website.publisher as publisher
from tests.website.test_publisher import nap

publisher._timed_deck = nap  # each deck: a long nap in its worker
made = publisher.Publisher(Path(sys.argv[1]), release=None, root=Path(sys.argv[1]), fresh=True)
long = SimpleNamespace(figures=(), seconds=600)
made.decks = [SimpleNamespace(chapter=long), SimpleNamespace(chapter=long)]
made._start_decks()
time.sleep(600)
"""


def nap(chapter: SimpleNamespace, release: object) -> None:
    time.sleep(chapter.seconds)


@pytest.mark.skipif(sys.platform != "linux", reason="reads the process tree from /proc")
def test_the_deck_workers_end_with_a_killed_build(tmp_path):
    """Killed, the build cannot end its workers; each asked to end with it."""
    env = dict(os.environ, CONVDEMO_JOBS="2")
    process = subprocess.Popen([sys.executable, "-c", KILLED, str(tmp_path)], cwd=ROOT, env=env)
    assert survivors(process, workers, 2) == {}


def workers(root: int) -> dict[int, str]:
    return {pid: cmd for pid, cmd in family(root).items() if "multiprocessing.spawn" in cmd}

"""The decks' worker processes, ended when a build fails or is killed, and their order;
the book, printed on a thread of its own and placed in the site when the build ends."""

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
from mkdocs.structure.files import Files

from figures.config import ROOT
from tests.processes import family, survivors
from website.book import BookError
from website.book_images import BookImages
from website.publisher import Publisher


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


def test_deck_workers_yield_the_cores_to_the_book(tmp_path):
    """Lower priority than the build, so the book, which the build waits for, goes first."""
    from website.publisher import _start_deck_worker

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=_start_deck_worker, initargs=(os.getpid(),)
    ) as pool:
        niceness = pool.submit(os.nice, 0).result(timeout=120)
    assert niceness == min(19, os.nice(0) + 10)


def blocked_book(tmp_path, monkeypatch) -> tuple[Publisher, threading.Event, list[object]]:
    """A publisher for a book of no chapters whose images take until ``go`` is set;
    what ``make_book`` was called with is listed."""
    from tests.website.test_citation import RELEASE

    go, printed = threading.Event(), []

    def prepare(self: BookImages, paths: object, jobs: int) -> None:
        go.wait(60)

    def make_book(*args: object) -> bytes:
        printed.append(args)
        return b"%PDF-book"

    monkeypatch.setattr(BookImages, "prepare", prepare)
    monkeypatch.setattr("website.publisher.make_book", make_book)
    publisher = Publisher(tmp_path / "cache", release=RELEASE, root=tmp_path, fresh=True)
    return publisher, go, printed


def test_the_book_is_printed_on_a_thread_while_the_build_goes_on(tmp_path, monkeypatch):
    publisher, go, printed = blocked_book(tmp_path, monkeypatch)
    config = SimpleNamespace(site_description="A site.", copyright=None)
    publisher.on_env(Files([]), config)  # type: ignore[arg-type]
    book = publisher.book
    assert book is not None and not book.done()  # on_env did not wait for it
    go.set()
    publisher.finish()
    assert len(printed) == 1 and publisher.made[0].startswith("book ")


def test_a_failed_build_prints_no_book_after_the_step_it_is_in(tmp_path, monkeypatch):
    publisher, go, printed = blocked_book(tmp_path, monkeypatch)
    config = SimpleNamespace(site_description="A site.", copyright=None)
    publisher.on_env(Files([]), config)  # type: ignore[arg-type]
    book = publisher.book
    assert book is not None
    publisher.close()  # as on_build_error does
    go.set()
    with pytest.raises(BookError, match="not printed: the build failed"):
        book.result(timeout=60)
    assert printed == []


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
    assert started.wait(60)
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
    submitted: list[str] = []

    class Recording(ProcessPoolExecutor):
        def submit(self, task, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            submitted.append(args[0].name)
            return super().submit(task, *args, **kwargs)

    monkeypatch.setattr("website.publisher.ProcessPoolExecutor", Recording)
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
        assert submitted == ["transposed", "groups", "padding", "conv1d"]
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

"""The book printed: its contents' pages read back, Chromium's errors, images made for paper."""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from website.book import BookError, BookPage
from website.book_print import (
    PRINT_WIDTH,
    contents_pages,
    print_book,
    print_copy,
)

#: A one-line book, for Chromium to fail on.
PAGE = BookPage("<p>x</p>", ())


def printed(stamp: str) -> bytes:
    """A PDF as a printer leaves it: three pages, named destinations, its time of printing."""
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    writer.add_named_destination("chapter-padding", 1)
    writer.add_named_destination("answers", 2)
    writer.add_named_destination("padding--rings", 1)
    writer.add_metadata({"/CreationDate": stamp, "/ModDate": stamp, "/Producer": "Skia/PDF"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_the_contents_pages_are_the_chapters_and_answers_destinations():
    assert contents_pages(printed("D:2026")) == {"chapter-padding": 2, "answers": 3}


def test_without_chromium_the_error_names_it(tmp_path):
    missing = tmp_path / "no-chromium"
    with pytest.raises(BookError, match=f"Chromium at {missing}"):
        print_book(PAGE, {}, "2026-11-24", missing)


def test_a_failing_chromium_is_an_error_with_what_it_said(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(BookError, match=r"Chromium could not print the book(.|\n)*cannot open"):
        print_book(PAGE, {}, "2026-11-24", fake)


def test_it_prints_from_a_thread_where_an_asyncio_loop_runs(tmp_path):
    """As when a Playwright session or a notebook kernel runs an asyncio loop in the
    calling thread: the book is printed from a thread of its own, so Chromium itself is
    reached and its own complaint comes back, not Playwright's refusal."""
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    fake.chmod(0o755)

    async def inside_a_running_loop():
        print_book(PAGE, {}, "2026-11-24", fake)

    # A thread of the test's own, where no loop runs yet whatever else this process
    # runs (the browser tests' session keeps one running in the main thread).
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        printing = pool.submit(asyncio.run, inside_a_running_loop())
        with pytest.raises(BookError, match=r"(.|\n)*cannot open"):
            printing.result()


@pytest.mark.parametrize("storyboard", [True, False])
def test_an_image_is_copied_for_paper_no_wider_than_the_print_width(tmp_path, storyboard):
    name = "moving-storyboard.webp" if storyboard else "photo.png"
    source: Path = tmp_path / name
    Image.new("RGBA", (3000, 600), (40, 120, 200, 128)).save(source)
    copy = print_copy(source, tmp_path, "copy")
    with Image.open(copy) as image:
        assert image.format == ("PNG" if storyboard else "JPEG")
        assert image.size == (PRINT_WIDTH, 300)
        assert image.mode == ("P" if storyboard else "RGB")  # flat on white, no alpha

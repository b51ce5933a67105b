"""The book's PDF made reproducible, its contents' pages read back, images made for paper."""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from website.book import BookError
from website.book_print import (
    PRINT_WIDTH,
    contents_pages,
    normalise_pdf,
    print_copy,
    print_pdf,
)


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


def test_the_same_book_printed_at_two_times_gives_the_same_bytes():
    properties = {"Title": "The site", "Author": "Its authors"}
    first = normalise_pdf(printed("D:20261202072705+00'00'"), properties, "2026-11-24")
    second = normalise_pdf(printed("D:20261203091500+00'00'"), properties, "2026-11-24")
    assert first == second
    reader = PdfReader(io.BytesIO(first))
    assert reader.metadata.title == "The site" and reader.metadata.author == "Its authors"
    assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"] == "D:20261124000000Z"
    identifier = reader.trailer["/ID"]
    assert identifier[0] == identifier[1] and identifier[0].original_bytes != bytes(16)
    other = normalise_pdf(printed("D:20261202072705+00'00'"), {"Title": "Other"}, "2026-11-24")
    changed = PdfReader(io.BytesIO(other)).trailer["/ID"][0]
    assert changed.original_bytes != identifier[0].original_bytes


def test_the_contents_pages_are_the_chapters_and_answers_destinations():
    assert contents_pages(printed("D:2026")) == {"chapter-padding": 2, "answers": 3}


def test_without_chromium_the_error_names_it(tmp_path):
    page = tmp_path / "book.html"
    page.write_text("<p>x</p>")
    missing = tmp_path / "no-chromium"
    with pytest.raises(BookError, match=f"Chromium at {missing}"):
        print_pdf(page, missing)


def test_a_failing_chromium_is_an_error_with_what_it_said(tmp_path):
    page = tmp_path / "book.html"
    page.write_text("<p>x</p>")
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(BookError, match=r"Chromium could not print the book(.|\n)*cannot open"):
        print_pdf(page, fake)


def test_it_prints_from_a_thread_where_an_asyncio_loop_runs(tmp_path):
    """As when a Playwright session or a notebook kernel runs an asyncio loop in the
    calling thread: the book is printed from a thread of its own, so Chromium itself is
    reached and its own complaint comes back, not Playwright's refusal."""
    page = tmp_path / "book.html"
    page.write_text("<p>x</p>")
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    fake.chmod(0o755)

    async def inside_a_running_loop():
        print_pdf(page, fake)

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


def tagged(first: int) -> bytes:
    """A tagged table as Chromium prints it: header cells named after DOM nodes whose
    numbers change from one printing to the next, a data cell naming its header, and the
    structure's ID tree."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    names = [TextStringObject(f"node{first + n:08d}") for n in range(2)]
    cells = [
        writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructElem"),
                    NameObject("/S"): NameObject("/TH"),
                    NameObject("/ID"): name,
                }
            )
        )
        for name in names
    ]
    headers = DictionaryObject(
        {NameObject("/O"): NameObject("/Table"), NameObject("/Headers"): ArrayObject(names[1:])}
    )
    data = writer._add_object(
        DictionaryObject(
            {NameObject("/S"): NameObject("/TD"), NameObject("/A"): ArrayObject([headers])}
        )
    )
    leaf = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Limits"): ArrayObject(names),
                NameObject("/Names"): ArrayObject([names[0], cells[0], names[1], cells[1]]),
            }
        )
    )
    tree = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructTreeRoot"),
            NameObject("/K"): ArrayObject([*cells, data]),
            NameObject("/IDTree"): DictionaryObject({NameObject("/Kids"): ArrayObject([leaf])}),
        }
    )
    writer._root_object[NameObject("/StructTreeRoot")] = writer._add_object(tree)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_chromium_s_node_names_are_renamed_in_order_wherever_used():
    first = normalise_pdf(tagged(1926), {"Title": "T"}, "2026-11-24")
    assert first == normalise_pdf(tagged(1894), {"Title": "T"}, "2026-11-24")
    assert b"node0000" not in first
    reader = PdfReader(io.BytesIO(first))
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    header, other, data = (kid.get_object() for kid in tree["/K"])
    assert (header["/ID"], other["/ID"]) == ("id000001", "id000002")
    assert list(data["/A"][0]["/Headers"]) == ["id000002"]
    leaf = tree["/IDTree"]["/Kids"][0].get_object()
    assert list(leaf["/Limits"]) == ["id000001", "id000002"]
    assert [leaf["/Names"][0], leaf["/Names"][2]] == ["id000001", "id000002"]
    assert leaf["/Names"][1].get_object()["/ID"] == "id000001"

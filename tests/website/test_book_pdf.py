"""The book's PDF made reproducible by rewriting Chromium's bytes."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from website.book_pdf import PdfFormError, normalise_pdf, pdf_string

PROPERTIES = {"Title": "The site", "Author": "Its authors"}


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def printed(stamp: str, pages: int = 3) -> bytes:
    """A PDF as a printer leaves it: blank pages, a named destination, its time of
    printing and no identifier."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.add_named_destination("chapter-padding", 1)
    writer.add_metadata({"/CreationDate": stamp, "/ModDate": stamp, "/Producer": "Skia/PDF m1"})
    return written(writer)


def test_the_same_book_printed_at_two_times_gives_the_same_bytes():
    first = normalise_pdf(printed("D:20261202072705+00'00'"), PROPERTIES, "2026-11-24")
    second = normalise_pdf(printed("D:20261203091500+00'00'"), PROPERTIES, "2026-11-24")
    assert first == second
    reader = PdfReader(io.BytesIO(first), strict=True)
    assert len(reader.pages) == 3 and reader.named_destinations
    assert reader.metadata.title == "The site" and reader.metadata.author == "Its authors"
    assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"] == "D:20261124000000Z"
    assert reader.metadata["/Producer"] == "Skia/PDF m1"  # the printer's, kept
    identifier = reader.trailer["/ID"]
    assert identifier[0] == identifier[1] and identifier[0].original_bytes != bytes(16)


def test_the_identifier_follows_the_content():
    identifiers = {
        bytes(PdfReader(io.BytesIO(pdf)).trailer["/ID"][0].original_bytes)
        for pdf in (
            normalise_pdf(printed("D:2026"), PROPERTIES, "2026-11-24"),
            normalise_pdf(printed("D:2026"), {"Title": "Other"}, "2026-11-24"),
            normalise_pdf(printed("D:2026", pages=4), PROPERTIES, "2026-11-24"),
        )
    }
    assert len(identifiers) == 3


def test_properties_beyond_ascii_are_written_as_text_strings():
    assert pdf_string("a (b) \\ c") == b"(a \\(b\\) \\\\ c)"
    pdf = normalise_pdf(printed("D:2026"), {"Author": "Zoë · Ana"}, "2026-11-24")
    assert PdfReader(io.BytesIO(pdf)).metadata.author == "Zoë · Ana"


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
    return written(writer)


def test_chromium_s_node_names_are_renamed_in_order_wherever_used():
    first = normalise_pdf(tagged(1926), {"Title": "T"}, "2026-11-24")
    assert first == normalise_pdf(tagged(1894), {"Title": "T"}, "2026-11-24")
    assert b"node00001926" not in first
    tree = PdfReader(io.BytesIO(first), strict=True).trailer["/Root"]["/StructTreeRoot"]
    header, other, data = (kid.get_object() for kid in tree["/K"])
    assert (header["/ID"], other["/ID"]) == ("node00000001", "node00000002")
    assert list(data["/A"][0]["/Headers"]) == ["node00000002"]
    leaf = tree["/IDTree"]["/Kids"][0].get_object()
    assert list(leaf["/Limits"]) == ["node00000001", "node00000002"]  # still sorted
    assert [leaf["/Names"][0], leaf["/Names"][2]] == ["node00000001", "node00000002"]
    assert leaf["/Names"][1].get_object()["/ID"] == "node00000001"


def test_a_stream_s_data_is_left_as_it_is():
    """Bytes inside a stream that look like a node's name are data, not a name."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    page.replace_contents(None)
    stream = DecodedStreamObject()
    stream.set_data(b"BT (node00001926) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(stream)
    pdf = normalise_pdf(written(writer), {"Title": "T"}, "2026-11-24")
    assert b"(node00001926) Tj" in pdf


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda pdf: pdf[: pdf.rindex(b"startxref")], "no startxref"),
        (lambda pdf: pdf.replace(b"trailer", b"trailor"), "no trailer"),
        (lambda pdf: pdf.replace(b"/Root", b"/Prev 9 /Root"), "incrementally"),
        (lambda pdf: pdf.replace(b"\nxref\n", b"\nxraf\n"), "a stream, not a table"),
        (lambda pdf: pdf.replace(b" 00000 n", b" 00000 x", 1), "entry 1 is malformed"),
    ],
)
def test_a_pdf_of_another_form_is_refused_saying_how(damage, said):
    with pytest.raises(PdfFormError, match=said):
        normalise_pdf(damage(printed("D:2026")), PROPERTIES, "2026-11-24")

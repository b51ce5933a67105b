"""Reading built HTML pages: the one parser of references, anchors, titles and redirects.

The link check, the print page's repair and the list of published addresses all need to
know what a page links to and which anchors it defines; they all read it here, with the
standard library's HTML parser, so they agree on what a page holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from website import fragments

__all__ = ["LINK_ATTRIBUTES", "ParsedPage", "parse_html", "read_page", "srcset_urls"]

# Attributes that reference another file, by tag; srcset holds several candidates.
LINK_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "script": ("src",),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
}


@dataclass
class ParsedPage:
    """What one page holds: its references in document order, the anchors it defines
    (``id`` of any element, ``name`` of an ``<a>``), whether it reads its fragment as a
    setting (``website.fragments``), its title and canonical link; ``error`` says why a
    page could not be read, in which case the rest is empty."""

    references: list[str] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    state_fragment: bool = False
    title: str = ""
    canonical: str | None = None
    error: str | None = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        linking = LINK_ATTRIBUTES.get(tag, ())
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.page.anchors.add(value)
            elif (name, value) == fragments.ATTRIBUTE:
                self.page.state_fragment = True
            elif name == "srcset" and name in linking:
                self.page.references.extend(srcset_urls(value))
            elif name in linking:
                self.page.references.append(value.strip())
        if tag == "link" and ("rel", "canonical") in attrs:
            self.page.canonical = dict(attrs).get("href")
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title += data


def parse_html(text: str) -> ParsedPage:
    """Parse a page's markup; html.parser is lenient, and what still escapes it is
    reported in ``error`` rather than raised."""
    parser = _Parser()
    try:
        parser.feed(text)
        parser.close()
    except Exception as error:
        return ParsedPage(error=f"cannot parse the page: {error}")
    return parser.page


def read_page(path: Path) -> ParsedPage:
    """``parse_html`` of a file, which must be UTF-8 (a byte-order mark is allowed)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        return ParsedPage(error=f"cannot read the page: {error.strerror or error}")
    except UnicodeDecodeError as error:
        return ParsedPage(error=f"not UTF-8: byte {error.start}")
    return parse_html(text)


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a ``srcset``: ``"a.png 1x, b.png 2x"`` → ``["a.png", "b.png"]``.

    Follows the HTML parsing rules: a URL runs to the next whitespace (trailing commas are
    separators), and its descriptors run to the next comma outside parentheses.
    """
    urls: list[str] = []
    position, end = 0, len(srcset)
    while True:
        while position < end and (srcset[position].isspace() or srcset[position] == ","):
            position += 1
        if position >= end:
            return urls
        start = position
        while position < end and not srcset[position].isspace():
            position += 1
        url = srcset[start:position]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0
            while position < end and (srcset[position] != "," or depth > 0):
                depth += {"(": 1, ")": -1}.get(srcset[position], 0)
                position += 1
        if url:
            urls.append(url)

"""The site's published addresses: every page URL and every figure anchor.

Lecturers cite pages and link to figures, so once published an address must keep
working. ``tests/addresses.txt`` lists them; a test compares it with the built site. An
address may be added (append it to the list), never lost: a moved page leaves a redirect
(``redirect_maps`` in mkdocs.yml), and a figure anchor must be found on the page the
redirect leads to.

``python -m figures.addresses [SITE]`` prints the addresses of a built site, one a line,
in the list's format: ``padding/`` for a page, ``padding/#fig-padding-none`` for a figure.
"""

from __future__ import annotations

import html.parser
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Page", "lost_addresses", "read_site", "site_addresses"]

# The redirect pages mkdocs-redirects writes: <link rel="canonical" href="target">.
_REDIRECT_TITLE = "Redirecting..."
# The print-site plugin's page repeats every figure; citations point at the chapters.
PRINT_PAGE = "print_page/"


@dataclass
class Page:
    """One HTML page of the built site: its figure anchors, or where it redirects."""

    figures: set[str] = field(default_factory=set)
    redirect: str | None = None  # the page it forwards to, as a site address


class _Parser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.canonical: str | None = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"] or "")
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes.get("href")
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _address(site: Path, page: Path) -> str:
    """``padding/index.html`` → ``padding/``; ``index.html`` → ``""`` (the home page)."""
    relative = page.relative_to(site).as_posix()
    return relative.removesuffix("index.html")


def read_site(site: Path) -> dict[str, Page]:
    """Every page of the site by address, 404 page excluded."""
    pages: dict[str, Page] = {}
    for path in sorted(site.rglob("*.html")):
        if path.name != "index.html":  # 404.html, or files that are not pages
            continue
        parser = _Parser()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        address = _address(site, path)
        page = Page({f"#{i}" for i in parser.ids if re.match(r"fig-", i)})
        if parser.title.strip() == _REDIRECT_TITLE and parser.canonical:
            target = posixpath.normpath(posixpath.join(address or ".", parser.canonical))
            page = Page(redirect="" if target == "." else target.rstrip("/") + "/")
        pages[address] = page
    return pages


def site_addresses(pages: dict[str, Page]) -> list[str]:
    """The addresses a site publishes: its pages (not redirects) and their figures."""
    found = []
    for address, page in sorted(pages.items()):
        if page.redirect is None:
            found.append(address or "/")
            if address != PRINT_PAGE:
                found += sorted(address + anchor for anchor in page.figures)
    return found


def lost_addresses(pages: dict[str, Page], listed: list[str]) -> list[str]:
    """The listed addresses the site no longer serves, each with the reason."""
    lost = []
    for entry in listed:
        address, _, anchor = entry.partition("#")
        address = "" if address == "/" else address
        seen = [address]
        page = pages.get(address)
        while page is not None and page.redirect is not None and page.redirect not in seen:
            seen.append(page.redirect)
            page = pages.get(page.redirect)
        via = f" (redirected to {seen[-1] or '/'})" if len(seen) > 1 else ""
        if page is None or page.redirect is not None:
            lost.append(f"{entry}: no such page{via}; add a redirect in mkdocs.yml")
        elif anchor and f"#{anchor}" not in page.figures:
            lost.append(f"{entry}: no figure #{anchor} on the page{via}")
    return lost


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    if not site.is_dir():
        print(f"error: no built site at {site}; run `make site` first", file=sys.stderr)
        return 2
    print("\n".join(site_addresses(read_site(site))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

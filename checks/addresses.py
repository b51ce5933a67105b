"""The site's published addresses: every page URL and every figure anchor.

Lecturers cite pages and link to figures, so once published an address must keep
working. ``tests/addresses.txt`` lists them; a test compares it with the built site. An
address may be added (append it to the list), never lost: a moved page leaves a redirect
(``redirect_maps`` in mkdocs.yml), and a figure anchor must be found on the page the
redirect leads to.

``python -m checks.addresses [SITE]`` prints the addresses of a built site, one a line,
in the list's format: ``padding/`` for a page, ``padding/#fig-padding-none`` for a figure.
"""

from __future__ import annotations

import posixpath
import sys
from dataclasses import dataclass, field
from pathlib import Path

from figures.config import ROOT
from website.html import read_page

__all__ = ["LIST", "Page", "entries", "listed", "lost_addresses", "read_site", "site_addresses"]

# The redirect pages mkdocs-redirects writes: <link rel="canonical" href="target">.
_REDIRECT_TITLE = "Redirecting..."
# The print-site plugin's page repeats every figure; citations point at the chapters.
PRINT_PAGE = "print_page/"
#: The list of every address ever published, one a line (retired ones say why they went).
LIST = ROOT / "tests" / "addresses.txt"


@dataclass
class Page:
    """One HTML page of the built site: its figure anchors, or where it redirects."""

    figures: set[str] = field(default_factory=set)
    redirect: str | None = None  # the page it forwards to, as a site address


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
        parsed = read_page(path)
        address = _address(site, path)
        page = Page({f"#{anchor}" for anchor in parsed.anchors if anchor.startswith("fig-")})
        if parsed.title.strip() == _REDIRECT_TITLE and parsed.canonical:
            target = posixpath.normpath(posixpath.join(address or ".", parsed.canonical))
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


def entries(text: str) -> tuple[list[str], dict[str, str]]:
    """The list's addresses in use, and the retired ones with why they went."""
    active: list[str] = []
    retired: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("retired "):
            _, address, why = [*line.split(maxsplit=2), ""][:3]
            retired[address] = why
        else:
            active.append(line)
    return active, retired


def listed(path: Path = LIST) -> list[str]:
    """The addresses in use on ``path``'s list."""
    return entries(path.read_text())[0]


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    if not site.is_dir():
        print(f"error: no built site at {site}; run `make site` first", file=sys.stderr)
        return 2
    print("\n".join(site_addresses(read_site(site))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

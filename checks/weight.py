"""Page weights: the bytes each page of the built site loads, in each colour scheme.

A chapter, its HTML and everything it loads (styles, scripts, the figures of the scheme
it is read in) must stay under ``BUDGET``. ``make bench`` prints every page's weight;
``python -m checks.weight [SITE]`` does the same alone.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from checks.browser import browser, pages_of, serve, visit
from figures.config import ROOT
from figures.spec import SCHEMES

__all__ = [
    "BUDGET",
    "chapter_pages",
    "loaded_bytes",
    "print_weights",
    "site_size",
    "weigh",
    "weigh_pages",
]

#: The most a chapter may weigh, HTML and everything it loads, in bytes as stored (a
#: server that compresses sends about a quarter). Every page also loads the search index,
#: which grows with the whole site (about 240 KB with twelve chapters and their
#: exercises); the heaviest chapter, transposed convolution, inlines nine animations,
#: whose text outlines the page defines once for all of them.
BUDGET = 1_500_000


def site_size(site: Path) -> int:
    return sum(path.stat().st_size for path in site.rglob("*") if path.is_file())


def loaded_bytes(site: Path, base: str, requests: list[str]) -> int:
    """The bytes of every distinct file of the site that the requests fetched.

    Read from disk rather than from the browser: the server sends files as they are.
    """
    total = 0
    for url in set(requests):
        if not url.startswith(base):
            continue
        path = site / unquote(urlsplit(url.removeprefix(base)).path)
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            total += path.stat().st_size
    return total


def weigh_pages(
    instance: Any, base: str, site: Path, pages: list[str]
) -> dict[str, dict[str, int]]:
    """The bytes each page loads in each scheme (HTML, styles, scripts, images), by address.

    ``instance`` is a browser from ``browser()``; ``base`` where ``site`` is served.
    """
    weights: dict[str, dict[str, int]] = {}
    for address in pages:
        for scheme in SCHEMES:
            result = visit(instance, base + address, scheme)
            try:
                size = loaded_bytes(site, base, result.requests)
            finally:
                result.page.context.close()
            weights.setdefault(address or "/", {})[scheme] = size
    return weights


def weigh(site: Path) -> dict[str, dict[str, int]]:
    """``weigh_pages`` over every page of ``site``, served and read by its own browser."""
    with serve(site) as base, browser() as instance:
        return weigh_pages(instance, base, site, pages_of(site))


def chapter_pages(config: Path) -> list[str]:
    """The addresses of the chapters: the pages of the navigation's chapters section."""
    import yaml

    from website.nav import chapters

    nav = yaml.safe_load(config.read_text()).get("nav") or []
    return [path.removesuffix(".md") + "/" for path in chapters(nav)]


def print_weights(site: Path, weights: dict[str, dict[str, int]] | None = None) -> bool:
    """Print every page's weight and the site's size; True if a chapter is over budget.

    ``weights`` as ``weigh`` returns them; by default ``site`` is weighed here.
    """
    weights = weigh(site) if weights is None else weights
    chapters = chapter_pages(ROOT / "mkdocs.yml")
    over = False
    print(f"page weight (HTML and all it loads; budget {BUDGET / 1e6:.2f} MB per chapter)")
    print(f"  {'light':>6}  {'dark':>6}")
    for address, sizes in sorted(weights.items(), key=lambda item: -max(item[1].values())):
        flag = "  chapter" if address in chapters else ""
        if address in chapters and max(sizes.values()) > BUDGET:
            flag, over = "  chapter, OVER BUDGET", True
        columns = "  ".join(f"{sizes[scheme] / 1e6:6.2f}" for scheme in SCHEMES)
        print(f"  {columns} MB  {address}{flag}")
    print(f"  {site_size(site) / 1e6:14.2f} MB  the whole site, every file")
    return over


def main(argv: list[str]) -> int:
    try:
        return 1 if print_weights(Path(argv[0] if argv else "site")) else 0
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

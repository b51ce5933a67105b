"""Mending the page the print-site plugin writes: every page of the site on one page.

The plugin gets two things wrong on our site, and this module puts them right after it:

* in-page links: it prefixes every anchor with its page ("padding-fig-padding-none") but
  keeps the ids of raw HTML, as the figures' are ("fig-padding-none"), and it links a
  notebook as "notebooks-name.md" where its section is "notebooks-name";
* links to a page it leaves out (``exclude``, as the explorer is): it makes
  ``explorer/`` and ``explorer/#op=conv2d&…`` the in-page "#explorer" and
  "#explorer-op=conv2d&…", which name nothing; such a link goes back to the page itself;
* the theme's base address: it renders the page with the template context of the last
  page MkDocs rendered, the 404 page, whose links start at the site's path
  ("/convdemo/"), so a copy of the site served at any other path (another host, a
  sub-folder, a laptop) asked for ``/convdemo/search/search_index.json`` and got a 404.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from website.html import parse_html

__all__ = ["mend_print_page", "page_key"]

_FRAGMENT_HREF = re.compile(r'href="#([^"]+)"')


def _mend_anchors(html: str) -> str:
    """Rewrite only the in-page links that point nowhere and whose mended anchor exists.

    The page weighs megabytes: the links that point nowhere are found first, and only
    those are rewritten.
    """
    ids = parse_html(html).anchors
    fixes: dict[str, str] = {}
    for anchor in set(_FRAGMENT_HREF.findall(html)) - ids:
        for candidate in (anchor.removesuffix(".md"), "fig-" + anchor.partition("-fig-")[2]):
            if candidate in ids and candidate not in ("", "fig-"):
                fixes[anchor] = candidate
                break
    if not fixes:
        return html
    wanted = "|".join(re.escape(anchor) for anchor in sorted(fixes, key=len, reverse=True))
    return re.sub(f'href="#({wanted})"', lambda m: f'href="#{fixes[m.group(1)]}"', html)


def page_key(url: str) -> str:
    """The print-site plugin's name of a page in the print page's anchors (its
    ``get_page_key``): ``notebooks/maps/`` → ``notebooks-maps``, the home page ``index``."""
    key = url.lower().strip().rstrip("/").replace(".html", "").replace("/", "-").lstrip("-")
    return key or "index"


def _mend_links_to_pages_left_out(html: str, pages: Iterable[str], base: str) -> str:
    """``#explorer`` → ``{base}/explorer/``, ``#explorer-op=…`` → ``{base}/explorer/#op=…``,
    for each page URL of ``pages`` that has no section in the print page."""
    ids = parse_html(html).anchors
    keys = {page_key(url): url for url in pages if page_key(url) not in ids}
    if not keys:
        return html
    root = base.rstrip("/")

    def mend(match: re.Match[str]) -> str:
        fragment = match.group(1)
        if fragment in ids:
            return match.group(0)
        for key, url in keys.items():
            if fragment == key:
                return f'href="{root}/{url}"'
            if fragment.startswith(key + "-"):
                return f'href="{root}/{url}#{fragment[len(key) + 1 :]}"'
        return match.group(0)

    return _FRAGMENT_HREF.sub(mend, html)


def _rebase(html: str, site_path: str, base: str) -> str:
    """Material's two uses of the base address, from ``site_path`` to the relative ``base``:
    the scope of its stored settings and the ``base`` of its configuration."""
    if site_path == base:
        return html
    scope = f"__md_scope=new URL({json.dumps(site_path)},location)"
    config = f'"base": {json.dumps(site_path)}'
    return html.replace(scope, f"__md_scope=new URL({json.dumps(base)},location)", 1).replace(
        config, f'"base": {json.dumps(base)}', 1
    )


def mend_print_page(
    html: str, site_path: str | None = None, base: str = "..", pages: Iterable[str] = ()
) -> str:
    """The print page with its in-page links mended and, when ``site_path`` is given (the
    path of ``site_url``, such as ``/convdemo/``), its base address made ``base``, the
    page's own way back to the site root. ``pages`` are the URLs of the site's pages
    (``explorer/``): links to those the print page leaves out go back to them."""
    html = _mend_links_to_pages_left_out(_mend_anchors(html), pages, base)
    return _rebase(html, site_path, base) if site_path else html

"""The link check of a built static site: every internal reference of pages and stylesheets.

MkDocs validates the links of Markdown sources; this reads what is published instead, the
HTML and CSS in ``site/``, and resolves each reference as a static web server would:

* the query is dropped and the path percent-decoded;
* a path ending in ``/`` or naming a folder means that folder's ``index.html``;
* ``/x`` starts at the site root, or at the path of ``site_url`` (``/proj/x`` for
  ``https://user.github.io/proj/``); a full URL under ``site_url`` is checked the same way;
* a path may not leave the site folder;
* ``#name`` must match an ``id``, or an ``<a name>``, in the target HTML page, unless
  the page reads its fragment as a setting and ``name`` is one (``website.fragments``).
  Fragments of other files (``x.svg#only-dark``, ``file.pdf#page=2``) are not checked.

External URLs are listed, never fetched. The site build runs this check on the pages
MkDocs does not validate itself (notebook pages, the print page); ``python -m
checks.linkcheck`` runs it on a whole built site.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from website import fragments
from website.html import ParsedPage, read_page

__all__ = ["Broken", "LinkReport", "check_site", "css_urls", "site_path"]

# Schemes that name no file: nothing to check and nothing to list.
SKIPPED_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "blob"})

HTML_SUFFIXES = (".html", ".htm")

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)


@dataclass(frozen=True)
class Broken:
    """A reference that leads nowhere: ``page`` (relative to the site), as written, and why."""

    page: str
    reference: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.reference}: {self.reason}"


@dataclass(frozen=True)
class LinkReport:
    """What ``check_site`` found.

    ``links`` counts the internal references checked, each distinct reference once per
    page or stylesheet; ``external`` holds ``(page, URL)`` pairs, sorted, each once.
    """

    pages: int
    links: int
    broken: list[Broken] = field(default_factory=list)
    external: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.pages} pages, {self.links} internal links, "
            f"{len(self.broken)} broken, {len(self.external)} external"
        )


def css_urls(css: str) -> list[str]:
    """The targets of every ``url(...)`` in a stylesheet, comments left out."""
    text = _CSS_COMMENT.sub("", css)
    return [
        next(group for group in match.groups() if group is not None).strip()
        for match in _CSS_URL.finditer(text)
    ]


def site_path(site_url: str | None) -> str:
    """The path a site is published under, from its ``site_url``: ``/proj/`` for
    ``https://user.github.io/proj/``, ``/`` for a site at a host's root or without one."""
    path = urlsplit(site_url or "/").path.strip("/")
    return f"/{path}/" if path else "/"


def _site_prefix(site_url: str | None) -> tuple[SplitResult | None, str]:
    """``site_url`` split, and the URL path the site folder is served at (``/`` or ``/proj/``)."""
    if site_url is None:
        return None, "/"
    parts = urlsplit(site_url)
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"site_url must be a full URL like https://host/path/, got {site_url!r}")
    return parts, site_path(site_url)


class _Checker:
    """Resolves references against one listing of the site; every page is parsed once."""

    def __init__(self, site: Path, site_url: str | None) -> None:
        self.site = site
        self.base, self.prefix = _site_prefix(site_url)
        self.files: set[str] = set()
        self.folders: set[str] = {""}
        for path in site.rglob("*"):
            relative = path.relative_to(site).as_posix()
            if path.is_dir():
                self.folders.add(relative)
            elif path.is_file():
                self.files.add(relative)
        self.parsed: dict[str, ParsedPage] = {}

    def parse(self, page: str) -> ParsedPage:
        if page not in self.parsed:
            self.parsed[page] = read_page(self.site / page)
        return self.parsed[page]

    def is_internal_url(self, parts: SplitResult) -> bool:
        """Whether a URL with a host lies under ``site_url`` (any of http, https or ``//``)."""
        return (
            self.base is not None
            and parts.scheme.lower() in {"", "http", "https", self.base.scheme.lower()}
            and parts.netloc.lower() == self.base.netloc.lower()
            and (parts.path.rstrip("/") + "/").startswith(self.prefix)
        )

    def resolve(self, here: str, parts: SplitResult) -> tuple[str | None, str]:
        """The site file a reference from page ``here`` names, or ``None`` and why not."""
        raw_path = unquote(parts.path)
        if parts.netloc or raw_path.startswith("/"):
            # Servers collapse "/.." at the root; "//" would survive normpath.
            url_path = posixpath.normpath("/" + raw_path.lstrip("/"))
            if not (url_path.rstrip("/") + "/").startswith(self.prefix):
                return None, f"outside the site (not under {self.prefix})"
            path = url_path[len(self.prefix) :]
        else:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(here), raw_path))
        path = "" if path == "." else path
        if path == ".." or path.startswith("../"):
            return None, "outside the site folder"
        if raw_path.endswith("/") or path in self.folders:
            path = posixpath.join(path, "index.html") if path else "index.html"
        if path not in self.files:
            return None, "no such file"
        return path, ""

    def check(self, here: str, reference: str) -> Broken | None:
        """The problem with one internal reference, or ``None`` when it resolves."""
        parts = urlsplit(reference)
        if parts.path or parts.netloc:
            target, reason = self.resolve(here, parts)
            if target is None:
                return Broken(here, reference, reason)
        else:
            target = here  # "#name" or "?q": this page
        fragment = unquote(parts.fragment)
        if not fragment or not target.endswith(HTML_SUFFIXES):
            return None
        parsed = self.parse(target)
        if fragment in parsed.anchors or parts.fragment in parsed.anchors:
            return None
        if parsed.state_fragment and fragments.is_state(fragment):
            return None  # a setting the page's script reads, such as the explorer's
        return Broken(here, reference, f"no anchor #{fragment} in {target}")


def _classify(reference: str, checker: _Checker) -> str:
    """``"skip"``, ``"external"`` or ``"internal"``."""
    if not reference or reference == "#":
        return "skip"
    scheme = _SCHEME.match(reference)
    if scheme and scheme.group(1).lower() in SKIPPED_SCHEMES:
        return "skip"
    if scheme or reference.startswith("//"):
        return "internal" if checker.is_internal_url(urlsplit(reference)) else "external"
    return "internal"


def check_site(
    site: Path, site_url: str | None = None, pages: Iterable[str] | None = None
) -> LinkReport:
    """Check every internal reference of the HTML pages and stylesheets under ``site``.

    Parameters
    ----------
    site
        The built site folder (what ``mkdocs build`` writes).
    site_url
        Where the site is published, e.g. ``https://user.github.io/proj/``. Links to URLs
        under it are checked as internal, and absolute paths start at its path.
    pages
        Only these pages (paths relative to ``site``), and no stylesheet; a page they
        link to is read only for its anchors. By default every page and stylesheet.

    Raises
    ------
    FileNotFoundError
        If ``site`` is not a folder.
    ValueError
        If ``site_url`` is not a full URL.
    """
    if not site.is_dir():
        raise FileNotFoundError(f"no site folder at {site}")
    checker = _Checker(site, site_url)
    if pages is None:
        checked = sorted(path for path in checker.files if path.endswith(HTML_SUFFIXES))
        stylesheets = sorted(path for path in checker.files if path.endswith(".css"))
    else:
        checked, stylesheets = sorted(set(pages)), []
    broken: list[Broken] = []
    external: set[tuple[str, str]] = set()
    links = 0

    def check_all(here: str, references: list[str], is_html: bool) -> None:
        nonlocal links
        for reference in dict.fromkeys(references):
            if not is_html and reference.startswith("#"):
                continue  # url(#name) in a stylesheet names an element of the page using it
            kind = _classify(reference, checker)
            if kind == "external":
                external.add((here, reference))
            elif kind == "internal":
                links += 1
                problem = checker.check(here, reference)
                if problem is not None:
                    broken.append(problem)

    for page in checked:
        parsed = checker.parse(page)
        if parsed.error is not None:
            broken.append(Broken(page, "", parsed.error))
        check_all(page, parsed.references, is_html=True)
    for stylesheet in stylesheets:
        try:
            css = (site / stylesheet).read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            broken.append(Broken(stylesheet, "", f"cannot read: {error.strerror or error}"))
            continue
        check_all(stylesheet, css_urls(css), is_html=False)
    return LinkReport(len(checked), links, broken, sorted(external))

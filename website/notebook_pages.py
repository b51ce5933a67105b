"""Notebook pages as mkdocs-jupyter renders them, made fit for the site.

MkDocs rewrites and validates the links of Markdown pages itself; a notebook page is
rendered by nbconvert, so its links to ``chapter.md`` stay as written
(``rewrite_page_links`` turns them into links to the pages). mkdocs-jupyter's template
also loads MathJax and mermaid from other hosts (``strip_remote_loaders`` removes them),
and the page gets a button to download the notebook as stored (``download_button``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from html import escape
from urllib.parse import urlsplit

__all__ = [
    "RemoteLoaderError",
    "download_button",
    "page_urls",
    "rewrite_page_links",
    "strip_remote_loaders",
]

# One literal pattern per quote: the pages come from nbconvert, which writes lower-case
# attributes after a space, and a notebook page can hold megabytes of base64 images;
# literal patterns scan those about ten times faster than alternatives.
_HREF = tuple(re.compile(f" href={q}([^{q}]*){q}") for q in "\"'")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def rewrite_page_links(html: str, source: str, resolve: Callable[[str], str | None]) -> str:
    """Turn links to ``.md`` sources into links to their pages.

    ``source`` is the page's path inside ``docs/``; ``resolve`` maps a docs path
    (``"feature-maps.md"``) to the URL of its page relative to this page, or ``None``.
    Links that do not resolve are left alone, for the link check to report.
    """

    def replace(match: re.Match[str]) -> str:
        target = match.group(1)
        parts = urlsplit(target)
        if _EXTERNAL.match(target) or not parts.path.endswith(".md"):
            return match.group(0)
        docs_path = posixpath.normpath(posixpath.join(posixpath.dirname(source), parts.path))
        url = resolve(docs_path)
        if url is None:
            return match.group(0)
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        start, end = match.span(1)
        whole = match.group(0)
        offset = match.start()
        return whole[: start - offset] + url + fragment + whole[end - offset :]

    for pattern in _HREF:
        html = pattern.sub(replace, html)
    return html


def page_urls(files: Mapping[str, str], page_url: str) -> Callable[[str], str | None]:
    """A ``resolve`` for ``rewrite_page_links``: docs path → URL relative to ``page_url``.

    ``files`` maps each documentation page's docs path to its site URL.
    """
    base = posixpath.dirname(page_url.rstrip("/") + "/x")

    def resolve(docs_path: str) -> str | None:
        url = files.get(docs_path)
        if url is None:
            return None
        relative = posixpath.relpath(url or ".", base or ".")
        return relative + ("/" if url.endswith("/") and not relative.endswith("/") else "")

    return resolve


def download_button(file_name: str) -> str:
    """The button offering the notebook ``file_name`` (next to the page) for download."""
    name = escape(file_name)
    return (
        f'<p class="convdemo-download"><a class="md-button" href="{name}" download>'
        f"Download this notebook ({name})</a></p>"
    )


# mkdocs-jupyter's page template loads two renderers from other hosts: MathJax (an empty
# ``<script src="">`` plus its configuration when no MathJax URL is set) and, for a cell
# holding a mermaid diagram, an ``import()`` from cdnjs. The site loads nothing from
# another host, and no notebook here needs either.
_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL)
_MERMAID = re.compile(
    r'<script type="module">\s*document\.addEventListener\("DOMContentLoaded", async \(\) => \{'
    r'\s*const diagrams = document\.querySelectorAll\("\.jp-Mermaid.*?</script>',
    re.DOTALL,
)


class RemoteLoaderError(ValueError):
    """A notebook page needs a renderer the site would have to fetch from another host."""


def strip_remote_loaders(html: str) -> str:
    """A notebook page without mkdocs-jupyter's MathJax and mermaid loaders.

    Raises ``RemoteLoaderError`` when the notebook holds a mermaid diagram, which would
    then show as its source (draw it with the figure build instead), and when a loader is
    not where the template puts it: a new mkdocs-jupyter must be looked at, not trusted.
    """
    if 'class="jp-Mermaid"' in html:
        raise RemoteLoaderError(
            "a cell holds a mermaid diagram, which would load mermaid from cdnjs; "
            "draw it with the figure build instead"
        )
    for name, pattern in (("MathJax", _MATHJAX), ("mermaid", _MERMAID)):
        html, found = pattern.subn("", html)
        if found != 1:
            raise RemoteLoaderError(
                f"expected mkdocs-jupyter's {name} loader once in the page, found it "
                f"{found} times: its template changed; update website/notebook_pages.py"
            )
    return html

"""Links in rendered HTML: rewriting notebook links to pages, checking links and anchors.

MkDocs rewrites and validates the links of Markdown pages itself. Notebook pages are
rendered by nbconvert, so their links to ``chapter.md`` stay as written and nothing
checks them. These functions fill both gaps, on the HTML as it will be published.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import posixpath
import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from figures.build import write_atomic

__all__ = [
    "broken_links",
    "finish_site",
    "repair_print_page",
    "rewrite_page_links",
    "strip_remote_loaders",
]


# One literal pattern per attribute and quote: the pages come from MkDocs and nbconvert,
# which write lower-case attributes after a space, and a notebook page can hold megabytes
# of base64 images; literal patterns scan those about ten times faster than alternatives.
def _attribute(name: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(f" {name}={q}([^{q}]*){q}") for q in "\"'")


_HREF = _attribute("href")
_LINK = (*_HREF, *_attribute("src"))
_ID = (*_attribute("id"), *_attribute("name"))


def _values(patterns: Iterable[re.Pattern[str]], text: str) -> list[str]:
    return [match.group(1) for pattern in patterns for match in pattern.finditer(text)]


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


def broken_links(site: Path, pages: Iterable[Path]) -> list[str]:
    """Every internal link or anchor of ``pages`` (HTML files in ``site``) that leads
    nowhere, as ``"page: link"`` lines. External links are not fetched.

    Paths are resolved as text against one listing of the site: no file-system call per
    link, since a notebook page repeats the whole navigation and may weigh megabytes.
    """
    files = {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}
    ids: dict[str, set[str]] = {}

    def anchors(target: str) -> set[str]:
        if target not in ids:
            text = (site / target).read_text(errors="replace")
            ids[target] = set(_values(_ID, text))
        return ids[target]

    problems = []
    for page in pages:
        here = page.relative_to(site).as_posix()
        seen: set[str] = set()
        for link in _values(_LINK, page.read_text(errors="replace")):
            if not link or link in seen or _EXTERNAL.match(link):
                continue
            seen.add(link)
            parts = urlsplit(link)
            if parts.path:
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(here), unquote(parts.path))
                )
                if link.split("#")[0].endswith("/") or target not in files:
                    target = posixpath.normpath(posixpath.join(target, "index.html"))
            else:
                target = here
            if target.startswith("../") or target not in files:
                problems.append(f"{here}: {link} (no such file)")
            elif (
                parts.fragment
                and target.endswith(".html")
                and unquote(parts.fragment) not in anchors(target)
            ):
                problems.append(f"{here}: {link} (no such anchor)")
    return problems


def finish_site(site: Path, notebook_pages: list[Path], cache: Path) -> list[str]:
    """Mend the print page (``repair_print_page``) and check the links of the notebook and
    print pages (``broken_links``); returns the problems.

    A warm build writes the same site again, and both passes read megabytes. When every
    file name of the site, every HTML page (the print page as the plugin wrote it), the
    pages checked and this module's code are as the last time, the mended print page and
    the problems are taken from ``cache`` (a folder): a JSON record, and the mended page
    under a name made from that key, both written atomically. A missing or damaged
    record means doing the work again.
    """
    print_page = site / "print_page" / "index.html"
    pages = [*notebook_pages, *([print_page] if print_page.is_file() else [])]
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(site.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(site).as_posix().encode() + b"\0")
            if path.suffix == ".html":
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(json.dumps([page.relative_to(site).as_posix() for page in pages]).encode())
    key = digest.hexdigest()
    record, mended = cache / "finish-site.json", cache / f"print-page-{key[:20]}.html"
    cache.mkdir(parents=True, exist_ok=True)
    # One build at a time (mkdocs serve and a CLI build may overlap): the clean-up below
    # must not delete another build's half-written files.
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _finish(site, pages, print_page, key, record, mended)


def _finish(
    site: Path, pages: list[Path], print_page: Path, key: str, record: Path, mended: Path
) -> list[str]:
    cache = record.parent
    try:
        cached = json.loads(record.read_text(encoding="utf-8"))
        if cached["key"] == key and isinstance(cached["problems"], list):
            if print_page.is_file():
                shutil.copyfile(mended, print_page)
            return [str(problem) for problem in cached["problems"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    for old in [*cache.glob("print-page-*.html"), *cache.glob(".*.tmp")]:  # and killed writes
        old.unlink(missing_ok=True)
    if print_page.is_file():
        repaired = repair_print_page(print_page.read_bytes().decode("utf-8")).encode("utf-8")
        print_page.write_bytes(repaired)
        write_atomic(mended, repaired)
    problems = broken_links(site, pages)
    write_atomic(record, json.dumps({"key": key, "problems": problems}).encode())
    return problems


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


_FRAGMENT_HREF = re.compile(r'href="#([^"]+)"')


def repair_print_page(html: str) -> str:
    """Mend the in-page links the print-site plugin gets wrong on the one-page site.

    It prefixes every anchor with its page ("padding-fig-padding-none") but keeps the ids
    of raw HTML, as the figures' are ("fig-padding-none"); and it links a notebook as
    "notebooks-name.md" where its section is "notebooks-name". A link is changed only
    when it points nowhere and the mended anchor exists. The page weighs megabytes and
    is repaired on every build: the links that point nowhere are found first, and only
    those are rewritten.
    """
    ids = set(_values(_ID, html))
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
                f"{found} times: its template changed; update figures/links.py"
            )
    return html

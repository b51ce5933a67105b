"""The last step of a site build: mend the print page, check the links MkDocs does not.

MkDocs validates the links of Markdown pages; the notebook pages and the print page are
written by plugins, so their links are checked here, with the site's one link checker
(``website.links``), after the print page is mended (``website.print_page``).

A warm build writes the same site again, and both passes read megabytes. When every file
name of the site, every HTML page (the print page as the plugin wrote it), the pages
checked, the settings and the code of these modules are as the last time, the mended
print page and the problems are taken from a cache folder: a JSON record, and the mended
page under a name made from that key, both written atomically. A missing or damaged
record means doing the work again.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
from pathlib import Path

from figures.manifest import write_atomic
from website import html, links, print_page

__all__ = ["finish_site"]

PRINT_PAGE = "print_page/index.html"


def _key(site: Path, pages: list[str], settings: list[str | None]) -> str:
    digest = hashlib.sha256()
    for module in (html, links, print_page):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(Path(__file__).read_bytes())
    for path in sorted(site.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(site).as_posix().encode() + b"\0")
            if path.suffix == ".html":
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(json.dumps([pages, settings]).encode())
    return digest.hexdigest()


def _pages(site: Path) -> list[str]:
    """The URLs of the site's pages (``explorer/``), the print page's own left out."""
    return sorted(
        path.relative_to(site).as_posix().removesuffix("index.html")
        for path in site.rglob("index.html")
        if path.relative_to(site).as_posix() != PRINT_PAGE
    )


def finish_site(
    site: Path,
    notebook_pages: list[str],
    cache: Path,
    site_url: str | None = None,
    site_path: str | None = None,
) -> list[str]:
    """Mend the print page and check the links of the notebook and print pages (paths
    relative to ``site``); returns the problems, one line each.

    ``site_url`` is where the site is published (links under it are internal);
    ``site_path``, its path, is the base address the print page is rebased from.
    """
    has_print_page = (site / PRINT_PAGE).is_file()
    pages = [*notebook_pages, *([PRINT_PAGE] if has_print_page else [])]
    key = _key(site, pages, [site_url, site_path])
    record, mended = cache / "finish-site.json", cache / f"print-page-{key[:20]}.html"
    cache.mkdir(parents=True, exist_ok=True)
    # One build at a time (mkdocs serve and a CLI build may overlap): the clean-up below
    # must not delete another build's half-written files.
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            cached = json.loads(record.read_text(encoding="utf-8"))
            if cached["key"] == key and isinstance(cached["problems"], list):
                if has_print_page:
                    shutil.copyfile(mended, site / PRINT_PAGE)
                return [str(problem) for problem in cached["problems"]]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        for old in [*cache.glob("print-page-*.html"), *cache.glob(".*.tmp")]:  # killed writes
            old.unlink(missing_ok=True)
        if has_print_page:
            text = (site / PRINT_PAGE).read_bytes().decode("utf-8")
            repaired = print_page.mend_print_page(text, site_path, "..", _pages(site)).encode(
                "utf-8"
            )
            (site / PRINT_PAGE).write_bytes(repaired)
            write_atomic(mended, repaired)
        report = links.check_site(site, site_url, pages)
        problems = [str(problem) for problem in report.broken]
        write_atomic(record, json.dumps({"key": key, "problems": problems}).encode())
        return problems

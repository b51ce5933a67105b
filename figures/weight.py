"""The built site in a real browser: serve it, open its pages, weigh what they load.

Used by ``make bench`` (page weights) and by the browser tests. Chromium is Debian's
(``/usr/bin/chromium``), driven by Playwright; no browser is downloaded. A page is
opened as a reader would: loaded, then scrolled to the end so that lazily loaded
figures come in, then left until the network is idle.

``python -m figures.weight [SITE]`` prints the weight of every page.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from figures.config import ROOT

__all__ = [
    "BUDGET",
    "CHROMIUM",
    "Visit",
    "browser",
    "loaded_bytes",
    "pages_of",
    "serve",
    "site_size",
    "visit",
    "weigh",
    "weigh_pages",
]

CHROMIUM = Path("/usr/bin/chromium")
# The colour schemes a reader can pick; each loads its own variant of every figure.
SCHEMES = ("light", "dark")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: The most a chapter may weigh, HTML and everything it loads, in bytes.
BUDGET = 1_500_000


def site_prefix(config: Path = ROOT / "mkdocs.yml") -> str:
    """The path the site is published under, from ``site_url`` ("/convdemo/")."""
    import yaml

    url = yaml.safe_load(config.read_text()).get("site_url") or "/"
    return "/" + urlsplit(url).path.strip("/") + "/" if urlsplit(url).path.strip("/") else "/"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under its published path, as the real host does."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "\0no such file")
        return super().translate_path("/" + path[len(self.prefix) :])

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path, prefix: str | None = None) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port) under ``prefix``; yield its base URL.

    The prefix defaults to the path of ``site_url``, so absolute links the theme writes
    resolve as they will when published.
    """
    if not site.is_dir():
        raise FileNotFoundError(f"no built site at {site}; run `make site` first")
    prefix = site_prefix() if prefix is None else prefix
    handler = type("Handler", (_Handler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, under Playwright."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield instance
        finally:
            instance.close()


@dataclass
class Visit:
    """One page opened in one colour scheme, and everything that happened."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # console errors, failures, 4xx/5xx

    def outside(self, base: str) -> list[str]:
        """Requests to any host but the site's own."""
        origin = urlsplit(base).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != origin
        ]


def visit(instance: Any, url: str, scheme: str = "light") -> Visit:
    """Open ``url`` in a new context; the caller closes ``result.page.context``."""
    context = instance.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    result = Visit(page)

    def on_response(response: Any) -> None:
        if response.status >= 400:
            result.errors.append(f"HTTP {response.status}: {response.url}")

    def on_console(message: Any) -> None:
        if message.type == "error":
            result.errors.append(f"console: {message.text} ({message.location})")

    page.on("request", lambda request: result.requests.append(request.url))
    page.on("response", on_response)
    page.on("requestfailed", lambda r: result.errors.append(f"failed: {r.url} {r.failure}"))
    page.on("pageerror", lambda error: result.errors.append(f"page error: {error}"))
    page.on("console", on_console)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    # Scroll to the end as a reader would, so that lazy images load.
    height = page.evaluate("document.documentElement.scrollHeight")
    for top in range(0, height + 900, 700):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(20)
    page.wait_for_load_state("networkidle")
    return result


def pages_of(site: Path) -> list[str]:
    """Every page of the site, as an address relative to its root ("" for the home page)."""
    return sorted(
        path.relative_to(site).as_posix().removesuffix("index.html")
        for path in site.rglob("index.html")
        if b"<title>Redirecting...</title>" not in path.read_bytes()[:400]
    )


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

    from figures.pages import CHAPTERS_SECTION

    nav = yaml.safe_load(config.read_text()).get("nav") or []
    for item in nav:
        if isinstance(item, dict) and CHAPTERS_SECTION in item:
            return [
                next(iter(entry.values())).removesuffix(".md") + "/"
                for entry in item[CHAPTERS_SECTION]
            ]
    return []


def print_weights(site: Path, weights: dict[str, dict[str, int]] | None = None) -> bool:
    """Print every page's weight and the site's size; True if a chapter is over budget.

    ``weights`` as ``weigh`` returns them; by default ``site`` is weighed here.
    """
    weights = weigh(site) if weights is None else weights
    chapters = chapter_pages(ROOT / "mkdocs.yml")
    over = False
    print(f"page weight (HTML and all it loads; budget {BUDGET / 1e6:.1f} MB per chapter)")
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

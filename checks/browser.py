"""The built site in a real browser: serve it as a static host would, open its pages.

Used by ``make bench`` (page weights) and by the browser tests. Chromium is Debian's
(``/usr/bin/chromium``), driven by Playwright; no browser is downloaded. A page is
opened as a reader would: loaded, then scrolled to the end so that lazily loaded
figures come in, then left until the network is idle.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from figures.config import ROOT
from website.links import site_path

__all__ = ["CHROMIUM", "Visit", "browser", "pages_of", "serve", "site_prefix", "visit"]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def site_prefix(config: Path = ROOT / "mkdocs.yml") -> str:
    """The path the site is published under, from ``site_url`` ("/convdemo/")."""
    import yaml

    return site_path(yaml.safe_load(config.read_text()).get("site_url"))


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
    # On a busy machine the scroll can outrun the lazy loader: every image a reader
    # would have scrolled past (displayed, so not the other scheme's) is asked for now,
    # and the page is read once each has arrived, or after a generous wait.
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.evaluate(_SHOWN_IMAGES + ".forEach(image => { image.loading = 'eager'; })")
    with contextlib.suppress(PlaywrightTimeout):  # the caller names what did not load
        page.wait_for_function(_SHOWN_IMAGES + ".every(image => image.complete)", timeout=30_000)
    page.wait_for_load_state("networkidle")
    return result


_SHOWN_IMAGES = (
    "[...document.images].filter(image => image.offsetParent !== null"
    " && getComputedStyle(image).display !== 'none')"
)


def pages_of(site: Path) -> list[str]:
    """Every page of the site, as an address relative to its root ("" for the home page)."""
    return sorted(
        path.relative_to(site).as_posix().removesuffix("index.html")
        for path in site.rglob("index.html")
        if b"<title>Redirecting...</title>" not in path.read_bytes()[:400]
    )

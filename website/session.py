"""One run of the site build under MkDocs: what passes from event to event, and what each
event does. ``website/hooks.py`` only forwards MkDocs' events here.

MkDocs loads the hook once and never reloads it, nor anything it imports, during ``mkdocs
serve``. So on every build the figure build is checked against the sources on disk (cheap:
it reads and hashes a few files, importing neither PyTorch nor matplotlib); only when
something is out of date does ``python -m figures build`` run, in a fresh process, which
renders with the code as it is now. Its outputs stay in the cache (never in ``docs/``, which
would make ``mkdocs serve`` rebuild in a loop) and are added to the site as extra files.
Editing this folder needs a restart of ``mkdocs serve``.

Set ``CONVDEMO_FIGURES=off`` to skip the figure build and use the cache as it is.
"""

from __future__ import annotations

import contextlib
import logging
import os
import posixpath
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from figures.build import outdated
from figures.config import ROOT, ConfigError, load_config
from figures.manifest import Manifest, ManifestError
from website import fragments, lightbox, notebook_pages, theme
from website.citation import CitationError, Release, load_release, page_citation
from website.exercises import ExerciseMarkup
from website.finish import PRINT_PAGE, finish_site
from website.linked_files import CachedFile
from website.links import site_path
from website.markup import FigureRow, PageMarkup, SiteInfo, figure_blocks, figure_label
from website.markup import page_title as title_of
from website.nav import CHAPTERS_SECTION, chapters, nav_paths
from website.numbers import PageError, substitute_numbers
from website.publisher import Publisher
from website.staging import Staging

__all__ = ["CHAPTERS_SECTION", "EXERCISES", "MARKUP", "SiteBuild"]

log = logging.getLogger("mkdocs.hooks.convdemo")

#: How mkdocs.yml names the page markup and the exercises' under ``markdown_extensions``.
MARKUP, EXERCISES = "website.markup", "website.exercises"


class _Counter(logging.Handler):
    """Counts warnings, whatever the verbosity, so a strict build can refuse to publish."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class SiteBuild:
    """The state of the build in progress (``mkdocs serve`` runs several in turn)."""

    def __init__(self) -> None:
        self.command = "build"
        self.staging: Staging | None = None
        self.counter: _Counter | None = None
        self.markup = PageMarkup()
        self.exercises = ExerciseMarkup()
        self.release: Release | None = None
        self.cache_dir = ROOT
        self.manifest: Manifest | None = None
        self.notebooks: dict[str, Path] = {}  # docs path → executed copy
        self.notebook_pages: dict[str, str] = {}  # docs path → built page, site-relative
        self.chapters: dict[str, int] = {}
        self.placed: dict[str, str] = {}  # figure → the page that placed it first
        self.early_scheme: str | None = None
        self.publisher: Publisher  # the chapters' decks and the book, made in on_config

    # -- configuration ---------------------------------------------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.discard()
        if self.command != "serve":
            self.staging = Staging(Path(config.site_dir))
            config.site_dir = str(self.staging.folder)
        if config.validation.links.anchors > logging.DEBUG:
            # MkDocs collects anchor links only while this logger is above DEBUG, so `-v`
            # silently disables anchor validation (mkdocs issue #3991). Keep it at INFO.
            logging.getLogger("mkdocs.structure.pages").setLevel(logging.INFO)
        self.early_scheme = theme.early_scheme_script(config.theme.get("palette") or [])
        if config.strict:
            self.counter = _Counter()
            logging.getLogger("mkdocs").addHandler(self.counter)
        # The page markup is a plain Markdown extension; this build hands it the figures,
        # the numbers and each page's chapter, so it takes the place of MkDocs' instance.
        extensions = config.markdown_extensions
        for name in (MARKUP, EXERCISES):
            if name not in extensions:
                raise PluginError(f"mkdocs.yml must list {name} under markdown_extensions")
        self.markup = PageMarkup(**(config.mdx_configs.get(MARKUP) or {}))
        self.exercises = ExerciseMarkup(**(config.mdx_configs.get(EXERCISES) or {}))
        self.markup.fail = self.exercises.fail = PluginError
        extensions[extensions.index(MARKUP)] = self.markup
        extensions[extensions.index(EXERCISES)] = self.exercises
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        try:
            settings = load_config()
            self.release = load_release()
        except (ConfigError, CitationError) as error:
            raise PluginError(str(error)) from None
        if os.environ.get("CONVDEMO_FIGURES", "").lower() != "off":
            run_figure_build()
        try:
            self.manifest = Manifest.load(settings.cache_dir)
            self.markup.use(self.manifest.numbers(), self.manifest.figures(), settings.cache_dir)
            self.notebooks = self.manifest.notebooks()
        except (ManifestError, KeyError, TypeError) as error:
            raise PluginError(
                f"figure cache {settings.cache_dir} is missing or damaged ({error}); "
                "run `python -m figures build`"
            ) from None
        self.cache_dir = settings.cache_dir
        self.placed = {}
        root, fresh = Path(config.config_file_path).parent, self.command != "serve"
        self.publisher = Publisher(settings.cache_dir, self.release, root, fresh)

    # -- files and pages -------------------------------------------------------------
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.manifest is not None
        cache = str(self.cache_dir)
        for path in self.manifest.figure_files():
            files.append(CachedFile(path, cache, config.site_dir, config.use_directory_urls))
        # Notebooks: the executed copy from the cache takes the place of the stored one.
        for file in list(files):
            if file.src_uri.endswith(".ipynb"):
                if file.src_uri not in self.notebooks:
                    log.warning(f"notebook docs/{file.src_uri} is not in figures/registry.py")
                    continue
                files.remove(file)
                copy = File(file.src_uri, cache, config.site_dir, config.use_directory_urls)
                copy.abs_src_path = str(self.notebooks[file.src_uri])
                files.append(copy)
        self.chapters = chapters(config.nav or [])
        self.markup.index = self._figure_index(files, config)
        self.markup.explorer = files.get_file_from_path("explorer.md") is not None
        pages = [files.get_file_from_path(path) for path in self.chapters]
        self.exercises.gather({p.src_uri: p.content_string for p in pages if p}, self.chapters)
        self.exercises.explorer = self.markup.explorer
        self.publisher.on_files(files, config, self.markup.index, self.chapters, self.manifest)
        self.notebook_pages = {}
        return files

    def _figure_index(self, files: Files, config: MkDocsConfig) -> list[FigureRow]:
        """Every placed figure, in the order of the pages in the navigation."""
        assert self.manifest is not None
        figures, numbers = self.manifest.figures(), self.manifest.numbers()
        site = (config.site_url or (self.release.url if self.release else "")).rstrip("/")
        order = {path: position for position, path in enumerate(nav_paths(config.nav or []))}
        pages = sorted(
            files.documentation_pages(), key=lambda f: (order.get(f.src_uri, 1e9), f.src_uri)
        )
        rows: list[FigureRow] = []
        for file in pages:
            text = file.content_string
            title = title_of(text, file.src_uri)
            chapter = self.chapters.get(file.src_uri)
            for position, (name, alt, caption) in enumerate(figure_blocks(text), start=1):
                if name in figures and all(row.name != name for row in rows):
                    with contextlib.suppress(PageError):  # reported with the page itself
                        alt = substitute_numbers(alt, file.src_uri, numbers)
                        caption = substitute_numbers(caption, file.src_uri, numbers)
                    label, url = figure_label(chapter, position), f"{site}/{file.url}"
                    where = (file.src_uri, title, alt, label, url, caption)
                    rows.append(FigureRow(name, figures[name], *where))
        return rows

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig) -> str:
        source = page.file.src_uri
        chapter = self.chapters.get(source)
        self.markup.page, self.markup.chapter, self.markup.placed = source, chapter, []
        self.exercises.page, self.exercises.chapter = source, chapter
        self.markup.appendix = ""
        if self.release is not None:
            self.markup.site = SiteInfo(self.release.title, self.release.authors)
        if chapter is not None and self.release is not None:
            self.markup.appendix = self._citation(page, config, self.release, markdown)
        return self.publisher.on_page_markdown(markdown, source)

    def _citation(self, page: Page, config: MkDocsConfig, release: Release, text: str) -> str:
        """The end of a chapter: how to cite it, and how to credit a figure taken from it."""
        title = title_of(text, page.file.src_uri)
        url = (config.site_url or release.url).rstrip("/") + "/" + page.url
        key = posixpath.splitext(page.file.src_uri)[0].replace("/", "-").lower()
        bibtex, plain = page_citation(release, title, url, key)
        reuse = posixpath.relpath("figures.md", posixpath.dirname(page.file.src_uri) or ".")
        return (
            "\n\n## Cite this page\n\n"
            f"```bibtex\n{bibtex.rstrip()}\n```\n\n"
            f"```text\n{plain.rstrip()}\n```\n\n"
            f"The text and figures are licensed CC BY 4.0: reuse them with credit, as\n"
            f"[Reusing a figure]({reuse}#reusing-a-figure) shows.\n"
        )

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Notebook pages: links to chapters fixed, no loader from another host, and a button
        to download the notebook. Other pages: note the figures they placed. Every page:
        a link to the explorer's setting (``explorer.md#op=…``) is not an anchor to check,
        and the lightbox plugin does not rewrite the content (``website.lightbox``)."""
        if page.links_to_anchors:
            fragments.drop_state_links(page.links_to_anchors, lambda file: file.content_string)
        lightbox.leave_content_alone(page)
        source = page.file.src_uri
        self.publisher.on_page_content(html, source)
        if source not in self.notebooks:
            for name in self.markup.placed:
                self.placed.setdefault(name, source)
            return html
        try:
            html = notebook_pages.strip_remote_loaders(html)
        except notebook_pages.RemoteLoaderError as error:
            raise PluginError(f"notebook docs/{source}: {error}") from None
        urls = {f.src_uri: f.url for f in files.documentation_pages()}
        html = notebook_pages.rewrite_page_links(
            html, source, notebook_pages.page_urls(urls, page.url)
        )
        self.notebook_pages[source] = page.file.dest_uri
        return notebook_pages.download_button(posixpath.basename(source)) + html

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """The lightbox on a page with figures to open; the scheme set before it paints."""
        output = lightbox.add_lightbox(output, page, config)
        if self.early_scheme is None:
            return output
        return theme.insert_after_body(output, self.early_scheme)

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        """Every page is rendered, none written: the book can be started."""
        self.publisher.on_env(files, config)
        return env

    # -- the end ---------------------------------------------------------------------
    def on_post_build(self, config: MkDocsConfig) -> None:
        self.publisher.finish()  # the decks and the book, in the site before links are checked
        site = Path(config.site_dir)
        for source, built in self.notebook_pages.items():  # the download, without outputs
            target = site / posixpath.dirname(built) / posixpath.basename(source)
            shutil.copyfile(ROOT / "docs" / source, target)
        site_url = config.site_url or None
        pages = list(self.notebook_pages.values())
        base = site_path(site_url)  # where the print-site plugin believes the site lives
        lightbox.add_to_print_page(site / PRINT_PAGE, config)
        for problem in finish_site(site, pages, self.cache_dir / "site", site_url, base):
            log.warning(f"broken link: {problem}")
        assert self.manifest is not None
        unplaced = sorted(set(self.manifest.figures()) - set(self.placed))
        if unplaced and self.command != "serve":
            log.warning(f"figures in the registry but on no page: {', '.join(unplaced)}")
        if self.counter is not None:
            logging.getLogger("mkdocs").removeHandler(self.counter)
            warnings, self.counter = self.counter.count, None
            if warnings:
                self.discard()
                raise Abort(f"Aborted with {warnings} warnings in strict mode; site not replaced")
        if self.staging is not None:
            self.staging.publish()
            config.site_dir = str(self.staging.final)
            log.info(f"site written to {self.staging.final}")
            self.staging = None

    def on_build_error(self) -> None:
        if self.counter is not None:
            logging.getLogger("mkdocs").removeHandler(self.counter)
            self.counter = None
        final = self.staging.final if self.staging is not None else None
        self.discard()
        with contextlib.suppress(AttributeError):  # no publisher before on_pre_build
            self.publisher.close()
        if final is not None:
            log.error(f"build failed; {final} left as it was")

    def on_serve(self, server: Any) -> Any:
        for folder in ("convdemo", "figures"):
            server.watch(str(ROOT / folder))
        try:
            server.watch(str(load_config().photo_path()))
        except (ConfigError, FileNotFoundError) as error:
            log.warning(str(error))
        return server

    def discard(self) -> None:
        if self.staging is not None:
            self.staging.discard()


def run_figure_build() -> None:
    """Bring the figure cache up to date, in a fresh process when anything is stale."""
    began = time.perf_counter()
    settings = load_config()
    try:
        entries = runpy.run_path(str(ROOT / "figures" / "registry.py"))["ENTRIES"]
        stale = outdated(entries, settings)
    except Exception as error:  # let the build process report it properly
        log.debug(f"figure check failed ({error}); running the figure build")
        stale, entries = ["?"], []
    if not stale:
        seconds = time.perf_counter() - began
        log.info(f"figure build: 0 rendered, {len(entries)} cached, {seconds:.2f} s")
        return
    # No bytecode written into convdemo/ or figures/: mkdocs serve watches them.
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "figures", "build"]
    # stderr goes to a file: a pipe read only after stdout could fill up and deadlock.
    with tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True
        )
        assert process.stdout is not None
        for line in process.stdout:  # progress, as it happens
            log.info(line.rstrip())
        process.wait()
        stderr.seek(0)
        errors = stderr.read().strip()
    if process.returncode != 0:
        raise PluginError(errors or f"`{' '.join(command)}` exited with {process.returncode}")

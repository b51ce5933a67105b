"""MkDocs hook: runs the figure build, serves its output and expands figure blocks.

Thin on purpose. MkDocs loads a hook once and never reloads it, nor anything it imports,
during ``mkdocs serve``. So on every build the hook re-reads the registry from its file
and checks the cache against the sources on disk (cheap: it reads and hashes a few
files, importing neither PyTorch nor matplotlib); only when something is out of date
does it run ``python -m figures build`` in a fresh process, which renders with the code
as it is now. Outputs live in ``.cache/convdemo`` (never in ``docs/``, which would make
``mkdocs serve`` rebuild in a loop) and are added to the site as extra files. Editing the
figure build itself (``figures/*.py`` other than the registry) needs a restart of
``mkdocs serve``.

For ``mkdocs build`` the site is rendered into a temporary sibling folder and swapped
into ``site_dir`` only when the whole build, strict warnings included, has succeeded:
MkDocs empties ``site_dir`` before it renders, so a failed build would otherwise leave
no site at all.

Set ``CONVDEMO_FIGURES=off`` to skip the figure build and use the cache as it is.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import posixpath
import re
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads this file by path; its package needs the root
    sys.path.insert(0, str(ROOT))

from figures.build import outdated  # noqa: E402
from figures.citation import CitationError, Release, load_release, page_citation  # noqa: E402
from figures.config import Config as Settings  # noqa: E402
from figures.config import ConfigError, load_config  # noqa: E402
from figures.links import (  # noqa: E402
    RemoteLoaderError,
    finish_site,
    page_urls,
    rewrite_page_links,
    strip_remote_loaders,
)
from figures.pages import (  # noqa: E402
    CHAPTERS_SECTION,
    FigureFiles,
    FigureRow,
    PageError,
    expand,
    figure_blocks,
    figure_label,
    page_title,
)

log = logging.getLogger("mkdocs.hooks.figures")


class _Counter(logging.Handler):
    """Counts warnings, whatever the verbosity, so a strict build can refuse to publish."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class _State:
    """What one build passes from event to event (MkDocs keeps this module loaded)."""

    command: str = "build"
    final_site: Path | None = None
    staging: Path | None = None
    counter: _Counter | None = None
    cache_dir: Path = ROOT
    numbers: dict[str, dict[str, Any]] = field(default_factory=dict)
    figure_files: dict[str, FigureFiles] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)  # every file of every figure
    functions: dict[str, str] = field(default_factory=dict)
    chapters: dict[str, int] = field(default_factory=dict)  # docs path → chapter number
    page_urls: dict[str, str] = field(default_factory=dict)  # docs path → URL in the site
    release: Release | None = None
    index: list[FigureRow] = field(default_factory=list)
    placed: dict[str, str] = field(default_factory=dict)
    notebooks: dict[str, str] = field(default_factory=dict)  # docs path → executed file
    notebook_pages: dict[str, Path] = field(default_factory=dict)  # docs path → built HTML
    early_scheme: str | None = None  # see on_post_page


state = _State()


def on_startup(command: str, dirty: bool) -> None:
    state.command = command


@event_priority(100)  # first: plugins such as print-site note site_dir in their on_config
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _discard_staging()
    if state.command != "serve":
        final = Path(config.site_dir)
        final.parent.mkdir(parents=True, exist_ok=True)
        state.final_site = final
        _remove_leftovers(final)
        # The pid in the name tells a later build whether this one is still running.
        state.staging = Path(
            tempfile.mkdtemp(prefix=f".{final.name}-{os.getpid()}-", dir=final.parent)
        )
        state.staging.chmod(0o755)  # mkdtemp's 0700 would hide the site from a web server
        config.site_dir = str(state.staging)
    if config.validation.links.anchors > logging.DEBUG:
        # MkDocs collects anchor links only while this logger is above DEBUG, so `-v`
        # silently disables anchor validation (mkdocs issue #3991). Keep it at INFO.
        logging.getLogger("mkdocs.structure.pages").setLevel(logging.INFO)
    state.early_scheme = _early_scheme(config)
    if config.strict:
        state.counter = _Counter()
        logging.getLogger("mkdocs").addHandler(state.counter)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    try:
        settings = load_config()
        state.release = load_release()
    except (ConfigError, CitationError) as error:
        raise PluginError(str(error)) from None
    if os.environ.get("CONVDEMO_FIGURES", "").lower() != "off":
        _run_figure_build(settings)
    manifest_path = settings.manifest_path
    try:
        entries = json.loads(manifest_path.read_text())["entries"]
        figures = {name: entry for name, entry in entries.items() if entry["kind"] == "figure"}
        state.figure_files = {
            name: FigureFiles.of(name, entry["file"], entry.get("size"))
            for name, entry in figures.items()
        }
        state.outputs = sorted(file for entry in figures.values() for file in entry["files"])
        state.functions = {name: entry["function"] for name, entry in figures.items()}
        state.notebooks = {
            entry["function"].removeprefix("docs/"): entry["file"]
            for entry in entries.values()
            if entry["kind"] == "notebook"
        }
        state.numbers = {
            name: json.loads((settings.numbers_dir / entry["file"]).read_text())
            for name, entry in entries.items()
            if entry["kind"] == "numbers"
        }
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise PluginError(
            f"figure cache {settings.cache_dir} is missing or damaged ({error}); "
            "run `python -m figures build`"
        ) from None
    state.placed = {}
    state.cache_dir = settings.cache_dir


def _run_figure_build(settings: Settings) -> None:
    began = time.perf_counter()
    try:
        entries = runpy.run_path(str(ROOT / "figures" / "registry.py"))["ENTRIES"]
        stale = outdated(entries, settings)
    except Exception as error:  # let the build process report it properly
        log.debug(f"figure check failed ({error}); running the figure build")
        stale = ["?"]
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


@event_priority(100)  # before mkdocs-jupyter turns notebooks into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    cache_dir = str(state.cache_dir)
    for file_name in state.outputs:
        files.append(
            File(f"figures/{file_name}", cache_dir, config.site_dir, config.use_directory_urls)
        )
    # Notebooks: the executed copy from the cache takes the place of the stored one.
    for file in list(files):
        if file.src_uri.endswith(".ipynb"):
            if file.src_uri not in state.notebooks:
                log.warning(f"notebook docs/{file.src_uri} is not in figures/registry.py")
                continue
            files.remove(file)
            executed = state.cache_dir / "notebooks" / state.notebooks[file.src_uri]
            copy = File(file.src_uri, cache_dir, config.site_dir, config.use_directory_urls)
            copy.abs_src_path = str(executed)
            files.append(copy)
    state.chapters = _chapters(config.nav or [])
    state.page_urls = {file.src_uri: file.url for file in files.documentation_pages()}
    state.index = _figure_index(files, config)
    state.notebook_pages = {}
    return files


def _chapters(nav: Any) -> dict[str, int]:
    """The pages of the navigation's chapters section, numbered from 1."""
    for item in nav if isinstance(nav, list) else []:
        if isinstance(item, dict) and CHAPTERS_SECTION in item:
            paths = _nav_paths(item[CHAPTERS_SECTION])
            return {path: number for number, path in enumerate(paths, start=1)}
    return {}


@event_priority(50)  # before print-site copies each page's content into the print page
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Notebook pages: links to chapters fixed, no loader from another host, and a button
    to download the notebook."""
    source = page.file.src_uri
    if source not in state.notebooks:
        return html
    try:
        html = strip_remote_loaders(html)
    except RemoteLoaderError as error:
        raise PluginError(f"notebook docs/{source}: {error}") from None
    urls = {f.src_uri: f.url for f in files.documentation_pages()}
    html = rewrite_page_links(html, source, page_urls(urls, page.url))
    name = posixpath.basename(source)
    built = Path(config.site_dir) / page.file.dest_uri
    state.notebook_pages[source] = built
    button = (
        f'<p class="convdemo-download"><a class="md-button" href="{name}" download>'
        f"Download this notebook ({name})</a></p>"
    )
    return button + html


def _figure_index(files: Files, config: MkDocsConfig) -> list[FigureRow]:
    """Every placed figure, in the order of the pages in the navigation."""
    order = {path: position for position, path in enumerate(_nav_paths(config.nav or []))}
    pages = sorted(
        files.documentation_pages(), key=lambda f: (order.get(f.src_uri, 1e9), f.src_uri)
    )
    rows: list[FigureRow] = []
    for file in pages:
        text = file.content_string
        title = page_title(text, file.src_uri)
        chapter = state.chapters.get(file.src_uri)
        for position, (name, alt) in enumerate(figure_blocks(text), start=1):
            if name in state.figure_files and all(row.name != name for row in rows):
                with contextlib.suppress(PageError):  # reported with the page itself
                    alt = expand(alt, file.src_uri, state.numbers, state.figure_files)[0]
                rows.append(
                    FigureRow(
                        name,
                        state.figure_files[name],
                        state.functions[name],
                        file.src_uri,
                        title,
                        alt,
                        figure_label(chapter, position),
                    )
                )
    return rows


def _nav_paths(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [path for value in nav.values() for path in _nav_paths(value)]
    if isinstance(nav, list):
        return [path for item in nav for path in _nav_paths(item)]
    return []


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    source = page.file.src_uri
    chapter = state.chapters.get(source)
    try:
        text, placed = expand(
            markdown, source, state.numbers, state.figure_files, state.index, chapter
        )
    except PageError as error:
        raise PluginError(str(error)) from None
    for name in placed:
        state.placed.setdefault(name, source)
    try:
        if ":::figure-credit" in text:
            text = _CREDIT.sub(lambda match: _credit(match.group(1), config), text)
    except PageError as error:
        raise PluginError(f"{source}: {error}") from None
    if chapter is not None and state.release is not None:
        text += _citation(page, config, state.release, text)
    return text


_CREDIT = re.compile(r"^:::figure-credit[ \t]+(\S+)[ \t]*$", re.MULTILINE)


def _credit(name: str, config: MkDocsConfig) -> str:
    """``:::figure-credit NAME``: how to credit that figure, as a block to copy."""
    row = next((row for row in state.index if row.name == name), None)
    if row is None or state.release is None:
        raise PageError(f"':::figure-credit {name}' names no figure placed on a page")
    page_url = state.page_urls[row.page]
    site = (config.site_url or state.release.url).rstrip("/")
    return (
        f'```text\n{row.label} from "{row.title}", {state.release.title}\n'
        f"({state.release.authors}), CC BY 4.0,\n{site}/{page_url}#fig-{name}\n```"
    )


def _citation(page: Page, config: MkDocsConfig, release: Release, markdown: str) -> str:
    """The end of a chapter: how to cite it, and how to credit a figure taken from it."""
    title = page_title(markdown, page.file.src_uri)
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


# Material starts every page in the first palette's scheme and only applies "follow the
# system" once its bundle has run, at the end of the page: in between, a dark-scheme
# reader's browser fetches the light images at the top of the page as well. This runs
# as the body opens, before any image, and picks the scheme the bundle will pick.
_BODY = re.compile(r"<body\b[^>]*>")
_DARK = "(prefers-color-scheme: dark)"


def _early_scheme(config: MkDocsConfig) -> str | None:
    """The script that sets the dark scheme as the body opens; None without a dark
    palette that follows the system."""
    palettes = config.theme.get("palette") or []
    dark = next((p for p in palettes if isinstance(p, dict) and p.get("media") == _DARK), None)
    if dark is None:
        return None
    scheme = json.dumps(dark.get("scheme") or "default")  # Material's own default
    return (
        f'<script>if(!__md_get("__palette")&&matchMedia({json.dumps(_DARK)}).matches)'
        f'document.body.setAttribute("data-md-color-scheme",{scheme})'
        "</script>"
    )


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    script = state.early_scheme
    body = _BODY.search(output) if script else None
    if script is None or body is None or "__md_get" not in output[: body.start()]:
        return output  # no dark scheme that follows the system, or not a Material page
    return output[: body.end()] + script + output[body.end() :]


@event_priority(-1000)  # last, after every plugin has written its files
def on_post_build(config: MkDocsConfig) -> None:
    for source, built in state.notebook_pages.items():  # the download, without outputs
        shutil.copyfile(ROOT / "docs" / source, built.parent / posixpath.basename(source))
    site = Path(config.site_dir)
    notebooks = list(state.notebook_pages.values())
    for problem in finish_site(site, notebooks, state.cache_dir / "site"):
        log.warning(f"broken link: {problem}")
    unplaced = sorted(set(state.figure_files) - set(state.placed))
    if unplaced and state.command != "serve":
        log.warning(f"figures in the registry but on no page: {', '.join(unplaced)}")
    if state.counter is not None:
        logging.getLogger("mkdocs").removeHandler(state.counter)
        warnings, state.counter = state.counter.count, None
        if warnings:
            _discard_staging()
            raise Abort(f"Aborted with {warnings} warnings in strict mode; site not replaced")
    if state.staging is not None and state.final_site is not None:
        _swap(state.staging, state.final_site)
        config.site_dir = str(state.final_site)
        state.staging = None
        log.info(f"site written to {state.final_site}")


def on_build_error(error: Exception) -> None:
    if state.counter is not None:
        logging.getLogger("mkdocs").removeHandler(state.counter)
        state.counter = None
    _discard_staging()
    if state.final_site is not None:
        log.error(f"build failed; {state.final_site} left as it was")


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    for folder in ("convdemo", "figures"):
        server.watch(str(ROOT / folder))
    try:
        server.watch(str(load_config().photo_path()))
    except (ConfigError, FileNotFoundError) as error:
        log.warning(str(error))
    return server


def _swap(staging: Path, final: Path) -> None:
    """Replace ``final`` with ``staging``: two renames, the old tree removed after.

    If the second rename fails, the first is undone, so ``final`` is never left missing.
    """
    old = final.with_name(f".{final.name}-{os.getpid()}-old")
    if final.exists():
        final.rename(old)
    try:
        staging.rename(final)
    except OSError:
        if old.exists():
            old.rename(final)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(final: Path) -> None:
    """Delete staging and old-site folders of builds that died (killed, power loss…)."""
    for folder in final.parent.glob(f".{final.name}-*-*"):
        pid = folder.name[len(final.name) + 2 :].split("-")[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@atexit.register  # also on Ctrl-C, for which MkDocs calls no on_build_error
def _discard_staging() -> None:
    if state.staging is not None:
        shutil.rmtree(state.staging, ignore_errors=True)
        state.staging = None

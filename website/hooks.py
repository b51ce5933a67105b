"""MkDocs hook of the site: forwards each event to ``website.session.SiteBuild``.

This is the file ``mkdocs.yml`` lists under ``hooks``. MkDocs calls module functions and
keeps the module loaded for the whole of ``mkdocs serve``, so the one build in progress
is the one piece of module state; everything an event does is in ``website.session``.
"""

from __future__ import annotations

import atexit
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads this file by path; its packages need the root
    sys.path.insert(0, str(ROOT))

from website.session import SiteBuild  # noqa: E402

_build = SiteBuild()


def on_startup(command: str, dirty: bool) -> None:
    global _build
    _build = SiteBuild()
    _build.command = command


@event_priority(100)  # first: plugins such as print-site note site_dir in their on_config
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    return _build.on_config(config)


def on_pre_build(config: MkDocsConfig) -> None:
    _build.on_pre_build(config)


@event_priority(100)  # before mkdocs-jupyter turns notebooks into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    return _build.on_files(files, config)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _build.on_page_markdown(markdown, page, config)


@event_priority(50)  # before print-site copies each page's content into the print page
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _build.on_page_content(html, page, config, files)


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    return _build.on_env(env, config, files)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _build.on_post_page(output, page, config)


@event_priority(-1000)  # last, after every plugin has written its files
def on_post_build(config: MkDocsConfig) -> None:
    _build.on_post_build(config)


def on_build_error(error: Exception) -> None:
    _build.on_build_error()


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    return _build.on_serve(server)


@atexit.register  # also on Ctrl-C, for which MkDocs calls no on_build_error
def _discard_staging() -> None:
    _build.discard()

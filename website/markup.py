"""The site's page markup, as a Python-Markdown extension any builder can load.

Figures::

    :::figure padding-none
    alt: What the figure shows, for a reader who cannot see it.
    The caption, in Markdown, on one or more lines.
    :::

becomes a ``<figure id="fig-padding-none">`` with the image (one per colour scheme; the
page shows the one that matches, and opens it full screen when clicked), a caption
numbered within its chapter ("Figure 2.1") and links to download the figure as SVG, PDF
and high-resolution PNG, in the light and the dark scheme (``website.figure_html``).

Numbers: ``{{ entry.key }}`` is the value the figure build computed (``website.numbers``).

``:::figure-index`` becomes a table of every figure on the site, and
``:::figure-credit NAME`` the line that credits figure ``NAME`` under its licence.

The extension reads the figure build's manifest by itself (option ``cache_dir``), so
``markdown.markdown(text, extensions=["website.markup"])`` works alone. A builder that
knows more sets it per page: ``page`` (the page's path, for messages), ``chapter`` (to
number figures), ``appendix`` (Markdown added after the page, left unexpanded: a BibTeX
entry's ``{{…}}`` is not a number) and the site-wide ``index`` and ``site``; and ``fail``,
the exception type its own error reporting expects. Links to figure files are written from the site
root (``/figures/x.svg``); MkDocs, with ``absolute_links: relative_to_docs``, checks them
and makes them relative to the page.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from figures.manifest import FigureRecord, Manifest
from figures.spec import DOWNLOADS, SCHEMES
from website.animation_html import PageGlyphs, animation_html
from website.citation import figure_credit
from website.figure_html import download_links, figure_html, scheme_images, zoomable_image
from website.numbers import PageError, substitute_numbers

__all__ = [
    "FigureRow",
    "PageError",
    "PageMarkup",
    "SiteInfo",
    "expand",
    "figure_blocks",
    "figure_label",
    "makeExtension",
    "page_title",
]

_FIGURE = re.compile(r"^:::figure[ \t]+(\S+)[ \t]*\n(.*?)^:::[ \t]*$", re.MULTILINE | re.DOTALL)
_OPENER = re.compile(r"^:::figure(?![\w-]).*$", re.MULTILINE)
_INDEX = re.compile(r"^:::figure-index[ \t]*$", re.MULTILINE)
_ANIMATIONS = re.compile(r"^:::animation-index[ \t]*$", re.MULTILINE)
_CREDIT = re.compile(r"^:::figure-credit[ \t]+(\S+)[ \t]*$", re.MULTILINE)
_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class FigureRow:
    """One placed figure, as the index lists it: its page (path under ``docs/``), the
    page's title and address (``url``, absolute), its alt text, label and caption."""

    name: str
    record: FigureRecord
    page: str
    title: str
    alt: str
    label: str
    url: str = ""
    caption: str = ""  # Markdown, numbers filled in


@dataclass(frozen=True)
class SiteInfo:
    """What a figure's credit line names besides the figure: the site and its authors."""

    title: str
    authors: str


def figure_label(chapter: int | None, position: int) -> str:
    """ "Figure 2.1": the first figure of chapter 2 (just "Figure 1" outside chapters)."""
    return f"Figure {chapter}.{position}" if chapter is not None else f"Figure {position}"


def page_title(text: str, fallback: str) -> str:
    match = _TITLE.search(text)
    return match.group(1) if match else fallback


def _parts(body: str) -> tuple[str, str]:
    """The alt text (empty without an ``alt:`` line first) and the caption of a block."""
    lines = body.strip("\n").splitlines()
    if not lines or not lines[0].startswith("alt:"):
        return "", " ".join(line.strip() for line in lines).strip()
    return lines[0][4:].strip(), " ".join(line.strip() for line in lines[1:]).strip()


def figure_blocks(text: str) -> list[tuple[str, str, str]]:
    """``(name, alt, caption)`` of each figure block in a page's Markdown, in order."""
    return [(match.group(1), *_parts(match.group(2))) for match in _FIGURE.finditer(text)]


def _index_table(rows: Sequence[FigureRow], root: str) -> str:
    """Every figure, small, each opening full screen when clicked (as on its page), and
    its downloads in each scheme (an animation's GIF first)."""
    lines = [
        "| Figure | | Name | Chapter | Drawn by | Downloads |",
        "|---|---|---|---|---|---|",
    ]
    thumbnail = 'width="180" loading=lazy'
    for row in rows:
        alt, outputs = row.alt, row.record.outputs
        images = scheme_images(
            row.record, alt, row.label, root, thumbnail, " ", in_table=True, gallery="index"
        )
        if outputs.storyboard:  # an animation: its storyboard, every step
            storyboard = f"{root}{outputs.storyboard}"
            images = zoomable_image(
                alt, storyboard, thumbnail, row.label, f"index-{row.name}", in_table=True
            )

        downloads = "<br>".join(
            f"{scheme.capitalize()}: {links}"
            for scheme in SCHEMES
            if (links := download_links(row.record, root, scheme, kinds=("gif", *DOWNLOADS)))
        )
        lines.append(
            f"| [{row.label}]({root}{row.page}#fig-{row.name}) | {images} "
            f"| `{row.name}` | [{row.title}]({root}{row.page}) | `{row.record.function}` "
            f"| {downloads} |"
        )
    return "\n".join(lines)


def _animation_index(rows: Sequence[FigureRow], context: _Context) -> str:
    """Every animation: where it is, the PyTorch line it animates, its sizes, downloads."""
    lines = [
        "| Animation | PyTorch | Input → output | Steps | Downloads |",
        "|---|---|---|---|---|",
    ]
    root = context.root
    for row in rows:
        outputs = row.record.outputs
        if outputs.inline is None:
            continue
        facts = context.numbers.get(row.name, {})
        shape = ""
        if "in_h" in facts:
            shape = f"{facts['in_h']}×{facts['in_w']} → {facts['out_h']}×{facts['out_w']}"
        elif "size" in facts:
            shape = f"{facts['size']}×{facts['size']} → {facts['out']}×{facts['out']}"
        downloads = " · ".join(
            f"[{key.upper().replace('-DARK', ' (dark)')}]({root}{path})"
            for key, path in outputs.downloads.items()
        )
        explorer = facts.get("explorer") if context.explorer else None
        if explorer:
            downloads += f" · [Open in the explorer]({root}explorer.md#{explorer})"
        lines.append(
            f"| [{row.label}: `{row.name}`]({root}{row.page}#fig-{row.name}) "
            f"| `{facts.get('module', '')}` | {shape} | {facts.get('steps', '')} | {downloads} |"
        )
    return "\n".join(lines)


def _figure_html(name: str, body: str, context: _Context, label: str) -> str:
    page, fail, figures = context.page, context.fail, context.figures
    if name not in figures:
        raise fail(f"{page}: unknown figure '{name}' (known: {', '.join(sorted(figures))})")
    alt, caption = _parts(body)
    if not alt:
        raise fail(f"{page}: figure '{name}' needs an 'alt: …' line first")
    if not caption:
        raise fail(f"{page}: figure '{name}' needs a caption after its alt line")
    figure = figures[name]
    if figure.outputs.inline is not None:
        explorer = context.numbers.get(name, {}).get("explorer") if context.explorer else None
        return animation_html(
            name, alt, caption, label, figure, context.cache_dir, context.root,
            str(explorer) if explorer else None, context.glyphs,
        )  # fmt: skip
    return figure_html(name, alt, caption, label, figure, context.root)


@dataclass(frozen=True)
class _Context:
    page: str
    chapter: int | None
    numbers: Mapping[str, Mapping[str, Any]]
    figures: Mapping[str, FigureRecord]
    index: Sequence[FigureRow]
    site: SiteInfo | None
    root: str
    fail: Callable[[str], Exception]
    cache_dir: Path = Path()
    explorer: bool = False  # the site has an explorer page to link animations to
    glyphs: PageGlyphs | None = None  # the text outlines the page's animations share


def _credit(name: str, context: _Context) -> str:
    """How to credit figure ``name``, as a block to copy.

    Without a site index (a builder that sets none, or Python-Markdown alone) the credit
    names the figure and the licence only; with one, a figure missing from it is an error.
    """
    if not context.index and name in context.figures:
        return f"```text\nFigure {name}, CC BY 4.0\n```"
    row = next((row for row in context.index if row.name == name), None)
    if row is None or context.site is None:
        raise context.fail(
            f"{context.page}: ':::figure-credit {name}' names no figure placed on a page"
        )
    site = context.site
    lines = figure_credit(row.label, row.title, site.title, site.authors, f"{row.url}#fig-{name}")
    return "```text\n" + "\n".join(lines) + "\n```"


def expand(text: str, context: _Context) -> tuple[str, list[str]]:
    """Expand one page's Markdown; returns it and the figures it places, in order."""
    if "{{" in text:  # each pattern runs only on pages that use it: warm builds stay cheap
        text = substitute_numbers(text, context.page, context.numbers, context.fail)
    if ":::figure-index" in text:
        text = _INDEX.sub(lambda _: _index_table(context.index, context.root), text)
    if ":::animation-index" in text:
        text = _ANIMATIONS.sub(lambda _: _animation_index(context.index, context), text)
    if ":::figure-credit" in text:
        text = _CREDIT.sub(lambda match: _credit(match.group(1), context), text)
    if ":::figure" not in text:
        return text, []
    placed: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if _OPENER.search(match.group(2)):  # an unclosed block ran into the next one
            raise context.fail(f"{context.page}: ':::figure {name}' has no closing ':::' line")
        if name in placed:
            raise context.fail(
                f"{context.page}: figure '{name}' is placed twice (its anchor must be unique)"
            )
        placed.append(name)
        label = figure_label(context.chapter, len(placed))
        return _figure_html(name, match.group(2), context, label)

    text = _FIGURE.sub(replace, text)
    leftover = _OPENER.search(text)
    if leftover:
        raise context.fail(f"{context.page}: {leftover.group(0)!r} has no closing ':::' line")
    return text, placed


class _Expand(Preprocessor):
    def __init__(self, md: Markdown, extension: PageMarkup) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        text, placed = expand("\n".join(lines), self.extension.context())
        self.extension.placed = placed
        return (text + self.extension.appendix).split("\n")


class PageMarkup(Extension):
    """``:::figure`` blocks, ``{{ entry.key }}`` numbers, the figure index and credits.

    Runs before every other preprocessor, on the page as written: numbers in code
    blocks are filled in too; code included from files (snippets) is left as it is.
    """

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "cache_dir": ["", "figure cache holding manifest.json (default: the build's)"],
            "root": ["/", "prefix of links to figure files and pages"],
        }
        super().__init__(**kwargs)
        self.page = "page"
        self.chapter: int | None = None
        self.index: Sequence[FigureRow] = ()
        self.site: SiteInfo | None = None
        self.fail: Callable[[str], Exception] = PageError
        self.appendix = ""
        self.explorer = False
        self.placed: list[str] = []
        self._numbers: Mapping[str, Mapping[str, Any]] | None = None
        self._figures: Mapping[str, FigureRecord] | None = None
        self._cache_dir = Path()

    def use(
        self,
        numbers: Mapping[str, Mapping[str, Any]],
        figures: Mapping[str, FigureRecord],
        cache_dir: Path = Path(),
    ) -> None:
        """Take the values and figures from the caller instead of reading the manifest;
        ``cache_dir`` holds the files an animation puts in its page."""
        self._numbers, self._figures, self._cache_dir = numbers, figures, cache_dir

    def _load(self) -> None:
        if self._numbers is None or self._figures is None:
            folder = self.getConfig("cache_dir")
            if not folder:
                from figures.config import load_config

                folder = load_config().cache_dir
            manifest = Manifest.load(Path(folder))
            self._numbers, self._figures = manifest.numbers(), manifest.figures()
            self._cache_dir = Path(folder)

    def context(self) -> _Context:
        self._load()
        assert self._numbers is not None and self._figures is not None
        return _Context(
            self.page,
            self.chapter,
            self._numbers,
            self._figures,
            self.index,
            self.site,
            self.getConfig("root"),
            self.fail,
            self._cache_dir,
            explorer=self.explorer,
            glyphs=PageGlyphs(posixpath.splitext(self.page)[0].replace("/", "-") + "-glyph-"),
        )

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_Expand(md, self), "convdemo_markup", 100)


def makeExtension(**kwargs: Any) -> PageMarkup:
    return PageMarkup(**kwargs)

"""Page source expansion: computed numbers and figure blocks in a chapter's Markdown.

Numbers: ``{{ padding.valid }}`` is replaced by the value ``valid`` of the numbers entry
``padding``; ``{{ ops.direct:, }}`` applies a format spec (here, thousands separators).
An article just before a number agrees with it: "a {{ padding.size }}" gives "an 8".
Every ``{{ … }}`` must name a known value: a typo fails the build instead of showing.

Figures::

    :::figure padding-none
    alt: What the figure shows, for a reader who cannot see it.
    The caption, in Markdown, on one or more lines.
    :::

becomes a ``<figure id="fig-padding-none">`` with the image (one per colour scheme, the
page shows the one that matches), a caption numbered within its chapter ("Figure 2.1")
and links to download the figure as SVG, PDF and high-resolution PNG.

A line ``:::figure-index`` becomes a table of every figure on the site: thumbnail, name,
the chapter that shows it (linked to its anchor) and the function that draws it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from figures.spec import CSS_DPI, DOWNLOAD_DPI, SCHEMES, Spec

__all__ = [
    "CHAPTERS_SECTION",
    "FigureFiles",
    "FigureRow",
    "PageError",
    "article",
    "expand",
    "figure_blocks",
    "figure_label",
    "page_title",
]

#: The navigation section whose pages are the numbered chapters: the n-th page in it
#: is chapter n, its figures are "Figure n.1", "Figure n.2"…, and it ends with a citation.
CHAPTERS_SECTION = "Chapters"

_NUMBER = re.compile(r"\{\{(.*?)\}\}")  # a literal start: scanning a page stays fast
# The article just before a number ("a {{ padding.size }}" becomes "an 8"); a capital
# "A" or "An" counts only where a sentence starts. Looked for in a short window.
_ARTICLE = re.compile(r"(?<!\w)([Aa]n?)(\s+)$")
_ARTICLE_WINDOW = 40
_REFERENCE = re.compile(r"^\s*([a-z0-9-]+)\.([A-Za-z_]\w*)\s*(?::(.*?))?\s*$")
_FIGURE = re.compile(r"^:::figure[ \t]+(\S+)[ \t]*\n(.*?)^:::[ \t]*$", re.MULTILINE | re.DOTALL)
_OPENER = re.compile(r"^:::figure(?![\w-]).*$", re.MULTILINE)
_INDEX = re.compile(r"^:::figure-index[ \t]*$", re.MULTILINE)
_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class FigureFiles:
    """The files the figure build wrote for one figure, and its size on the page."""

    pages: dict[str, str]  # colour scheme → page image
    downloads: dict[str, str]  # extension → file
    size: tuple[int, int] | None = None  # CSS pixels

    @classmethod
    def of(cls, name: str, page_file: str, size: Any = None) -> FigureFiles:
        """The files of figure ``name`` whose light page image is ``page_file``."""
        spec = Spec(name, "figures:unused", {}, "figure", page_file.rpartition(".")[2])
        return cls(
            {scheme: spec.page_file(scheme) for scheme in SCHEMES},
            {ext: spec.download_file(ext) for ext in ("svg", "pdf", "png")},
            (int(size[0]), int(size[1])) if size else None,
        )

    @property
    def main(self) -> str:
        return self.pages[SCHEMES[0]]


@dataclass(frozen=True)
class FigureRow:
    """One figure as the index lists it."""

    name: str
    files: FigureFiles
    function: str
    page: str
    title: str
    alt: str
    label: str = ""


def figure_label(chapter: int | None, position: int) -> str:
    """ "Figure 2.1": the first figure of chapter 2 (just "Figure 1" outside chapters)."""
    return f"Figure {chapter}.{position}" if chapter is not None else f"Figure {position}"


def page_title(text: str, fallback: str) -> str:
    match = _TITLE.search(text)
    return match.group(1) if match else fallback


def figure_blocks(text: str) -> list[tuple[str, str]]:
    """``(name, alt)`` of each figure block in a page's Markdown, in order."""
    blocks = []
    for match in _FIGURE.finditer(text):
        first = match.group(2).strip("\n").splitlines()[:1]
        alt = first[0][4:].strip() if first and first[0].startswith("alt:") else ""
        blocks.append((match.group(1), alt))
    return blocks


def _index_table(page: str, rows: Sequence[FigureRow]) -> str:
    here = posixpath.dirname(page) or "."
    lines = ["| Figure | | Name | Chapter | Drawn by |", "|---|---|---|---|---|"]
    for row in rows:
        chapter = posixpath.relpath(row.page, here)
        alt = _escape_alt(row.alt).replace("|", "\\|")
        images = " ".join(
            f"![{alt}]({posixpath.relpath(f'figures/{file}', here)}#only-{scheme})"
            '{ width="180" loading=lazy }'
            for scheme, file in row.files.pages.items()
        )
        lines.append(
            f"| [{row.label}]({chapter}#fig-{row.name}) | {images} "
            f"| `{row.name}` | [{row.title}]({chapter}) | `{row.function}` |"
        )
    return "\n".join(lines)


class PageError(ValueError):
    """A page refers to an unknown number or figure, or a figure block is malformed."""


def article(number: str) -> str | None:
    """ "an" before a number read with a vowel first (8, 11, 18, 80, 800, 11,000…), "a"
    before another number, None for text that does not start with a digit.

    The reading starts with the leading group of up to three digits ("11" of 11,000): an
    eight, eleven or eighteen. A minus sign makes it "a" ("a minus eight").
    """
    if re.match(r"[−-]\d", number):
        return "a"
    digits = re.match(r"\d{1,3}(?:[,\u202f]\d{3})+(?!\d)|\d+", number)
    if digits is None:
        return None
    whole = re.sub(r"\D", "", digits.group(0))
    leading = whole[: len(whole) % 3 or 3]
    return "an" if leading.startswith("8") or leading in ("11", "18") else "a"


def _starts_sentence(text: str, position: int) -> bool:
    """Whether ``position`` starts a line, a text or a sentence (after ". ", "! ", ": "…),
    Markdown that opens a line or a span ("- ", "**", "# ", "> ", quotes) looked past."""
    end = position
    while end > 0 and text[end - 1] in " \t*_#>|([-+\"'“‘":
        end -= 1
    return end == 0 or text[end - 1] == "\n" or (end < position and text[end - 1] in ".!?:")


def _substitute_numbers(text: str, page: str, numbers: Mapping[str, Mapping[str, Any]]) -> str:
    def number(written: str, placeholder: str) -> str:
        reference = _REFERENCE.match(placeholder)
        if reference is None:
            raise PageError(f"{page}: {written!r} is not of the form {{{{ entry.name }}}}")
        entry, name, spec = reference.groups()
        if entry not in numbers or name not in numbers[entry]:
            known = ", ".join(f"{e}.{n}" for e in sorted(numbers) for n in sorted(numbers[e]))
            raise PageError(f"{page}: unknown number '{entry}.{name}' (known: {known})")
        value = numbers[entry][name]
        try:
            shown = format(value, spec or "")
        except ValueError as error:
            raise PageError(f"{page}: format '{spec}' for {entry}.{name}: {error}") from None
        # A typographic minus sign for negative numbers, as in the figures.
        return "−" + shown[1:] if isinstance(value, int | float) and shown[:1] == "-" else shown

    pieces: list[str] = []
    done = 0  # text[:done] is in pieces
    for match in _NUMBER.finditer(text):
        value = number(match.group(0), match.group(1))
        low = max(done, match.start() - _ARTICLE_WINDOW)
        # The lookbehind sees past the window's start: "Ban" cut to "an" is no article.
        found = _ARTICLE.search(text, low, match.start())
        chosen = article(value) if found is not None else None
        if found is None or chosen is None:
            pieces.append(text[done : match.start()] + value)  # no article, or not a number
        elif found.group(1)[0] == "A" and not _starts_sentence(text, found.start()):
            pieces.append(text[done : match.start()] + value)  # "matrix A 8": a name
        else:
            chosen = chosen.capitalize() if found.group(1)[0] == "A" else chosen
            pieces.append(text[done : found.start()] + chosen + found.group(2) + value)
        done = match.end()
    pieces.append(text[done:])
    return "".join(pieces)


def _escape_alt(text: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", text)


def _figure_html(
    name: str, body: str, page: str, files: Mapping[str, FigureFiles], label: str
) -> str:
    if name not in files:
        raise PageError(f"{page}: unknown figure '{name}' (known: {', '.join(sorted(files))})")
    lines = body.strip("\n").splitlines()
    if not lines or not lines[0].startswith("alt:") or not lines[0][4:].strip():
        raise PageError(f"{page}: figure '{name}' needs an 'alt: …' line first")
    alt = lines[0][4:].strip()
    caption = " ".join(line.strip() for line in lines[1:]).strip()
    if not caption:
        raise PageError(f"{page}: figure '{name}' needs a caption after its alt line")
    here = posixpath.dirname(page) or "."
    figure = files[name]

    def link(file: str) -> str:
        return posixpath.relpath(f"figures/{file}", here)

    size = f'width="{figure.size[0]}" height="{figure.size[1]}" ' if figure.size else ""
    # Material shows an image whose address ends in #only-light in the light scheme only,
    # and #only-dark in the dark one; lazy loading keeps the hidden one from loading.
    images = "\n".join(
        f"![{_escape_alt(alt)}]({link(file)}#only-{scheme}){{ {size}loading=lazy }}"
        for scheme, file in figure.pages.items()
    )
    scale = f"{DOWNLOAD_DPI / CSS_DPI:.0f}×"
    downloads = " · ".join(  # Markdown links, so MkDocs makes them relative to the page
        f'[{title}]({link(file)}){{ download="{file}" }}'
        for title, file in (
            ("SVG", figure.downloads["svg"]),
            ("PDF", figure.downloads["pdf"]),
            (f"PNG ({scale})", figure.downloads["png"]),
        )
    )
    return (
        f'<figure class="convdemo-figure" id="fig-{name}" markdown="span">\n'
        f"{images}\n"
        f'<figcaption markdown="span"><span class="convdemo-figure-number">{label}.</span> '
        f"{caption}\n"
        f'<span class="convdemo-downloads">Download {label}: {downloads}</span></figcaption>\n'
        f"</figure>"
    )


def expand(
    text: str,
    page: str,
    numbers: Mapping[str, Mapping[str, Any]],
    figure_files: Mapping[str, FigureFiles],
    index: Sequence[FigureRow] = (),
    chapter: int | None = None,
) -> tuple[str, list[str]]:
    """Expand one page; returns the new Markdown and the figures it places, in order.

    ``page`` is the page's path inside ``docs/``, used for relative links and messages.
    ``figure_files`` maps each figure name to its files; ``index`` is what a
    ``:::figure-index`` line lists; ``chapter`` numbers the figures ("Figure 2.1").
    """
    if "{{" in text:  # each pattern runs only on pages that use it: warm builds stay cheap
        text = _substitute_numbers(text, page, numbers)
    if ":::figure-index" in text:
        text = _INDEX.sub(lambda _: _index_table(page, index), text)
    if ":::figure" not in text:
        return text, []
    placed: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if _OPENER.search(match.group(2)):  # an unclosed block ran into the next one
            raise PageError(f"{page}: ':::figure {name}' has no closing ':::' line")
        if name in placed:
            raise PageError(f"{page}: figure '{name}' is placed twice (its anchor must be unique)")
        placed.append(name)
        label = figure_label(chapter, len(placed))
        return _figure_html(name, match.group(2), page, figure_files, label)

    text = _FIGURE.sub(replace, text)
    leftover = _OPENER.search(text)
    if leftover:
        raise PageError(f"{page}: {leftover.group(0)!r} has no closing ':::' line")
    return text, placed

"""Page source expansion: computed numbers and figure blocks in a chapter's Markdown.

Numbers: ``{{ padding.valid }}`` is replaced by the value ``valid`` of the numbers entry
``padding``; ``{{ ops.direct:, }}`` applies a format spec (here, thousands separators).
Every ``{{ … }}`` must name a known value: a typo fails the build instead of showing.

Figures::

    :::figure padding-none
    alt: What the figure shows, for a reader who cannot see it.
    The caption, in Markdown, on one or more lines.
    :::

becomes a ``<figure id="fig-padding-none">`` with the image and its caption.

A line ``:::figure-index`` becomes a table of every figure on the site: thumbnail, name,
the chapter that shows it (linked to its anchor) and the function that draws it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["FigureRow", "PageError", "expand", "figure_blocks", "page_title"]

_NUMBER = re.compile(r"\{\{(.*?)\}\}")
_REFERENCE = re.compile(r"^\s*([a-z0-9-]+)\.([A-Za-z_]\w*)\s*(?::(.*?))?\s*$")
_FIGURE = re.compile(r"^:::figure[ \t]+(\S+)[ \t]*\n(.*?)^:::[ \t]*$", re.MULTILINE | re.DOTALL)
_OPENER = re.compile(r"^:::figure\b.*$", re.MULTILINE)
_INDEX = re.compile(r"^:::figure-index[ \t]*$", re.MULTILINE)
_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class FigureRow:
    """One figure as the index lists it."""

    name: str
    file: str
    function: str
    page: str
    title: str
    alt: str


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
    lines = ["| Figure | Name | Chapter | Drawn by |", "|---|---|---|---|"]
    for row in rows:
        image = posixpath.relpath(f"figures/{row.file}", here)
        chapter = posixpath.relpath(row.page, here)
        alt = _escape_alt(row.alt).replace("|", "\\|")
        lines.append(
            f'| ![{alt}]({image}){{ width="180" loading=lazy }} '
            f"| `{row.name}` | [{row.title}]({chapter}#fig-{row.name}) | `{row.function}` |"
        )
    return "\n".join(lines)


class PageError(ValueError):
    """A page refers to an unknown number or figure, or a figure block is malformed."""


def _substitute_numbers(text: str, page: str, numbers: Mapping[str, Mapping[str, Any]]) -> str:
    def replace(match: re.Match[str]) -> str:
        reference = _REFERENCE.match(match.group(1))
        if reference is None:
            raise PageError(f"{page}: {match.group(0)!r} is not of the form {{{{ entry.name }}}}")
        entry, name, spec = reference.groups()
        if entry not in numbers or name not in numbers[entry]:
            known = ", ".join(f"{e}.{n}" for e in sorted(numbers) for n in sorted(numbers[e]))
            raise PageError(f"{page}: unknown number '{entry}.{name}' (known: {known})")
        value = numbers[entry][name]
        try:
            text = format(value, spec or "")
        except ValueError as error:
            raise PageError(f"{page}: format '{spec}' for {entry}.{name}: {error}") from None
        # A typographic minus sign for negative numbers, as in the figures.
        return "−" + text[1:] if isinstance(value, int | float) and text[:1] == "-" else text

    return _NUMBER.sub(replace, text)


def _escape_alt(text: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", text)


def _figure_html(name: str, body: str, page: str, files: Mapping[str, str]) -> str:
    if name not in files:
        raise PageError(f"{page}: unknown figure '{name}' (known: {', '.join(sorted(files))})")
    lines = body.strip("\n").splitlines()
    if not lines or not lines[0].startswith("alt:") or not lines[0][4:].strip():
        raise PageError(f"{page}: figure '{name}' needs an 'alt: …' line first")
    alt = lines[0][4:].strip()
    caption = " ".join(line.strip() for line in lines[1:]).strip()
    if not caption:
        raise PageError(f"{page}: figure '{name}' needs a caption after its alt line")
    source = posixpath.relpath(f"figures/{files[name]}", posixpath.dirname(page) or ".")
    return (
        f'<figure class="convdemo-figure" id="fig-{name}" markdown="span">\n'
        f"![{_escape_alt(alt)}]({source}){{ loading=lazy }}\n"
        f'<figcaption markdown="span">{caption}</figcaption>\n'
        f"</figure>"
    )


def expand(
    text: str,
    page: str,
    numbers: Mapping[str, Mapping[str, Any]],
    figure_files: Mapping[str, str],
    index: Sequence[FigureRow] = (),
) -> tuple[str, list[str]]:
    """Expand one page; returns the new Markdown and the figures it places, in order.

    ``page`` is the page's path inside ``docs/``, used for relative links and messages.
    ``figure_files`` maps each figure name to its file name; ``index`` is what a
    ``:::figure-index`` line lists.
    """
    text = _substitute_numbers(text, page, numbers)
    text = _INDEX.sub(lambda _: _index_table(page, index), text)
    placed: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if _OPENER.search(match.group(2)):  # an unclosed block ran into the next one
            raise PageError(f"{page}: ':::figure {name}' has no closing ':::' line")
        if name in placed:
            raise PageError(f"{page}: figure '{name}' is placed twice (its anchor must be unique)")
        placed.append(name)
        return _figure_html(name, match.group(2), page, figure_files)

    text = _FIGURE.sub(replace, text)
    leftover = _OPENER.search(text)
    if leftover:
        raise PageError(f"{page}: {leftover.group(0)!r} has no closing ':::' line")
    return text, placed

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
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["PageError", "expand"]

_NUMBER = re.compile(r"\{\{(.*?)\}\}")
_REFERENCE = re.compile(r"^\s*([a-z0-9-]+)\.([A-Za-z_]\w*)\s*(?::(.*?))?\s*$")
_FIGURE = re.compile(r"^:::figure[ \t]+(\S+)[ \t]*\n(.*?)^:::[ \t]*$", re.MULTILINE | re.DOTALL)
_OPENER = re.compile(r"^:::figure\b.*$", re.MULTILINE)


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
            return format(value, spec or "")
        except ValueError as error:
            raise PageError(f"{page}: format '{spec}' for {entry}.{name}: {error}") from None

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
) -> tuple[str, list[str]]:
    """Expand one page; returns the new Markdown and the figures it places, in order.

    ``page`` is the page's path inside ``docs/``, used for relative links and messages.
    ``figure_files`` maps each figure name to its file name.
    """
    text = _substitute_numbers(text, page, numbers)
    placed: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in placed:
            raise PageError(f"{page}: figure '{name}' is placed twice (its anchor must be unique)")
        placed.append(name)
        return _figure_html(name, match.group(2), page, figure_files)

    text = _FIGURE.sub(replace, text)
    leftover = _OPENER.search(text)
    if leftover:
        raise PageError(f"{page}: {leftover.group(0)!r} has no closing ':::' line")
    return text, placed

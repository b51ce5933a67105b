"""The page markup of an animation: its SVG inline, the steps for the player, the
storyboard for print, and the downloads a lecturer takes away.

The SVG and the steps are put in the page as raw HTML nested in the figure, which
Python-Markdown's ``md_in_html`` keeps as it is; the storyboard and the downloads are
Markdown links and images, which the builder checks and rewrites.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from figures.manifest import FigureRecord

__all__ = ["PageGlyphs", "animation_html", "share_glyphs", "slim"]

DOWNLOAD_TITLES = {
    "gif": "GIF",
    "gif-dark": "GIF (dark)",
    "svg": "animated SVG",
    "svg-dark": "animated SVG (dark)",
    "pdf": "PDF, a page a step",
    "pdf-dark": "PDF (dark)",
}
_SVG_OPEN = re.compile(r"<svg\b")
#: A glyph matplotlib defines for text drawn as outlines, and a use of it.
_GLYPH = re.compile(r'<path id="(?P<id>[^"]*?(?P<glyph>DejaVu[^"]*))"(?P<rest>[^>]*)/>')
_GLYPH_USE = re.compile(r'href="#([^"]*DejaVu[^"]*)"')


def _escape_alt(text: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", text)


_UNSEEN = re.compile(r"<metadata>.*?</metadata>|<!--.*?-->", re.DOTALL)
_ID_ATTRIBUTE = re.compile(r' id="([^"]+)"')
_REFERENCED = re.compile(r'href="#([^"]+)"|url\(#([^)]+)\)')


def slim(svg: str) -> str:
    """An SVG for inlining: without what no reader sees (metadata, comments, ids that
    nothing refers to, indentation) and without a blank line, which would end the raw
    HTML block it sits in."""
    svg = _UNSEEN.sub("", svg)
    referred = {a or b for a, b in _REFERENCED.findall(svg)}
    svg = _ID_ATTRIBUTE.sub(lambda m: m[0] if m[1] in referred else "", svg)
    return re.sub(r"\n\s*", "\n", svg)


@dataclass
class PageGlyphs:
    """The glyph outlines one page's inline SVGs define: ``prefix`` starts their ids,
    ``defined`` maps each glyph's name to the rest of its definition."""

    prefix: str
    defined: dict[str, str] = field(default_factory=dict)


def share_glyphs(svg: str, page: PageGlyphs) -> str:
    """``svg`` with its glyph outlines shared with the SVGs before it on ``page``.

    matplotlib draws text as outlines: each SVG defines the glyphs it uses (about a
    quarter of its bytes) and places them with ``<use href="#…">``. Inline SVGs share
    one document, so a glyph the page already defines is only used again, by one id
    for the page. A glyph whose outline differs from the page's (another font build)
    keeps its own definition and id."""
    renamed: dict[str, str] = {}

    def define(match: re.Match[str]) -> str:
        glyph, rest = match["glyph"], match["rest"]
        known = page.defined.get(glyph)
        if known is not None and known != rest:
            return match[0]
        renamed[match["id"]] = page.prefix + glyph
        if known is not None:
            return ""
        page.defined[glyph] = rest
        return f'<path id="{page.prefix}{glyph}"{rest}/>'

    svg = _GLYPH.sub(define, svg)
    return _GLYPH_USE.sub(lambda use: f'href="#{renamed.get(use[1], use[1])}"', svg)


def animation_html(
    name: str,
    alt: str,
    caption: str,
    label: str,
    record: FigureRecord,
    cache_dir: Path,
    root: str,
    explorer: str | None = None,
    glyphs: PageGlyphs | None = None,
) -> str:
    """The ``<figure>`` of animation ``name``, as Markdown with raw HTML nested in it;
    with ``glyphs``, its text's outlines are shared with the page's other animations."""
    outputs = record.outputs
    svg = (cache_dir / (outputs.inline or "")).read_text(encoding="utf-8")
    svg = svg[svg.index("<svg") :]  # no XML prologue or doctype inside HTML
    if glyphs is not None:
        svg = share_glyphs(svg, glyphs)
    svg = slim(svg)
    label_attributes = f'<svg role="img" aria-label="{html.escape(alt)}" class="convdemo-stage-svg"'
    svg = _SVG_OPEN.sub(label_attributes, svg, count=1)
    played = json.loads((cache_dir / (outputs.steps or "")).read_text(encoding="utf-8"))
    steps = played["steps"]
    # "</" cannot end the script early: JSON may write it as "<\/".
    data = json.dumps(played, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    downloads = " · ".join(
        f'[{DOWNLOAD_TITLES[key]}]({root}{path}){{ download="{path.rpartition("/")[2]}" }}'
        for key, path in outputs.downloads.items()
    )
    if explorer:
        downloads += f" · [Open in the explorer]({root}explorer.md#{explorer})"
    storyboard = (
        f"![{_escape_alt(alt)} Every step, numbered.]({root}{outputs.storyboard})"
        "{ .convdemo-storyboard loading=lazy }"
    )
    return (
        f'<figure class="convdemo-figure convdemo-animation" id="fig-{name}" '
        f'data-steps="{len(steps)}" markdown="block">\n'
        f'<div class="convdemo-stage">{svg}</div>\n'
        '<div class="convdemo-player" hidden></div>\n'
        f'<script type="application/json" class="convdemo-steps">{data}</script>\n\n'
        f"{storyboard}\n\n"
        f'<figcaption markdown="span"><span class="convdemo-figure-number">{label}.</span> '
        f"{caption}\n"
        f'<span class="convdemo-downloads">Download {label}: {downloads}</span></figcaption>\n'
        f"</figure>"
    )

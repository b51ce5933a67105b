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
from pathlib import Path

from figures.manifest import FigureRecord

__all__ = ["animation_html"]

DOWNLOAD_TITLES = {
    "gif": "GIF",
    "gif-dark": "GIF (dark)",
    "svg": "animated SVG",
    "svg-dark": "animated SVG (dark)",
    "pdf": "PDF, a page a step",
    "pdf-dark": "PDF (dark)",
}
_SVG_OPEN = re.compile(r"<svg\b")


def _escape_alt(text: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", text)


def animation_html(
    name: str,
    alt: str,
    caption: str,
    label: str,
    record: FigureRecord,
    cache_dir: Path,
    root: str,
    explorer: str | None = None,
) -> str:
    """The ``<figure>`` of animation ``name``, as Markdown with raw HTML nested in it."""
    outputs = record.outputs
    svg = (cache_dir / (outputs.inline or "")).read_text(encoding="utf-8")
    svg = svg[svg.index("<svg") :]  # no XML prologue or doctype inside HTML
    svg = re.sub(r"\n\s*\n", "\n", svg)  # no blank line, which would end a raw HTML block
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

"""The page markup of a figure: its image in each colour scheme, each a link that opens it
full screen, its caption, and its downloads in both colour schemes.

Material shows an image whose address ends in ``#only-light`` in the light scheme only and
one ending in ``#only-dark`` in the dark one; lazy loading keeps the hidden one from
loading. Each image is wrapped in a link to its own file, which the lightbox
(mkdocs-glightbox, in ``manual`` mode: it wraps nothing itself) opens over the page:

* each link is a gallery of one (``data-gallery``), so the lightbox shows the image the
  reader clicked, in the scheme they read in, never both schemes as a gallery of two;
* the link keeps the image's ``#only-…`` address, so the stylesheet hides the link of the
  other scheme with its image (no invisible stop for the Tab key), and the print page
  rewrites it like any other link to a file;
* ``data-alt`` gives the enlarged image the figure's alt text and ``data-description``
  its label ("Figure 2.1"), read out as its description, not in place of its name.

Everything is written as Markdown links and images, so the builder checks each address
and makes it relative to the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from figures.manifest import FigureRecord
from figures.spec import CSS_DPI, DOWNLOAD_DPI, DOWNLOADS, SCHEMES, download_key

__all__ = [
    "ZOOM_CLASS",
    "download_links",
    "download_title",
    "figure_html",
    "scheme_images",
    "zoomable_image",
]

#: The class of a link that opens its image in the lightbox; ``glightbox`` is the class
#: the lightbox's script looks for.
ZOOM_CLASS = "convdemo-zoom"
_TITLES = {"svg": "SVG", "pdf": "PDF", "png": f"PNG ({DOWNLOAD_DPI / CSS_DPI:.0f}×)"}


def _escape_alt(text: str, in_table: bool) -> str:
    text = re.sub(r"([\\\[\]])", r"\\\1", text)
    return text.replace("|", "\\|") if in_table else text


def _attribute(text: str) -> str:
    """``text`` as the quoted value of an attribute of attr_list, also in a table row."""
    return html.escape(text, quote=True).replace("|", "&#124;")


def download_title(ext: str, scheme: str) -> str:
    """How the downloads menu names one download: "PNG (3×)", "PNG (3×, dark)"."""
    title = _TITLES[ext]
    if scheme == SCHEMES[0]:
        return title
    if title.endswith(")"):
        return f"{title[:-1]}, {scheme})"
    return f"{title} ({scheme})"


def zoomable_image(
    alt: str,
    src: str,
    attributes: str,
    label: str,
    gallery: str,
    fragment: str = "",
    in_table: bool = False,
) -> str:
    """Image ``src`` (``fragment``: ``#only-light``, say) as a link that opens it in the
    lightbox; ``attributes`` are the image's own (attr_list), ``gallery`` names what the
    lightbox may step through, ``label`` ("Figure 2.1") describes it there. ``in_table``:
    written in a table row, where ``|`` would end the cell."""
    image = f"![{_escape_alt(alt, in_table)}]({src}{fragment}){{ {attributes} }}"
    link = (
        f'.glightbox .{ZOOM_CLASS} data-type="image" data-gallery="{gallery}" '
        f'data-alt="{_attribute(alt)}" data-description="{_attribute(label)}"'
    )
    return f"[{image}]({src}{fragment}){{ {link} }}"


def scheme_images(
    record: FigureRecord,
    alt: str,
    label: str,
    root: str,
    attributes: str,
    separator: str = "\n",
    in_table: bool = False,
    gallery: str = "fig",
) -> str:
    """The figure's image in each scheme, each opening in the lightbox: a gallery of one,
    named ``gallery-name-scheme`` (unique on the print page, which has every figure and
    the index of figures)."""
    return separator.join(
        zoomable_image(
            alt,
            f"{root}{path}",
            attributes,
            label,
            f"{gallery}-{record.name}-{scheme}",
            f"#only-{scheme}",
            in_table,
        )
        for scheme, path in record.outputs.pages.items()
    )


def download_links(
    record: FigureRecord,
    root: str,
    scheme: str,
    title: Callable[[str, str], str] = lambda ext, scheme: ext.upper(),
    kinds: Sequence[str] = DOWNLOADS,
) -> str:
    """The downloads of ``record`` in ``scheme`` that it has, of the ``kinds`` given, as
    Markdown links (so the builder checks and rewrites them) named by ``title(ext,
    scheme)``: "SVG · PDF · PNG" by default; "" when it has none."""
    return " · ".join(
        f'[{title(ext, scheme)}]({root}{path}){{ download="{path.rpartition("/")[2]}" }}'
        for ext in kinds
        if (path := record.outputs.downloads.get(download_key(ext, scheme)))
    )


def figure_html(
    name: str, alt: str, caption: str, label: str, record: FigureRecord, root: str
) -> str:
    """The ``<figure>`` of figure ``name``, as Markdown nested in HTML; links start at
    ``root`` (the site root, for the builder to make relative)."""
    size = f'width="{record.size[0]}" height="{record.size[1]}" ' if record.size else ""
    images = scheme_images(record, alt, label, root, f"{size}loading=lazy")
    rows = []
    for scheme in SCHEMES:
        links = download_links(record, root, scheme, download_title)
        lead = f"Download {label}:" if scheme == SCHEMES[0] else f"For {scheme} slides:"
        if links:
            rows.append(f'<span class="convdemo-downloads">{lead} {links}</span>')
    return (
        f'<figure class="convdemo-figure" id="fig-{name}" markdown="span">\n'
        f"{images}\n"
        f'<figcaption markdown="span"><span class="convdemo-figure-number">{label}.</span> '
        f"{caption}\n" + "\n".join(rows) + "</figcaption>\n</figure>"
    )

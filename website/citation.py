"""How to cite the site and each of its pages, from ``CITATION.cff``.

``CITATION.cff`` is the one place the title, authors, version and release date are
written; this module turns it into a BibTeX entry and a plain-text line for one page.
Everything here is pure except ``load_release``, which reads that file.

A page is cited as a part of the site, for example::

    @misc{convdemo-padding,
      author       = {{convdemo contributors}},
      title        = {{Padding} --- in {Convolution in PyTorch, drawn by PyTorch}},
      howpublished = {\\url{https://convdemo.github.io/convdemo/padding/}},
      year         = {2026},
      month        = nov,
      note         = {Version 0.1.0},
      url          = {https://convdemo.github.io/convdemo/padding/},
    }

    convdemo contributors (2026, November 24). Padding. In Convolution in PyTorch,
    drawn by PyTorch (version 0.1.0). https://convdemo.github.io/convdemo/padding/
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from figures.config import ROOT

__all__ = ["CitationError", "Release", "figure_credit", "load_release", "page_citation"]

DEFAULT_CITATION = ROOT / "CITATION.cff"

#: English month names for the plain-text date; ``strftime`` would follow the locale.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: BibTeX's predefined month macros, written unbraced so every style spells them its way.
MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Each character classic BibTeX with pdflatex would choke on, and what to write instead.
# Braces become commands rather than \{ and \}: BibTeX counts \{ as a brace too, so an
# unmatched one would end the field early.
_LATEX_REPLACEMENTS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "×": r"{$\times$}",
    "−": r"{$-$}",
}
_LATEX_SPECIAL = re.compile("|".join(re.escape(char) for char in _LATEX_REPLACEMENTS))
_SAFE_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Characters a URL may hold here: it goes verbatim into \url{...} and a BibTeX field,
# where %, #, braces, backslashes and spaces would each need their own escaping.
_SAFE_URL = re.compile(r"https?://[A-Za-z0-9.\-]+(?::[0-9]+)?(?:/[A-Za-z0-9._~!$&'()*+,;=:@/?-]*)?")


class CitationError(ValueError):
    """A missing or invalid field in a citation file; the message names both."""


@dataclass(frozen=True)
class Release:
    """The site as released: what every page citation repeats.

    ``authors`` is one display name per author, joined with ", " (for this site the one
    entity "convdemo contributors"); ``date`` is ISO ``YYYY-MM-DD``; ``url`` is the
    site's address and ends in "/".
    """

    title: str
    authors: str
    version: str
    date: str
    url: str


def load_release(path: Path = DEFAULT_CITATION) -> Release:
    """Read the title, authors, version, release date and site url from a CFF file.

    Raises ``CitationError`` naming the file if it cannot be read, and naming the file
    and the field when a field is missing or not of the expected form.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CitationError(f"{path}: cannot read the citation file: {error}") from error
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CitationError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise CitationError(f"{path}: expected a mapping of CFF fields, got {type(data).__name__}")
    url = _text_field(data, "url", path)
    if not _SAFE_URL.fullmatch(url):
        raise CitationError(f"{path}: field 'url' is not a plain http(s) address: {url!r}")
    return Release(
        title=_text_field(data, "title", path),
        authors=_author_names(data, path),
        version=_text_field(data, "version", path),
        date=_release_date(data, path),
        url=url if url.endswith("/") else url + "/",
    )


def page_citation(release: Release, page_title: str, page_url: str, key: str) -> tuple[str, str]:
    """(BibTeX entry, plain-text citation) for one page of the site.

    ``key`` names the page in the BibTeX key ``convdemo-<key>`` and must be lowercase
    letters, digits and single hyphens. ``page_url`` must be an absolute http(s) address
    without spaces, braces, backslashes, ``%`` or ``#``. Citing the home page (whose title
    is the site's) gives the site's title once.
    """
    if not _SAFE_KEY.fullmatch(key):
        raise ValueError(f"citation key must match [a-z0-9]+(-[a-z0-9]+)*, got {key!r}")
    if not _SAFE_URL.fullmatch(page_url):
        raise ValueError(f"page url must be a plain absolute http(s) address, got {page_url!r}")
    page_title = " ".join(page_title.split())
    if not page_title:
        raise ValueError(f"page title must not be empty (page {page_url})")
    released = dt.date.fromisoformat(release.date)
    is_home = page_title == release.title
    return (
        _bibtex(release, page_title, page_url, key, released, is_home),
        _plain_text(release, page_title, page_url, released, is_home),
    )


def figure_credit(
    label: str, page_title: str, site_title: str, authors: str, address: str
) -> list[str]:
    """How to credit a figure under CC BY 4.0, in three lines: which figure of which page,
    the site and its authors, the licence, and the figure's own address."""
    return [f'{label} from "{page_title}", {site_title}', f"({authors}), CC BY 4.0,", address]


def _latex_escape(text: str) -> str:
    r"""``text`` with LaTeX's special characters escaped, × as ``{$\times$}``, − as ``{$-$}``.

    Everything else stays as it is (UTF-8, which pdflatex reads by default).
    """
    return _LATEX_SPECIAL.sub(lambda match: _LATEX_REPLACEMENTS[match.group()], text)


def _bibtex(
    release: Release, page_title: str, page_url: str, key: str, released: dt.date, is_home: bool
) -> str:
    # Each title is braced so styles that lowercase titles ("plain", "alpha") keep it as
    # written; the author is braced so BibTeX reads it as one corporate name.
    site = "{" + _latex_escape(release.title) + "}"
    title = site if is_home else "{" + _latex_escape(page_title) + "} --- in " + site
    fields = [
        ("author", "{{" + _latex_escape(release.authors) + "}}"),
        ("title", "{" + title + "}"),
        ("howpublished", "{\\url{" + page_url + "}}"),
        ("year", "{" + str(released.year) + "}"),
        ("month", MONTH_MACROS[released.month - 1]),
        ("note", "{Version " + _latex_escape(release.version) + "}"),
        ("url", "{" + page_url + "}"),
    ]
    body = "".join(f"  {name:<12} = {value},\n" for name, value in fields)
    return f"@misc{{convdemo-{key},\n{body}}}\n"


def _plain_text(
    release: Release, page_title: str, page_url: str, released: dt.date, is_home: bool
) -> str:
    date = f"{released.year}, {MONTH_NAMES[released.month - 1]} {released.day}"
    work = f"{release.title} (version {release.version})."
    if not is_home:
        stop = "" if page_title.endswith((".", "?", "!")) else "."
        work = f"{page_title}{stop} In {work}"
    return f"{release.authors} ({date}). {work} {page_url}"


def _text_field(data: dict[object, object], field: str, path: Path) -> str:
    value = data.get(field)
    # YAML reads an unquoted version such as 1.0 as a number; CFF allows that.
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        if value is None:
            raise CitationError(f"{path}: field {field!r} is missing")
        raise CitationError(f"{path}: field {field!r} must be non-empty text, got {value!r}")
    return value.strip()


def _author_names(data: dict[object, object], path: Path) -> str:
    authors = data.get("authors")
    if authors is None:
        raise CitationError(f"{path}: field 'authors' is missing")
    if not isinstance(authors, list) or not authors:
        raise CitationError(f"{path}: field 'authors' must be a non-empty list, got {authors!r}")
    names = []
    for index, author in enumerate(authors):
        if not isinstance(author, dict):
            raise CitationError(f"{path}: field 'authors[{index}]' must be a mapping")
        # An entity has a name; a person has given and family names.
        if "name" in author:
            parts = [author["name"]]
        else:
            parts = [author.get(part) for part in ("given-names", "name-particle", "family-names")]
        words = [str(part).strip() for part in parts if part is not None and str(part).strip()]
        if not words:
            raise CitationError(
                f"{path}: field 'authors[{index}]' needs 'name' or 'family-names', got {author!r}"
            )
        names.append(" ".join(words))
    return ", ".join(names)


def _release_date(data: dict[object, object], path: Path) -> str:
    value = data.get("date-released")
    if value is None:
        raise CitationError(f"{path}: field 'date-released' is missing")
    # Unquoted, YAML reads 2026-11-24 as a date already; quoted, it is text.
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise CitationError(f"{path}: field 'date-released' must be a date YYYY-MM-DD, got {value!r}")

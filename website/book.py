"""The book: every chapter of the site on one HTML page made for paper, to print as a PDF.

The chapters come as the site renders them (their HTML before the theme wraps it), in
the order of the navigation. For paper each is changed, and nothing else:

* an animation shows its storyboard, every step numbered, instead of its player;
* a figure shows its light image, without its download links;
* anchors are prefixed with the chapter (``padding--rings-of-zeros``; a figure keeps
  ``fig-NAME``, which is unique on the site), links between chapters become links within
  the book, links to anything else the page's address on the site;
* exercises (``??? question``) are printed open and numbered ("Exercise 2.1"), and each
  answer (a ``??? success`` inside one) moves to the appendix, by chapter;
* the chapter's citation, which the book gives once, on its second page, is dropped.

A cover, a colophon and the contents come first; the contents take the page numbers
the printer found (``website.book_print``). Every image is a local file: ``locate``
turns a path of the site into its file's URL. Pure: no file is read.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CHROMIUM",
    "CONTENTS",
    "BookChapter",
    "BookError",
    "BookInfo",
    "BookPage",
    "book_page",
    "chapter_anchor",
    "shown_files",
]

#: Debian's Chromium; ``CONVDEMO_CHROMIUM`` names another (the tests name a missing one).
CHROMIUM = Path(os.environ.get("CONVDEMO_CHROMIUM") or "/usr/bin/chromium")

ANSWERS = "answers"
#: The contents' element, which the printer numbers in the loaded page.
CONTENTS = "nav.book-contents"
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_STAGE = re.compile(r'<div class="convdemo-stage">.*?</svg>\s*</div>', re.DOTALL)
_PLAYER = re.compile(r'<div class="convdemo-player"[^>]*>\s*</div>')
_STEPS = re.compile(r'<script\b[^>]*\bclass="convdemo-steps"[^>]*>.*?</script>', re.DOTALL)
_DOWNLOADS = re.compile(r'\s*<span class="convdemo-downloads">.*?</span>', re.DOTALL)
_DARK_IMAGE = re.compile(r'<img\b[^>]*\bsrc="[^"]*#only-dark"[^>]*>\s*')
_SLIDES = re.compile(r'<p class="convdemo-slides">.*?</p>\s*', re.DOTALL)
_CITATION = re.compile(r'<h2 id="cite-this-page">.*\Z', re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'\bhref="([^"]*)"')
_SRC = re.compile(r'\bsrc="([^"]*)"')
_LAZY = re.compile(r'\s+loading="lazy"')
_DETAILS = re.compile(r"<details\b([^>]*)>|</details>")
_CLASS = re.compile(r'\bclass="([^"]*)"')
_SUMMARY = re.compile(r"\s*<summary>(.*?)</summary>", re.DOTALL)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


class BookError(ValueError):
    """The book cannot be made; the message says which chapter and why."""


@dataclass(frozen=True)
class BookChapter:
    """A chapter as the site rendered it: ``url`` is its address under the site root
    (``padding/``), ``html`` its content."""

    number: int
    title: str
    url: str
    html: str


@dataclass(frozen=True)
class BookInfo:
    title: str
    description: str
    authors: str
    version: str
    date: str  # as printed: "24 November 2026"
    url: str  # the site's address, ending in "/"
    licence: str  # "Text and figures CC BY 4.0, code MIT"
    citation: str  # how to cite the site, plain text


@dataclass
class _Answer:
    exercise: str  # "2.1"
    question: str
    body: str


def chapter_anchor(chapter: BookChapter) -> str:
    return "chapter-" + (chapter.url.strip("/").replace("/", "-") or "home")


def _slug(chapter: BookChapter) -> str:
    return chapter.url.strip("/").replace("/", "-") or "home"


def _balanced(text: str, start: int) -> int:
    """The end of the ``<details>`` element that opens at ``start``."""
    depth = 0
    for match in _DETAILS.finditer(text, start):
        depth += 1 if match.group(0).startswith("<details") else -1
        if depth == 0:
            return match.end()
    raise BookError("a <details> element is not closed")


def _classes(attributes: str) -> list[str]:
    match = _CLASS.search(attributes)
    return match.group(1).split() if match else []


def _exercises(text: str, chapter: BookChapter) -> tuple[str, list[_Answer]]:
    """Exercises open and numbered, their answers taken out, in order, for the appendix."""
    answers: list[_Answer] = []
    out: list[str] = []
    position, count, question = 0, 0, ""
    while (match := _DETAILS.search(text, position)) is not None:
        out.append(text[position : match.start()])
        position = match.end()
        if match.group(0) == "</details>":
            out.append("</div>")
            continue
        classes = _classes(match.group(1))
        summary = _SUMMARY.match(text, position)
        title = summary.group(1).strip() if summary else ""
        if "success" in classes:  # an answer: to the appendix, a pointer left behind
            end = _balanced(text, match.start())
            body = text[summary.end() if summary else position : end - len("</details>")]
            answers.append(_Answer(f"{chapter.number}.{count}", question, body))
            anchor = f"answer-{chapter.number}-{len(answers)}"
            out.append(
                f'<p class="book-answer-ref"><a href="#{anchor}">The answer</a> is at the end '
                "of the book.</p>"
            )
            position = end
            continue
        anchor = ""
        if "question" in classes:
            count += 1
            # The site may number its questions already ("2.1 Predict the shape").
            question = title.removeprefix(f"{chapter.number}.{count} ")
            title = question
            title = f"Exercise {chapter.number}.{count}" + (f". {title}" if title else "")
            anchor = f' id="exercise-{chapter.number}-{count}"'
        kinds = " ".join(name for name in classes if name != "open")
        out.append(
            f'<div class="admonition {kinds}"{anchor}><p class="admonition-title">{title}</p>'
        )
        position = summary.end() if summary else position
    out.append(text[position:])
    return "".join(out), answers


def _link(
    target: str, chapter: BookChapter, slug: str, chapters: Mapping[str, BookChapter], site: str
) -> str:
    """Where a link of the chapter leads in the book."""
    if target.startswith("#"):
        fragment = target[1:]
        return target if fragment.startswith("fig-") else f"#{slug}--{fragment}"
    if _EXTERNAL.match(target):
        return target
    path, _, fragment = target.partition("#")
    resolved = posixpath.normpath(posixpath.join(chapter.url, path))
    resolved = "" if resolved == "." else resolved + ("/" if path.endswith("/") else "")
    other = chapters.get(resolved)
    if other is None:  # not in the book: the page on the site
        return site + resolved + (f"#{fragment}" if fragment else "")
    if not fragment:
        return f"#{chapter_anchor(other)}"
    return f"#{fragment}" if fragment.startswith("fig-") else f"#{_slug(other)}--{fragment}"


def _chapter(
    chapter: BookChapter,
    chapters: Mapping[str, BookChapter],
    locate: Callable[[str], str],
    site: str,
) -> tuple[str, list[_Answer]]:
    """One chapter's HTML for paper, and the answers taken out of it."""
    slug = _slug(chapter)
    text = _on_paper(chapter)
    text = _ID.sub(
        lambda m: m.group(0) if m.group(1).startswith("fig-") else f'id="{slug}--{m.group(1)}"',
        text,
    )
    text = _HREF.sub(
        lambda m: (
            f'href="{html.escape(_link(html.unescape(m.group(1)), chapter, slug, chapters, site))}"'
        ),
        text,
    )

    def source(match: re.Match[str]) -> str:
        return f'src="{html.escape(locate(_shown(chapter, match.group(1))))}"'

    text = _SRC.sub(source, text)
    return _exercises(text, chapter)


def _on_paper(chapter: BookChapter) -> str:
    """The chapter's HTML without what paper cannot show or does not need."""
    text = _CITATION.sub("", chapter.html)
    for pattern in (_HEADERLINK, _STAGE, _PLAYER, _STEPS, _DOWNLOADS, _DARK_IMAGE, _SLIDES, _LAZY):
        text = pattern.sub("", text)
    return text


def _shown(chapter: BookChapter, source: str) -> str:
    """The site path of a file the chapter shows (an escaped ``src``)."""
    target = html.unescape(source).partition("#")[0]
    if _EXTERNAL.match(target):
        raise BookError(f"chapter {chapter.number} loads {target} from another host")
    return posixpath.normpath(posixpath.join(chapter.url, target))


def shown_files(chapters: Sequence[BookChapter]) -> list[str]:
    """The site paths of the files the chapters show on paper, each once, in order: the
    paths ``book_page`` will ask ``locate`` for."""
    found = (_shown(c, source) for c in chapters for source in _SRC.findall(_on_paper(c)))
    return list(dict.fromkeys(found))


def _contents(entries: Sequence[tuple[str, str, str]], pages: Mapping[str, int]) -> str:
    rows = "".join(
        f'<li><a href="#{anchor}"><span class="book-toc-number">{number}</span>'
        f'<span class="book-toc-title">{html.escape(title)}</span>'
        f'<span class="book-toc-page">{pages.get(anchor, 888)}</span></a></li>'
        for anchor, number, title in entries
    )
    return f'<nav class="book-contents"><h1>Contents</h1><ol>{rows}</ol></nav>'


def _front(info: BookInfo) -> str:
    url = html.escape(info.url)
    return (
        '<section class="book-cover">'
        f'<h1 class="book-title">{html.escape(info.title)}</h1>'
        f'<p class="book-subtitle">{html.escape(info.description)}</p>'
        f'<p class="book-authors">{html.escape(info.authors)}</p>'
        f'<p class="book-edition">Version {html.escape(info.version)} · {info.date}</p>'
        f'<p class="book-address"><a href="{url}">{url}</a></p></section>'
        '<section class="book-colophon">'
        f"<p>{html.escape(info.title)}, version {html.escape(info.version)}, {info.date}: the "
        f'website at <a href="{url}">{url}</a>, on paper. The same build makes both: every '
        "figure is drawn, and every number computed, by the code of the convdemo package.</p>"
        "<p>Figures are numbered as on the site. Animations are printed as storyboards, "
        "every step numbered; on the site they play.</p>"
        f"<p>{html.escape(info.licence)}. Reuse a figure with credit: its number, the title, "
        "the authors, the licence and the figure's address on the site.</p>"
        f'<p class="book-citation">Cite as: {html.escape(info.citation)}</p></section>'
    )


def _appendix(found: Sequence[tuple[BookChapter, list[_Answer]]]) -> str:
    parts = [f'<section class="book-answers" id="{ANSWERS}"><h1>Answers to the exercises</h1>']
    for chapter, answers in found:
        if not answers:
            continue
        parts.append(f"<h2>Chapter {chapter.number}. {html.escape(chapter.title)}</h2>")
        for number, answer in enumerate(answers, start=1):
            asked = not answer.exercise.endswith(".0")
            title = f"Exercise {answer.exercise}" if asked else f"Chapter {chapter.number}"
            title += f". {answer.question}" if answer.question else ""
            back = (
                f'<p class="book-back"><a href="#exercise-{answer.exercise.replace(".", "-")}">'
                "Back to the exercise</a></p>"
                if asked
                else ""
            )
            parts.append(
                f'<div class="admonition success" id="answer-{chapter.number}-{number}">'
                f'<p class="admonition-title">{title}</p>{answer.body}{back}</div>'
            )
    parts.append("</section>")
    return "".join(parts)


@dataclass(frozen=True)
class BookPage:
    """The book's HTML, its contents with placeholders for page numbers, and the
    contents' entries (anchor, number, title), to number them (``contents``)."""

    html: str
    entries: tuple[tuple[str, str, str], ...]

    def contents(self, pages: Mapping[str, int]) -> str:
        """The contents (the element ``CONTENTS``), each entry on its page."""
        return _contents(self.entries, pages)


def book_page(
    chapters: Sequence[BookChapter],
    info: BookInfo,
    locate: Callable[[str], str],
    styles: Sequence[str],
    css: str,
) -> BookPage:
    """The whole book as one HTML page, its contents not yet numbered.

    ``locate(path)`` gives the URL of a site path's file (it raises ``BookError`` for one
    it does not know); ``styles`` are the stylesheets' URLs, ``css`` the book's own rules.
    """
    by_url = {chapter.url: chapter for chapter in chapters}
    sections, found = [], []
    for chapter in chapters:
        body, answers = _chapter(chapter, by_url, locate, info.url)
        found.append((chapter, answers))
        sections.append(
            f'<section class="book-chapter" id="{chapter_anchor(chapter)}">'
            f'<p class="book-chapter-number">Chapter {chapter.number}</p>{body}</section>'
        )
    entries = [(chapter_anchor(c), str(c.number), c.title) for c in chapters]
    if any(answers for _, answers in found):
        entries.append((ANSWERS, "", "Answers to the exercises"))
        sections.append(_appendix(found))
    links = "".join(f'<link rel="stylesheet" href="{html.escape(url)}">' for url in styles)
    document = (
        f'<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8">'
        f"<title>{html.escape(info.title)}</title>{links}<style>{css}</style></head>"
        '<body data-md-color-scheme="default" data-md-color-primary="indigo">'
        f'<div class="md-typeset">{_front(info)}{_contents(entries, {})}'
        f"{''.join(sections)}</div></body></html>\n"
    )
    return BookPage(document, tuple(entries))

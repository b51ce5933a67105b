"""The exercises' page markup, a Python-Markdown extension like ``website.markup``.

A chapter ends with a section ``## Exercises`` of question blocks (pymdownx.details)::

    ??? question "Predict the shape"
        The question, in Markdown.

        ??? tip "Hint"
            Optional, any number of them.

        ??? success "Answer"
            The worked answer, step by step.

            :::explorer ex-padding-shape

This extension opens the section with a line on how it works and where the worksheet is,
and numbers each question within its chapter ("2.1 Predict the shape", as figures are
"Figure 2.1"), so inserting one renumbers the rest. ``:::explorer NAME``
becomes a link to the explorer set to the layer of numbers entry ``NAME`` (its
``explorer`` value) when the site has an explorer page, and nothing otherwise.

``:::exercise-sheet questions`` becomes every chapter's questions, open and without
hints or answers, so that nothing but the questions can be printed; ``:::exercise-sheet
answers`` every question with its worked answer, open. A builder hands the extension the
chapters' exercises (``collect``) and, per page, its chapter number. It runs before the
page markup, which then fills in the ``{{ … }}`` numbers of everything written here.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from website.numbers import PageError

__all__ = [
    "ChapterExercises",
    "Exercise",
    "ExerciseMarkup",
    "collect",
    "exercise_label",
    "exercise_sheet",
    "explorer_links",
    "makeExtension",
    "number_exercises",
    "parse_exercises",
]

#: The heading of a chapter's exercises, and the anchor of that section.
SECTION = "Exercises"
_SECTION = re.compile(rf"^##[ \t]+{SECTION}[ \t]*$", re.MULTILINE)
_NEXT_SECTION = re.compile(r"^##?[ \t]", re.MULTILINE)
_QUESTION = re.compile(r'^\?\?\?[ \t]+question[ \t]+"(.*)"[ \t]*$', re.MULTILINE)
_NESTED = re.compile(r'^\?\?\?[ \t]+(success|tip)[ \t]+"(.*)"[ \t]*$')
_EXPLORER = re.compile(r"^([ \t]*):::explorer[ \t]+([a-z0-9-]+)[ \t]*$", re.MULTILINE)
_SHEET = re.compile(r"^:::exercise-sheet[ \t]+(\S+)[ \t]*$", re.MULTILINE)
_SAME_PAGE_LINK = re.compile(r"\]\(#")
INDENT = " " * 4
SHEETS = ("questions", "answers")
#: What a chapter's exercises section says first, before its questions.
INTRO = (
    "Each answer, worked step by step, folds open under its question. The "
    "[worksheet]({root}worksheet.md) gathers every chapter's questions for print, and the "
    "[answer key]({root}answers.md) their answers."
)


def exercise_label(chapter: int | None, position: int) -> str:
    """ "2.1": the first exercise of chapter 2 (just "1" outside the chapters)."""
    return f"{chapter}.{position}" if chapter is not None else str(position)


@dataclass(frozen=True)
class Exercise:
    """One question block: its title, its question (Markdown, unindented), its hints'
    bodies and its answer's body."""

    title: str
    question: str
    hints: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class ChapterExercises:
    """A chapter's exercises: its page (path under ``docs/``), number and title."""

    page: str
    chapter: int
    title: str
    exercises: tuple[Exercise, ...]


def _blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Top-level blocks of unindented ``lines``: each opening line with its indented body
    (blank lines inside kept), dedented; text between blocks is returned as ``("", …)``."""
    blocks: list[tuple[str, list[str]]] = []
    for line in lines:
        inside = blocks and blocks[-1][0] and (not line.strip() or line.startswith(INDENT))
        if inside:
            blocks[-1][1].append(line[len(INDENT) :])
        elif line.startswith("???"):
            blocks.append((line, []))
        elif not blocks or blocks[-1][0]:
            blocks.append(("", [line]))
        else:
            blocks[-1][1].append(line)
    return blocks


def _text(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")


def parse_exercises(text: str, page: str = "page") -> tuple[Exercise, ...]:
    """The exercises of a page's ``## Exercises`` section (none if it has no such section).

    Raises ``PageError`` for a question without exactly one answer, or with a figure in it
    (a figure is placed once, and the sheets repeat the question elsewhere).
    """
    start = _SECTION.search(text)
    if start is None:
        return ()
    end = _NEXT_SECTION.search(text, start.end())
    section = text[start.end() : end.start() if end else len(text)]
    found = []
    for opening, body in _blocks(section.splitlines()):
        match = _QUESTION.match(opening)
        if match is None:
            continue
        title = match.group(1)
        question: list[str] = []
        hints: list[str] = []
        answers: list[str] = []
        for inner, inner_body in _blocks(body):
            kind = _NESTED.match(inner)
            if kind is None:
                question += ([inner] if inner else []) + inner_body
            else:
                (answers if kind.group(1) == "success" else hints).append(_text(inner_body))
        if len(answers) != 1:
            raise PageError(
                f"{page}: exercise {title!r} needs one answer block, has {len(answers)}"
            )
        if ":::figure" in "\n".join(body):
            raise PageError(f"{page}: exercise {title!r} places a figure; link to it instead")
        found.append(Exercise(title, _text(question), tuple(hints), answers[0]))
    return tuple(found)


def collect(sources: Mapping[str, str], chapters: Mapping[str, int]) -> list[ChapterExercises]:
    """Every chapter's exercises, in chapter order: ``sources`` maps a page to its Markdown
    and ``chapters`` a chapter's page to its number."""
    collected = []
    for page, chapter in sorted(chapters.items(), key=lambda item: item[1]):
        text = sources.get(page, "")
        title = re.search(r"^#[ \t]+(.+?)[ \t]*$", text, re.MULTILINE)
        exercises = parse_exercises(text, page)
        if exercises:
            name = title.group(1) if title else page
            collected.append(ChapterExercises(page, chapter, name, exercises))
    return collected


def number_exercises(text: str, chapter: int | None) -> str:
    """Each top-level question block's title prefixed with its number in the chapter."""
    count = 0

    def number(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f'??? question "{exercise_label(chapter, count)} {match.group(1)}"'

    return _QUESTION.sub(number, text)


def explorer_links(text: str, explorer: bool, root: str = "/") -> str:
    """``:::explorer NAME`` lines as links to the explorer on entry ``NAME``'s setting, or
    removed when the site has no explorer page."""

    def link(match: re.Match[str]) -> str:
        if not explorer:
            return ""
        indent, name = match.groups()
        target = f"{root}explorer.md#{{{{ {name}.explorer }}}}"
        return f"{indent}[Open this setting in the explorer]({target})"

    return _EXPLORER.sub(link, text)


def _indented(text: str, depth: int) -> str:
    return textwrap.indent(text, INDENT * depth, lambda line: bool(line.strip()))


def exercise_sheet(which: str, chapters: Sequence[ChapterExercises], root: str = "/") -> str:
    """Every chapter's questions (``which="questions"``), or every question with its worked
    answer (``"answers"``), as open blocks under a heading per chapter."""
    if which not in SHEETS:
        raise PageError(f":::exercise-sheet takes one of {SHEETS}, got {which!r}")
    parts = []
    for chapter in chapters:
        link = f"{root}{chapter.page}"
        parts.append(
            f"## {chapter.chapter}. {chapter.title}\n\nFrom [{chapter.title}]({link}#exercises)."
        )
        for position, exercise in enumerate(chapter.exercises, start=1):
            label = exercise_label(chapter.chapter, position)
            # A link within the chapter ("#fig-padding-none") points at the chapter now.
            question = _SAME_PAGE_LINK.sub(f"]({link}#", exercise.question)
            block = f'!!! question "{label} {exercise.title}"\n\n{_indented(question, 1)}'
            if which == "answers":
                answer = _SAME_PAGE_LINK.sub(f"]({link}#", exercise.answer)
                block += f'\n\n{INDENT}!!! success "Answer"\n\n{_indented(answer, 2)}'
            parts.append(block)
    return "\n\n".join(parts)


class _Expand(Preprocessor):
    def __init__(self, md: Markdown, extension: ExerciseMarkup) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "??? question" not in text and ":::" not in text:
            return lines
        extension = self.extension
        root = extension.getConfig("root")
        try:
            text = _SHEET.sub(
                lambda match: exercise_sheet(match.group(1), extension.chapters, root), text
            )
        except PageError as error:
            raise extension.fail(f"{extension.page}: {error}") from None
        if "??? question" in text:
            intro = INTRO.format(root=root)
            text = _SECTION.sub(lambda match: f"{match.group(0)}\n\n{intro}", text, count=1)
        text = number_exercises(text, extension.chapter)
        return explorer_links(text, extension.explorer, root).split("\n")


class ExerciseMarkup(Extension):
    """Numbered questions, explorer links and the exercise sheets (see the module).

    A builder sets ``chapters`` (from ``collect``), ``explorer`` (whether the site has an
    explorer page), and per page ``page`` and ``chapter``; ``fail`` is the exception type
    its error reporting expects.
    """

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"root": ["/", "prefix of links to pages"]}
        super().__init__(**kwargs)
        self.page = "page"
        self.chapter: int | None = None
        self.chapters: Sequence[ChapterExercises] = ()
        self.explorer = False
        self.fail: Callable[[str], Exception] = PageError

    def extendMarkdown(self, md: Markdown) -> None:
        # Before the page markup (priority 100), which fills in the numbers written here.
        md.preprocessors.register(_Expand(md, self), "convdemo_exercises", 110)


def makeExtension(**kwargs: Any) -> ExerciseMarkup:
    return ExerciseMarkup(**kwargs)

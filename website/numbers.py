"""Numbers in page text: ``{{ entry.key }}`` replaced by the value the figure build computed.

``{{ padding-none.out }}`` becomes the value ``out`` of the entry ``padding-none`` (a
figure's facts or a numbers entry). After a colon comes a format:

* a Python format spec: ``{{ ops.direct:, }}`` gives 7,225,344, ``{{ ops.saving:.0% }}``
  gives 91%;
* ``words`` or ``Words``: a whole number from zero to twenty as a word ("one",
  "Four"), so a count written in words is computed like any other;
* ``singular|plural``: the word that agrees with the number, as in
  ``{{ x.pad:words }} {{ x.pad:ring|rings }} of zeros``.

A value of several lines (a grid, a piece of code) keeps the indentation of the line it
is placed on, so it stays inside the block that holds it.

An article just before a number agrees with it: "a {{ x.size }}" gives "an 8", "a
{{ x.n:words }}" gives "an eight". Every ``{{ … }}`` must name a known value: a typo
fails the build instead of showing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["NUMBER_WORDS", "PageError", "article", "number_word", "substitute_numbers"]

#: Whole numbers as words, by value.
NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty",
)  # fmt: skip

_NUMBER = re.compile(r"\{\{(.*?)\}\}")  # a literal start: scanning a page stays fast
# The article just before a number ("a {{ padding.size }}" becomes "an 8"); a capital
# "A" or "An" counts only where a sentence starts. Looked for in a short window.
_ARTICLE = re.compile(r"(?<!\w)([Aa]n?)(\s+)$")
_ARTICLE_WINDOW = 40
_REFERENCE = re.compile(r"^\s*([a-z0-9-]+)\.([A-Za-z_]\w*)\s*(?::(.*?))?\s*$")


class PageError(ValueError):
    """A page refers to an unknown number or figure, or a block is malformed."""


def number_word(value: object) -> str:
    """``value`` as a word ("four"); raises ``ValueError`` for anything but a whole number
    from zero to twenty (larger counts read better as digits)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(NUMBER_WORDS):
        raise ValueError(f"{value!r} is not a whole number from 0 to {len(NUMBER_WORDS) - 1}")
    return NUMBER_WORDS[value]


def _format(value: object, spec: str) -> str:
    """``value`` shown as ``spec`` says (see the module's docstring)."""
    if spec in ("words", "Words"):
        word = number_word(value)
        return word.capitalize() if spec == "Words" else word
    if "|" in spec:
        singular, _, plural = spec.partition("|")
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ValueError(f"{value!r} is not a number to agree with")
        return singular if value == 1 else plural
    return format(value, spec)


def article(number: str) -> str | None:
    """ "an" before a number read with a vowel first (8, 11, 18, 80, 800, 11,000, eight,
    eleven…), "a" before another number, None for text that is not a number.

    The reading starts with the leading group of up to three digits ("11" of 11,000): an
    eight, eleven or eighteen. A minus sign makes it "a" ("a minus eight").
    """
    if re.match(r"[−-]\d", number):
        return "a"
    word = number.lower()
    if word in NUMBER_WORDS:
        return "an" if word.startswith(("eight", "eleven")) else "a"
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


def substitute_numbers(
    text: str,
    page: str,
    numbers: Mapping[str, Mapping[str, Any]],
    fail: Callable[[str], Exception] = PageError,
) -> str:
    """``text`` with every ``{{ entry.key[:format] }}`` replaced; ``page`` names the page
    in messages, and ``fail`` makes the exception raised for a bad reference."""

    def number(written: str, placeholder: str) -> str:
        reference = _REFERENCE.match(placeholder)
        if reference is None:
            raise fail(f"{page}: {written!r} is not of the form {{{{ entry.name }}}}")
        entry, name, spec = reference.groups()
        if entry not in numbers or name not in numbers[entry]:
            known = ", ".join(f"{e}.{n}" for e in sorted(numbers) for n in sorted(numbers[e]))
            raise fail(f"{page}: unknown number '{entry}.{name}' (known: {known})")
        value = numbers[entry][name]
        try:
            shown = _format(value, spec or "")
        except ValueError as error:
            raise fail(f"{page}: format '{spec}' for {entry}.{name}: {error}") from None
        # A typographic minus sign for negative numbers, as in the figures.
        return "−" + shown[1:] if isinstance(value, int | float) and shown[:1] == "-" else shown

    pieces: list[str] = []
    done = 0  # text[:done] is in pieces
    for match in _NUMBER.finditer(text):
        value = number(match.group(0), match.group(1))
        if "\n" in value:  # a grid or code: its lines keep the indentation of the first
            line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
            value = value.replace("\n", "\n" + line[: len(line) - len(line.lstrip())])
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

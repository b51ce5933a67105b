"""The pages quote no typed numbers: every size, count or percentage is a ``{{ … }}`` value.

Digits may remain only where they are not a claim about the data: names ("1×1
convolution"), the defaults that define a concept ("stride 1"), the constants of a
formula ("(k − 1)/2"), list numbering and code. Everything else must come from the
numbers entries, so prose and code cannot disagree.
"""

from __future__ import annotations

import re

import pytest

from figures.config import ROOT

PAGES = sorted((ROOT / "docs").glob("*.md"))

# What is removed before looking for digits: code, values computed at build time,
# identifiers with digits in them (conv2d, w1, x0), links' targets.
REMOVED = [
    re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL),  # fenced code
    re.compile(r"`[^`\n]*`"),  # inline code
    re.compile(r"\{\{.*?\}\}"),  # computed numbers
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"\b[A-Za-z]+\d+[A-Za-z\d]*\b"),  # identifiers: conv2d, w1, MobileNet2
    re.compile(r"^\s*\d+\.\s", re.MULTILINE),  # ordered-list numbering
    re.compile(r"^:::figure .*$", re.MULTILINE),  # figure names: transposed-stride-2
]
# Digits that are not claims about the data, each with its reason.
ALLOWED = [
    r"1×1",  # the name of the operation
    r"\b(?:[Ss]tride|[Dd]ilation)[ -]1\b",  # the default that defines the concept
    r"− 1\)/2",  # the halving in (k − 1)/2
    r"− 1\b",  # the − 1 of the size formulas: d(k − 1), s − 1 zeros
    r"180°",  # a half turn, the definition of flipping a kernel
    r"\+ 1\b",  # the + 1 of the size formulas
    r"\b0 and 1\b",  # the range of pixel values
    r"\b(?:larger than|above) 1\b",  # what makes a stride a down-sampling one
    r"\bweights 1 to 9\b",  # the demo kernel's weights, chosen to be traceable
    r"\bvalues 1 to 4\b",  # the demo input of the transposed-convolution figures
    r"\bCC BY 4\.0\b",  # the name of the licence
    r"\bfilter [1-9]\b",  # the names of the feature-map panels ("filter 2's maps")
    r"\b(?:19|20)\d\d\)",  # the year closing a citation: "(Distill, 2016)"
    r"\b[123]-D\b",  # the name of a kind of convolution: 1-D, 2-D
]
_ALLOWED = re.compile("|".join(f"(?:{pattern})" for pattern in ALLOWED))


def typed_numbers(text: str) -> list[str]:
    for pattern in REMOVED:
        text = pattern.sub(" ", text)
    text = _ALLOWED.sub(" ", text)
    return [
        text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " ")
        for m in re.finditer(r"\d", text)
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_no_typed_numbers_in_prose(page):
    assert typed_numbers(page.read_text()) == []


def test_the_check_catches_a_typed_number():
    assert typed_numbers("The output is 6×6.") != []
    assert typed_numbers("The output is {{ padding.valid }}×{{ padding.valid }}.") == []


# An exercise's numbers are its data, in code as much as in prose: in the exercises,
# only the computed values, identifiers and the definitional digits above may hold one.
EXERCISES = re.compile(r"^## Exercises[ \t]*$(.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)
EXERCISE_REMOVED = [REMOVED[2], REMOVED[3], REMOVED[4]]  # computed, link targets, identifiers


def typed_numbers_in_exercises(text: str) -> list[str]:
    found = []
    for section in EXERCISES.findall(text):
        for pattern in EXERCISE_REMOVED:
            section = pattern.sub(" ", section)
        section = _ALLOWED.sub(" ", section)
        found += [
            section[max(0, m.start() - 30) : m.end() + 30] for m in re.finditer(r"\d", section)
        ]
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_exercises_type_no_number_even_in_code(page):
    assert typed_numbers_in_exercises(page.read_text()) == []


def test_the_exercise_check_reads_code_too():
    section = '## Exercises\n\n??? question "Q"\n    `nn.Conv2d(1, 1, 3)`\n'
    assert typed_numbers_in_exercises(section) != []
    assert typed_numbers_in_exercises(section.replace("(1, 1, 3)", "{{ ex.layer }}")) == []
    computed = section.replace("(1, 1, 3)", "{{ ex.layer }}")
    assert typed_numbers_in_exercises(computed + "\n## Cite this page\n\n`(1, 2)`\n") == []


# Counts written as words are claims too ("Four chapters", "one ring of zeros"): from two
# up, and the multiplicatives, a word must come from a number (``{{ x.n:words }}``)
# unless it names the structure of the text or a figure rather than the data.
NUMBER_WORDS = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|hundred|thousand|twice|thrice"
    r"|half|halves|quarters?|tenths?|double|triple|every other)\b",
    re.IGNORECASE,
)
# "one" is mostly a pronoun; before a unit of the data it is a count.
ONE_OF_A_UNIT = re.compile(
    r"\b(?:one|single)[ -](?:rings?|rows?|columns?|zeros?|cells?|pixels?|positions?|taps?)\b",
    re.IGNORECASE,
)
WORDS_ALLOWED = [
    r"\btwo arrays\b",  # what a convolution combines: its definition
    r"\bthree-dimensional\b",  # what an image tensor is (channels, height, width)
    r"\bthe two (?:differ|sides|maps of each pair)\b",  # a pair, by definition
    r"\bthe two +by +results\b",  # the figure's two results, side by side
    r"\bTwo rows of\b",  # before and after ReLU: the layout of every feature-map figure
    r"\bTwo +by +(?:grids|maps)\b",  # before and after: the layout of the figure
    r"\bFour panels\b|\bThree grids\b",  # the layout of a figure, fixed by its code
    r"\bTwo (?:details matter|remedies)\b",  # the text counting its own list
    r"\bone cell at a time\b",  # stride 1, the definition of the default
    r"\bone column from each row\b",  # how a convolution matrix is laid out
]
# A phrase may be wrapped over lines: its spaces match any run of white space.
_WORDS_ALLOWED = re.compile(
    "|".join("(?:" + re.sub(r" \+?", r"\\s+", pattern) + ")" for pattern in WORDS_ALLOWED)
)


def typed_number_words(text: str) -> list[str]:
    for pattern in REMOVED:
        text = pattern.sub(" ", text)
    text = _WORDS_ALLOWED.sub(" ", text)
    found = [*NUMBER_WORDS.finditer(text), *ONE_OF_A_UNIT.finditer(text)]
    return [text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " ") for m in found]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_no_count_typed_as_a_word(page):
    assert typed_number_words(page.read_text()) == []


def test_the_word_check_catches_a_typed_count_and_passes_a_computed_one():
    assert typed_number_words("One ring of zeros is enough.") != []
    assert typed_number_words("Four chapters have a notebook.") != []
    assert typed_number_words("It skips every other position.") != []
    computed = "{{ padding-same.pad:Words }} {{ padding-same.pad:ring|rings }} of zeros."
    assert typed_number_words(computed) == []

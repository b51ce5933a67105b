"""The registry is well-formed: unique names, real functions, parameters they accept."""

from __future__ import annotations

import inspect

import pytest

from figures.config import ROOT
from figures.registry import ENTRIES, FIGURES, NOTEBOOKS, NUMBERS
from figures.render import resolve
from figures.spec import PHOTO, figure


def test_names_are_unique_across_figures_and_numbers():
    names = [spec.name for spec in ENTRIES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    "spec", [s for s in ENTRIES if s.kind != "notebook"], ids=lambda spec: spec.name
)
def test_each_function_exists_and_accepts_its_parameters(spec):
    for function in (spec.function, spec.facts):
        if function is not None:  # the drawing and its facts take the same parameters
            signature = inspect.signature(resolve(function))
            signature.bind(**spec.params)  # raises TypeError on a missing or unknown one


def test_every_figure_has_its_numbers_from_the_same_declaration():
    """A caption quotes its figure's own numbers: every figure names a facts function."""
    assert [spec.name for spec in FIGURES if spec.facts is None] == []


def test_notebook_entries_name_their_files():
    for spec in NOTEBOOKS:
        assert spec.name == "notebook-" + spec.main_file.removeprefix("notebooks/").removesuffix(
            ".ipynb"
        )
        assert (ROOT / spec.function).is_file()


def test_kinds_and_formats():
    assert all(spec.kind == "figure" and spec.ext in ("svg", "webp") for spec in FIGURES)
    assert all(spec.kind == "numbers" for spec in NUMBERS)
    # Photographs are raster; diagrams are vector.
    for spec in FIGURES:
        assert (spec.ext == "webp") == spec.uses_photo, spec.name


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: figure("Bad Name", "convdemo.grids:padding_grid"), "lower-case"),
        (lambda: figure("ok", "convdemo.grids.padding_grid"), "module:attribute"),
        (lambda: figure("ok", "convdemo.grids:padding_grid", ext="gif"), "ext must be"),
        (lambda: figure("ok", "convdemo.grids:padding_grid", size={1, 2}), "plain data"),
        (lambda: figure("ok", "convdemo.grids:padding_grid", facts="facts"), "facts 'facts'"),
    ],
)
def test_malformed_entries_are_rejected_with_their_name(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_photo_placeholder_is_recognised():
    assert figure("p", "convdemo.maps:photo", image=PHOTO).uses_photo
    assert not figure("g", "convdemo.grids:padding_grid").uses_photo

"""Every exercise, whatever its chapter: a kind, code that prints its answer, worked steps
whose arithmetic holds, and an explorer link that opens on its own layer.

The chapters' tests (``test_<chapter>.py``) recompute each exercise's numbers with
PyTorch; these check what every answer shows against what it claims.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from convdemo.exercises.kit import KINDS, kind_of, shape_text
from figures.registry import ENTRIES, EXERCISES
from figures.render import resolve
from tests.assets.jsengine import Module
from tests.convdemo.exercises.worked import chains, evaluate, facts, run_code, step_values

NAMES = [spec.name for spec in EXERCISES]
EXPLORER = Path(__file__).resolve().parents[3] / "docs" / "assets" / "explorer" / "arithmetic.js"


def test_exercises_are_entries_named_for_their_chapter():
    assert {spec.name for spec in EXERCISES} <= {spec.name for spec in ENTRIES}
    for spec in EXERCISES:
        chapter = spec.function.removeprefix("convdemo.exercises.").partition(":")[0]
        assert spec.kind == "numbers"
        assert spec.name.startswith(f"ex-{chapter.replace('_', '-')}-"), spec.name


@pytest.mark.parametrize("spec", EXERCISES, ids=NAMES)
def test_every_exercise_function_is_marked_with_a_kind(spec):
    assert kind_of(resolve(spec.function)) in KINDS


@pytest.fixture(scope="module")
def all_facts():
    return {name: facts(name) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_the_code_an_answer_shows_prints_the_answer_it_gives(name, all_facts):
    shown = all_facts[name]
    assert run_code(shown["code"]) == shown["result"]


@pytest.mark.parametrize("name", NAMES)
def test_every_worked_step_holds(name, all_facts):
    worked = {key: value for key, value in all_facts[name].items() if key.endswith("steps")}
    for key, text in worked.items():
        for chain in chains(text):
            values = step_values(chain)
            assert len(values) >= 2, (key, chain)
            assert len(set(values)) == 1, (key, chain)


def test_the_step_check_catches_wrong_arithmetic():
    assert len(set(step_values("⌊(7 + 2·1 − 3) / 2⌋ + 1 = ⌊6 / 2⌋ + 1 = 4"))) == 1
    assert len(set(step_values("⌊(7 + 2·1 − 3) / 2⌋ + 1 = 5"))) == 2
    assert len(set(step_values("(−1)·2 + 0.5·4 = 0"))) == 1
    assert step_values("n − k + 1 = 8 − 3 + 1 = 6") == [6, 6]
    assert step_values("max(1, 0, 4) = 4") == [4, 4]
    assert chains("n − k + 1\n= 8 − 3 + 1\n= 6\n\nk = 3") == ["n − k + 1 = 8 − 3 + 1 = 6", "k = 3"]
    assert step_values("⌊−1 / 3⌋ + 1 = 0") == [0, 0]
    with pytest.raises(ValueError, match="arithmetic"):
        evaluate("__import__('os')")


@pytest.fixture(scope="module")
def explorer():
    with Module(EXPLORER, "explorer") as module:
        yield module


def test_every_explorer_link_opens_the_exercise_s_own_layer(all_facts, explorer):
    """The hash is the explorer's canonical form of the setting, and the explorer makes of
    it what the answer says: the same output shape, or the same error. Answers about one
    layer link; those the explorer cannot set (a hand computation on given values,
    channels last, a whole network, autograd) do not."""
    linked = {name: shown for name, shown in all_facts.items() if "explorer" in shown}
    assert 3 * len(linked) >= len(all_facts), sorted(set(all_facts) - set(linked))
    for name, shown in linked.items():
        parsed = explorer.call("parseHash", shown["explorer"])
        assert parsed["problems"] == [], name
        assert explorer.call("formatHash", parsed["state"]) == shown["explorer"], name
        result = explorer.call("evaluate", parsed["state"])
        if "error" in shown:
            assert not result["ok"], name
            assert (result["errorType"], result["error"]) == (
                shown["error_type"],
                shown["error"],
            ), name
        else:
            assert result["ok"], (name, result)
            assert shape_text(result["outputShape"]) == shown["output"], name

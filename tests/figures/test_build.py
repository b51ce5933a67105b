"""The figure build: cache hits and misses, damaged caches, atomic output, clear errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace

import pytest

from figures.build import BuildError, build
from figures.config import ROOT
from figures.keys import KeyMaker
from figures.spec import PHOTO, figure, numbers
from tests.conftest import make_config

GRID = "convdemo.grids:padding_grid"
ENTRIES = (
    figure("grid-a", GRID, size=4, kernel_size=3, padding=0),
    figure("grid-b", GRID, size=5, kernel_size=3, padding=1),
    figure("photo-small", "convdemo.maps:photo", image=PHOTO, ext="webp"),
    numbers("photo-size", "convdemo.maps:photo_facts", image=PHOTO),
)


def quiet(line: str) -> None:
    pass


def test_first_build_renders_everything_and_second_renders_nothing(config):
    first = build(ENTRIES, config, log=quiet)
    assert sorted(first.rendered) == sorted(e.name for e in ENTRIES) and not first.cached
    second = build(ENTRIES, config, log=quiet)
    assert second.rendered == [] and len(second.cached) == len(ENTRIES)


def test_changing_one_figures_parameters_renders_only_that_one(config):
    build(ENTRIES, config, log=quiet)
    changed = (
        replace(ENTRIES[0], params={"size": 6, "kernel_size": 3, "padding": 0}),
        *ENTRIES[1:],
    )
    assert build(changed, config, log=quiet).rendered == ["grid-a"]


def test_changing_the_photo_renders_only_what_uses_it(config):
    build(ENTRIES, config, log=quiet)
    bigger = replace(config, photo_max_side=40)
    assert sorted(build(ENTRIES, bigger, log=quiet).rendered) == ["photo-size", "photo-small"]
    assert json.loads((bigger.cache_dir / ENTRIES[3].main_file).read_text())["height"] == 40


def test_unchanged_output_is_never_rewritten(config):
    build(ENTRIES, config, log=quiet)
    path = config.cache_dir / ENTRIES[0].main_file
    before = path.stat()
    report = build(ENTRIES, config, force=True, log=quiet)
    assert len(report.rendered) == len(ENTRIES)
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_names_limit_the_build(config):
    assert build(ENTRIES, config, names=["grid-b"], log=quiet).rendered == ["grid-b"]
    with pytest.raises(KeyError, match="unknown figure 'nope'"):
        build(ENTRIES, config, names=["nope"], log=quiet)


@pytest.mark.parametrize("damage", ["truncate", "delete", "flip"])
def test_a_damaged_output_is_detected_and_rebuilt(config, damage):
    build(ENTRIES, config, log=quiet)
    path = config.cache_dir / ENTRIES[1].main_file
    good = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(good[: len(good) // 2])
    elif damage == "delete":
        path.unlink()
    else:
        path.write_bytes(good[:-2] + bytes([good[-2] ^ 1]) + good[-1:])
    assert build(ENTRIES, config, log=quiet).rendered == ["grid-b"]
    assert path.read_bytes() == good


@pytest.mark.parametrize("garbage", [b"", b"{not json", b'{"version": 99}', b"[]"])
def test_a_damaged_manifest_is_detected_and_everything_rebuilt(config, garbage):
    build(ENTRIES, config, log=quiet)
    config.manifest_path.write_bytes(garbage)
    messages: list[str] = []
    report = build(ENTRIES, config, log=messages.append)
    assert len(report.rendered) == len(ENTRIES)
    if garbage:
        assert any("manifest" in m and "rebuilding" in m for m in messages)
    assert build(ENTRIES, config, log=quiet).rendered == []


def test_leftovers_of_killed_builds_and_removed_entries_are_cleared(config):
    build(ENTRIES, config, log=quiet)
    stray = config.cache_dir / "figures" / ".grid-a.svg.12345.tmp"
    stray.write_bytes(b"half a fig")
    build(ENTRIES[1:], config, log=quiet)
    assert not stray.exists()
    assert not (config.cache_dir / ENTRIES[0].main_file).exists()
    assert "grid-a" not in json.loads(config.manifest_path.read_text())["entries"]


def test_a_failing_figure_is_named_with_its_cause_and_the_others_still_render(config):
    bad = figure("grid-bad", GRID, size=4, kernel_size=3, padding=-1)
    with pytest.raises(BuildError) as raised:
        build((bad, *ENTRIES), config, log=quiet)
    message = str(raised.value)
    assert "figure 'grid-bad'" in message and "padding must be at least 0, got -1" in message
    assert build(ENTRIES, config, log=quiet).rendered == []  # the good ones were cached


def test_a_function_returning_no_figure_is_an_error(config):
    wrong = figure("not-a-figure", "convdemo.grids:padding_facts", size=8, kernel_size=3)
    with pytest.raises(BuildError, match=r"not-a-figure.*expected a matplotlib Figure"):
        build((wrong,), config, log=quiet)


def test_a_missing_photo_names_the_path(tmp_path):
    config = make_config(tmp_path / "cache", photo=str(tmp_path / "gone.jpg"))
    with pytest.raises(BuildError, match=r"photo-small: photo not found: .*gone\.jpg"):
        build(ENTRIES, config, log=quiet)


def test_a_corrupt_photo_names_the_path_and_the_figure(tmp_path):
    corrupt = tmp_path / "broken.jpg"
    corrupt.write_bytes(b"\xff\xd8 this is not a jpeg")
    config = make_config(tmp_path / "cache", photo=str(corrupt))
    with pytest.raises(BuildError) as raised:
        build(ENTRIES, config, log=quiet)
    assert "figure 'photo-small'" in str(raised.value)
    assert f"cannot read image {corrupt}" in str(raised.value)


def run_cli(*args: str, cache) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CONVDEMO_CACHE_DIR=str(cache))
    return subprocess.run(
        [sys.executable, "-m", "figures", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_cli_list_prints_every_figure_name(tmp_path):
    from figures.registry import FIGURES

    result = run_cli("list", cache=tmp_path)
    assert result.returncode == 0
    assert result.stdout.split() == [spec.name for spec in FIGURES]


def test_cli_unknown_name_is_a_usage_error(tmp_path):
    result = run_cli("build", "no-such-figure", cache=tmp_path)
    assert result.returncode == 2 and "unknown figure 'no-such-figure'" in result.stderr


def test_cli_warm_build_loads_neither_torch_nor_matplotlib(tmp_path):
    """The build process itself never needs them: renders run in worker processes (or,
    with one job, import them only when something is stale)."""
    probe = (
        "import sys; from figures.__main__ import main; "
        "code = main(['build', 'padding-none', 'input-photo', 'size-formula']); "
        "print(code, 'torch' in sys.modules, 'matplotlib' in sys.modules)"
    )
    env = dict(os.environ, CONVDEMO_CACHE_DIR=str(tmp_path))

    def run() -> list[str]:
        return subprocess.run(
            [sys.executable, "-c", probe],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        ).stdout.splitlines()

    cold = run()
    assert cold[-1].startswith("0 ") and sum(line.startswith("rendered ") for line in cold) == 3
    warm = run()
    assert warm[-1] == "0 False False"
    assert warm[0].startswith("figure build: 0 rendered,")


def test_keys_are_taken_before_anything_renders(tmp_path, monkeypatch):
    """A source saved during a build is not recorded as the source of older output."""
    import figures.build as build_module
    import figures.workers as workers_module

    tree = tmp_path / "tree"
    for package in ("convdemo", "figures"):
        shutil.copytree(
            ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    config = make_config(tmp_path / "cache")
    original = workers_module.render_entry
    edited = []

    def render_then_edit(spec, config):
        data = original(spec, config)
        if not edited:  # the first render is done; now someone saves grids.py
            grids = tree / "convdemo" / "grids.py"
            grids.write_text(grids.read_text() + "\n# saved mid-build\n")
            edited.append(True)
        return data

    monkeypatch.setattr(workers_module, "render_entry", render_then_edit)
    monkeypatch.setattr(build_module, "KeyMaker", lambda c: KeyMaker(c, root=tree))
    build(ENTRIES[:2], config, log=quiet)
    monkeypatch.setattr(workers_module, "render_entry", original)
    # Both grids were recorded with the old text's key, so both are out of date now.
    assert sorted(outdated_with(tree, config)) == ["grid-a", "grid-b"]


def outdated_with(tree, config):
    from figures.build import _is_current
    from figures.manifest import read_entries

    maker = KeyMaker(config, root=tree)
    manifest = read_entries(config.manifest_path)
    return [
        s.name
        for s in ENTRIES[:2]
        if not _is_current(config, s, maker.key(s), manifest.get(s.name))
    ]


def test_duplicate_names_are_refused(config):
    twin = figure("grid-a", GRID, size=5, kernel_size=3, padding=0)
    with pytest.raises(KeyError, match=r"used more than once: \['grid-a'\]"):
        build((*ENTRIES, twin), config, log=quiet)


def outputs_of(config) -> dict[str, bytes]:
    return {
        path.relative_to(config.cache_dir).as_posix(): path.read_bytes()
        for folder in ("figures", "numbers")
        for path in sorted((config.cache_dir / folder).iterdir())
    }


def test_several_processes_write_the_same_bytes_as_one(tmp_path):
    one, two = make_config(tmp_path / "one"), make_config(tmp_path / "two")
    assert sorted(build(ENTRIES, one, jobs=1, log=quiet).rendered) == sorted(
        build(ENTRIES, two, jobs=2, log=quiet).rendered
    )
    assert outputs_of(one) == outputs_of(two)
    assert build(ENTRIES, two, jobs=2, log=quiet).rendered == []  # and the cache holds


def test_with_several_processes_a_failure_is_named_and_the_rest_render(config):
    broken = figure("broken", GRID, size=2, kernel_size=3, padding=0)  # kernel too big
    with pytest.raises(BuildError, match=r"figure 'broken' .*spans 3 cells") as raised:
        build((*ENTRIES, broken), config, jobs=2, log=quiet)
    assert "grid-a" not in str(raised.value)
    assert build(ENTRIES, config, log=quiet).rendered == []  # the others were written


def test_a_figure_and_its_numbers_come_from_one_declaration(config):
    spec = figure("grid", GRID, facts="convdemo.grids:padding_facts", size=6, kernel_size=3,
                  padding=0)  # fmt: skip
    build([spec], config, log=quiet)
    numbers_file = config.cache_dir / spec.outputs.numbers
    assert json.loads(numbers_file.read_text())["out"] == 4
    bigger = replace(spec, params={**spec.params, "size": 9})
    assert build([bigger], config, log=quiet).rendered == ["grid"]
    assert json.loads(numbers_file.read_text())["out"] == 7  # the numbers followed


def test_a_facts_function_that_fails_fails_its_figure(config):
    spec = figure("grid", GRID, facts="convdemo.grids:stride_positions_facts", size=6,
                  kernel_size=3, padding=0)  # fmt: skip
    with pytest.raises(BuildError, match=r"figure 'grid' .*unexpected keyword argument"):
        build([spec], config, log=quiet)


def test_the_manifest_reports_the_digest_of_every_output_file(config):
    import hashlib

    from figures.manifest import Manifest

    build(ENTRIES[:1], config, log=quiet)
    digests = Manifest.load(config.cache_dir).file_digests()
    assert set(digests) == set(ENTRIES[0].files)
    for path, digest in digests.items():
        assert digest == hashlib.sha256((config.cache_dir / path).read_bytes()).hexdigest()


def test_the_checkpoint_after_each_entry_is_the_same_manifest_on_one_line(config, tmp_path):
    """After each entry the build writes the manifest fast, unindented; the last write is
    the readable one. Both say the same."""
    from figures.manifest import read_entries, write_entries

    build(ENTRIES[:2], config, log=quiet)
    entries = read_entries(config.manifest_path)
    assert len(config.manifest_path.read_text().splitlines()) > len(entries)  # indented
    checkpoint = tmp_path / "checkpoint.json"
    write_entries(checkpoint, entries, readable=False)
    assert len(checkpoint.read_text().splitlines()) == 1
    assert read_entries(checkpoint) == entries

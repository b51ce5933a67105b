"""Shared fixtures: a figure-build configuration with its own cache in a temporary folder,
and a copy of the project built once for every test that reads the built site."""

from __future__ import annotations

from pathlib import Path

import pytest

from figures.config import DEFAULT_CONFIG, Config
from figures.weight import browser, serve
from tests.sitebuild import copy_project, mkdocs


def make_config(cache: Path, photo: str = "matplotlib:grace_hopper.jpg", max_side: int = 48):
    return Config(photo, max_side, cache, DEFAULT_CONFIG)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path / "cache")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A copy of the project after one successful strict build (cold cache)."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    project.joinpath("build.log").write_text(result.stderr)
    return project


@pytest.fixture(scope="session")
def site(built) -> Path:
    return built / "site"


@pytest.fixture(scope="session")
def base(site):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    with browser() as instance:
        yield instance

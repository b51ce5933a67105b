"""Shared fixtures: a figure-build configuration with its own cache in a temporary folder,
and a copy of the project built once for every test that reads the built site.

Tests are in two tiers, marked by folder. ``tests/integration/`` runs whole programs:
site builds, the figure build in its own processes, notebooks in kernels, the site in a
browser (marker ``integration``). Every other folder is the fast tier, unit tests that
mirror the modules (``make check`` runs ``-m "not integration"``). Under pytest-xdist the
built site is made once for all workers.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

if os.environ.get("PYTEST_XDIST_WORKER"):
    # One process per core already: PyTorch's own threads on top would oversubscribe the
    # cores, and its OpenMP workers spin while they wait, slowing every worker down.
    os.environ.setdefault("OMP_NUM_THREADS", "1")

from checks.browser import browser, serve
from figures.config import DEFAULT_CONFIG, Config
from tests.integration.project import copy_project, mkdocs


def make_config(cache: Path, photo: str = "matplotlib:grace_hopper.jpg", max_side: int = 48):
    return Config(photo, max_side, cache, DEFAULT_CONFIG)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path / "cache")


INTEGRATION = Path(__file__).parent / "integration"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if INTEGRATION in item.path.parents:
            item.add_marker(pytest.mark.integration)


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for this test run: shared by the xdist workers, private to the run."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project after one successful strict build (cold cache), made by
    whichever worker gets there first; the others wait for it and read it."""
    shared = _shared_folder(tmp_path_factory)
    project = shared / "built-project"
    with open(shared / "built.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (project / "build.log").is_file():
            copy_project(project)
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

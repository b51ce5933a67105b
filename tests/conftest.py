"""Shared fixtures: a figure-build configuration with its own cache in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from figures.config import DEFAULT_CONFIG, Config


def make_config(cache: Path, photo: str = "matplotlib:grace_hopper.jpg", max_side: int = 48):
    return Config(photo, max_side, cache, DEFAULT_CONFIG)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path / "cache")

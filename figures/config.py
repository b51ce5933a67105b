"""The figure build's settings: ``figures/config.toml`` and where the cache lives."""

from __future__ import annotations

import importlib.util
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from convdemo.examples import PHOTO_SIDE

__all__ = ["ROOT", "Config", "ConfigError", "load_config"]

#: The repository root: the folder holding ``figures/``, ``convdemo/`` and ``mkdocs.yml``.
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "figures" / "config.toml"
#: Environment variable that moves the cache (tests and benchmarks use their own).
CACHE_ENV = "CONVDEMO_CACHE_DIR"
_SAMPLE_PREFIX = "matplotlib:"


class ConfigError(ValueError):
    """An invalid setting; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    photo_source: str
    photo_max_side: int
    cache_dir: Path
    path: Path

    @property
    def manifest_path(self) -> Path:
        return self.cache_dir / "manifest.json"

    def photo_path(self) -> Path:
        """The photo file, resolved without importing matplotlib.

        Raises ``FileNotFoundError`` naming the path and this config file.
        """
        if self.photo_source.startswith(_SAMPLE_PREFIX):
            spec = importlib.util.find_spec("matplotlib")
            if spec is None or not spec.submodule_search_locations:
                raise FileNotFoundError(f"{self.path}: photo.source needs matplotlib installed")
            package = Path(next(iter(spec.submodule_search_locations)))
            name = self.photo_source.removeprefix(_SAMPLE_PREFIX)
            path = package / "mpl-data" / "sample_data" / name
        else:
            path = Path(self.photo_source)
            if not path.is_absolute():
                path = ROOT / path
        if not path.is_file():
            raise FileNotFoundError(
                f"photo not found: {path} (photo.source = {self.photo_source!r} in {self.path})"
            )
        return path


def load_config(path: Path = DEFAULT_CONFIG) -> Config:
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        raise ConfigError(f"figure build config not found: {path}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    photo = data.get("photo", {})
    source = photo.get("source", _SAMPLE_PREFIX + "grace_hopper.jpg")
    max_side = photo.get("max_side", PHOTO_SIDE)
    if not isinstance(source, str) or not source:
        raise ConfigError(f"{path}: photo.source must be a non-empty string, got {source!r}")
    if isinstance(max_side, bool) or not isinstance(max_side, int) or max_side < 0:
        raise ConfigError(f"{path}: photo.max_side must be an integer ≥ 0, got {max_side!r}")
    cache_dir = Path(os.environ.get(CACHE_ENV) or ROOT / ".cache" / "convdemo").resolve()
    return Config(source, max_side, cache_dir, Path(path))

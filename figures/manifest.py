"""The figure cache's manifest: what every entry last produced, and the one reader of it.

``manifest.json`` in the cache maps each entry's name to its kind, function, cache key,
output files (with their hash and size/time stamp) and their roles (``Outputs``). The
figure build writes it, always atomically and only after the files it describes; the site
reads figures, numbers and notebooks from it through ``Manifest``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from figures.spec import Outputs

__all__ = [
    "MANIFEST_VERSION",
    "FigureRecord",
    "Manifest",
    "ManifestError",
    "read_entries",
    "write_atomic",
    "write_entries",
]

#: 2: entries record their function; 3: every file of an entry; 4: paths in the cache
#: and the role of each output.
MANIFEST_VERSION = 4


class ManifestError(ValueError):
    """The manifest is missing, damaged or of another version; the message says which."""


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; True if written.

    A temporary file in the same folder is renamed into place, so a reader (or a build
    killed half-way) sees the old bytes or the new ones, never a mix.
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
    return True


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise ManifestError(f"no manifest at {path}") from None
    except (OSError, ValueError) as error:
        raise ManifestError(f"manifest {path} is damaged ({error})") from None
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        raise ManifestError(f"manifest {path} has an unknown format")
    entries = data.get("entries")
    if not isinstance(entries, dict):
        raise ManifestError(f"manifest {path} has no entries")
    return entries


def read_entries(path: Path, log: Callable[[str], None] = print) -> dict[str, Any]:
    """The raw entries, as the build keeps them, or ``{}`` (and a note) if there are none
    to trust: the build then renders everything again."""
    try:
        return _load(path)
    except ManifestError as error:
        if path.exists():
            log(f"cache {error}; rebuilding")
        return {}


def write_entries(path: Path, entries: Mapping[str, Any], readable: bool = True) -> None:
    """Write the manifest; ``readable=False`` on one line, for the build's checkpoint after
    each entry (indenting takes Python's slow JSON encoder, 4 times the time)."""
    indent = 1 if readable else None
    document = {"version": MANIFEST_VERSION, "entries": entries}
    text = json.dumps(document, indent=indent, sort_keys=True, separators=(",", ": "))
    write_atomic(path, (text + "\n").encode())


@dataclass(frozen=True)
class FigureRecord:
    """A figure as the build left it: its drawing function, files and size on the page."""

    name: str
    function: str
    outputs: Outputs
    size: tuple[int, int] | None


@dataclass(frozen=True)
class Manifest:
    """The manifest of one cache, read once. Raises ``ManifestError`` if unusable."""

    cache_dir: Path
    entries: Mapping[str, Any]

    @classmethod
    def load(cls, cache_dir: Path) -> Manifest:
        return cls(cache_dir, _load(cache_dir / "manifest.json"))

    def _of_kind(self, kind: str) -> dict[str, Any]:
        return {name: entry for name, entry in self.entries.items() if entry.get("kind") == kind}

    def figures(self) -> dict[str, FigureRecord]:
        """Figures and animations: everything a page places with ``:::figure``."""
        try:
            return {
                name: FigureRecord(
                    name,
                    entry["function"],
                    Outputs.from_json(entry["outputs"]),
                    (int(entry["size"][0]), int(entry["size"][1])) if entry.get("size") else None,
                )
                for name, entry in self.entries.items()
                if entry.get("kind") in ("figure", "animation")
            }
        except (KeyError, TypeError, AttributeError) as error:
            raise ManifestError(f"manifest in {self.cache_dir} is damaged ({error!r})") from None

    def numbers(self) -> dict[str, dict[str, Any]]:
        """Every entry's quoted values, figures' facts included: ``{entry: {key: value}}``."""
        values = {}
        for name, entry in self.entries.items():
            path = (entry.get("outputs") or {}).get("numbers")
            if path:
                try:
                    values[name] = json.loads((self.cache_dir / path).read_text())
                except (OSError, ValueError) as error:
                    raise ManifestError(f"numbers of '{name}' unreadable ({error})") from None
        return values

    def notebooks(self) -> dict[str, Path]:
        """Each notebook's path under ``docs/`` (``notebooks/x.ipynb``) → its executed copy."""
        return {
            entry["function"].removeprefix("docs/"): self.cache_dir / entry["outputs"]["notebook"]
            for entry in self._of_kind("notebook").values()
        }

    def file_digests(self) -> dict[str, str]:
        """The SHA-256 of every output file, by its path in the cache, as recorded."""
        return {
            path: facts["sha256"]
            for entry in self.entries.values()
            for path, facts in (entry.get("files") or {}).items()
            if isinstance(facts, dict) and "sha256" in facts
        }

    def figure_files(self) -> list[str]:
        """The page images, storyboards and downloads of every figure and animation,
        relative to the cache, sorted: the files a site publishes (at the same paths).
        An animation's inline SVG and steps are read into its page instead."""
        return sorted(
            {
                path
                for record in self.figures().values()
                for path in (
                    *record.outputs.pages.values(),
                    *record.outputs.downloads.values(),
                    *([record.outputs.storyboard] if record.outputs.storyboard else []),
                )
            }
        )

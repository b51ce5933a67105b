"""Cache keys: a digest of everything that can change what an entry renders.

A key covers the entry (name, function, parameters, format), the source of the module
that defines its function and of every project module that module imports, directly or
not (found by reading the source, not importing it), the rendering code, the versions
of the libraries that draw, and the photo's bytes when the entry uses it. Reading a few
small files and hashing them is all a warm build does.
"""

from __future__ import annotations

import ast
import hashlib
import json
from importlib import metadata
from pathlib import Path

from figures.config import ROOT, Config
from figures.spec import Spec

__all__ = ["KeyMaker"]

#: Bump to invalidate every cache entry after a change to how entries are saved.
KEY_VERSION = 1
#: Project packages whose sources are tracked; everything else is covered by versions.
PROJECT_PACKAGES = ("convdemo", "figures")
#: Code that shapes every output: how figures are styled and saved.
RENDERING_MODULES = ("convdemo.style", "figures.render")
LIBRARIES = ("matplotlib", "numpy", "pillow", "torch")


def _module_file(module: str, root: Path) -> Path | None:
    if module.split(".")[0] not in PROJECT_PACKAGES:
        return None
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_modules(path: Path, module: str) -> set[str]:
    """Modules named by the import statements anywhere in a source file."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            # `from package import submodule` imports the submodule too.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


class KeyMaker:
    """Computes keys for one build, reading and hashing each file once."""

    def __init__(self, config: Config, root: Path = ROOT) -> None:
        self.config = config
        self.root = root
        self._file_digests: dict[Path, str] = {}
        self._closures: dict[str, tuple[Path, ...]] = {}
        self._photo_digest: str | None = None
        versions = {}
        for library in LIBRARIES:
            try:
                versions[library] = metadata.version(library)
            except metadata.PackageNotFoundError:
                versions[library] = "absent"
        self._versions = versions
        self._rendering = self._sources(RENDERING_MODULES)

    def _digest(self, path: Path) -> str:
        if path not in self._file_digests:
            self._file_digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
        return self._file_digests[path]

    def closure(self, module: str) -> tuple[Path, ...]:
        """Source files of ``module`` and every project module it imports, transitively."""
        if module not in self._closures:
            seen: dict[str, Path] = {}
            pending = [module]
            while pending:
                name = pending.pop()
                path = _module_file(name, self.root)
                if name in seen or path is None:
                    continue
                seen[name] = path
                pending.extend(_imported_modules(path, name))
            if module not in seen:
                raise ModuleNotFoundError(f"no module {module!r} under {self.root}")
            self._closures[module] = tuple(sorted(set(seen.values())))
        return self._closures[module]

    def _sources(self, modules: tuple[str, ...]) -> dict[str, str]:
        files = sorted({path for module in modules for path in self.closure(module)})
        return {path.relative_to(self.root).as_posix(): self._digest(path) for path in files}

    def photo_digest(self) -> str:
        if self._photo_digest is None:
            path = self.config.photo_path()
            self._photo_digest = hashlib.sha256(
                f"{self.config.photo_max_side}:".encode() + path.read_bytes()
            ).hexdigest()
        return self._photo_digest

    def key(self, spec: Spec) -> str:
        module = spec.function.partition(":")[0]
        parts = {
            "version": KEY_VERSION,
            "entry": [spec.name, spec.kind, spec.function, spec.ext, spec.params_json()],
            "sources": self._sources((module,)),
            "rendering": self._rendering,
            "libraries": self._versions,
            "photo": self.photo_digest() if spec.uses_photo else None,
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

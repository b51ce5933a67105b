"""Cache keys: a digest of everything that can change what an entry renders.

A key covers the entry (name, function, facts function, parameters, format), the source
of the modules that define its functions and of every project module they import, directly or
not (found by reading the source, not importing it), the rendering code, the code that
loads the photo when the entry uses it, the versions
of the libraries that draw, and the photo's bytes when the entry uses it. Reading a few
small files and hashing them is all a warm build does.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from pathlib import Path

from figures.config import ROOT, Config
from figures.spec import Spec

__all__ = ["KeyMaker"]

#: Bump to invalidate every cache entry after a change to how entries are saved.
KEY_VERSION = 1
#: Project packages whose sources are tracked; everything else is covered by versions.
PROJECT_PACKAGES = ("convdemo", "figures")
#: Code that shapes every output: how figures are styled, saved, and how the photo is
#: handed to them.
RENDERING_MODULES = ("convdemo.style", "figures.render", "figures.animate")
#: Code that turns the photo file into the tensor photo entries receive.
PHOTO_MODULES = ("figures.photo",)
#: Code that executes notebooks.
NOTEBOOK_MODULES = ("figures.notebooks", "figures.kernels", "figures.server")
#: Distributions that draw or compute, with the package each installs.
LIBRARIES = {"matplotlib": "matplotlib", "numpy": "numpy", "pillow": "PIL", "torch": "torch"}


# A package's __init__.py runs before any of its modules, but is not followed here: it
# only re-exports (tests/test_keys.py enforces that), so it cannot change what a module
# computes, and following it would make every entry depend on every module.
def _module_file(module: str, root: Path) -> Path | None:
    if module.split(".")[0] not in PROJECT_PACKAGES:
        return None
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


# Import statements, found by pattern rather than by parsing: a scan over text is several
# times faster than ast, and a false match (say, in a docstring) only adds a dependency.
_FROM_IMPORT = re.compile(
    r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE
)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n]+)", re.MULTILINE)


_COMMENT = re.compile(r"#[^\n]*")


def _imported_modules(path: Path, module: str) -> set[str]:
    """Modules named by the import statements anywhere in a source file."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return _imports_in(path.read_text(), package)


def _notebook_code(path: Path) -> str:
    """The code cells of a notebook, as one text."""
    cells = json.loads(path.read_text())["cells"]
    return "\n".join(
        "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for cell in cells
        if cell.get("cell_type") == "code"
    )


def _imports_in(source: str, package: str) -> set[str]:
    """Modules named by the import statements in Python source; ``package`` resolves
    relative imports."""
    # Comments out, continuation lines joined: an import then reads as one statement.
    # (A '#' inside a string also cuts the rest of its line, never an import.)
    text = _COMMENT.sub("", source).replace("\\\n", " ")
    found: set[str] = set()
    for line in _IMPORT.findall(text):
        found.update(part.split()[0] for part in line.split(",") if part.strip())
    for dots, name, imported in _FROM_IMPORT.findall(text):
        if dots:
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - len(dots) + 1])
            target = f"{base}.{name}" if name else base
        else:
            target = name
        found.add(target)
        # `from package import submodule` imports the submodule too.
        names = imported.strip().strip("()")
        found.update(f"{target}.{part.split()[0]}" for part in names.split(",") if part.strip())
    return found


def _library_versions() -> dict[str, str]:
    """Installed versions, read from the ``*.dist-info`` folder names next to each package.

    ``importlib.metadata`` scans every entry of ``sys.path`` and costs several times more.
    """
    versions = {}
    for distribution, module in LIBRARIES.items():
        spec = importlib.util.find_spec(module)
        version = "absent"
        if spec is not None and spec.submodule_search_locations:
            site = Path(next(iter(spec.submodule_search_locations))).parent
            prefix = f"{distribution}-".lower()
            for entry in os.listdir(site):
                if entry.lower().startswith(prefix) and entry.endswith(".dist-info"):
                    version = entry[len(prefix) : -len(".dist-info")]
        versions[distribution] = version
    return versions


class KeyMaker:
    """Computes keys for one build, reading and hashing each file once."""

    def __init__(self, config: Config, root: Path = ROOT) -> None:
        self.config = config
        self.root = root
        self._file_digests: dict[Path, str] = {}
        self._closures: dict[str, tuple[Path, ...]] = {}
        self._source_sets: dict[tuple[str, ...], dict[str, str]] = {}
        self._module_files: dict[str, Path | None] = {}
        self._photo_digest: str | None = None
        self._module_digests: dict[tuple[str, ...], str] = {}
        # What every key shares, serialised once.
        self._common = json.dumps(
            [KEY_VERSION, self._sources(RENDERING_MODULES), _library_versions()], sort_keys=True
        )

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
                path = self._file_of(name)
                if name in seen or path is None:
                    continue
                seen[name] = path
                pending.extend(_imported_modules(path, name))
            if module not in seen:
                raise ModuleNotFoundError(f"no module {module!r} under {self.root}")
            self._closures[module] = tuple(sorted(set(seen.values())))
        return self._closures[module]

    def _sources(self, modules: tuple[str, ...]) -> dict[str, str]:
        if modules not in self._source_sets:
            files = sorted({path for module in modules for path in self.closure(module)})
            self._source_sets[modules] = {
                path.relative_to(self.root).as_posix(): self._digest(path) for path in files
            }
        return self._source_sets[modules]

    def photo_digest(self) -> str:
        if self._photo_digest is None:
            path = self.config.photo_path()
            self._photo_digest = hashlib.sha256(
                f"{self.config.photo_max_side}:".encode() + path.read_bytes()
            ).hexdigest()
        return self._photo_digest

    def _photo_part(self) -> str:
        """The photo's bytes and settings, and the code that loads it."""
        return self.photo_digest() + json.dumps(self._sources(PHOTO_MODULES), sort_keys=True)

    def _notebook_key(self, spec: Spec) -> str:
        """The notebook's bytes, the project modules its code imports, the executor."""
        path = self.root / spec.function
        imported = sorted(
            name
            for name in _imports_in(_notebook_code(path), "")
            if self._file_of(name) is not None
        )
        parts = [
            self._common,
            self._digest(path),
            json.dumps(self._sources((*imported, *NOTEBOOK_MODULES)), sort_keys=True),
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def _file_of(self, module: str) -> Path | None:
        if module not in self._module_files:
            self._module_files[module] = _module_file(module, self.root)
        return self._module_files[module]

    def key(self, spec: Spec) -> str:
        if spec.kind == "notebook":
            return self._notebook_key(spec)
        modules = tuple(
            sorted(
                {function.partition(":")[0] for function in (spec.function, spec.facts) if function}
            )
        )
        if modules not in self._module_digests:  # shared by every entry of the modules
            self._module_digests[modules] = json.dumps(self._sources(modules), sort_keys=True)
        described = [spec.name, spec.kind, spec.function, spec.ext, spec.params_json()]
        parts = [
            self._common,
            self._module_digests[modules],
            json.dumps([*described, spec.facts] if spec.facts else described),
            self._photo_part() if spec.uses_photo else "",
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

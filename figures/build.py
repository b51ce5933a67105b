"""The figure build: render what changed, keep what did not, never leave a half-written file.

An entry is re-rendered only when its cache key (see ``figures.keys``) differs from the
manifest's, or its output file is missing or no longer has the bytes the manifest
recorded. Outputs are written to a temporary file and renamed into place, and only when
their bytes changed; the manifest is updated after each output, the same way. A build
killed at any moment therefore leaves every file either complete and recorded, or
complete and detectably stale, and the next build repairs it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from figures.config import ROOT, Config
from figures.keys import KeyMaker
from figures.spec import Rendered, Spec

__all__ = ["BuildError", "BuildReport", "build", "outdated", "read_manifest"]

MANIFEST_VERSION = 3  # 2: entries record their function; 3: every file of an entry


class BuildError(RuntimeError):
    """One or more entries failed; the message names each with its cause."""


@dataclass
class BuildReport:
    rendered: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"figure build: {len(self.rendered)} rendered, {len(self.cached)} cached, "
            f"{self.seconds:.2f} s"
        )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; True if written."""
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


def read_manifest(config: Config, log: Callable[[str], None] = print) -> dict[str, Any]:
    """The manifest's entries, or an empty dict (and a note) if it is missing or damaged."""
    try:
        data = json.loads(config.manifest_path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        log(f"cache manifest {config.manifest_path} is damaged ({error}); rebuilding")
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        log(f"cache manifest {config.manifest_path} has an unknown format; rebuilding")
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def _write_manifest(config: Config, entries: dict[str, Any]) -> None:
    text = json.dumps({"version": MANIFEST_VERSION, "entries": entries}, indent=1, sort_keys=True)
    write_atomic(config.manifest_path, (text + "\n").encode())


FOLDERS = {"figure": "figures_dir", "numbers": "numbers_dir", "notebook": "notebooks_dir"}


def output_path(config: Config, spec: Spec, file_name: str | None = None) -> Path:
    """Where the entry's main output (or its output ``file_name``) is written."""
    folder: Path = getattr(config, FOLDERS[spec.kind])
    return folder / (file_name or spec.file_name)


def _stat(path: Path) -> list[int]:
    status = path.stat()
    return [status.st_size, status.st_mtime_ns]


def _is_current(config: Config, spec: Spec, key: str, recorded: Any) -> bool:
    """The key matches and every output holds the recorded bytes.

    As in git's index, a file whose size and modification time are those recorded is
    trusted; any other is hashed, so a truncated or rewritten output is always caught.
    """
    if not isinstance(recorded, dict) or recorded.get("key") != key:
        return False
    files = recorded.get("files")
    if not isinstance(files, dict) or set(files) != set(spec.files):
        return False
    try:
        for name, facts in files.items():
            path = output_path(config, spec, name)
            if _stat(path) != facts.get("stat") and (
                _sha256(path.read_bytes()) != facts.get("sha256")
            ):
                return False
    except (OSError, AttributeError):
        return False
    return True


def outdated(entries: Iterable[Spec], config: Config) -> list[str]:
    """Names of the entries a build would render; reads and hashes, never writes.

    An entry whose key cannot be computed (a missing photo, say) counts as outdated, so
    that the build itself runs and reports the cause.
    """
    manifest = read_manifest(config, log=lambda line: None)
    keys = KeyMaker(config)
    stale = []
    for spec in entries:
        try:
            current = _is_current(config, spec, keys.key(spec), manifest.get(spec.name))
        except (OSError, SyntaxError, ModuleNotFoundError):
            current = False
        if not current:
            stale.append(spec.name)
    return stale


@contextmanager
def _locked(config: Config) -> Iterator[None]:
    """One build at a time per cache (``mkdocs serve`` and a CLI build may overlap)."""
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    with open(config.cache_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _remove_strays(folder: Path, keep: set[str]) -> None:
    """Delete temporary files of killed builds and outputs of removed entries."""
    for path in folder.iterdir():
        if path.name not in keep:
            path.unlink()


class _Photo:
    """Loads the input photo on first use, so a build that needs no photo never reads it."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._tensor: object = None

    def __call__(self) -> object:
        if self._tensor is None:
            from figures.photo import load_photo

            self._tensor = load_photo(self.config)
        return self._tensor


def build(
    entries: Iterable[Spec],
    config: Config,
    *,
    names: Iterable[str] = (),
    force: bool = False,
    log: Callable[[str], None] = print,
) -> BuildReport:
    """Bring every entry (or only ``names``) up to date in ``config.cache_dir``.

    Failing entries do not stop the others; after the rest are done, ``BuildError``
    lists every failure with its cause. Unknown names raise ``KeyError``.
    """
    start = time.perf_counter()
    entries = list(entries)
    all_entries = {spec.name: spec for spec in entries}
    if len(all_entries) < len(entries):
        names = [spec.name for spec in entries]
        twice = sorted({name for name in names if names.count(name) > 1})
        raise KeyError(f"registry names must be unique; used more than once: {twice}")
    outputs = [(spec.kind, name) for spec in entries for name in spec.files]
    if len(set(outputs)) < len(outputs):
        twice = sorted({name for kind, name in outputs if outputs.count((kind, name)) > 1})
        raise KeyError(f"two registry entries would write the same file: {twice}")
    wanted = list(names)
    unknown = [name for name in wanted if name not in all_entries]
    if unknown:
        raise KeyError(
            f"unknown figure {', '.join(map(repr, unknown))}; "
            f"`python -m figures list` shows the {len(all_entries)} known names"
        )
    selected = [all_entries[name] for name in wanted] if wanted else list(all_entries.values())
    report = BuildReport()
    failures: list[str] = []

    with _locked(config):
        for attribute in FOLDERS.values():
            getattr(config, attribute).mkdir(exist_ok=True)
        manifest = read_manifest(config, log)
        if not wanted:  # a full build also clears what killed builds and removed entries left
            manifest = {name: manifest[name] for name in manifest if name in all_entries}
            for kind, attribute in FOLDERS.items():
                keep = {f for s in all_entries.values() if s.kind == kind for f in s.files}
                _remove_strays(getattr(config, attribute), keep)

        # Every key before any render: a render imports modules, and a file saved during
        # the build must not be recorded as the source of output drawn from its old text.
        keys = KeyMaker(config)
        planned: list[tuple[Spec, str]] = []
        for spec in selected:
            try:
                planned.append((spec, keys.key(spec)))
            except (OSError, SyntaxError, ModuleNotFoundError) as error:
                failures.append(f"{spec.name}: {error}")
        photo = _Photo(config)
        for spec, key in planned:
            if not force and _is_current(config, spec, key, manifest.get(spec.name)):
                for name, facts in manifest[spec.name]["files"].items():
                    facts["stat"] = _stat(output_path(config, spec, name))
                report.cached.append(spec.name)
                continue
            began = time.perf_counter()
            try:
                rendered = render(spec, photo)
                if set(rendered.files) != set(spec.files):
                    raise RuntimeError(f"wrote {sorted(rendered.files)}, expected {spec.files}")
            except Exception as error:  # any failure of user code is reported, not raised
                import traceback  # only on failure: the warm path stays lean

                detail = "".join(traceback.format_exception(error)).rstrip()
                log(detail)
                failures.append(
                    f"{spec.kind} '{spec.name}' ({spec.function}) failed: "
                    f"{type(error).__name__}: {error}"
                )
                continue
            # The manifest learns of the new outputs only once all are written: a build
            # killed in between leaves the old record, which no longer matches, so the
            # next build renders the entry again.
            files: dict[str, Any] = {}
            written = 0
            for name in spec.files:
                data = rendered.files[name]
                path = output_path(config, spec, name)
                written += write_atomic(path, data)
                files[name] = {"sha256": _sha256(data), "stat": _stat(path)}
            manifest[spec.name] = {
                "function": spec.function,
                "key": key,
                "files": files,
                "file": spec.file_name,
                "kind": spec.kind,
            }
            if rendered.size is not None:
                manifest[spec.name]["size"] = list(rendered.size)
            _write_manifest(config, manifest)
            report.rendered.append(spec.name)
            note = "" if written else " (bytes unchanged)"
            verb = "executed" if spec.kind == "notebook" else "rendered"
            main = output_path(config, spec)
            extra = f" (+{len(files) - 1} files)" if len(files) > 1 else ""
            log(
                f"{verb} {main.parent.name}/{main.name}{extra} in "
                f"{time.perf_counter() - began:.2f} s{note}"
            )
        _write_manifest(config, manifest)  # refreshed stats; entries removed from the registry

    report.seconds = time.perf_counter() - start
    if failures:
        raise BuildError("\n".join(failures))
    return report


def render(spec: Spec, photo: Callable[[], object]) -> Rendered:
    # Imported here: matplotlib, and PyTorch through the figure functions, load only
    # when something has to be drawn; nbclient only when a notebook has to run.
    if spec.kind == "notebook":
        from figures.notebooks import execute

        return Rendered({spec.file_name: execute(ROOT / spec.function)})
    from figures.render import render as render_entry

    return render_entry(spec, photo)

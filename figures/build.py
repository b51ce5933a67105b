"""The figure build: render what changed, keep what did not, never leave a half-written file.

An entry is re-rendered only when its cache key (see ``figures.keys``) differs from the
manifest's, or an output file is missing or no longer has the bytes the manifest
recorded. Stale entries are rendered in worker processes (``figures.workers``), as many
at a time as ``jobs`` says; only this process writes to the cache. Outputs are written to
a temporary file and renamed into place, and only when their bytes changed; the manifest
is updated after each entry, the same way. A build killed at any moment therefore leaves
every file either complete and recorded, or complete and detectably stale, and the next
build repairs it.
"""

from __future__ import annotations

import fcntl
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from figures.config import Config
from figures.keys import KeyMaker
from figures.manifest import read_entries, write_atomic, write_entries
from figures.spec import ANIMATIONS_FOLDER, FIGURES_FOLDER, NOTEBOOKS_FOLDER, NUMBERS_FOLDER, Spec
from figures.workers import Done, run

__all__ = ["BuildError", "BuildReport", "build", "outdated"]

FOLDERS = (FIGURES_FOLDER, ANIMATIONS_FOLDER, NUMBERS_FOLDER, NOTEBOOKS_FOLDER)


class BuildError(RuntimeError):
    """One or more entries failed; the message names each with its cause."""


@dataclass
class BuildReport:
    rendered: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    seconds: float = 0.0
    jobs: int = 1

    def summary(self) -> str:
        workers = f", {self.jobs} processes" if self.jobs > 1 and self.rendered else ""
        return (
            f"figure build: {len(self.rendered)} rendered, {len(self.cached)} cached, "
            f"{self.seconds:.2f} s{workers}"
        )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
            path = config.cache_dir / name
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
    manifest = read_entries(config.manifest_path, log=lambda line: None)
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
        if f"{folder.name}/{path.name}" not in keep:
            path.unlink()


def _check_unique(entries: list[Spec]) -> None:
    names = [spec.name for spec in entries]
    if len(set(names)) < len(names):
        twice = sorted({name for name in names if names.count(name) > 1})
        raise KeyError(f"registry names must be unique; used more than once: {twice}")
    outputs = [path for spec in entries for path in spec.files]
    if len(set(outputs)) < len(outputs):
        twice = sorted({path for path in outputs if outputs.count(path) > 1})
        raise KeyError(f"two registry entries would write the same file: {twice}")


def _longest_first(planned: list[tuple[Spec, str]], manifest: dict[str, Any]) -> list[Spec]:
    """Stale entries, those that took longest last time first (so two workers finish
    together); without a record, notebooks and photo entries, the slow kinds, first."""

    def cost(spec: Spec) -> tuple[float, int]:
        seconds = (manifest.get(spec.name) or {}).get("seconds")
        guess = 2 if spec.kind == "notebook" else 1 if spec.uses_photo else 0
        return (-float(seconds) if isinstance(seconds, int | float) else -1e9, -guess)

    return sorted((spec for spec, _ in planned), key=cost)


def build(
    entries: Iterable[Spec],
    config: Config,
    *,
    names: Iterable[str] = (),
    force: bool = False,
    jobs: int = 1,
    log: Callable[[str], None] = print,
) -> BuildReport:
    """Bring every entry (or only ``names``) up to date in ``config.cache_dir``.

    ``jobs`` worker processes render at once (1: render in this process). Failing
    entries do not stop the others; after the rest are done, ``BuildError`` lists every
    failure with its cause. Unknown names raise ``KeyError``.
    """
    start = time.perf_counter()
    entries = list(entries)
    _check_unique(entries)
    all_entries = {spec.name: spec for spec in entries}
    wanted = list(names)
    unknown = [name for name in wanted if name not in all_entries]
    if unknown:
        raise KeyError(
            f"unknown figure {', '.join(map(repr, unknown))}; "
            f"`python -m figures list` shows the {len(all_entries)} known names"
        )
    selected = [all_entries[name] for name in wanted] if wanted else list(all_entries.values())
    report = BuildReport(jobs=max(1, jobs))
    failures: list[str] = []

    with _locked(config):
        for folder in FOLDERS:
            (config.cache_dir / folder).mkdir(exist_ok=True)
        manifest = read_entries(config.manifest_path, log)
        if not wanted:  # a full build also clears what killed builds and removed entries left
            manifest = {name: manifest[name] for name in manifest if name in all_entries}
            keep = {path for spec in entries for path in spec.files}
            for folder in FOLDERS:
                _remove_strays(config.cache_dir / folder, keep)

        # Every key before any render: a render imports modules, and a file saved during
        # the build must not be recorded as the source of output drawn from its old text.
        keys = KeyMaker(config)
        planned: list[tuple[Spec, str]] = []
        for spec in selected:
            try:
                planned.append((spec, keys.key(spec)))
            except (OSError, SyntaxError, ModuleNotFoundError) as error:
                failures.append(f"{spec.name}: {error}")
        stale: list[tuple[Spec, str]] = []
        for spec, key in planned:
            if not force and _is_current(config, spec, key, manifest.get(spec.name)):
                for name, facts in manifest[spec.name]["files"].items():
                    facts["stat"] = _stat(config.cache_dir / name)
                report.cached.append(spec.name)
            else:
                stale.append((spec, key))
        key_of = {spec.name: key for spec, key in stale}
        for done in run(_longest_first(stale, manifest), config, jobs=report.jobs):
            if done.error is not None:
                if done.detail:
                    log(done.detail)
                failures.append(
                    f"{done.spec.kind} '{done.spec.name}' ({done.spec.function}) failed: "
                    f"{done.error}"
                )
                continue
            manifest[done.spec.name] = _record(config, done, key_of[done.spec.name], log)
            # The manifest learns of the new outputs only once all are written: a build
            # killed in between leaves the old record, which no longer matches, so the
            # next build renders the entry again.
            write_entries(config.manifest_path, manifest, readable=False)
            report.rendered.append(done.spec.name)
        write_entries(config.manifest_path, manifest)  # refreshed stats; removed entries

    report.seconds = time.perf_counter() - start
    if failures:
        raise BuildError("\n".join(failures))
    return report


def _record(config: Config, done: Done, key: str, log: Callable[[str], None]) -> dict[str, Any]:
    """Write one entry's files; its manifest record."""
    spec, rendered = done.spec, done.rendered
    assert rendered is not None
    files: dict[str, Any] = {}
    written = 0
    for name in spec.files:
        data = rendered.files[name]
        path = config.cache_dir / name
        written += write_atomic(path, data)
        files[name] = {"sha256": _sha256(data), "stat": _stat(path)}
    record: dict[str, Any] = {
        "function": spec.function,
        "key": key,
        "files": files,
        "outputs": spec.outputs.to_json(),
        "kind": spec.kind,
        "seconds": round(done.seconds, 2),
    }
    if rendered.size is not None:
        record["size"] = list(rendered.size)
    note = "" if written else " (bytes unchanged)"
    verb = {"notebook": "executed", "animation": "animated"}.get(spec.kind, "rendered")
    extra = f" (+{len(files) - 1} files)" if len(files) > 1 else ""
    log(f"{verb} {spec.main_file}{extra} in {done.seconds:.2f} s{note}")
    return record

"""Building copies of the project: what the site-level tests share.

A test that builds the site works on a copy of the project in a temporary folder, with
its own figure cache, so it can break things freely and never touches the real
``site/`` or ``.cache/``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from figures.config import ROOT

__all__ = ["COPIED", "EPOCH", "copy_project", "mkdocs", "tree_digest"]

#: What a build reads: the pages, the code, the configuration and the citation.
COPIED = ("docs", "figures", "convdemo", "website", "mkdocs.yml", "CITATION.cff")
#: A fixed build date, as a reproducible build sets it (1 January 2026).
EPOCH = "1767225600"


def mkdocs(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = dict(
        os.environ,
        CONVDEMO_CACHE_DIR=str(project / "cache"),
        NO_MKDOCS_2_WARNING="1",
        SOURCE_DATE_EPOCH=EPOCH,
    )
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
    )


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }

"""Building the site beside the published one, and swapping it in only on success.

MkDocs empties ``site_dir`` before it renders, so a failed build would otherwise leave no
site at all. Instead the site is rendered into a temporary sibling folder and swapped
into place with two renames once the whole build, strict warnings included, succeeded.
The process id in the folder's name tells a later build whether it is still running.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["Staging"]


class Staging:
    """The temporary folder one build renders into, and the site it will replace."""

    def __init__(self, final: Path) -> None:
        self.final = final
        final.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(final)
        self.folder: Path | None = Path(
            tempfile.mkdtemp(prefix=f".{final.name}-{os.getpid()}-", dir=final.parent)
        )
        self.folder.chmod(0o755)  # mkdtemp's 0700 would hide the site from a web server

    def publish(self) -> None:
        """Swap the staged site in; the old one is removed after."""
        if self.folder is not None:
            swap(self.folder, self.final)
            self.folder = None

    def discard(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def swap(staging: Path, final: Path) -> None:
    """Replace ``final`` with ``staging``: two renames, the old tree removed after.

    If the second rename fails, the first is undone, so ``final`` is never left missing.
    """
    old = final.with_name(f".{final.name}-{os.getpid()}-old")
    if final.exists():
        final.rename(old)
    try:
        staging.rename(final)
    except OSError:
        if old.exists():
            old.rename(final)
        raise
    shutil.rmtree(old, ignore_errors=True)


def remove_leftovers(final: Path) -> None:
    """Delete staging and old-site folders of builds that died (killed, power loss…)."""
    for folder in final.parent.glob(f".{final.name}-*-*"):
        pid = folder.name[len(final.name) + 2 :].split("-")[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

"""The processes a test started, read from /proc (Linux)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["alive", "family", "survivors"]


def family(root: int) -> dict[int, str]:
    """Every living process descended from ``root``, with its command line."""
    parents, commands = {}, {}
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except (ValueError, OSError):  # not a process, or one that has just ended
            continue
        if fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    found: dict[int, str] = {}
    for pid in parents:
        ancestor = pid
        while ancestor in parents and ancestor != root:
            ancestor = parents[ancestor]
        if ancestor == root and pid != root:
            found[pid] = commands[pid].decode(errors="replace")
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def survivors(
    process: subprocess.Popen[bytes], started: Callable[[int], dict[int, str]], count: int
) -> dict[int, str]:
    """Wait until ``started(process.pid)`` finds ``count`` processes, SIGKILL ``process``,
    and return its descendants (as they were then) still alive 30 s later. Those are
    killed too: no test leaves them behind."""
    try:
        deadline = time.monotonic() + 120
        while len(started(process.pid)) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        left = family(process.pid)
        assert len(started(process.pid)) == count, left
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in left) and time.monotonic() < deadline:
        time.sleep(0.2)
    living = {pid: command for pid, command in left.items() if alive(pid)}
    for pid in living:
        os.kill(pid, signal.SIGKILL)
    return living

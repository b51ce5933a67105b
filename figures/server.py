"""The process a build's workers and notebook kernels are forked from.

A worker or a kernel started as a new Python process imports PyTorch first: about 3 s of
CPU here, paid once per process (two workers and four kernels in a cold build). Instead
the build starts one server (multiprocessing's ``forkserver``) that imports PyTorch and
the kernel's code once, and each worker and kernel is a fork of it: a process that has
run nothing but those imports, as fresh as a new one. The server lives for one build:
``stop`` ends it, so its environment, working folder and ``sys.path`` are the build's.

Nothing that reads the environment at import time and changes a kernel's behaviour is
preloaded: matplotlib, imported before ipykernel has chosen its backend, would draw
a notebook's figures where a fresh kernel would show them inline.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from multiprocessing import forkserver
from multiprocessing.context import ForkServerContext
from typing import Any

__all__ = ["PRELOAD", "bind", "context", "die_with_parent", "stop"]

#: What the server imports once for every process it forks.
PRELOAD = ["torch", "ipykernel.kernelapp"]
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def context() -> ForkServerContext:
    """Start processes as forks of the server (started on first use)."""
    forks = multiprocessing.get_context("forkserver")
    forks.set_forkserver_preload(PRELOAD)
    return forks


def stop() -> None:
    """End the server, if this process started one, and wait for it to exit.

    No process then outlives the build, and what its forks spent, which the server
    collects as it reaps them, is counted among this process's children. (Python 3.11
    offers no public call for this; ``_stop`` is the one its own tests use.)"""
    forkserver._forkserver._stop()  # type: ignore[attr-defined]


def bind() -> None:
    """In a fork: end with the server, never outlive it.

    Every fork holds an end of the pipe that keeps the server alive, so the server would
    live as long as any fork, and a fork that waits on a killed build (a worker for its
    next entry, a kernel for its next cell) would keep it, and itself, alive for ever.
    The fork first asks to end with the server (``die_with_parent``), which its end of
    the pipe keeps alive until then, and then lets go of it: the server ends when the
    build does, killed or not, and takes its forks with it."""
    die_with_parent()
    server: Any = forkserver._forkserver
    if server._forkserver_alive_fd is not None:
        os.close(server._forkserver_alive_fd)
        server._forkserver_alive_fd = None


def die_with_parent(parent: int | None = None) -> None:
    """On Linux, have this process killed when its parent ends, however it ends: a
    worker blocked on its next task never learns of it otherwise. ``parent``, the pid
    the parent had, lets a process whose parent ended before this call end at once.
    ``OSError`` if the system refuses the request. Elsewhere, nothing."""
    if sys.platform == "linux":
        expected = os.getppid() if parent is None else parent
        if ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL):
            code = ctypes.get_errno()
            raise OSError(code, f"prctl(PR_SET_PDEATHSIG) failed: {os.strerror(code)}")
        if os.getppid() != expected:  # the parent ended before the request was made
            os._exit(1)

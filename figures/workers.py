"""Rendering stale entries, in this process or in several at once.

A worker renders an entry into bytes (``Rendered``) and hands them back; it never writes
to the cache, which only the build's own process does, in its crash-safe order. With
``jobs > 1`` the entries go to a pool of fresh processes, forks of the build's server
(``figures.server``: nothing of this process is inherited, and PyTorch is imported once
for all of them), each of which loads the photo at most once. Every render runs with
one PyTorch thread, whatever ``jobs`` is: floating-point sums then add up in one order,
so the bytes do not depend on how many processes shared the machine.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass
from functools import cache

from figures import server
from figures.config import ROOT, Config
from figures.spec import Rendered, Spec

__all__ = ["Done", "end_workers", "render_entry", "run"]


@dataclass(frozen=True)
class Done:
    """One entry's result: its files, or the error (a line) and its traceback."""

    spec: Spec
    rendered: Rendered | None
    seconds: float
    error: str | None = None
    detail: str = ""


@cache
def _photo(config: Config) -> object:
    from figures.photo import load_photo

    return load_photo(config)


def _start_worker() -> None:
    """A pool worker computes with one thread: the pool, not PyTorch, uses the cores.
    It ends with the build's server (``figures.server.bind``)."""
    import torch

    server.bind()
    torch.set_num_threads(1)


def render_entry(spec: Spec, config: Config) -> Done:
    """Render one entry; any failure of the entry's own code is returned, not raised."""
    began = time.perf_counter()
    try:
        if spec.kind == "notebook":
            # Imported here: nbclient only when a notebook has to run, matplotlib and
            # PyTorch only when something has to be drawn.
            from figures.notebooks import execute

            rendered = Rendered({spec.outputs.notebook or "": execute(ROOT / spec.function)})
        elif spec.kind == "animation":
            from figures.animate import render_animation

            rendered = render_animation(spec, lambda: _photo(config))
        else:
            from figures.render import render

            rendered = render(spec, lambda: _photo(config))
        if set(rendered.files) != set(spec.files):
            raise RuntimeError(f"wrote {sorted(rendered.files)}, expected {spec.files}")
    except Exception as error:  # the entry's code failed: report it with its name
        detail = "".join(traceback.format_exception(error)).rstrip()
        message = f"{type(error).__name__}: {error}"
        return Done(spec, None, time.perf_counter() - began, message, detail)
    return Done(spec, rendered, time.perf_counter() - began)


def end_workers(pool: ProcessPoolExecutor) -> None:
    """End a pool's worker processes now, whatever they are doing; the pool then finds
    them gone. (The executor offers no such call: its workers are a private attribute.)"""
    for worker in list((getattr(pool, "_processes", None) or {}).values()):
        worker.terminate()


def run(specs: Sequence[Spec], config: Config, *, jobs: int = 1) -> Iterator[Done]:
    """Render ``specs``, yielding each result as it is ready, in the order given when
    ``jobs`` is 1, in order of completion otherwise.

    A notebook is run from a thread of this process, not a worker: its kernel does the
    work. Workers and kernels are forks of the build's server, ended when the entries
    are done."""
    try:
        yield from _run(specs, config, jobs)
    finally:
        server.stop()


def _run(specs: Sequence[Spec], config: Config, jobs: int) -> Iterator[Done]:
    if jobs <= 1 or len(specs) <= 1:
        for spec in specs:
            yield render_entry(spec, config)
        return
    workers = min(jobs, len(specs))
    with (
        ProcessPoolExecutor(
            workers, mp_context=server.context(), initializer=_start_worker
        ) as pool,
        ThreadPoolExecutor(workers, thread_name_prefix="notebook") as threads,
    ):
        pending: dict[Future[Done], Spec] = {}
        # Notebooks run beside the workers, not in their place: a kernel spends much of
        # its time on messages to and from this process, a core the workers then use.
        for spec in specs:
            if spec.kind == "notebook":
                pending[threads.submit(render_entry, spec, config)] = spec
        queue = [spec for spec in specs if spec.kind != "notebook"]
        # Keep every worker busy and no more queued than that, so the longest entries,
        # which come first, really start first.
        try:
            while queue or pending:
                while queue and sum(pending[f].kind != "notebook" for f in pending) < workers:
                    spec = queue.pop(0)
                    pending[pool.submit(render_entry, spec, config)] = spec
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    spec = pending.pop(future)
                    try:
                        yield future.result()
                    except Exception as error:  # the worker itself died (killed, no memory)
                        yield Done(spec, None, 0.0, f"worker process failed: {error!r}")
        finally:  # stopped early (a failure, or the caller): start nothing more
            for future in pending:
                future.cancel()
        # Every entry is done and every worker idle: ended rather than asked to exit,
        # which each takes most of a second to do with PyTorch loaded.
        end_workers(pool)

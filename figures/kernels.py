"""Notebook kernels that start without importing PyTorch again.

A kernel started the usual way is a new Python process that imports PyTorch, ipykernel
and IPython before it runs a cell: most of what the four notebooks cost. Here each
kernel is a fork of the build's server (``figures.server``), which imported them once,
given the environment, working folder and arguments the kernel manager asks for.

``ForkedKernelManager`` is the kernel manager class for ``nbclient.NotebookClient``; everything else
(connection files, ports, messages, interrupts, shutdown) is jupyter_client's own.
"""

from __future__ import annotations

import os
import signal
import sys
import uuid
from typing import Any, cast

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from figures.server import bind, context

__all__ = ["ForkedKernelManager"]

_LAUNCHER = "ipykernel_launcher"


def _kernel(argv: list[str], cwd: str, env: dict[str, str]) -> None:
    """A kernel, as ``python -m ipykernel_launcher *argv`` run in ``cwd`` would be."""
    bind()
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    # The kernel ends itself when its parent changes; its parent is the server.
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    sys.path.insert(0, cwd)  # as ``python -m`` puts the working folder first
    sys.argv = [sys.executable, *argv]
    signal.signal(signal.SIGINT, signal.default_int_handler)  # the server ignores it

    from ipykernel.kernelapp import IPKernelApp

    # ipykernel read JPY_PARENT_PID into this default when the server imported it, before
    # the line above set it here: the kernel would watch the wrong parent without this.
    parent = f"--IPKernelApp.parent_handle={os.getppid()}"
    IPKernelApp.launch_instance(argv=[*argv, parent])


class _Process:
    """A forked kernel, seen through the part of ``subprocess.Popen`` that
    jupyter_client's provisioner uses."""

    stdin = stdout = stderr = None

    def __init__(self, process: Any) -> None:
        self._process = process
        self.pid: int = process.pid

    def poll(self) -> int | None:
        code: int | None = self._process.exitcode
        return code

    def wait(self, timeout: float | None = None) -> int | None:
        self._process.join(timeout)
        return self.poll()

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self._process.kill()

    def terminate(self) -> None:
        self._process.terminate()


class _ForkedProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching a fork of the server instead of a
    command. Signals go to the kernel alone: it has no process group of its own."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        if _LAUNCHER not in cmd:
            raise RuntimeError(f"expected a kernel started by {_LAUNCHER}, got {cmd}")
        argv = cmd[cmd.index(_LAUNCHER) + 1 :]
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env = dict(kwargs.get("env") or os.environ)
        # A daemon: if the build stops without shutting it down, it is ended on exit.
        process = context().Process(target=_kernel, args=(argv, cwd, env), daemon=True)
        process.start()
        self.process = cast(Any, _Process(process))  # read as a Popen
        self.pid, self.pgid, self.cwd = process.pid, None, cwd
        return self.connection_info


class ForkedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels are forks of the preloaded server."""

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            self.provisioner = _ForkedProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)

    pre_start_kernel = _async_pre_start_kernel

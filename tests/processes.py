"""Local server processes for tests and benchmarks: a free port to start one on, and a stop that always ends it."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Sequence


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_processes(processes: Sequence[subprocess.Popen[bytes]], timeout: float = 20) -> None:
    """Ask every process to stop at once, then kill any that has not within `timeout` seconds."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()

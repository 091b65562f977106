"""What this process must remove if it is stopped, and how a stop signal ends a command.

A build writes a temporary database beside the real one, and the app copies the database to a
private temporary folder; both are removed when their work ends. A stop signal (SIGTERM, SIGHUP,
SIGINT) can end the process at any moment, so each such path is registered here while it
exists and removed by whoever handles the signal.

DuckDB interrupts a running statement only on SIGINT. So on the command line SIGTERM and SIGHUP
are received by a small thread that records which signal came and passes it on as SIGINT: the
statement stops, the command unwinds through its clean-up code, and the exit code says which
signal ended it (130, 143 or 129).
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
from contextlib import contextmanager
from pathlib import Path

_registered: dict[Path, None] = {}
_connections: dict[int, object] = {}
_lock = threading.Lock()
_received: list[int] = []  # the stop signal that arrived first, if any
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def register(path: Path) -> None:
    with _lock:
        _registered[Path(path)] = None


def unregister(path: Path) -> None:
    with _lock:
        _registered.pop(Path(path), None)


@contextmanager
def removed_on_stop(*paths: Path):
    """While the block runs, a stop signal removes these paths (files or folders)."""
    for path in paths:
        register(path)
    try:
        yield
    finally:
        for path in paths:
            unregister(path)


@contextmanager
def interruptible(con):
    """While the block runs, a stop interrupts this DuckDB connection's statement (a build on a
    thread of the app, where no SIGINT reaches it), so that the process can end at once."""
    with _lock:
        _connections[id(con)] = con
    try:
        yield con
    finally:
        with _lock:
            _connections.pop(id(con), None)


def remove_registered() -> None:
    """Interrupt registered DuckDB statements and remove every registered path that still exists
    (from a signal handler, or at exit)."""
    with _lock:
        paths = list(_registered)
        _registered.clear()
        connections = list(_connections.values())
    for con in connections:
        try:
            con.interrupt()
        except Exception:  # noqa: BLE001 - closed meanwhile: nothing left to stop
            pass
    for path in paths:
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def exit_code(default: int = 130) -> int:
    """The conventional exit code for the stop signal received (SIGINT when none was recorded)."""
    return 128 + _received[0] if _received else default


def note_signal(signum: int) -> None:
    if not _received:
        _received.append(signum)


def pass_stop_signals_on() -> None:
    """On the command line: turn SIGTERM and SIGHUP into SIGINT (see the module's doc).

    Must be called before any other thread starts (threads inherit the blocked signals), so that
    only the forwarding thread receives them.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not on Linux
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)

    def forward() -> None:
        while True:
            signum = signal.sigwait(STOP_SIGNALS)
            note_signal(signum)
            os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=forward, name="lstui-signals", daemon=True).start()

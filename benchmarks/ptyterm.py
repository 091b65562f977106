"""Bytes the app writes to its terminal: what a slow SSH link has to carry.

The app runs in a pseudo-terminal of a fixed size; everything it writes is read and counted.
Start-up is counted until the screen has been quiet for a moment; a keystroke is counted over a
fixed window after it is sent (long enough for the table and the detail pane to repaint).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time


class PtyApp:
    def __init__(self, command: list[str], env: dict, width: int = 80, height: int = 24):
        self.command, self.env, self.size = command, env, (width, height)
        self.pid = -1
        self.fd = -1

    def __enter__(self) -> "PtyApp":
        width, height = self.size
        env = {**os.environ, **self.env, "COLUMNS": str(width), "LINES": str(height)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child: the app, on the pty
            try:
                os.execvpe(self.command[0], self.command, env)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        return self

    def read_for(self, seconds: float) -> bytes:
        """Everything written during the next `seconds`."""
        out = bytearray()
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    out += os.read(self.fd, 65536)
                except OSError:
                    break
        return bytes(out)

    def read_until_quiet(self, quiet: float = 0.4, limit: float = 30.0) -> bytes:
        """Everything written until nothing more comes for `quiet` seconds."""
        out = bytearray()
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.fd], [], [], quiet)
            if not ready:
                break
            try:
                out += os.read(self.fd, 65536)
            except OSError:
                break
        return bytes(out)

    def send(self, data: str) -> None:
        os.write(self.fd, data.encode())

    def __exit__(self, *exc) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            for _ in range(50):
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    break
                self.read_for(0.02)  # keep the pty drained so the app can exit
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def startup_and_keystroke_bytes(command: list[str], env: dict, keys: str, rounds: int,
                                size=(80, 24), window: float = 0.3) -> tuple[int, list[int]]:
    """Bytes written from launch until the first screen settles, and per filter keystroke.

    The filter box is opened with "/", then each character of `keys` is typed and its bytes
    counted; the box is then cleared with backspaces (also counted) and the cycle repeats.
    """
    with PtyApp(command, env, *size) as app:
        startup = len(app.read_until_quiet(quiet=1.0))
        app.send("/")
        app.read_until_quiet(quiet=0.3, limit=3)
        per_key = []
        for _ in range(rounds):
            for char in keys:
                app.send(char)
                per_key.append(len(app.read_for(window)))
            for _ in keys:
                app.send("\x7f")
                per_key.append(len(app.read_for(window)))
    return startup, per_key

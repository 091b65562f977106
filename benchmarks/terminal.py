"""Timing the app from outside, as a person sees it: a tmux pane polled with capture-pane."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
import uuid


KEEPER = "lstui-bench-keeper"


def keep_server() -> None:
    """Keep one idle session open, so the tmux server is not restarting between measurements."""
    if subprocess.run(["tmux", "has-session", "-t", KEEPER], capture_output=True).returncode != 0:
        subprocess.run(["tmux", "new-session", "-d", "-s", KEEPER, "sleep 3600"], check=True)
        time.sleep(0.2)


def stop_server() -> None:
    subprocess.run(["tmux", "kill-session", "-t", KEEPER], capture_output=True)


class Pane:
    """A detached tmux session of a given size running one command."""

    def __init__(self, command: list[str], width: int = 80, height: int = 24, env: dict | None = None):
        self.name = f"lstui-bench-{uuid.uuid4().hex[:8]}"
        self.command = command
        self.width, self.height = width, height
        self.env = env or {}

    def start(self) -> float:
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        # Bytecode caching on, as on a normal install (the tmux server may have been started
        # from a shell that disables it).
        shell = f"env -u PYTHONDONTWRITEBYTECODE {exports} {shlex.join(self.command)}; sleep 600"
        keep_server()
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(self.width), "-y", str(self.height),
                        shell], check=True)
        return time.perf_counter()

    def text(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True,
                              text=True).stdout

    def wait_for(self, predicate, timeout: float = 30.0) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            screen = self.text()
            if predicate(screen):
                return time.perf_counter()
            time.sleep(0.002)
        raise TimeoutError(f"screen never matched; last screen:\n{self.text()}")

    def keys(self, *keys: str) -> float:
        started = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)
        return started

    def peak_rss_mb(self) -> float | None:
        """Peak resident memory so far of the program in the pane (Linux /proc), in MB."""
        shell = subprocess.run(["tmux", "display", "-p", "-t", self.name, "#{pane_pid}"], capture_output=True,
                               text=True).stdout.strip()
        children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
        for pid in children:
            try:
                status = open(f"/proc/{pid}/status").read()
            except OSError:
                continue
            if "python" not in open(f"/proc/{pid}/cmdline").read():
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return None

    def stop(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)

    def __enter__(self) -> "Pane":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def time_to_first_frame(command: list[str], marker: str, env: dict | None = None, size=(80, 24)) -> float:
    """Milliseconds from launching `command` in a terminal to `marker` appearing on screen."""
    with Pane(command, *size, env=env) as pane:
        started = pane.start()
        shown = pane.wait_for(lambda screen: marker in screen)
    return (shown - started) * 1000


def available() -> bool:
    return subprocess.run(["tmux", "-V"], capture_output=True).returncode == 0 if os.name == "posix" else False


def keystroke_latencies(command: list[str], ready: str, steps: list[tuple[list[str], str]], rounds: int,
                        env: dict | None = None, size=(80, 24), setup: list[str] = ()) -> tuple[list[float], float | None]:
    """Milliseconds from sending keys to the screen showing the expected text, for each step,
    and the app's peak memory (MB) by the end.

    `steps` is a cycle of (keys to send, text that must then be on screen); it is repeated
    `rounds` times after the app shows `ready` and the `setup` keys (e.g. focusing a field)
    have been sent.
    """
    latencies = []
    with Pane(command, *size, env=env) as pane:
        pane.start()
        pane.wait_for(lambda screen: ready in screen)
        time.sleep(0.5)  # let the first frame's deferred widgets settle
        for key in setup:
            pane.keys(key)
            time.sleep(0.3)
        for _ in range(rounds):
            for keys, expected in steps:
                sent = pane.keys(*keys)
                shown = pane.wait_for(lambda screen, e=expected: e in screen)
                latencies.append((shown - sent) * 1000)
        rss = pane.peak_rss_mb()
    return latencies, rss

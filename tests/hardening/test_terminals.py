"""The terminal app at any size, without colour, and in real terminals of several kinds.

Pilot tests drive the app headless (no sleeps: they wait on workers); the last tests start
`python -m lstui` in a pseudo-terminal, as a person's xterm, screen or Linux console would.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

import pytest
from textual.widgets import Input, Static, TabbedContent

from lstui.tui.vtable import VirtualTable
from scripts.screenshots import TABS, settle
from tests.tui.conftest import screen_text

MIN_WIDTH, MIN_HEIGHT = 60, 16  # below either, the app shows a notice instead of its tabs
TAB_KEYS = {tab: f"f{i}" for i, tab in enumerate(TABS, 2)}  # F2-F5 switch tabs even while typing
TAB_LABELS = ("Cities", "Compare", "Calculator", "Sources")
# Text each tab shows at any usable size (headers, form labels and summaries stay on screen).
TAB_MARKERS = {"cities": ("Place",), "compare": ("3 places",), "calculator": ("Followers", "Annual sales"),
               "sources": ("Source", "Publisher")}
TYPED_INTO = {"cities": "#city-filter", "compare": "#compare-table", "calculator": "#followers",
              "sources": "#sources-table"}  # where each tab's keys go in the sweep
MARKED = ["shenzhen", "guangzhou", "jinan"]  # so that Compare has columns to show
# Up from the smallest terminal to a very large one and back down, with odd sizes and each edge
# of the minimum on the way (60x16 is the smallest size that shows the app).
SWEEP = [(40, 12), (41, 13), (60, 20), (80, 24), (120, 36), (160, 50), (250, 70), (59, 70), (250, 15),
         (60, 16), (40, 12)]


# --------------------------------------------------------------------------------- fixtures




# ---------------------------------------------------------------------------------- helpers


def flat(text: str) -> str:
    """Text with every run of white space made one space (a notice may wrap anywhere)."""
    return " ".join(text.split())


def too_small(size: tuple[int, int]) -> bool:
    width, height = size
    return width < MIN_WIDTH or height < MIN_HEIGHT


def check_screen(app, size: tuple[int, int], tab: str) -> str:
    """The app is alive at `size` and shows either the tab's content or the too-small notice."""
    assert app.is_running and app.return_code is None, size
    assert tuple(app.size) == size
    text = flat(screen_text(app))
    assert len(text.replace(" ", "")) >= 30, f"blank screen at {size}: {text!r}"
    notice = app.query_one("#too-small", Static)
    if too_small(size):
        assert notice.display, size
        assert "The terminal is too small for lstui" in text, (size, text)
        assert f"at least {MIN_WIDTH} columns by {MIN_HEIGHT} lines" in text, (size, text)
        assert "Calculator" not in text, size  # the tabs are hidden, not drawn under the notice
    else:
        assert not notice.display, size
        assert "too small" not in text, size
        assert app.query_one(TabbedContent).active == tab, size
        for word in (*TAB_LABELS, *TAB_MARKERS[tab]):
            assert word in text, (size, tab, word, text)
    return text


async def resize(app, pilot, size: tuple[int, int]) -> None:
    await pilot.resize_terminal(*size)
    await settle(app, pilot)


async def type_keys(app, pilot, *keys: str) -> None:
    """Keys as a terminal delivers them, in one burst (as over a slow link); then wait for the app."""
    from textual import events

    for key in keys:
        char = {"slash": "/", "question_mark": "?"}.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, char))
    await settle(app, pilot)


def rows(table: VirtualTable) -> list:
    return [table.row(i) for i in range(table.total)]


def grey(rgb) -> bool:
    return max(rgb) - min(rgb) <= 8


def hex_rgb(c: str) -> tuple[int, int, int]:
    return tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))


def svg_colours(app) -> set[str]:
    """Every text and background colour of the screenshot (not the window's decorations)."""
    svg = app.export_screenshot()
    return set(re.findall(r"fill: (#[0-9a-f]{6})", svg)) | set(re.findall(r'<rect fill="(#[0-9a-f]{6})"', svg))


def segment_colours(app) -> set[tuple[int, int, int]]:
    """Every foreground and background colour of the segments the screen is made of (rendered the
    way App.export_screenshot renders them)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    found = set()
    for line in update.strips:
        for strip in line:
            for segment in strip:
                style = segment.style
                if style is None:
                    continue
                for colour in (style.color, style.bgcolor):
                    if colour is not None:
                        found.add(tuple(colour.get_truecolor()))
    return found


def check_monochrome(app, where) -> None:
    """The screen, as a screenshot and as segments, has greys only (and has some)."""
    svg = svg_colours(app)
    segments = segment_colours(app)
    assert svg and segments, where
    assert all(grey(hex_rgb(c)) for c in svg), (where, {c for c in svg if not grey(hex_rgb(c))})
    assert all(grey(c) for c in segments), (where, {c for c in segments if not grey(c)})


# --------------------------------------------------------------------- sizes and NO_COLOR, Pilot


# What is typed at each usable size, as a person goes on typing after a resize. The Cities filter
# grows to "shenzhen" over four sizes, then loses its last two letters and has them typed again.
# The Calculator's followers field is entered with F4 each time, which selects its text, so the
# whole figure is typed again.
TYPED = {"cities": ["sh", "en", "zh", "en"], "calculator": ["6", "60", "600", "600k"]}


async def type_on(app, pilot, tab: str, step: int, expected: str) -> str:
    """Type into the tab as a person would after a resize; return what its field should now hold."""
    if tab == "compare":
        await type_keys(app, pilot, "down", "right")
    elif tab == "sources":
        await type_keys(app, pilot, "down", "down")
    elif tab == "calculator":
        expected = TYPED[tab][min(step, len(TYPED[tab]) - 1)]
        await type_keys(app, pilot, TAB_KEYS[tab], *expected)
    elif step < len(TYPED[tab]):
        await type_keys(app, pilot, *TYPED[tab][step])
        expected += TYPED[tab][step]
    else:  # Textual applies an editing key after the characters that follow it in one burst: two bursts
        await type_keys(app, pilot, "backspace", "backspace")
        await type_keys(app, pilot, *expected[-2:])
    return expected


def check_typed(app, tab: str, expected: str) -> None:
    assert app.focused is app.query_one(TYPED_INTO[tab]), (tab, app.focused)
    if tab == "cities":
        assert app.query_one("#city-filter", Input).value == expected
        found = [r.id for r in rows(app.query_one("#city-table", VirtualTable))]
        if expected.startswith("shenz"):  # "shen" also begins Shēngtàichéng (the Eco-City)
            assert found == ["shenzhen"], (expected, found)
        else:
            assert "shenzhen" in found, (expected, found)
    elif tab == "calculator":
        assert app.query_one("#followers", Input).value == expected
        assert str(app.query_one("#followers-error", Static).render()).startswith("= ")  # read, no error
        assert app.query_one("#calc-table", VirtualTable).total > 0


@pytest.mark.parametrize("tab", TABS)
async def test_every_tab_survives_a_sweep_of_terminal_sizes_without_colour(make_app, monkeypatch, tab):
    """From 40x12 up to 250x70 and back down, with NO_COLOR set, the tab stays alive and never
    goes blank: below 60x16 it shows the notice that the terminal is too small, at every other
    size its content, in greys only; what is typed after each resize lands where the typing
    before it did."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        await settle(app, pilot)
        app.set_marks(MARKED)
        await type_keys(app, pilot, TAB_KEYS[tab], *(["slash"] if tab == "cities" else []))
        if tab == "calculator":  # more of the results' styles on screen
            app.query_one("#annual-sales", Input).value = "15m"
            app.query_one("#buying-home").value = "yes"
            await type_keys(app, pilot, TAB_KEYS[tab])
        expected, step = "", 0
        for size in SWEEP:
            await pilot.resize_terminal(*size)
            if too_small(size):
                if size == SWEEP[0]:
                    await type_keys(app, pilot, "down", "tab")  # keys while the notice shows do no harm
                check_screen(app, size, tab)
                check_monochrome(app, (tab, size))
                continue
            expected = await type_on(app, pilot, tab, step, expected)
            step += 1
            text = check_screen(app, size, tab)
            check_typed(app, tab, expected)
            check_monochrome(app, (tab, size))
            if tab == "cities" and expected.startswith("shen"):
                assert "Shenzhen" in text
        assert step > len(TYPED.get(tab, ()))  # every chunk typed, and retyped at least once
        assert expected == {"cities": "shenzhen", "calculator": "600k"}.get(tab, "")
    assert app.return_code is None


async def test_typing_in_a_form_goes_on_after_the_terminal_was_too_small(make_app):
    """A figure half typed, the terminal one column too narrow for a moment, the rest typed: the
    field holds the whole figure."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_keys(app, pilot, TAB_KEYS["calculator"], "6")
        await resize(app, pilot, (MIN_WIDTH - 1, 24))
        await resize(app, pilot, (80, 24))
        await type_keys(app, pilot, "0", "0")
        assert app.focused is app.query_one("#followers")
        assert app.query_one("#followers", Input).value == "600"


async def test_in_colour_at_the_largest_and_smallest_sizes(make_app):
    """Without NO_COLOR the app is in colour, at 80x24, at 250x70 and on its too-small notice, and
    the checks above see it: the NO_COLOR checks cannot pass by accident."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert not app.no_color
        for size in ((80, 24), (250, 70), (40, 12)):
            await resize(app, pilot, size)
            check_screen(app, size, "cities")
            assert not all(grey(hex_rgb(c)) for c in svg_colours(app)), size
            assert not all(grey(c) for c in segment_colours(app)), size


async def test_no_color_on_help_palette_messages_and_the_light_theme(make_app, monkeypatch):
    """With NO_COLOR set, a notification, the help screen, the command palette and the light theme
    are in greys too."""
    from lstui.tui.help import HelpScreen

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        await type_keys(app, pilot, "ctrl+r")  # a notification says amounts are now in USD
        assert "Amounts in USD" in flat(screen_text(app))
        check_monochrome(app, "notification")
        await type_keys(app, pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        check_monochrome(app, "help")
        await type_keys(app, pilot, "escape")
        await type_keys(app, pilot, "ctrl+p")
        await type_keys(app, pilot, *"yuhang")
        assert "Yuhang" in screen_text(app)
        check_monochrome(app, "palette")
        await type_keys(app, pilot, "escape")
        await type_keys(app, pilot, "ctrl+t")
        assert app.theme == "textual-light"
        check_screen(app, (80, 24), "cities")
        check_monochrome(app, "light theme")


# ----------------------------------------------------------------------------- real terminals


FIRST_ROWS = (b"China", b"Beijing", b"Chongqing", b"Fujian")  # the first Cities rows at 80x24
# The filter widgets above the rows are mounted just after the first frame; the screen is complete
# once they are drawn (quitting before that is tested on its own below).
FILTERS = (b"Level", b"pays individuals", b"pays companies")
QUIT = b"\x11"  # ctrl+q: quits from anywhere; a q on the Cities list is text for the filter
START_TIMEOUT, EXIT_TIMEOUT = 30.0, 15.0
# Terminal modes the app turns on and must turn off again: alternate screen, mouse reporting,
# focus events and bracketed paste.
MODES = (1049, 1000, 1003, 1006, 1015, 1004, 2004)
CUBE = (0, 95, 135, 175, 215, 255)


class PtyRun:
    """`python -m lstui ARGS` on a pseudo-terminal (80x24 unless told); everything it writes is kept."""

    def __init__(self, args: list[str], env: dict, cwd, size=(80, 24)):
        self.output = bytearray()
        self.status: int | None = None
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes the app, on the terminal
            try:
                os.chdir(cwd)
                os.execve(sys.executable, [sys.executable, "-m", "lstui", *args], env)
            finally:
                os._exit(127)
        width, height = size
        try:  # the child gets SIGWINCH if it started first
            fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        except OSError:
            self.close()
            raise

    def _read(self, timeout: float) -> bool:
        """Read what is there (waiting up to `timeout`); False once the terminal is closed."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # the app has exited and closed its side
            return False
        self.output += data
        return bool(data)

    def wait_for(self, *needles: bytes, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not all(n in self.output for n in needles):
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(min(left, 0.05)):
                return all(n in self.output for n in needles)
        return True

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def wait_exit(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                while self._read(0.1) and time.monotonic() < deadline:
                    pass  # what the app wrote last, until the closed terminal says so
                return self.status
            self._read(0.02)  # keep the terminal drained so the app can finish writing
        return None

    def close(self) -> None:
        """Never leave the app behind, whatever happened."""
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        os.close(self.fd)


def terminal_env(term: str, **extra: str) -> dict:
    """The caller's environment as a terminal of kind `term` gives it, without colour overrides."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "COLORTERM", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "LSTUI_DEBUG")
           and not k.startswith("TEXTUAL")}
    env.update(TERM=term, COLUMNS="80", LINES="24", **extra)
    return env


def run_in_terminal(shipped_yaml, shipped_db, tmp_path, env: dict) -> tuple[int | None, bytes]:
    """Start the app, wait for the first Cities rows and the filters above them, press ctrl+q; the
    exit status and all output."""
    app = PtyRun(["--data", str(shipped_yaml), "--db", str(shipped_db)], env, cwd=tmp_path)
    try:
        shown = app.wait_for(*FIRST_ROWS, *FILTERS, timeout=START_TIMEOUT)
        assert shown, f"no complete first screen after {START_TIMEOUT}s: {bytes(app.output)[-2000:]!r}"
        app.send(QUIT)
        status = app.wait_exit(EXIT_TIMEOUT)
        assert status is not None, f"still running {EXIT_TIMEOUT}s after ctrl+q: {bytes(app.output)[-2000:]!r}"
        return status, bytes(app.output)
    finally:
        app.close()


def sgr_colours(data: bytes) -> list[tuple]:
    """Every colour an SGR sequence in `data` selects: ("basic", code), ("256", n) or ("rgb", r, g, b)."""
    found: list[tuple] = []
    for params in re.findall(rb"\x1b\[([0-9;:]*)m", data):
        codes = [int(p) if p else 0 for p in params.replace(b":", b";").split(b";")]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code in (38, 48, 58) and i + 2 < len(codes) and codes[i + 1] == 5:
                found.append(("256", codes[i + 2]))
                i += 3
                continue
            if code in (38, 48, 58) and i + 4 < len(codes) and codes[i + 1] == 2:
                found.append(("rgb", *codes[i + 2:i + 5]))
                i += 5
                continue
            if 30 <= code <= 37 or 40 <= code <= 47 or 90 <= code <= 97 or 100 <= code <= 107:
                found.append(("basic", code))
            i += 1
    return found


def grey_sgr(colour: tuple) -> bool:
    kind, *value = colour
    if kind == "basic":
        return value[0] % 10 in (0, 7)  # black, white and their bright forms
    if kind == "256":
        n = value[0]
        if n < 16:
            return n in (0, 7, 8, 15)
        if n >= 232:
            return True  # the grey ramp
        n -= 16
        return grey((CUBE[n // 36], CUBE[n // 6 % 6], CUBE[n % 6]))
    return grey(value)


def check_restored(output: bytes) -> None:
    """The app left the terminal as it found it: main screen, cursor shown, modes off, no noise."""
    assert b"Traceback" not in output and b"internal error" not in output, output[-3000:]
    entered = output.rfind(b"\x1b[?1049h")
    assert entered >= 0, "the app never entered the alternate screen"
    left = output.rfind(b"\x1b[?1049l")
    assert left > entered, "the app did not leave the alternate screen"
    assert output.rfind(b"\x1b[?25h") > output.rfind(b"\x1b[?25l"), "the cursor is still hidden"
    for mode in MODES:
        on = output.rfind(b"\x1b[?%dh" % mode)
        if on >= 0:
            assert output.rfind(b"\x1b[?%dl" % mode) > on, f"mode {mode} left on"
    if b"\x1b[>1u" in output:  # the kitty keyboard protocol, pushed and popped
        assert output.rfind(b"\x1b[<u") > output.rfind(b"\x1b[>1u")
    after = re.sub(rb"\x1b(\[[0-9;:?<>=$]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])", b"", output[left:])
    assert not after.strip(), f"written to the main screen after leaving: {after!r}"


@pytest.mark.parametrize("term", ["xterm", "xterm-256color", "screen", "linux"])
def test_real_terminal_starts_quits_and_restores(term, shipped_yaml, shipped_db, tmp_path):
    """In a real pseudo-terminal of each common kind, the app shows the first Cities rows, quits on
    ctrl+q with status 0, prints no traceback and leaves the terminal as it was, in colour."""
    status, output = run_in_terminal(shipped_yaml, shipped_db, tmp_path, terminal_env(term))
    assert status == 0, output[-3000:]
    check_restored(output)
    assert any(not grey_sgr(c) for c in sgr_colours(output))  # colour terminals get colour


def test_real_terminal_with_no_color_writes_no_colour(shipped_yaml, shipped_db, tmp_path):
    """With NO_COLOR set, every colour the app sends to a 256-colour terminal is a grey."""
    env = terminal_env("xterm-256color", NO_COLOR="1")
    status, output = run_in_terminal(shipped_yaml, shipped_db, tmp_path, env)
    assert status == 0, output[-3000:]
    check_restored(output)
    found = sgr_colours(output)
    assert any(c[0] == "256" for c in found)  # greys are still colours: the check saw some
    assert all(grey_sgr(c) for c in found), sorted({c for c in found if not grey_sgr(c)})


def test_a_name_typed_before_the_first_screen_filters_and_quitting_is_clean(shipped_yaml, shipped_db, tmp_path):
    """Keys typed before the app has drawn anything (as over a slow link) wait in the terminal and
    reach the filter, q included, without quitting; ctrl+q then quits cleanly."""
    app = PtyRun(["--data", str(shipped_yaml), "--db", str(shipped_db)], terminal_env("xterm-256color"),
                 cwd=tmp_path)
    try:
        app.send(b"qingdao")  # waits in the terminal until the app reads its first key
        shown = app.wait_for(b"qingdao", b"Qingdao", *FILTERS, timeout=START_TIMEOUT)
        assert shown and app.status is None, bytes(app.output)[-2000:]
        app.send(QUIT)
        status = app.wait_exit(EXIT_TIMEOUT)
    finally:
        app.close()
    output = bytes(app.output)
    assert status == 0, output[-3000:]
    check_restored(output)

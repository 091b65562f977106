"""The lstui terminal app: Cities, Compare, Calculator and Sources tabs."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, LoadingIndicator, Static, TabbedContent, TabPane

from lstui.core import prefs
from lstui.core.money import Display
from lstui.tui.cities import CitiesPane
from lstui.tui.commands import PlacesProvider
from lstui.tui.data import AppData, db_work
from lstui.tui.messages import (ComparisonShown, CopyText, DatabaseReady, ExportRequested, MarkRequested, PlaceChosen,
                                PlaceHighlighted)
from lstui.tui.opening import OpensDatabase
from lstui.tui.reloading import ReloadsData
from lstui.tui.settings import KeepsSettings

TABS = ("cities", "compare", "calculator", "sources")
# The other tabs' code is imported and mounted the first time each tab is shown, so that the
# first screen pays only for the Cities tab.
PANE_CLASSES = {"compare": ("lstui.tui.compare", "ComparePane"), "calculator": ("lstui.tui.calculator", "CalculatorPane"),
                "sources": ("lstui.tui.sources", "SourcesPane")}
OPEN_DELAY = 0.05
FOCUS = {"cities": "#city-table", "compare": "#compare-table", "calculator": "#followers", "sources": "#sources-table"}
MIN_WIDTH, MIN_HEIGHT = 60, 16  # below this the app shows a notice instead of its tabs
COPY_TABS = ("compare", "sources")  # the tabs whose cursor is on figures (lstui.tui.copying)


def pane_class(tab: str):
    import importlib

    module, name = PANE_CLASSES[tab]
    return getattr(importlib.import_module(module), name)


class LstuiApp(OpensDatabase, KeepsSettings, ReloadsData, App[int]):
    """The tabs and the state they share; opening the database, the settings kept and reloading
    the data are in lstui.tui.opening, .settings and .reloading."""

    CSS_PATH = "app.tcss"
    TITLE = "lstui"
    AUTO_FOCUS = "#city-table"
    COMMANDS = App.COMMANDS | {PlacesProvider}
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (MIN_WIDTH, "-narrow"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-tiny-height"), (MIN_HEIGHT, "-short"), (22, "-medium"), (34, "-tall")]
    # Keys that work everywhere, even in a text field: function keys and control keys. Printable
    # keys (q, digits) are bound only where nothing is typed (see tui/keys.py).
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", key_display="?"),
        Binding("f2", "show_tab('cities')", "Cities", show=False, priority=True),
        Binding("f3", "show_tab('compare')", "Compare", show=False, priority=True),
        Binding("f4", "show_tab('calculator')", "Calculator", show=False, priority=True),
        Binding("f5", "show_tab('sources')", "Sources", show=False, priority=True),
        Binding("ctrl+r", "toggle_currency", "CNY/USD", priority=True),
        Binding("ctrl+n", "toggle_style", "万/亿", priority=True),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False, priority=True),
        Binding("ctrl+l", "reload_data", "Reload data", show=False, priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        # Focus moves at once, before any key typed after it reaches the field being left (keys
        # typed ahead over a slow link arrive together).
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]

    # What the panes watch: the database generation (a new or repaired database), the places
    # marked for comparison, the notation, a place to go to; panes tell the app with messages.
    data_generation: reactive[int] = reactive(0)
    goto_place: reactive[str | None] = reactive(None, always_update=True)
    typed_ahead: reactive[str] = reactive("", always_update=True)
    marked: reactive[tuple[str, ...]] = reactive((), always_update=True)
    currency: reactive[str] = reactive("CNY")
    number_style: reactive[str] = reactive("international")
    copy_request: reactive[tuple[str, bool] | None] = reactive(None, always_update=True)  # (pane id, cite)

    def __init__(self, data_path: Path, db_path: Path, data: AppData | None = None, snapshot=None,
                 export_dir: Path | None = None, prefs_path: Path | None = None):
        """`data` is an open database; without it the app opens (or rebuilds) one in the background,
        showing `snapshot` (lstui.core.startup) meanwhile if there is one. `prefs_path`: the settings
        file (lstui.core.prefs) read now and written when a setting changes; None remembers nothing."""
        super().__init__()
        self.prefs_path = prefs_path
        self._saved = prefs.load(prefs_path)
        self._restore(self._saved)
        self._save_failed = False
        self._data_stamp: tuple[int, int] | None = None  # the YAML's size and time at the last look
        self._data_watch = None  # the timer that looks
        self._reloading = False
        self.data_stale = False  # the YAML changed since the database was built (offered once)
        self.data_path, self.db_path = data_path, db_path
        self.data = data
        self.snapshot = snapshot
        self.export_dir = export_dir or Path.cwd()
        self.problems: list = []
        self.error: str | None = None
        self._last_focused = None  # what had focus before the terminal became too small
        self._repairing = False  # a damaged database is being rebuilt
        self.highlighted_place: str | None = None  # the Cities cursor's place (PlaceHighlighted)
        self.comparison = None  # what Compare shows (ComparisonShown), for the export

    def compose(self) -> ComposeResult:
        with TabbedContent(id="tabs", initial="cities"):
            with TabPane("Cities", id="cities"):
                yield CitiesPane(id="cities-pane")
            for tab in PANE_CLASSES:
                yield TabPane(tab.title(), id=tab)
        if self.data is None and self.snapshot is None:  # nothing to show until the database is open
            with Vertical(id="building"):
                yield LoadingIndicator()
                yield Static(Text("Opening the database ...", justify="center"), id="building-status")
        yield Static(Text(f"The terminal is too small for lstui: make it at least {MIN_WIDTH} columns by "
                          f"{MIN_HEIGHT} lines.",
                          justify="center"), id="too-small")
        yield Footer()

    def on_mount(self) -> None:
        if not self.is_headless:
            self._stop_on_signals()
        for setting in ("marked", "theme", "currency", "number_style"):
            self.watch(self, setting, self._remember, init=False)
        if self.data is not None:
            self._check_marks()
            self._watch_data()
        else:
            # Paint the first screen before paying for DuckDB, then open it off the UI thread. The
            # short wait lets the first frame reach the terminal before the import competes for
            # the interpreter with the thread that writes the screen.
            self.call_after_refresh(self.set_timer, OPEN_DELAY, self.open_database)

    def on_database_ready(self, _: DatabaseReady) -> None:
        for building in self.query("#building"):
            building.remove()
        self.data_generation += 1
        self._check_marks()
        self._watch_data()
        from lstui.core.memory import settle_heap

        self.call_after_refresh(settle_heap)

    def ensure_pane(self, tab: str):
        """Mount a tab's pane the first time it is needed; return the mount to await, if any."""
        tab_pane = self.query_one(f"#{tab}", TabPane)
        if tab in PANE_CLASSES and not tab_pane.children:
            return tab_pane.mount(pane_class(tab)(id=f"{tab}-pane"))
        return None

    def on_unmount(self) -> None:
        if self.data is not None:
            self.data.close()
        import gc

        gc.unfreeze()  # let interpreter shutdown release everything, DuckDB's objects included

    # ---------------------------------------------------------------------------- shared state

    @property
    def notation(self) -> Display:
        """How amounts read in every tab: the number style and the currency the user chose."""
        return Display(self.number_style, self.currency)

    def toggle_mark(self, place_id: str) -> None:
        marked = list(self.marked)
        if place_id in marked:
            marked.remove(place_id)
        else:
            marked.append(place_id)
        self.set_marks(marked)

    def set_marks(self, place_ids: Iterable[str]) -> None:
        self.marked = tuple(place_ids)

    def on_mark_requested(self, message: MarkRequested) -> None:
        if message.place_id is None:
            self.set_marks(())
        else:
            self.toggle_mark(message.place_id)

    async def go_to_place(self, place_id: str) -> None:
        """Show a place in Cities (from the command palette): the Cities pane moves its cursor."""
        await self.action_show_tab("cities")
        self.goto_place = place_id

    async def on_place_chosen(self, message: PlaceChosen) -> None:
        await self.go_to_place(message.place_id)

    # ------------------------------------------------------------------------------- actions

    async def action_show_tab(self, tab: str) -> None:
        # Let go of focus first: a focused widget in the old tab would pull its tab back.
        self.screen.set_focus(None)
        mounting = self.ensure_pane(tab)
        if mounting is not None:
            await mounting
        self.query_one(TabbedContent).active = tab
        # Focus now, not after the next refresh: keys typed right after F4 belong in the form.
        widgets = self.query(FOCUS[tab])
        if widgets:
            self.screen.set_focus(widgets.first())
        else:
            self.call_after_refresh(self._focus_tab, tab)

    def _focus_tab(self, tab: str, attempts: int = 5) -> None:
        """Focus the tab's main widget; a lazily mounted tab may need a refresh or two first."""
        widgets = self.query(FOCUS[tab])
        if widgets:
            widgets.first().focus()
        elif attempts:
            self.call_after_refresh(self._focus_tab, tab, attempts - 1)

    def on_descendant_focus(self, event) -> None:
        self._last_focused = event.widget

    def on_key(self, event) -> None:
        """Text that reaches the app unhandled while Cities is shown is the start of a filter, as it
        would be on the list: keys typed ahead of the first frame reach the screen before the list
        has focus, and keys typed on the filters' menus and toggles mean the same."""
        if not (event.is_printable and event.character) or self.screen is not self.screen_stack[0]:
            return
        if not self.query(CitiesPane) or self.query_one(TabbedContent).active != "cities":
            return
        if event.key in self.screen.active_bindings:
            return  # a key with a meaning of its own here ("/", "?", space on the list): its binding runs
        self.typed_ahead = event.character  # the Cities pane types it into its filter
        event.stop()

    def on_resize(self, event) -> None:
        # Below the minimum size the tabs are hidden, which takes focus away; once the terminal is
        # large enough again, give it back so that the next keys land where they did before.
        if event.size.width >= MIN_WIDTH and event.size.height >= MIN_HEIGHT:
            self.call_after_refresh(self._restore_focus)

    def _restore_focus(self) -> None:
        if self.screen is not self.screen_stack[0] or self.focused is not None:
            return
        widget = self._last_focused
        if widget is not None and widget.is_attached and widget.focusable:
            # Back where it was: a text field keeps its cursor instead of selecting its text,
            # so the next key goes on typing rather than replacing what was there.
            selection = getattr(widget, "selection", None)
            widget.focus()
            if selection is not None:
                widget.call_after_refresh(setattr, widget, "selection", selection)
        else:
            self._focus_tab(self.query_one(TabbedContent).active or "cities")

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id:
            self.ensure_pane(event.pane.id)
            self.call_after_refresh(self._focus_tab, event.pane.id)

    def action_help(self) -> None:
        from lstui.tui.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_export(self, kind: str) -> None:
        await self.action_show_tab("compare")
        self.export_comparison(kind)

    def on_comparison_shown(self, message: ComparisonShown) -> None:
        self.comparison = (message.rows, message.places)

    def on_export_requested(self, message: ExportRequested) -> None:
        self.export_comparison(message.kind)

    def on_place_highlighted(self, message: PlaceHighlighted) -> None:
        self.highlighted_place = message.place_id

    def export_comparison(self, kind: str) -> None:
        from lstui.tui.exporting import write_comparison

        rows, places = self.comparison or ([], [])
        if not places or len(self.marked) == 0:
            self.notify("Mark places in the Cities tab first.", severity="warning")
            return
        try:
            path = write_comparison(rows, places, self.notation, self.export_dir, kind)
        except OSError as exc:
            self.notify(f"Could not write the comparison: {exc.strerror or exc}", severity="error", markup=False)
            return
        self.notify(f"Saved {path}", title="Exported", markup=False, timeout=8)

    def request_copy(self, with_citation: bool) -> None:
        """The palette's copy commands: the tab shown copies the figure under its cursor."""
        tab = self.query_one(TabbedContent).active
        if tab not in COPY_TABS:
            self.notify("Copying takes a figure under the cursor in the Compare or Sources tab (a place's sources: "
                        "\"Copy the highlighted place's sources\").", severity="warning", markup=False)
            return
        self.copy_request = (f"{tab}-pane", with_citation)

    def request_place_sources(self) -> None:
        """The palette's "copy the place's sources": what `lstui cite PLACE` prints, for the
        place under the Cities cursor (the list, where letters filter, has no copy key)."""
        if self.highlighted_place is None or self.data is None:
            self.notify("Highlight a place in the Cities tab first.", severity="warning")
            return
        self.cite_place(self.highlighted_place)

    @db_work(exclusive=True, group="copy")
    def cite_place(self, place_id: str) -> None:
        from lstui import render
        from lstui.core import cite

        found = cite.place_sources(self.data.cursor(), place_id)
        text = cite.cite(found.entries, "text", lambda f: render.figure_words(f, self.notation))
        count = len(found.sources)
        self.post_message(CopyText(text, f"the {count} source{'s' if count != 1 else ''} of {found.place.name_en}"))

    def on_copy_text(self, message) -> None:
        """A pane's CopyText: onto the terminal's clipboard (OSC 52), and a toast saying what."""
        self.copy_to_clipboard(message.text)
        self.notify(f"Copied {message.what}", title="Clipboard", markup=False, timeout=4)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for tab in TABS:
            yield SystemCommand(f"Show the {tab.title()} tab", f"Switch to {tab.title()}",
                                lambda tab=tab: self.action_show_tab(tab))
        yield SystemCommand("Mark or unmark the highlighted place", "For comparison (space in Cities)",
                            lambda: self.highlighted_place and self.toggle_mark(self.highlighted_place))
        yield SystemCommand("Unmark all places", "Clear the comparison", lambda: self.set_marks(()))
        yield SystemCommand("Export the comparison to Markdown", "Write a .md file in the current directory",
                            lambda: self.action_export("md"))
        yield SystemCommand("Export the comparison to CSV", "Write a .csv file in the current directory",
                            lambda: self.action_export("csv"))
        yield SystemCommand("Copy the highlighted figure with its citation",
                            "To the clipboard, from Compare or Sources (y there)", lambda: self.request_copy(True))
        yield SystemCommand("Copy the highlighted figure's value", "To the clipboard, from Compare or Sources (Y there)",
                            lambda: self.request_copy(False))
        yield SystemCommand("Copy the highlighted place's sources", "To the clipboard, as `lstui cite PLACE` prints them",
                            self.request_place_sources)
        yield SystemCommand("Toggle CNY / USD", "Show amounts in the other currency", self.action_toggle_currency)
        yield SystemCommand("Toggle number style (万/亿)", "25.0 million or 2,500万", self.action_toggle_style)
        yield SystemCommand("Toggle dark / light theme", "Switch the colour theme", self.action_toggle_theme)
        yield SystemCommand("Reload data", "Rebuild from the YAML if it changed, and reload (ctrl+l)",
                            self.action_reload_data)
        yield SystemCommand("Help", "Keys and conventions", self.action_help)
